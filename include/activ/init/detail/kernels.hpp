// activ — the two transcendental kernels of Box–Muller, on xsimd batches, written so that
// every compiler produces the same bits.
//
//   log_unit(u)      = ln u             for u in [2^−53, 1], a normal number
//   sincospi(v, s, c): s = sin(π·v), c = cos(π·v)   for v in (−1, 1)
//
// ln u: u = 2^e · m with m in [√½, √2) (read off the bits); f = m − 1 (exact), s = f/(m + 1),
// z = s², |s| <= 0.1716. ln m = 2·atanh(s) = 2s + s·z·Q(z), Q(z) = 2/3 + (2/5)z + (2/7)z² + …,
// and since 2s = f − f·s: ln m = f + s·(z·Q(z) − f), the exact f carrying most of the value.
// Q is cut where the next term is below 1/20 ULP (float: through 2/9; double: through 2/21).
// ln u = e·ln2 + ln m.
// sin(π·v), cos(π·v): the reduction is exact, because it works on v (half turns), not on π·v:
// a = |v|, a > ½ → 1 − a, then > ¼ → ½ − a (Sterbenz: no rounding), leaving r in [0, ¼];
// sin(πr) = r·π_hi + r·(π_lo + r²·P(r²)), cos(πr) = Q(r²), P and Q the Taylor series of sin
// and cos at π·r, cut where the next term is below 1/20 ULP at r = ¼ (float: through r⁹ and
// r¹⁰; double: through r¹⁷ and r¹⁶). Quadrant signs and swaps are selects.
// Max error, measured by tests/init/kernels.cpp over the inputs the initializers use (FMA
// target): ln 0.89 ULP (float), 1.25 ULP (double); sin(πv) 0.96 / 1.01; cos(πv) 1.00 / 1.02.
//
// Why own kernels rather than xsimd::log and xsimd::sincos: bitwise reproducibility between
// GCC and Clang builds. A compiler allowed to contract (GCC defaults to -ffp-contract=fast,
// Clang to "on", within one expression) may fuse a product feeding a sum into an FMA, and the
// two do not fuse the same pairs: xsimd 8.1's log and sincos built with g++ and clang++
// -O2 -march=native here differ in 26,444 of 7.2 million float results (docs/initializers.md).
// Here every multiply-add is an explicit math::fma (activ/math/fma.hpp) and no rounded product
// ever feeds an addition or subtraction (the products that do, m·½ and the like, are exact), so
// there is nothing left to contract: the result is one fixed sequence of IEEE operations.
// math::fma is a true FMA on every xsimd architecture with FMA (fma3<sse4_2>, fma3<avx>,
// fma3<avx2>, fma4, avx512f and up) and a product then a sum on those without (sse2 … avx).
// So results are bitwise the same across compilers, standard libraries and vector widths, and
// differ (by an ULP here and there, in 12% of the values) between a target with FMA and one
// without. One combination escapes this: FMA hardware enabled (-mfma) under an xsimd
// architecture without it (plain sse2), where the compiler may contract xsimd's fallback a·b + c.
#ifndef ACTIV_INIT_DETAIL_KERNELS_HPP
#define ACTIV_INIT_DETAIL_KERNELS_HPP

#include <cstdint>
#include <xsimd/xsimd.hpp>

#include "activ/config.hpp"
#include "activ/math/fma.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::init::detail {

template <class T>
struct kernel_constants;

template <>
struct kernel_constants<float> {
  using bits_type = std::uint32_t;
  static constexpr int mantissa_bits = 23;
  static constexpr bits_type mantissa_mask = 0x007FFFFFu;
  static constexpr bits_type one_bits = 0x3F800000u;  // 1.0f: m = 1.mantissa in [1, 2)
  // 2^23 as bits: OR-ing a small integer n into its mantissa gives the float 2^23 + n.
  static constexpr bits_type magic_bits = 0x4B000000u;
  static constexpr float magic_minus_bias = 8388608.0f + 127.0f;  // 2^23 + exponent bias
  static constexpr float sqrt2 = 1.41421356237309505f;
  static constexpr float ln2 = 0.693147180559945309f;
  // 2/(2k+1), k = 4 … 1: Q(z) of ln m = 2s + s·z·Q(z), z = s².
  static constexpr float log_c[] = {0.222222222222222222f, 0.285714285714285714f, 0.4f,
                                    0.666666666666666667f};
  // (−1)^k π^(2k+1)/(2k+1)!, k = 4 … 1; the k = 0 term π is split: π_hi = π rounded, π_lo
  // the rest, so that r·π enters with a single rounding.
  static constexpr float sin_c[] = {0.0821458866111282288f, -0.599264529320792077f, 2.55016403987734544f,
                                    -5.16771278004997003f};
  static constexpr float pi_hi = 3.14159274101257324f;
  static constexpr float pi_lo = -8.74227800037248566e-8f;
  // (−1)^k π^(2k)/(2k)!, k = 5 … 0.
  static constexpr float cos_c[] = {-0.0258068913900140600f, 0.235330630358893205f, -1.33526276885458950f,
                                    4.05871212641676822f, -4.93480220054467931f, 1.0f};
};

