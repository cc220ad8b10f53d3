# cmake -DPREFIX= -DCXX= -DSOURCE= -DWORK= -DEXPECTED_VERSION= -P pkg_config.cmake
# Finds the installed activ.pc through PKG_CONFIG_PATH, checks its version and that its
# include directory is the installed one, then compiles SOURCE with its --cflags and runs it.
find_program(_pkg_config NAMES pkg-config pkgconf REQUIRED)
file(GLOB _pc "${PREFIX}/*/pkgconfig/activ.pc" "${PREFIX}/*/*/pkgconfig/activ.pc")
if(NOT _pc)
  message(FATAL_ERROR "activ: no activ.pc under ${PREFIX}")
endif()
get_filename_component(_pc_dir "${_pc}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${_pc_dir}")

execute_process(COMMAND ${_pkg_config} --modversion activ OUTPUT_VARIABLE _version
                OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
if(NOT _version STREQUAL EXPECTED_VERSION)
  message(FATAL_ERROR "activ: pkg-config --modversion activ gives '${_version}', expected ${EXPECTED_VERSION}")
endif()
execute_process(COMMAND ${_pkg_config} --cflags activ OUTPUT_VARIABLE _cflags
                OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
message(STATUS "pkg-config --cflags activ: ${_cflags}")
separate_arguments(_flags UNIX_COMMAND "${_cflags}")
get_filename_component(_want "${PREFIX}/include" REALPATH)
set(_found_include FALSE)
foreach(_flag IN LISTS _flags)
  if(_flag MATCHES "^-I(.+)")
    get_filename_component(_dir "${CMAKE_MATCH_1}" REALPATH)
    if(_dir STREQUAL _want)
      set(_found_include TRUE)
    endif()
  endif()
endforeach()
if(NOT _found_include)
  message(FATAL_ERROR "activ: pkg-config --cflags activ does not point at ${_want}: ${_cflags}")
endif()

file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND ${CXX} -std=c++17 ${_flags} -DEXPECTED_VERSION="${EXPECTED_VERSION}" "${SOURCE}"
                        -o "${WORK}/consumer" COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND "${WORK}/consumer" COMMAND_ERROR_IS_FATAL ANY)
