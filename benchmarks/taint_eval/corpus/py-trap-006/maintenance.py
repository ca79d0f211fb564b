import os
import subprocess

LOG_DIR = "/var/log/myapp"


def rotate_logs():
    os.system("find " + LOG_DIR + " -name '*.log' -mtime +14 -delete")
    subprocess.run("systemctl reload myapp", shell=True, check=True)


if __name__ == "__main__":
    rotate_logs()
