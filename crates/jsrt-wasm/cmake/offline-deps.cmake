# Loaded by CMake as a "toolchain file" for the vendored WAMR build (see .cargo/config.toml).
# It sets nothing about the toolchain: it only makes WAMR's FetchContent of SIMDe (needed for
# the SIMD proposal in the fast interpreter) use headers fetched from PyPI instead of GitHub.
get_filename_component(_jsrt_root "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(_simde_dir "${_jsrt_root}/target/deps/simde")
# The marker says the headers are there with jsrt's patches (fetch_simde.py).
if(NOT EXISTS "${_simde_dir}/.jsrt-patches-2")
  find_program(_python NAMES python3 python REQUIRED)
  execute_process(
    COMMAND "${_python}" "${CMAKE_CURRENT_LIST_DIR}/fetch_simde.py" "${_simde_dir}"
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "could not fetch SIMDe headers (pip download cmeel-simde==0.8.2)")
  endif()
endif()
set(FETCHCONTENT_SOURCE_DIR_SIMDE "${_simde_dir}" CACHE PATH "SIMDe headers" FORCE)
