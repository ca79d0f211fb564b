import argparse
import subprocess


def main():
    parser = argparse.ArgumentParser(description="Convert a video to mp3")
    parser.add_argument("input")
    parser.add_argument("--bitrate", default="192k")
    args = parser.parse_args()
    subprocess.check_call(["ffmpeg", "-i", args.input, "-b:a", args.bitrate, "out.mp3"])


if __name__ == "__main__":
    main()
