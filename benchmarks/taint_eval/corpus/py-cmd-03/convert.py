import argparse
import subprocess


def main():
    parser = argparse.ArgumentParser(description="Convert a video to mp3")
    parser.add_argument("input")
    parser.add_argument("--bitrate", default="192k")
    args = parser.parse_args()
    command = "ffmpeg -i {} -b:a {} out.mp3".format(args.input, args.bitrate)
    subprocess.check_call(command, shell=True)


if __name__ == "__main__":
    main()
