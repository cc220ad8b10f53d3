// activ — version and the error hook shared by every header.
#ifndef ACTIV_CONFIG_HPP
#define ACTIV_CONFIG_HPP

#define ACTIV_VERSION_MAJOR 0
#define ACTIV_VERSION_MINOR 1
#define ACTIV_VERSION_PATCH 0

#include <stdexcept>
#include <string>

// ACTIV_THROW(message) reports a shape or parameter error (SPEC §7). By default it throws
// std::invalid_argument(message). A build without exceptions, or a user who wants another
// policy, defines ACTIV_THROW before including activ; the replacement must not return.
#ifndef ACTIV_THROW
#  if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#    define ACTIV_THROW(message) throw std::invalid_argument(message)
#  else
#    include <cstdio>
#    include <cstdlib>
#    define ACTIV_THROW(message)                                   \
       do {                                                        \
         std::fprintf(stderr, "%s\n", std::string(message).c_str()); \
         std::abort();                                             \
       } while (false)
#  endif
#endif

namespace activ::detail {

// Out of line so that the happy path of every checked call stays small.
[[noreturn]] inline void fail(const std::string& message) { ACTIV_THROW(message); }

}  // namespace activ::detail

#endif  // ACTIV_CONFIG_HPP
