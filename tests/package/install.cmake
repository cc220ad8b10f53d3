# cmake -DBUILD_DIR=<activ's build> -DPREFIX=<fresh prefix> -P install.cmake
# Installs activ into PREFIX (removed first) and checks the files a consumer needs.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}" COMMAND_ERROR_IS_FATAL ANY)
foreach(_pattern include/activ/activ.hpp include/activ/config.hpp
                 */cmake/activ/activConfig.cmake */cmake/activ/activConfigVersion.cmake
                 */cmake/activ/activTargets.cmake */cmake/activ/activFindXsimd.cmake */pkgconfig/activ.pc)
  file(GLOB _found "${PREFIX}/${_pattern}")
  if(NOT _found)
    message(FATAL_ERROR "activ: cmake --install did not install ${_pattern} under ${PREFIX}")
  endif()
endforeach()
# Every header of the source tree is installed.
get_filename_component(_source "${CMAKE_CURRENT_LIST_DIR}/../../include" ABSOLUTE)
file(GLOB_RECURSE _headers RELATIVE "${_source}" "${_source}/*.hpp")
foreach(_header IN LISTS _headers)
  if(NOT EXISTS "${PREFIX}/include/${_header}")
    message(FATAL_ERROR "activ: header ${_header} is not installed")
  endif()
endforeach()
list(LENGTH _headers _count)
message(STATUS "activ installed into ${PREFIX}: ${_count} headers, CMake package, pkg-config file")
