import os
import subprocess
import tempfile


def render_pdf(html):
    with tempfile.TemporaryDirectory() as workdir:
        out_path = os.path.join(workdir, "out.pdf")
        subprocess.run(["wkhtmltopdf", "-", out_path], input=html.encode(), check=True)
        with open(out_path, "rb") as fh:
            return fh.read()
