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
    # i32x4.trunc_sat_f32x4_u: lanes in [2^31, 2^32) came out 0x80000000. The offset meant
    # for them was masked with the sign bit alone (so nothing was subtracted) and compared
    # with 2^32 instead of 2^31.
    ("simde/wasm/simd128.h",
     "        __m128 first_oob_high = _mm_set1_ps(SIMDE_FLOAT32_C(4294967296.0));\n"
     "        __m128 neg_zero_if_too_high =\n"
     "          _mm_castsi128_ps(\n"
     "            _mm_slli_epi32(\n"
     "              _mm_castps_si128(_mm_cmple_ps(first_oob_high, a_.sse_m128)),\n"
     "              31\n"
     "            )\n"
     "          );\n"
     "        r_.sse_m128i =\n"
     "          _mm_xor_si128(\n"
     "            _mm_cvttps_epi32(\n"
     "              _mm_sub_ps(a_.sse_m128, _mm_and_ps(neg_zero_if_too_high, first_oob_high))\n"
     "            ),\n"
     "            _mm_castps_si128(neg_zero_if_too_high)\n"
     "          );\n",
     "        /* jsrt: a lane in [2^31, 2^32) converts as (a - 2^31) with its top bit set */\n"
     "        __m128 two_31 = _mm_set1_ps(SIMDE_FLOAT32_C(2147483648.0));\n"
     "        __m128 high = _mm_cmple_ps(two_31, a_.sse_m128);\n"
     "        r_.sse_m128i =\n"
     "          _mm_xor_si128(\n"
     "            _mm_cvttps_epi32(_mm_sub_ps(a_.sse_m128, _mm_and_ps(high, two_31))),\n"
     "            _mm_slli_epi32(_mm_castps_si128(high), 31)\n"
     "          );\n"),
]
MARKER = ".jsrt-patches-2"

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
