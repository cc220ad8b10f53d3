// activ — tanh and its derivative on xsimd batches.
//
// On a = |x|, then the sign of x restored bitwise (so tanh(−0) = −0).
// float, with expm1(−2a) = 2^n·q + (2^n − 1) split as in activ/math/exp.hpp (q = expm1 of the
// reduced r), one formula for every a:
//   tanh(a)  = −expm1(−2a) / (2 + expm1(−2a))
//            = (−2^n·q + (1 − 2^n)) / (2^n·q + (2^n + 1))   (2^n ± 1 exact for the n that
//               matter, each side one rounding: rounding 2 + expm1 after expm1 would cost the
//               extra ULP that took this past 2 near a = 4.5). expm1 is accurate near 0, and
//               the quotient saturates to exactly 1 (expm1 = −1 below −18). Exhaustively
//               1.93 ULP; 1.7× faster than the split below (docs/benchmarks.md).
// double keeps the split, because the one formula's roundings (numerator, denominator,
// quotient, and r's) reach 2.1 ULP among double's many more inputs:
//   a < 0.625:  tanh(a) = a + a·z·P(z)/Q(z), z = a²        (Cephes tanh.c)
//   a >= 0.625: tanh(a) = 1 − 2e / (1 + e), e = exp(−2a)   (e <= 0.287: the correction is
//               small and computed without cancellation; saturates to exactly 1)
//   tanh'(x) = 4e / (1 + e)², e = exp(−2|x|)             (= 1 − tanh², without its
//               cancellation: tanh'(9) is 6e−8, not 0)
// Cephes coefficients: Stephen L. Moshier, Cephes Math Library (tanh.c).
// Max error (exhaustive, float): see docs/accuracy.md; bars: 2 ULP (tanh), 4 ULP (tanh').
// NaN in, NaN out; tanh(±inf) = ±1, tanh'(±inf) = 0.
#ifndef ACTIV_MATH_TANH_HPP
#define ACTIV_MATH_TANH_HPP

#include <type_traits>

#include "activ/math/exp.hpp"

namespace activ::math {
namespace detail {

// double: tanh(a) − a over a for a < 0.625, as a function of z = a². Cephes tanh.c:
// z·P(z)/Q(z), P degree 2, Q monic degree 3.
template <class A>
inline xsimd::batch<double, A> tanh_small_ratio(const xsimd::batch<double, A>& z) noexcept {
  using B = xsimd::batch<double, A>;
  B p = B(-9.64399179425052238628e-1);
  p = xsimd::fma(p, z, B(-9.92877231001918586564e1));
  p = xsimd::fma(p, z, B(-1.61468768441708447952e3));
  B q = z + B(1.12811678491632931402e2);
  q = xsimd::fma(q, z, B(2.23548839060100448583e3));
  q = xsimd::fma(q, z, B(4.84406305325125486048e3));
  return z * p / q;
}

}  // namespace detail

template <class T, class A>
inline xsimd::batch<T, A> tanh(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  const B a = xsimd::abs(x);
  if constexpr (std::is_same_v<T, float>) {
    using C = detail::exp_constants<T>;
    B scale;
    const B r = detail::reduce<0>(xsimd::max(B(C::expm1_floor), B(T(-2)) * a), scale);
    const B minus_q = detail::minus_expm1_reduced(r);                  // +0 at a = 0
    const B numerator = xsimd::fma(scale, minus_q, B(T(1)) - scale);   // −expm1(−2a) >= +0
    const B denominator = xsimd::fnma(scale, minus_q, scale + B(T(1))); // 2 + expm1(−2a) > 0
    return detail::keep_nan(x, (numerator / denominator) | (x & B(T(-0.0))));  // x's sign onto tanh|x|
  } else {
    const B small = xsimd::fma(a, detail::tanh_small_ratio(a * a), a);
    const B e = exp_nonpositive(B(T(-2)) * a);
    const B large = B(T(1)) - (e + e) / (B(T(1)) + e);
    return xsimd::select(a < B(T(0.625)), small, large) | (x & B(T(-0.0)));  // NaN stays NaN
  }
}

template <class T, class A>
inline xsimd::batch<T, A> tanh_derivative(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  // 4e is built directly (2^2 in the scale), so it stays exact where e alone would be
  // subnormal but tanh' is still normal (|x| in 43.7 … 44.4, float).
  const B e4 = exp_nonpositive<2>(B(T(-2)) * xsimd::abs(x));
  const B e = e4 * B(T(0.25));
  // (1 + e)² as 1 + e(e + 2): avoids squaring the rounding error of 1 + e.
  return e4 / xsimd::fma(e, e + B(T(2)), B(T(1)));
}

}  // namespace activ::math

#endif  // ACTIV_MATH_TANH_HPP
