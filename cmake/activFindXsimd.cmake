# Finds xsimd 8.1 as Debian ships it. Its exported target links a target named "xtl" that its
# config never looks for, so a bare find_package(xsimd) leaves "-lxtl" on the link line.
# Find xtl (Debian: xtl-dev) first; if it is absent, an empty interface target stands in,
# since activ uses no xtl feature.
find_package(xtl QUIET)
find_package(xsimd 8.1 REQUIRED)
if(NOT TARGET xtl)
  add_library(xtl INTERFACE IMPORTED)
endif()
