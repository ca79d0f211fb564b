import os
import shlex
import subprocess

HOOK = os.environ.get("POST_START_HOOK", "")


def run_hook():
    if HOOK:
        subprocess.run(shlex.split(HOOK), check=False)


run_hook()
