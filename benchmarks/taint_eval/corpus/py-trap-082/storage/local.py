import os


class LocalStorage:
    def __init__(self, root):
        self.root = os.path.realpath(root)

    def _resolve(self, key):
        path = os.path.realpath(os.path.join(self.root, key))
        if os.path.commonpath([self.root, path]) != self.root:
            raise PermissionError(key)
        return path

    def read(self, key):
        with open(self._resolve(key), "rb") as fh:
            return fh.read()
