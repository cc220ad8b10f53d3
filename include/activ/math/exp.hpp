// activ — exp and expm1 on xsimd batches, for arguments x <= 0.
//
// Every activation needs e^x only where it is at most 1 (sigmoid uses exp(-|x|), tanh
// exp(-2|x|), ELU expm1(min(x, 0))), so these kernels cover x <= 0 and nothing else; that
// keeps the scale 2^n representable without a split and the results free of overflow.
//
// Algorithm (Cody & Waite 1980 range reduction, as in Cephes' expf/exp):
//   n = round(x / ln 2),  r = x - n·ln2_hi - n·ln2_lo,  |r| <= ln(2)/2
//   expm1(r) by a polynomial  (float: Cephes expf's minimax r + r²·P5(r);
//                              double: Taylor series to r^13, truncation < 0.1 ULP)
//   exp(x)   = 2^n · (1 + expm1(r))
//   expm1(x) = 2^n · expm1(r) + (2^n − 1)     (2^n − 1 is exact for the n that reach it)
// 2^n is built from the bits of n + bias, read off the rounding itself with the
// "magic bias" trick of XNNPACK's exp kernels: x·log2(e) + 1.5·2^mant + bias rounds x·log2(e)
// to an integer n, and the low bits of that sum, shifted into the exponent field, are 2^n.
//
// Max error (exhaustive over every float x <= 0, see docs/accuracy.md):
//   see docs/accuracy.md and tests/math. Results below the smallest normal (x < −87.3 float,
//   −708.4 double) may be flushed to +0.
// Valid range: x <= 0 and −inf (→ 0, −1). NaN in, NaN out. Results for x > 0 are unspecified.
#ifndef ACTIV_MATH_EXP_HPP
#define ACTIV_MATH_EXP_HPP

#include <cstdint>
#include <xsimd/xsimd.hpp>

