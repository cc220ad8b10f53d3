// activ — tanh and its derivative on xsimd batches.
//
// On a = |x|, then the sign of x restored bitwise (so tanh(−0) = −0):
//   a < 0.625:  tanh(a) = a + a·z·P(z), z = a²           (Cephes tanhf / tanh.c)
//   a >= 0.625: tanh(a) = 1 − 2e / (1 + e), e = exp(−2a)  (e <= 0.287: the correction is
//               small and computed without cancellation; saturates to exactly 1)
//   tanh'(x) = 4e / (1 + e)²                               (= 1 − tanh², without its
//               cancellation: tanh'(9) is 6e−8, not 0)
// Cephes coefficients: Stephen L. Moshier, Cephes Math Library (tanhf.c, tanh.c).
// Max error (exhaustive, float): see docs/accuracy.md; bars: 2 ULP (tanh), 4 ULP (tanh').
// NaN in, NaN out; tanh(±inf) = ±1, tanh'(±inf) = 0.
#ifndef ACTIV_MATH_TANH_HPP
#define ACTIV_MATH_TANH_HPP

#include "activ/math/exp.hpp"

namespace activ::math {
namespace detail {

// tanh(a) − a over a for a < 0.625, as a function of z = a².
template <class A>
inline xsimd::batch<float, A> tanh_small_ratio(const xsimd::batch<float, A>& z) noexcept {
  using B = xsimd::batch<float, A>;
  B p = B(-5.70498872745e-3f);
  p = xsimd::fma(p, z, B(2.06390887954e-2f));
  p = xsimd::fma(p, z, B(-5.37397155531e-2f));
  p = xsimd::fma(p, z, B(1.33314422036e-1f));
  p = xsimd::fma(p, z, B(-3.33332819422e-1f));
  return p * z;
}

template <class A>
inline xsimd::batch<double, A> tanh_small_ratio(const xsimd::batch<double, A>& z) noexcept {
  using B = xsimd::batch<double, A>;
  // Cephes tanh.c: z·P(z)/Q(z), P degree 2, Q monic degree 3.
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
  const B small = xsimd::fma(a, detail::tanh_small_ratio(a * a), a);
  const B e = exp_nonpositive(B(T(-2)) * a);
  const B large = B(T(1)) - (e + e) / (B(T(1)) + e);
  const B r = xsimd::select(a < B(T(0.625)), small, large);
  return r | (x & B(T(-0.0)));  // sign of x onto |tanh|; NaN stays NaN
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
