import hashlib
import os


class FileCache:
    def __init__(self, root):
        self.root = root

    def path_for(self, key):
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return os.path.join(self.root, digest)

    def evict(self, key):
        os.remove(self.path_for(key))
