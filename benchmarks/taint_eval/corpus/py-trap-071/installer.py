import os
import stat

SCRIPT = "#!/bin/sh\nexec python3 -m myapp \"$@\"\n"


def install_launcher(bin_dir):
    path = os.path.join(bin_dir, "myapp")
    with open(path, "w") as fh:
        fh.write(SCRIPT)
    os.chmod(path, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    return path
