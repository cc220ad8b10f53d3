// ULP error as SPEC §5 defines it, shared by the tests and bench/accuracy.cpp.
//
// error(r, e) = |r − e| / spacing(e), e the exact value in a wider type W, and spacing(e) the
// gap between the two consecutive T values that bracket e (the gap above |e| when e is
// itself a T value). Results whose exact value is below T's smallest normal are judged by
// absolute error instead: 0 when |r − e| <= the smallest normal, infinite otherwise.
#ifndef ACTIV_TESTS_SUPPORT_ULP_HPP
#define ACTIV_TESTS_SUPPORT_ULP_HPP

#include <cmath>
#include <limits>

namespace activ::testing {

template <class T, class W>
inline W spacing(W e) {
  const W a = std::fabs(e);
  const T t = static_cast<T>(a);  // round to nearest
  const W tw = static_cast<W>(t);
  if (std::isinf(t)) {
    return static_cast<W>(std::numeric_limits<T>::max()) -
           static_cast<W>(std::nextafter(std::numeric_limits<T>::max(), T(0)));
  }
  if (tw > a) return tw - static_cast<W>(std::nextafter(t, T(0)));
  const T up = std::nextafter(t, std::numeric_limits<T>::infinity());
  if (std::isinf(up)) return tw - static_cast<W>(std::nextafter(t, T(0)));
  return static_cast<W>(up) - tw;
}

template <class T, class W>
inline bool is_tiny(W e) {
  return std::fabs(e) < static_cast<W>(std::numeric_limits<T>::min());
}

/// ULP error of r against the exact e; NaN vs NaN is 0, any other NaN or inf mismatch is inf.
template <class T, class W>
inline double ulp_error(T r, W e) {
  if (std::isnan(e) || std::isnan(r)) return std::isnan(e) && std::isnan(r) ? 0.0 : HUGE_VAL;
  // An exact value beyond T's range rounds to ±inf: that is the correct result then.
  const W rounded_e = std::isinf(static_cast<T>(e)) ? static_cast<W>(static_cast<T>(e)) : e;
  if (std::isinf(rounded_e) || std::isinf(r)) return static_cast<W>(r) == rounded_e ? 0.0 : HUGE_VAL;
  const W diff = std::fabs(static_cast<W>(r) - e);
  if (is_tiny<T>(e)) return diff <= static_cast<W>(std::numeric_limits<T>::min()) ? 0.0 : HUGE_VAL;
  return static_cast<double>(diff / spacing<T>(e));
}

}  // namespace activ::testing

#endif  // ACTIV_TESTS_SUPPORT_ULP_HPP
