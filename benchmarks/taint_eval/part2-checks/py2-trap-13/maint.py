import os


def run(cmd):
    code = os.system(cmd)
    if code:
        raise RuntimeError(f"{cmd} failed with {code}")


def nightly():
    run("find /tmp/app -mtime +7 -delete")
    run("systemctl reload nginx")


if __name__ == "__main__":
    nightly()
