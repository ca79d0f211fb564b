import subprocess
import tempfile


def render_pdf(html):
    out_path = tempfile.mktemp(suffix=".pdf")
    subprocess.run(["wkhtmltopdf", "-", out_path], input=html.encode(), check=True)
    with open(out_path, "rb") as fh:
        return fh.read()
