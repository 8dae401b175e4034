# mizu_catch_discover(TARGET PREFIX): registers every Catch2 case of TARGET as its own CTest test PREFIX<name>.
# Promises: a registered test whose filter selects no case FAILS (Catch2 `--warn NoTests`) instead of printing
# "No tests ran" and passing; and a manifest (catch2/TARGET.txt in the build dir: the prefix, then the command
# that lists the cases, one argument a line) lets scripts/check-test-count compare the cases Catch2 lists with
# the CTest tests registered and run. Used by both the native and the wasm (emulator = node) builds.
list(APPEND CMAKE_MODULE_PATH "${MIZU_CATCH2_CMAKE_DIR}")
include(Catch)

function(mizu_catch_discover target prefix)
  catch_discover_tests(${target} TEST_PREFIX "${prefix}" ${ARGN} EXTRA_ARGS --warn NoTests)
  get_target_property(emulator ${target} CROSSCOMPILING_EMULATOR)
  if(NOT emulator)
    set(emulator "")
  endif()
  list(JOIN emulator "\n" emulator_lines)
  if(emulator_lines)
    string(APPEND emulator_lines "\n")
  endif()
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/catch2/${target}.txt"
       CONTENT "${prefix}\n${emulator_lines}$<TARGET_FILE:${target}>\n")
endfunction()
