"""Build hook: ``BASTION_COMPILE=mypyc`` compiles the SAST hot path with mypyc; without it the package is pure Python.

pyproject.toml holds the project's metadata; this file only adds the compiled extension modules when asked, so the
default (editable) install needs no C compiler and no mypy. The compiled build keeps the ``.py`` files beside the
extensions (Python imports an extension first), and ``bastion --version`` says which build is running.
"""

import os
import runpy

from setuptools import setup

#: The modules compiled, as src/bastion/sast/build.py lists them (it reports the build at run time).
COMPILED_MODULES = runpy.run_path("src/bastion/sast/build.py")["COMPILED_MODULES"]


def _extensions() -> list:
    mode = os.environ.get("BASTION_COMPILE", "")
    if mode == "":
        return []
    if mode != "mypyc":
        raise SystemExit(f"BASTION_COMPILE={mode!r}: the only compiler is 'mypyc' (unset it for pure Python)")
    from mypyc.build import mypycify  # the `compiled` extra: only needed when compiling

    # Imported modules outside the list are read for their types only (their own type errors are not the build's).
    paths = ["src/" + name.replace(".", "/") + ".py" for name in COMPILED_MODULES]
    return mypycify(["--ignore-missing-imports", "--follow-imports=silent", *paths], opt_level="3")


setup(ext_modules=_extensions())
