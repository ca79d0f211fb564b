import subprocess


class ImageTool:
    def __init__(self, binary="convert"):
        self.binary = binary

    def resize(self, path, size):
        line = " ".join([self.binary, path, "-resize", size, path])
        return subprocess.call(line, shell=True)
