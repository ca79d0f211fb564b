import subprocess


class ImageTool:
    def __init__(self, binary="convert"):
        self.binary = binary

    def resize(self, path, size):
        return subprocess.call([self.binary, path, "-resize", size, path])
