import subprocess
import tempfile


def make_thumbnail(image_bytes):
    with tempfile.NamedTemporaryFile(suffix=".png") as src, tempfile.NamedTemporaryFile(suffix=".png") as dst:
        src.write(image_bytes)
        src.flush()
        subprocess.run(["convert", src.name, "-thumbnail", "128x128", dst.name], check=True)
        return dst.read()
