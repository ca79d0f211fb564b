import subprocess
import sys

LEGACY_MODE = False


def main(argv):
    target = argv[1]
    if LEGACY_MODE:
        subprocess.call("rsync -av " + target + " backup:/srv", shell=True)
    else:
        subprocess.call(["rsync", "-av", "--", target, "backup:/srv"])


if __name__ == "__main__":
    main(sys.argv)
