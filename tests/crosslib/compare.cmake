# Runs the two builds of tests/crosslib/weights.cpp and compares their outputs byte for byte.
#   cmake -DSTDLIB_EXE=<libstdc++ build> -DLIBCXX_EXE=<libc++ build> -DOUT_DIR=<dir> -P compare.cmake
# With -DMISSING=<reason> it only fails, saying why: a missing clang++ or libc++ must not pass
# silently, since CI installs both (scripts/install-deps.sh).
if(DEFINED MISSING)
  message(FATAL_ERROR "the libstdc++-vs-libc++ initializer test cannot run: ${MISSING}. "
                      "Install the Debian packages clang, libc++-dev and libc++abi-dev and reconfigure.")
endif()

set(a "${OUT_DIR}/init_weights_libstdcxx.bin")
set(b "${OUT_DIR}/init_weights_libcxx.bin")
file(REMOVE "${a}" "${b}")
execute_process(COMMAND "${STDLIB_EXE}" "${a}" RESULT_VARIABLE rc_a OUTPUT_VARIABLE lib_a)
execute_process(COMMAND "${LIBCXX_EXE}" "${b}" RESULT_VARIABLE rc_b OUTPUT_VARIABLE lib_b)
if(NOT rc_a EQUAL 0 OR NOT rc_b EQUAL 0)
  message(FATAL_ERROR "a build failed to run: ${STDLIB_EXE} → ${rc_a}, ${LIBCXX_EXE} → ${rc_b}")
endif()
string(STRIP "${lib_a}" lib_a)
string(STRIP "${lib_b}" lib_b)
message(STATUS "first build: ${lib_a}; second build: ${lib_b}")
# The test means something only if the two really are different libraries.
if(NOT lib_a MATCHES "^libstdc\\+\\+" OR NOT lib_b MATCHES "^libc\\+\\+")
  message(FATAL_ERROR "expected a libstdc++ build and a libc++ build, got '${lib_a}' and '${lib_b}'")
endif()
file(SIZE "${a}" size_a)
file(SIZE "${b}" size_b)
execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${a}" "${b}" RESULT_VARIABLE differ)
if(NOT differ EQUAL 0)
  message(FATAL_ERROR "the weights differ between ${lib_a} and ${lib_b} "
                      "(${size_a} and ${size_b} bytes): ${a} vs ${b}")
endif()
message(STATUS "identical: ${size_a} bytes of weights and engine states")
