import sys

if sys.version_info < (3, 8):
    exec("def positional(a, b): return a + b")
else:
    def positional(a, b, /):
        return a + b