template <>
struct kernel_constants<double> {
  using bits_type = std::uint64_t;
  static constexpr int mantissa_bits = 52;
  static constexpr bits_type mantissa_mask = 0x000FFFFFFFFFFFFFull;
  static constexpr bits_type one_bits = 0x3FF0000000000000ull;
  static constexpr bits_type magic_bits = 0x4330000000000000ull;  // 2^52
  static constexpr double magic_minus_bias = 4503599627370496.0 + 1023.0;
  static constexpr double sqrt2 = 1.41421356237309504880;
  static constexpr double ln2 = 0.693147180559945309417;
  // 2/(2k+1), k = 10 … 1.
  static constexpr double log_c[] = {0.0952380952380952380952, 0.105263157894736842105, 0.117647058823529411765,
                                     0.133333333333333333333,  0.153846153846153846154, 0.181818181818181818182,
                                     0.222222222222222222222,  0.285714285714285714286, 0.4,
                                     0.666666666666666666667};
  // (−1)^k π^(2k+1)/(2k+1)!, k = 8 … 1, and π = π_hi + π_lo.
  static constexpr double sin_c[] = {7.95205400147551278478e-7, -2.19153534478302158274e-5, 4.66302805767612564421e-4,
                                     -7.37043094571435077726e-3, 8.21458866111282287988e-2, -0.599264529320792076888,
                                     2.55016403987734544386,     -5.16771278004997002925};
  static constexpr double pi_hi = 3.14159265358979311600;
  static constexpr double pi_lo = 1.22464679914735317723e-16;
  // (−1)^k π^(2k)/(2k)!, k = 8 … 0.
  static constexpr double cos_c[] = {4.30306958703294700730e-6, -1.04638104924845707118e-4, 1.92957430940392304790e-3,
                                     -2.58068913900140600126e-2, 0.235330630358893204542,   -1.33526276885458949588,
                                     4.05871212641676821819,     -4.93480220054467930942,   1.0};
};

/// Horner's rule with fused steps: c[0]·x^(n−1) + … + c[n−1].
template <class B, class T, std::size_t N>
inline B horner(const B& x, const T (&c)[N]) noexcept {
  B p(c[0]);
  for (std::size_t i = 1; i < N; ++i) p = math::fma(p, x, B(c[i]));
  return p;
}

/// ln u for u in [2^−53, 1] (normal, positive); see the header comment.
template <class T, class A>
inline xsimd::batch<T, A> log_unit(const xsimd::batch<T, A>& u) noexcept {
  using K = kernel_constants<T>;
  using B = xsimd::batch<T, A>;
  using U = xsimd::batch<typename K::bits_type, A>;
  const U bits = xsimd::bitwise_cast<U>(u);
  const B mant = xsimd::bitwise_cast<B>((bits & U(K::mantissa_mask)) | U(K::one_bits));
  // The biased exponent, moved into the mantissa of 2^mantissa_bits, read back exactly.
  B e = xsimd::bitwise_cast<B>((bits >> K::mantissa_bits) | U(K::magic_bits)) - B(K::magic_minus_bias);
  const auto high = mant > B(K::sqrt2);
  const B m = xsimd::select(high, mant * B(T(0.5)), mant);
  e = xsimd::select(high, e + B(T(1)), e);
  const B f = m - B(T(1));
  const B s = f / (m + B(T(1)));
  // 2·atanh(s) = 2s + s·z·Q(z), and 2s = f − f·s: so ln m = f + s·(z·Q(z) − f), where the
  // exact f carries most of the value and the rounded terms only a correction below 0.2·|f|.
  const B z = s * s;
  const B ln_m = math::fma(s, math::fma(z, horner(z, K::log_c), -f), f);
  return math::fma(e, B(K::ln2), ln_m);
}

/// s = sin(π·v), c = cos(π·v) for v in (−1, 1); see the header comment.
template <class T, class A>
inline void sincospi(const xsimd::batch<T, A>& v, xsimd::batch<T, A>& s, xsimd::batch<T, A>& c) noexcept {
  using K = kernel_constants<T>;
  using B = xsimd::batch<T, A>;
  const B a = xsimd::abs(v);
  const auto back = a > B(T(0.5));  // π·a in the second quadrant: reflect about π/2
  const B a1 = xsimd::select(back, B(T(1)) - a, a);
  const auto swap = a1 > B(T(0.25));  // past π/4: sin and cos trade places
  const B r = xsimd::select(swap, B(T(0.5)) - a1, a1);
  const B r2 = r * r;
  // sin(πr) = r·π_hi + r·(π_lo + r²·P(r²)): the exact-in-fma leading product plus a
  // correction of at most 10% of the result, so the rounding of the correction hardly shows.
  const B sin_r = math::fma(r, B(K::pi_hi), r * math::fma(r2, horner(r2, K::sin_c), B(K::pi_lo)));
  const B cos_r = horner(r2, K::cos_c);
  const B sin_a1 = xsimd::select(swap, cos_r, sin_r);
  const B cos_a1 = xsimd::select(swap, sin_r, cos_r);
  s = xsimd::select(v < B(T(0)), -sin_a1, sin_a1);
  c = xsimd::select(back, -cos_a1, cos_a1);
}

}  // namespace activ::init::detail

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_INIT_DETAIL_KERNELS_HPP
