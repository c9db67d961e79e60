#!/usr/bin/env python3
"""Puts SIMDe's headers (v0.8.2, the version WAMR 2.4 pins) in DEST without git, with jsrt's
fixes applied (PATCHES below), and writes MARKER once they are.

WAMR's CMake fetches SIMDe from GitHub with FetchContent, which this project's machines
cannot reach. The same release is published on PyPI as `cmeel-simde`; we take its headers
from the wheel and point FetchContent at them (see offline-deps.cmake).
"""
import glob, os, subprocess, sys, tempfile, zipfile

# (file, text in SIMDe 0.8.2, replacement): wrong results SIMDe gives on x86-64 without
# SSE4.1 (the baseline WAMR is built for), found by jsrt's differential fuzzing.
PATCHES = [
    # i64x2.all_true compared the lanes as doubles: a lane 0x8000000000000000 (-0.0) counted
    # as zero. The portable loop compares them as integers.
    ("simde/wasm/simd128.h",
     "      return _mm_movemask_pd(_mm_cmpeq_pd(a_.sse_m128d, _mm_setzero_pd())) == 0;\n",
     "      /* jsrt: not as doubles (-0.0 == 0.0): as integers, below */\n"
     "      int64_t r = !INT32_C(0);\n"
     "      for (size_t i = 0 ; i < (sizeof(a_.i64) / sizeof(a_.i64[0])) ; i++) r &= !!(a_.i64[i]);\n"
     "      return r;\n"),
]
MARKER = ".jsrt-patches-1"

dest = sys.argv[1]
if os.path.exists(os.path.join(dest, MARKER)):
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
for name, old, new in PATCHES:
    path = os.path.join(dest, name)
    with open(path) as f:
        text = f.read()
    if text.count(old) != 1:
        sys.exit(f"fetch_simde: cannot patch {name}: the text to replace is not there once")
    with open(path, "w") as f:
        f.write(text.replace(old, new))
open(os.path.join(dest, MARKER), "w").close()
print(f"fetch_simde: SIMDe 0.8.2 headers in {dest} ({len(PATCHES)} jsrt patches)")
