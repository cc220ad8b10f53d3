// activ — tanh and its derivative on xsimd batches.
//
// On a = |x|, then the sign of x restored bitwise (so tanh(−0) = −0).
// float, with expm1(−2a) = 2^n·q + (2^n − 1) split as in activ/math/exp.hpp (q = expm1 of the
// reduced r, reduced and evaluated with the −2 folded into the constants: tanh_reduce), one
// formula for every a:
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
//   both ratios with one division: numerator and denominator are chosen per lane first (the
//   same operands, so the same bits as two divisions; 0.92-0.93 of the time, AVX-512 Zen 4)
//   tanh'(x) = 4e / (1 + e)², e = exp(−2|x|)             (= 1 − tanh², without its
//               cancellation: tanh'(9) is 6e−8, not 0)
// Cephes coefficients: Stephen L. Moshier, Cephes Math Library (tanh.c).
// Max error (exhaustive, float): see docs/accuracy.md; bars: 2 ULP (tanh), 4 ULP (tanh').
// NaN in, NaN out; tanh(±inf) = ±1, tanh'(±inf) = 0.
#ifndef ACTIV_MATH_TANH_HPP
#define ACTIV_MATH_TANH_HPP

#include <cstdint>
#include <type_traits>

#include "activ/config.hpp"
#include "activ/math/exp.hpp"
#include "activ/math/fma.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::math {
namespace detail {

// double: tanh(a) − a over a for a < 0.625 is z·P(z)/Q(z), z = a². Cephes tanh.c: P degree 2,
// Q monic degree 3. The caller divides (one division shared with the other branch's).
template <class A>
inline xsimd::batch<double, A> tanh_small_numerator(const xsimd::batch<double, A>& z) noexcept {
  using B = xsimd::batch<double, A>;
  B p = B(-9.64399179425052238628e-1);
  p = math::fma(p, z, B(-9.92877231001918586564e1));
  return math::fma(p, z, B(-1.61468768441708447952e3));
}

template <class A>
inline xsimd::batch<double, A> tanh_small_denominator(const xsimd::batch<double, A>& z) noexcept {
  using B = xsimd::batch<double, A>;
  B q = z + B(1.12811678491632931402e2);
  q = math::fma(q, z, B(2.23548839060100448583e3));
  return math::fma(q, z, B(4.84406305325125486048e3));
}

// float: the reduction of −2t, t = |x| clamped to 9 (so −2t >= expm1_floor, below which tanh
// rounds to 1; min(9, a) lets a NaN through as its second operand), written without computing
// −2t: −2t = n·ln2 + r as in detail::reduce, but this returns s = −r/2 = t + n·ln2/2 and sets
// scale2 = 2^(n + 1). The same n, and everything after differs from reduce's by exact powers of
// two: one multiply fewer. n + bias + 1 is read off k: with FMA the 1 rides in the magic number
// (t·(−2·log2(e)) is never half-way between two integers for t <= 9: its lowest bit is below
// 2^−18, so the rounding to an integer picks the same n); without FMA the product is rounded
// first, can be half-way (x = 8.14448), and a magic number of the other parity then rounds to
// the other n, so there the 1 is added after.
// ln 2 is one constant with FMA, two without, as in reduce<…, OneLn2> (exp.hpp) and for the same
// reasons: every float is still within 1.93 ULP (at 0.517457, as with two; 485,538 of the 2^32
// results moved, by one ULP, or by two at ±7.219 and ±7.513, where the denominator's rounding
// near 1 flipped), and without FMA the bits are those of reduce's.
template <class A>
inline xsimd::batch<float, A> tanh_reduce(const xsimd::batch<float, A>& t, xsimd::batch<float, A>& scale2) noexcept {
  using B = xsimd::batch<float, A>;
  using C = exp_constants<float>;
  using I = xsimd::batch<std::int32_t, A>;
  constexpr float magic = C::round_shift + float(C::bias + (hardware_fma ? 1 : 0));
  const B k = math::fma(t, B(-2.0f * C::log2e), B(magic));
  const B n = k - B(magic);
  if constexpr (hardware_fma) {
    scale2 = xsimd::bitwise_cast<B>(xsimd::bitwise_cast<I>(k) << C::mantissa_bits);
    return math::fma(n, B(C::ln2 / 2), t);
  } else {
    scale2 = xsimd::bitwise_cast<B>(xsimd::bitwise_cast<I>(k + B(1.0f)) << C::mantissa_bits);
    return math::fma(n, B(C::ln2_lo / 2), math::fma(n, B(C::ln2_hi / 2), t));
  }
}

// −expm1(r)/2 = s − s²·P2(s) for r = −2s, P2(s) = 2·P(−2s) with P of expm1_poly: its
// coefficients times 2·(−2)^j, exact, so every Horner step is expm1_poly's times a power of two
// and the result exactly half of minus_expm1_reduced(r).
template <class A>
inline xsimd::batch<float, A> tanh_half_minus_expm1(const xsimd::batch<float, A>& s) noexcept {
  using B = xsimd::batch<float, A>;
  constexpr const float* c = expm1_poly_float;
  B p = B(32 * c[4]);
  p = math::fma(p, s, B(-16 * c[3]));
  p = math::fma(p, s, B(8 * c[2]));
  p = math::fma(p, s, B(-4 * c[1]));
  p = math::fma(p, s, B(2 * c[0]));
  return math::fnma(p, s * s, s);
}

}  // namespace detail

template <class T, class A>
inline xsimd::batch<T, A> tanh(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  const B a = xsimd::abs(x);
  if constexpr (std::is_same_v<T, float>) {
    // Below, S = 2^n, scale2 = 2S and m = −expm1(r)/2 (+0 at a = 0): the numerator is
    // 2S·m + (1 − S) = −expm1(−2a) >= +0 and the denominator −2S·m + (1 + S) = 2 + expm1(−2a) > 0.
    B scale2;
    const B m = detail::tanh_half_minus_expm1(detail::tanh_reduce(xsimd::min(B(T(9)), a), scale2));
    const B numerator = math::fma(scale2, m, math::fnma(scale2, B(T(0.5)), B(T(1))));
    const B denominator = math::fnma(scale2, m, math::fma(scale2, B(T(0.5)), B(T(1))));
    return detail::keep_nan(x, (numerator / denominator) | (x & B(T(-0.0))));  // x's sign onto tanh|x|
  } else {
    const B z = a * a;
    const B e = exp_nonpositive(B(T(-2)) * a);
    const auto small = a < B(T(0.625));
    const B ratio = xsimd::select(small, z * detail::tanh_small_numerator(z), e + e) /
                    xsimd::select(small, detail::tanh_small_denominator(z), B(T(1)) + e);
    return xsimd::select(small, math::fma(a, ratio, a), B(T(1)) - ratio) | (x & B(T(-0.0)));  // NaN stays NaN
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
  return e4 / math::fma(e, e + B(T(2)), B(T(1)));
}

}  // namespace activ::math

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_MATH_TANH_HPP
