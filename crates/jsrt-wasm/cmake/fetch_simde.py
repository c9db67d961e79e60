#!/usr/bin/env python3
"""Puts SIMDe's headers (v0.8.2, the version WAMR 2.4 pins) in DEST without git.

WAMR's CMake fetches SIMDe from GitHub with FetchContent, which this project's machines
cannot reach. The same release is published on PyPI as `cmeel-simde`; we take its headers
from the wheel and point FetchContent at them (see offline-deps.cmake).
"""
import glob, os, subprocess, sys, tempfile, zipfile

dest = sys.argv[1]
if os.path.exists(os.path.join(dest, "simde", "check.h")):
    sys.exit(0)
with tempfile.TemporaryDirectory() as tmp:
    subprocess.check_call([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                           "cmeel-simde==0.8.2", "-d", tmp])
    wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
    prefix = "cmeel.prefix/include/"
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if name.startswith(prefix + "simde/") and not name.endswith("/"):
                out = os.path.join(dest, name[len(prefix):])
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with z.open(name) as src, open(out, "wb") as dst:
                    dst.write(src.read())
print(f"fetch_simde: SIMDe 0.8.2 headers in {dest}")