namespace activ::math {
namespace detail {

template <class T>
struct exp_constants;

template <>
struct exp_constants<float> {
  using int_type = std::int32_t;
  static constexpr int mantissa_bits = 23;
  static constexpr float log2e = 1.44269504088896341f;
  // ln 2 split so that n·ln2_hi is exact for |n| < 2^15 (ln2_hi has 9 significant bits).
  static constexpr float ln2_hi = 0.693359375f;
  static constexpr float ln2_lo = -2.12194440e-4f;
  static constexpr float round_shift = 12582912.0f;  // 1.5·2^23: adding it rounds to integers
  static constexpr int bias = 127;
  // expm1(x) rounds to −1 below this: e^−18 < 2^−25, half an ULP of 1 in float.
  static constexpr float expm1_floor = -18.0f;
};

template <>
struct exp_constants<double> {
  using int_type = std::int64_t;
  static constexpr int mantissa_bits = 52;
  static constexpr double log2e = 1.4426950408889634073599;
  // Cephes exp.c's C1/C2: n·ln2_hi exact for |n| < 2^11.
  static constexpr double ln2_hi = 6.93145751953125e-1;
  static constexpr double ln2_lo = 1.42860682030941723212e-6;
  static constexpr double round_shift = 6755399441055744.0;  // 1.5·2^52
  static constexpr int bias = 1023;
  static constexpr double expm1_floor = -38.0;  // e^−38 < 2^−54
};

// expm1(r) for |r| <= ln(2)/2.
template <class A>
inline xsimd::batch<float, A> expm1_reduced(const xsimd::batch<float, A>& r) noexcept {
  using B = xsimd::batch<float, A>;
  // Cephes expf.c: e^r = 1 + r + r²·P(r), relative error 1.7e-7 over the reduced range.
  B p = B(1.9875691500e-4f);
  p = xsimd::fma(p, r, B(1.3981999507e-3f));
  p = xsimd::fma(p, r, B(8.3334519073e-3f));
  p = xsimd::fma(p, r, B(4.1665795894e-2f));
  p = xsimd::fma(p, r, B(1.6666665459e-1f));
  p = xsimd::fma(p, r, B(5.0000001201e-1f));
  return xsimd::fma(p, r * r, r);
}

template <class A>
inline xsimd::batch<double, A> expm1_reduced(const xsimd::batch<double, A>& r) noexcept {
  using B = xsimd::batch<double, A>;
  // Taylor coefficients 1/k!, k = 13 … 2: the first omitted term, r^14/14!, is below
  // 2^−56 relative to r on the reduced range.
  B p = B(1.0 / 6227020800.0);
  p = xsimd::fma(p, r, B(1.0 / 479001600.0));
  p = xsimd::fma(p, r, B(1.0 / 39916800.0));
  p = xsimd::fma(p, r, B(1.0 / 3628800.0));
  p = xsimd::fma(p, r, B(1.0 / 362880.0));
  p = xsimd::fma(p, r, B(1.0 / 40320.0));
  p = xsimd::fma(p, r, B(1.0 / 5040.0));
  p = xsimd::fma(p, r, B(1.0 / 720.0));
  p = xsimd::fma(p, r, B(1.0 / 120.0));
  p = xsimd::fma(p, r, B(1.0 / 24.0));
  p = xsimd::fma(p, r, B(1.0 / 6.0));
  p = xsimd::fma(p, r, B(0.5));
  return xsimd::fma(p, r * r, r);
}

// Range reduction shared by exp and expm1: returns expm1(r) and sets scale = 2^(n + K).
// Requires n + K + bias >= 0, i.e. x >= lowest<T, K>, or NaN (callers clamp).
template <int K, class T, class A>
inline xsimd::batch<T, A> reduce(const xsimd::batch<T, A>& x, xsimd::batch<T, A>& scale) noexcept {
  using B = xsimd::batch<T, A>;
  using C = exp_constants<T>;
  using I = xsimd::batch<typename C::int_type, A>;
  // round_shift rounds x·log2(e) to the integer n; bias + K rides along in the low bits.
  constexpr T magic = C::round_shift + T(C::bias + K);
  const B k = xsimd::fma(x, B(C::log2e), B(magic));
  const B n = k - B(magic);
  B r = xsimd::fnma(n, B(C::ln2_hi), x);
  r = xsimd::fnma(n, B(C::ln2_lo), r);
  // The low bits of k hold n + K + bias; the shift drops the 1.5·2^mant part and leaves
  // n + K + bias in the exponent field: 0 there (the lowest n allowed) builds +0.
  scale = xsimd::bitwise_cast<B>(xsimd::bitwise_cast<I>(k) << C::mantissa_bits);
  return expm1_reduced(r);
}


// The lowest x for which 2^(n + K) is built: there n + K = −bias and the scale is +0.
template <class T, int K>
inline constexpr T lowest = T(-(exp_constants<T>::bias + K)) / exp_constants<T>::log2e;

}  // namespace detail

/// 2^K·e^x for x <= 0, with K a small non-negative integer: K > 0 keeps results whose
/// 2^K-multiple is a normal number (e.g. tanh' = 4e^(−2|x|)) from being flushed.
/// Results below 2^K times the smallest normal may be +0. NaN propagates.
template <int K = 0, class T, class A>
inline xsimd::batch<T, A> exp_nonpositive(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  // Comparisons, not min/max, so that NaN passes through untouched.
  const B floor(detail::lowest<T, K>);
  const B xc = xsimd::select(x < floor, floor, x);
  B scale;
  const B p = detail::reduce<K>(xc, scale);
  return (p + B(T(1))) * scale;
}

/// e^x for x <= 0 down to the subnormal range, where the result is rounded once (gradual
/// underflow) instead of flushed: the product of 2^(n + 64)·e^r, exact while normal, and
/// 2^−64. `factor` (default 1) multiplies in before the last step, so factor·e^x is rounded
/// as a normal number even where e^x alone is subnormal (ELU's alpha·e^x, alpha > 1).
template <class T, class A>
inline xsimd::batch<T, A> exp_nonpositive_gradual(const xsimd::batch<T, A>& x,
                                                  const xsimd::batch<T, A>& factor) noexcept {
  using B = xsimd::batch<T, A>;
  constexpr T two_to_minus_64 = T(1.0 / 18446744073709551616.0);
  return factor * exp_nonpositive<64>(x) * B(two_to_minus_64);
}

/// e^x − 1 for x <= 0, without cancellation near 0; keeps the sign of zero. NaN propagates.
template <class T, class A>
inline xsimd::batch<T, A> expm1_nonpositive(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  using C = detail::exp_constants<T>;
  const B xc = xsimd::select(x < B(C::expm1_floor), B(C::expm1_floor), x);
  B scale;
  const B p = detail::reduce<0>(xc, scale);
  const B result = xsimd::fma(scale, p, scale - B(T(1)));
  // x = −0 would come back as +0 from the polynomial's last addition; expm1(x) = x exactly
  // there (and for every |x| below half an ULP's worth of x²/2, but only zero needs it).
  return xsimd::select(x == B(T(0)), x, result);
}

}  // namespace activ::math

#endif  // ACTIV_MATH_EXP_HPP
