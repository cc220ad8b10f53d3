// activ — shapes in error messages ("[3 x 4]"), and a ceiling division for sizes.
#ifndef ACTIV_CORE_SHAPE_HPP
#define ACTIV_CORE_SHAPE_HPP

#include <cstddef>
#include <string>

#include "activ/config.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::detail {

// ⌈a / b⌉ for a >= 0, b > 0: the number of pieces of length b that cover a elements.
inline constexpr std::ptrdiff_t ceil_div(std::ptrdiff_t a, std::ptrdiff_t b) noexcept { return (a + b - 1) / b; }

template <class Dims>
inline std::string shape_string(const Dims& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i != 0) s += " x ";
    s += std::to_string(static_cast<long long>(dims[i]));
  }
  return s + "]";
}

// Whether two shapes of one type are equal, element by element: std::array's operator==
// calls memcmp out of line, which took 10 of the 12 ns of a container call on 16 elements.
template <class Dims>
inline bool same_dims(const Dims& a, const Dims& b) noexcept {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Throws "activ::<fn>: <what> has shape [..], expected [..] (the shape of <ref>)". Kept apart
// from the check so that the check itself, a few compares, inlines into every call; cold, so
// that the compiler moves the call off the caller's straight line (in a loop of calls on a
// 16-float Tensor it had sat in the middle, a taken branch around it per call: ReLU 1.75× a
// hand-written loop on the same Tensor, 1.2-1.4× since). The shapes are taken by value (small
// std::arrays, copied only when this is called): by reference, the caller stored both to
// memory on every call.
template <class Dims>
[[noreturn]] ACTIV_COLD inline void shape_mismatch(const char* fn, const char* what, Dims got, const char* ref,
                                                   Dims expected) {
  fail(std::string("activ::") + fn + ": " + what + " has shape " + shape_string(got) + ", expected " +
       shape_string(expected) + " (the shape of " + ref + ")");
}

template <class Dims>
inline void check_same_shape(const char* fn, const char* what, Dims got, const char* ref, Dims expected) {
  if (!same_dims(got, expected)) shape_mismatch(fn, what, got, ref, expected);
}

}  // namespace activ::detail

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_CORE_SHAPE_HPP
