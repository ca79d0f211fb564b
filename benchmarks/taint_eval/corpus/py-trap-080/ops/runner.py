import subprocess

ACTIONS = {"status": "git status --short", "log": "git log -5 --oneline", "diff": "git diff --stat"}


class GitRunner:
    def run(self, action):
        command = ACTIONS.get(action)
        if command is None:
            raise KeyError(action)
        return subprocess.check_output(command, shell=True, text=True)
