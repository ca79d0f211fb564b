import shlex
import subprocess


def remote_disk_usage(host, directory):
    remote = "du -sh " + shlex.quote(directory)
    result = subprocess.run(["ssh", host, remote], capture_output=True, text=True, check=True)
    return result.stdout.split()[0]
