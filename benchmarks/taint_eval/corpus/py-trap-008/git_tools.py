import re
import subprocess

BRANCH = re.compile(r"[A-Za-z0-9._/-]{1,100}")


def delete_branch(branch):
    if not BRANCH.fullmatch(branch) or branch.startswith("-"):
        raise ValueError("invalid branch name")
    subprocess.run(f"git branch -D {branch}", shell=True, check=True)
