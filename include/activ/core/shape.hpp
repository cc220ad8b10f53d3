// activ — shapes in error messages: "[3 x 4]".
#ifndef ACTIV_CORE_SHAPE_HPP
#define ACTIV_CORE_SHAPE_HPP

#include <string>

#include "activ/config.hpp"

namespace activ::detail {

template <class Dims>
inline std::string shape_string(const Dims& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i != 0) s += " x ";
    s += std::to_string(static_cast<long long>(dims[i]));
  }
  return s + "]";
}

// Throws "activ::<fn>: <what> has shape [..], expected [..] (the shape of <ref>)".
template <class Dims>
inline void check_same_shape(const char* fn, const char* what, const Dims& got, const char* ref,
                             const Dims& expected) {
  if (got != expected) {
    fail(std::string("activ::") + fn + ": " + what + " has shape " + shape_string(got) +
         ", expected " + shape_string(expected) + " (the shape of " + ref + ")");
  }
}

}  // namespace activ::detail

#endif  // ACTIV_CORE_SHAPE_HPP
