import argparse
import configparser
import subprocess


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--service")
    args = parser.parse_args()
    cfg = configparser.ConfigParser()
    cfg.read_dict({"deploy": {"unit": "web"}})
    cfg.set("deploy", "unit", args.service)
    unit = cfg.get("deploy", "unit")
    subprocess.run(["systemctl", "restart", unit], check=True)


if __name__ == "__main__":
    main()
