import os


class FileCache:
    def __init__(self, root):
        self.root = root

    def path_for(self, key):
        return os.path.join(self.root, key)

    def evict(self, key):
        os.remove(self.path_for(key))
