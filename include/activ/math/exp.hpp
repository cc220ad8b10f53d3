// activ — exp and expm1 on xsimd batches.
//
// The activations need e^x where it is at most 1 (tanh expm1(−2|x|), ELU expm1(min(x, 0)),
// the derivatives exp(−|x|)), so most kernels cover x <= 0 and nothing else; that keeps the
// scale 2^n representable without a split and the results free of overflow. Sigmoid's
// 1/(1 + e^−x) needs both signs: it calls detail::exp_scaled within ±bound itself.
//
// Algorithm (Cody & Waite 1980 range reduction, as in Cephes' expf/exp):
//   n = round(x / ln 2),  r = x - n·ln2_hi - n·ln2_lo,  |r| <= ln(2)/2
//   expm1(r) by a polynomial r + r²·P(r), P a minimax fit (Remez) of the relative error of
//                              expm1 over |r| <= 0.3466 (float: degree 4, 1.3e−8 before
//                              rounding; double: degree 9, 1.8e−17)
//   exp(x)   = 2^n · (1 + expm1(r)), one fused multiply-add
//   expm1(x) = 2^n · expm1(r) + (2^n − 1)     (2^n − 1 is exact for the n that reach it)
// On AVX2 and AVX-512, float exp takes 8 table entries instead (as XNNPACK's "lut8" kernels):
// steps of ln(2)/8, 2^(j/8) read with one in-register permute, |r| <= ln(2)/16 and a cubic
// r + r²(c2 + c3·r) (minimax of the relative error of e^r there, 2.6e−8): three multiply-adds
// instead of six, for a permute and an integer add; 7–15 % faster per kernel on AVX2, 18–23 %
// on AVX-512 (Zen 5: sigmoid, σ', ELU', tanh'), measured in one process each. Both run the
// same operations, so their results are the same bits.
// (expm1 keeps the plain path: 2^(j/8) − 1 is not exact, 2^n − 1 is.)
// On AVX-512, double exp takes 16 entries with their rounding errors (see exp2_sixteenths).
// 2^n is built from the bits of n + bias, read off the rounding itself with the
// "magic bias" trick of XNNPACK's exp kernels: x·log2(e) + 1.5·2^mant + bias rounds x·log2(e)
// to an integer n, and the low bits of that sum, shifted into the exponent field, are 2^n.
//
// Clamps are max(floor, x), one instruction where a compare and a select were two: x86's
// maxps returns its second operand when either is NaN and NEON's fmax returns NaN, so NaN in
// x passes through on every xsimd architecture.
// Max error (exhaustive over every float x <= 0, see docs/accuracy.md):
//   see docs/accuracy.md and tests/math. Results below the smallest normal (x < −87.3 float,
//   −708.4 double) may be flushed to +0.
// Valid range: x <= 0 and −inf (→ 0, −1). NaN in, NaN out. Results for x > 0 are unspecified.
#ifndef ACTIV_MATH_EXP_HPP
#define ACTIV_MATH_EXP_HPP

#include <cstdint>
#include <type_traits>
#include <xsimd/xsimd.hpp>

#include "activ/config.hpp"
#include "activ/math/fma.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::math {
namespace detail {

// Without hardware FMA, xsimd computes fnma(x, y, z) as −x·y + z, and GCC folds the negation
// into a subtraction in some inlined copies and not in others: the same NaN input then leaves a
// kernel as +NaN in one place and −NaN in another, which breaks SPEC §5's bitwise agreement of
// f(x) and the array result (seen with -march=x86-64). There, the kernels hand back their NaN
// input itself; with hardware FMA every copy runs the same instructions and nothing is added.
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
inline constexpr bool hardware_fma = true;
template <class B>
inline B keep_nan(const B&, const B& result) noexcept {
  return result;
}
#else
inline constexpr bool hardware_fma = false;
template <class B>
inline B keep_nan(const B& x, const B& result) noexcept {
  return xsimd::select(x != x, x, result);
}
#endif

template <class T>
struct exp_constants;

template <>
struct exp_constants<float> {
  using int_type = std::int32_t;
  static constexpr int mantissa_bits = 23;
  static constexpr float log2e = 1.44269504088896341f;
  // ln 2 split so that n·ln2_hi is exact for |n| < 2^9 (ln2_hi has 15 significant bits), with
  // ln2_hi below ln 2: ln2_lo > 0 then subtracts +0 from r = −0 when n = 0, keeping its sign.
  static constexpr float ln2_hi = 0x1.62e4p-1f;
  static constexpr float ln2_lo = 1.42860682030941723212e-6f;
  // ln 2 rounded to one float, for reductions whose error n·(ln 2 − ln2) may be left (OneLn2).
  static constexpr float ln2 = 0.693147180559945309f;
  // ln(2)/8 split for the table kernel's m = 8n + j, |m| < 2^11: 9 significant bits in hi.
  static constexpr float ln2_eighth_hi = 0.693359375f / 8.0f;
  static constexpr float ln2_eighth_lo = -2.12194440e-4f / 8.0f;
  static constexpr float round_shift = 12582912.0f;  // 1.5·2^23: adding it rounds to integers
  static constexpr int bias = 127;
  // expm1(x) rounds to −1 below this: e^−18 < 2^−25, half an ULP of 1 in float.
  static constexpr float expm1_floor = -18.0f;
  // |x| <= bound keeps 2^n normal in e^x: 88·log2(e) = 126.96, and e^88 is finite.
  static constexpr float bound = 88.0f;
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
  static constexpr double bound = 709.0;       // 709·log2(e) = 1022.9
};

// P in expm1(r) = r + r²·P(r), |r| <= ln(2)/2, float: c[0] + c[1]·r + … + c[4]·r⁴, the minimax
// fit of the header: relative error 1.3e−8 (0.2 ULP), one degree below Cephes expf's polynomial
// for the same accuracy in float. (math/tanh.hpp evaluates it scaled.)
inline constexpr float expm1_poly_float[5] = {0x1.fffffep-2f, 0x1.5554b0p-3f, 0x1.555674p-5f, 0x1.122772p-7f,
                                              0x1.6bec08p-10f};

template <class A>
inline xsimd::batch<float, A> expm1_poly(const xsimd::batch<float, A>& r) noexcept {
  using B = xsimd::batch<float, A>;
  constexpr const float* c = expm1_poly_float;
  B p = B(c[4]);
  p = math::fma(p, r, B(c[3]));
  p = math::fma(p, r, B(c[2]));
  p = math::fma(p, r, B(c[1]));
  return math::fma(p, r, B(c[0]));
}

template <class A>
inline xsimd::batch<double, A> expm1_poly(const xsimd::batch<double, A>& r) noexcept {
  using B = xsimd::batch<double, A>;
  // Degree 9: the minimax fit of the header in double, relative error 1.8e−17 (0.08 ULP),
  // two terms shorter than the Taylor series to r^13 it replaces.
  B p = B(0x1.ae6ba9b5848e0p-26);
  p = math::fma(p, r, B(0x1.28a1dd9f5c4e2p-22));
  p = math::fma(p, r, B(0x1.71de8803a7745p-19));
  p = math::fma(p, r, B(0x1.a019a77187f61p-16));
  p = math::fma(p, r, B(0x1.a01a017516f8fp-13));
  p = math::fma(p, r, B(0x1.6c16c17edaf53p-10));
  p = math::fma(p, r, B(0x1.1111111118fa3p-7));
  p = math::fma(p, r, B(0x1.55555555522bap-5));
  p = math::fma(p, r, B(0x1.5555555555539p-3));
  return math::fma(p, r, B(0x1.0000000000005p-1));
}

// −expm1(r) = −(r²·P(r)) − r, rounded once at the end like expm1 itself. The negated form
// carries the sign of zero through: −expm1(∓0) = ±0, where r + r²·P would give +0 for both
// (the sum of −0 and +0 rounds to +0), so callers that negate back get expm1(−0) = −0 free.
template <class B>
inline B minus_expm1_reduced(const B& r) noexcept {
  return math::fnms(expm1_poly(r), r * r, r);
}

// x·Sign − n·c (Sign = ±1) with one fused operation: the sign of x folded in for free.
template <int Sign, class B>
inline B minus_multiple(const B& n, const B& c, const B& x) noexcept {
  static_assert(Sign == 1 || Sign == -1, "the exp kernels take e^x or e^−x.");
  if constexpr (Sign == 1) {
    return math::fnma(n, c, x);
  } else {
    return math::fnms(n, c, x);
  }
}

// Range reduction shared by exp and expm1 of Sign·x: returns r, Sign·x = n·ln2 + r with
// |r| <= ln(2)/2, and sets scale = 2^(n + K). Requires 0 <= n + K + bias <= 2·bias, i.e.
// Sign·x >= lowest<T, K> and not much above −lowest<T, 0>, or NaN (callers clamp).
// OneLn2 (float with hardware FMA only): r = x − n·ln2 with ln 2 as one float, one FMA instead of
// Cody & Waite's two. Its error, n·(ln 2 − float(ln 2)) = n·1.9e−9, is for callers whose
// results weigh it by 2^n, i.e. expm1 on [−18, 0] (|n| <= 26): ELU's expm1 stays within 0.947
// ULP over every float (as with two constants), tanh (tanh.hpp) within 1.93.
// Without FMA, n·ln2 is rounded before the subtraction, hence the split there; in double the
// error would be ~2^−55·|n| of r, too much for double's ULP, so double keeps it too.
// reduce's third argument: whether ln 2 may be one constant (see above).
inline constexpr bool one_ln2 = true;

template <int K, int Sign = 1, bool OneLn2 = false, class T, class A>
inline xsimd::batch<T, A> reduce(const xsimd::batch<T, A>& x, xsimd::batch<T, A>& scale) noexcept {
  using B = xsimd::batch<T, A>;
  using C = exp_constants<T>;
  using I = xsimd::batch<typename C::int_type, A>;
  // round_shift rounds Sign·x·log2(e) to the integer n; bias + K rides along in the low bits.
  constexpr T magic = C::round_shift + T(C::bias + K);
  const B k = math::fma(x, B(T(Sign) * C::log2e), B(magic));
  const B n = k - B(magic);
  B r;
  if constexpr (OneLn2 && hardware_fma && std::is_same_v<T, float>) {
    r = minus_multiple<Sign>(n, B(C::ln2), x);
  } else {
    r = math::fnma(n, B(C::ln2_lo), minus_multiple<Sign>(n, B(C::ln2_hi), x));
  }
  // The low bits of k hold n + K + bias; the shift drops the 1.5·2^mant part and leaves
  // n + K + bias in the exponent field: 0 there (the lowest n allowed) builds +0.
  scale = xsimd::bitwise_cast<B>(xsimd::bitwise_cast<I>(k) << C::mantissa_bits);
  return r;
}

// 2^e as a constant expression (std::ldexp is not constexpr in C++17); exact for e in T's
// normal range.
template <class T>
constexpr T power_of_two(int e) {
  T v = T(1);
  for (; e > 0; --e) v *= T(2);
  for (; e < 0; ++e) v /= T(2);
  return v;
}

// The lowest x for which 2^(n + K) is built: there n + K = −bias and the scale is +0.
template <class T, int K>
inline constexpr T lowest = T(-(exp_constants<T>::bias + K)) / exp_constants<T>::log2e;

// 2^K·e^(Sign·x) for x clamped so that n + K + bias lies in 0 … 2·bias (or NaN).
template <int K, int Sign = 1, class T, class A>
inline xsimd::batch<T, A> exp_scaled(const xsimd::batch<T, A>& x,
                                      xsimd::kernel::requires_arch<xsimd::generic>) noexcept {
  xsimd::batch<T, A> scale;
  const xsimd::batch<T, A> r = reduce<K, Sign>(x, scale);
  return keep_nan(x, math::fnma(scale, minus_expm1_reduced(r), scale));
}

// The table kernels' reduction, Steps entries per octave: Sign·x = m·ln(2)/Steps + r with
// m = Steps·n + j and |r| <= ln(2)/(2·Steps), ln(2)/Steps split as hi + lo with m·hi exact. Sets
// k, whose low bits hold Steps·(n + K + bias) + j (the table index and the scale's exponent).
template <int Steps, int K, int Sign, class T, class A>
inline xsimd::batch<T, A> reduce_steps(const xsimd::batch<T, A>& x, T hi, T lo, xsimd::batch<T, A>& k) noexcept {
  using B = xsimd::batch<T, A>;
  using C = exp_constants<T>;
  constexpr T magic = C::round_shift + T(Steps) * T(C::bias + K);
  k = math::fma(x, B(T(Sign) * T(Steps) * C::log2e), B(magic));
  const B m = k - B(magic);  // Steps·n + j
  return math::fnma(m, B(lo), minus_multiple<Sign>(m, B(hi), x));
}

#if XSIMD_WITH_AVX2
// 2^(j/8) for j = 0 … 7, as the bits of its mantissa less j·2^20: adding the bits of k shifted
// left by 20 (k holds 8·(n + K + bias) + j in its low bits) then gives the bits of 2^(n + j/8)
// with no masking of j.
alignas(32) inline constexpr std::int32_t exp2_eighths[8] = {
    0x000000 - (0 << 20), 0x0b95c2 - (1 << 20), 0x1837f0 - (2 << 20), 0x25fed7 - (3 << 20),
    0x3504f3 - (4 << 20), 0x45672a - (5 << 20), 0x5744fd - (6 << 20), 0x6ac0c7 - (7 << 20)};

// exp2_eighths[k mod 8] per lane, one in-register permute.
template <class A>
inline xsimd::batch<std::int32_t, A> exp2_eighth_bits(const xsimd::batch<std::int32_t, A>& k,
                                                      xsimd::kernel::requires_arch<xsimd::avx2>) noexcept {
  using I = xsimd::batch<std::int32_t, A>;
  return I(_mm256_permutevar8x32_epi32(I::load_aligned(exp2_eighths), k));
}
#if XSIMD_WITH_AVX512F
// AVX-512's permute reads the low four bits of k, j and the lowest bit of n + K + bias (which
// reaches the exponent field through the shift, as on AVX2): the table in both halves.
template <class A>
inline xsimd::batch<std::int32_t, A> exp2_eighth_bits(const xsimd::batch<std::int32_t, A>& k,
                                                      xsimd::kernel::requires_arch<xsimd::avx512f>) noexcept {
  using I = xsimd::batch<std::int32_t, A>;
  const __m256i table = _mm256_load_si256(reinterpret_cast<const __m256i*>(exp2_eighths));
  return I(_mm512_permutexvar_epi32(k, _mm512_broadcast_i64x4(table)));
}
#endif

// The table kernel's reduction: returns r, Sign·x = (8n + j)·ln(2)/8 + r with |r| <= ln(2)/16,
// and sets scale = 2^(n + K + j/8). The same requirements on x as reduce's.
template <int K, int Sign, class A>
inline xsimd::batch<float, A> reduce_eighths(const xsimd::batch<float, A>& x, xsimd::batch<float, A>& scale) noexcept {
  using B = xsimd::batch<float, A>;
  using I = xsimd::batch<std::int32_t, A>;
  using C = exp_constants<float>;
  B k;
  const B r = reduce_steps<8, K, Sign>(x, C::ln2_eighth_hi, C::ln2_eighth_lo, k);
  const I bits_k = xsimd::bitwise_cast<I>(k);
  scale = xsimd::bitwise_cast<B>(exp2_eighth_bits(bits_k, A{}) + (bits_k << 20));
  return r;
}

// The table kernel's polynomial, e^r ≈ 1 + r + c2·r² + c3·r³ on |r| <= ln(2)/16.
inline constexpr float exp_eighths_c2 = 0x1.00087cp-1f;
inline constexpr float exp_eighths_c3 = 0x1.555658p-3f;

// The table kernel of the header, for the architectures with an exp2_eighth_bits.
template <int K, int Sign, class A>
inline xsimd::batch<float, A> exp_scaled_eighths(const xsimd::batch<float, A>& x) noexcept {
  using B = xsimd::batch<float, A>;
  B scale;
  const B r = reduce_eighths<K, Sign>(x, scale);
  const B p = math::fma(math::fma(B(exp_eighths_c3), r, B(exp_eighths_c2)), r * r, r);
  return math::fma(scale, p, scale);
}

template <int K, int Sign = 1, class A>
inline xsimd::batch<float, A> exp_scaled(const xsimd::batch<float, A>& x,
                                          xsimd::kernel::requires_arch<xsimd::avx2>) noexcept {
  return exp_scaled_eighths<K, Sign>(x);
}
#if XSIMD_WITH_AVX512F
template <int K, int Sign = 1, class A>
inline xsimd::batch<float, A> exp_scaled(const xsimd::batch<float, A>& x,
                                          xsimd::kernel::requires_arch<xsimd::avx512f>) noexcept {
  return exp_scaled_eighths<K, Sign>(x);
}
#endif
#endif

#if XSIMD_WITH_AVX512F
// double on AVX-512: the same idea with 16 entries (Tang's table method, as in glibc's exp):
// steps of ln(2)/16, 2^(j/16) = T_j·(1 + c_j) with T_j the nearest double and c_j its relative
// rounding error (|c_j| < 2^−53), both read with one two-register permute each (vpermt2q and
// vpermt2pd use the low four bits of k, which hold j), |r| <= ln(2)/32, and
//   e^(Sign·x) = 2^n·T_j·(1 + p),  p = c_j + r·t(r),  t(r) = 1 + d1·r + … + d5·r⁵,
// t a minimax fit (Remez) of the relative error of 1 + r·t(r) against e^r on |r| <= ln(2)/32:
// 1.2e−17 (0.05 ULP). c_j·(e^r − 1) (< 2^−58) is left out. Six multiply-adds where the
// generic kernel has eleven, for two permutes and an integer add: 0.81–0.83 of the time of
// sigmoid, σ', tanh', ELU' and the backward calls built on them, 0.87 of double tanh (Zen 4,
// same-process A/B); over 32 million x in [−745, 0] at most 0.65 ULP where the generic kernel
// reaches 1.05. Table and coefficients: scripts/fit_exp_double.py.
// T_j's mantissa bits less j·2^48: adding the bits of k shifted left by 48 (k holds
// 16·(n + K + bias) + j in its low 16 bits) gives the bits of 2^n·T_j, as exp2_eighths does.
alignas(64) inline constexpr std::int64_t exp2_sixteenths[16] = {
    0x0000000000000 - (std::int64_t(0) << 48),  0x0b5586cf9890f - (std::int64_t(1) << 48),
    0x172b83c7d517b - (std::int64_t(2) << 48),  0x2387a6e756238 - (std::int64_t(3) << 48),
    0x306fe0a31b715 - (std::int64_t(4) << 48),  0x3dea64c123422 - (std::int64_t(5) << 48),
    0x4bfdad5362a27 - (std::int64_t(6) << 48),  0x5ab07dd485429 - (std::int64_t(7) << 48),
    0x6a09e667f3bcd - (std::int64_t(8) << 48),  0x7a11473eb0187 - (std::int64_t(9) << 48),
    0x8ace5422aa0db - (std::int64_t(10) << 48), 0x9c49182a3f090 - (std::int64_t(11) << 48),
    0xae89f995ad3ad - (std::int64_t(12) << 48), 0xc199bdd85529c - (std::int64_t(13) << 48),
    0xd5818dcfba487 - (std::int64_t(14) << 48), 0xea4afa2a490da - (std::int64_t(15) << 48)};
// c_j = (2^(j/16) − T_j)/T_j, rounded to double.
alignas(64) inline constexpr double exp2_sixteenths_error[16] = {
    0x0.0p+0,               0x1.79aa65d837b6dp-54,  -0x1.01b15eaa59348p-55, 0x1.68efde3a8a894p-54,
    0x1.34d754db0abb6p-55,  0x1.59f48a72a4c6dp-55,  0x1.690cebb7aafb0p-56,  0x1.063e1e21c5409p-54,
    -0x1.3b3efbf5e2228p-54, -0x1.b32dcb94da51dp-56, 0x1.db72fc1f0eab4p-55,  0x1.1affc2b91ce27p-56,
    0x1.c1a7792cb3387p-55,  0x1.36eae30af0cb3p-56,  0x1.4a385a63d07a7p-56,  -0x1.ff7128fd391f0p-55};

// d5 … d1 of t(r) above, highest first.
inline constexpr double exp_sixteenths_poly[5] = {0x1.6c14c6e8b721bp-10, 0x1.11123aae4f5d6p-7,
                                                  0x1.55555558fca8cp-5, 0x1.555555548f893p-3,
                                                  0x1.fffffffffffb9p-2};

template <int K, int Sign = 1, class A>
inline xsimd::batch<double, A> exp_scaled(const xsimd::batch<double, A>& x,
                                           xsimd::kernel::requires_arch<xsimd::avx512f>) noexcept {
  using B = xsimd::batch<double, A>;
  using C = exp_constants<double>;
  // m = 16n + j, |m| < 2^15 for every x the callers allow, so m·ln2_hi/16 (15 significant bits
  // in ln2_hi) is exact as in reduce.
  B k;
  const B r = reduce_steps<16, K, Sign>(x, C::ln2_hi / 16, C::ln2_lo / 16, k);
  const __m512i bits_k = _mm512_castpd_si512(k);
  const __m512i table = _mm512_permutex2var_epi64(_mm512_load_si512(exp2_sixteenths), bits_k,
                                                  _mm512_load_si512(exp2_sixteenths + 8));
  const B scale = B(_mm512_castsi512_pd(_mm512_add_epi64(table, _mm512_slli_epi64(bits_k, 48))));
  const B c = B(_mm512_permutex2var_pd(_mm512_load_pd(exp2_sixteenths_error), bits_k,
                                       _mm512_load_pd(exp2_sixteenths_error + 8)));
  constexpr const double* d = exp_sixteenths_poly;
  B t = math::fma(B(d[0]), r, B(d[1]));
  t = math::fma(t, r, B(d[2]));
  t = math::fma(t, r, B(d[3]));
  t = math::fma(t, r, B(d[4]));
  t = math::fma(t, r, B(1.0));
  return math::fma(scale, math::fma(t, r, c), scale);
}
#endif

}  // namespace detail

/// 2^K·e^x for x <= 0, with K a non-negative integer up to T's exponent bias less one (then
/// 2^K·e^0 is still finite, and 2^−K normal): K > 0 keeps results whose 2^K-multiple is a
/// normal number (e.g. tanh' = 4e^(−2|x|), or exp_nonpositive_gradual's) from being flushed.
/// Results below 2^K times the smallest normal may be +0. NaN propagates.
template <int K = 0, class T, class A>
inline xsimd::batch<T, A> exp_nonpositive(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  return detail::exp_scaled<K>(xsimd::max(B(detail::lowest<T, K>), x), A{});
}

namespace detail {

// exp_nonpositive_gradual's two kernels (below), for callers that choose one per call.
template <class T>
inline constexpr T gradual_huge_above = power_of_two<T>(62);

template <class T, class A>
inline xsimd::batch<T, A> gradual_moderate(const xsimd::batch<T, A>& x, T factor) noexcept {
  using B = xsimd::batch<T, A>;
  constexpr T minus_64 = power_of_two<T>(-64);
  const bool above_one = factor > T(1);
  return B(above_one ? factor * minus_64 : factor) * exp_nonpositive<64>(x) * B(above_one ? T(1) : minus_64);
}

template <class T, class A>
inline xsimd::batch<T, A> gradual_huge(const xsimd::batch<T, A>& x, T factor) noexcept {
  using B = xsimd::batch<T, A>;
  constexpr int K = exp_constants<T>::bias - 1;
  // e^−64, correctly rounded (long double expl: 0xc.b4ea3990f265d6p−96).
  constexpr T e_minus_64 = std::is_same_v<T, float> ? T(0x1.969d48p-93) : T(0x1.969d47321e4ccp-93);
  const auto far = x < B(std::is_same_v<T, float> ? T(-128) : T(-1024));
  const B e = exp_nonpositive<K>(xsimd::select(far, x + B(T(64)), x));
  return B(factor * power_of_two<T>(-K)) * e * xsimd::select(far, B(e_minus_64), B(T(1)));
}

}  // namespace detail

/// factor·e^x for x <= 0 and a finite factor > 0 (ELU's alpha·e^x; default 1), rounded once as
/// a normal number wherever it is one, and gradually below (down to the subnormal range)
/// instead of flushed: E = 2^K·e^x, exact in its exponent while normal, times factor·2^−K when
/// factor > 1 (exact), else times factor and then 2^−K. Every constant is a normal number (a
/// subnormal one would be 0 under DAZ).
///   factor <= 2^62: K = 64. E is normal down to x = −(bias − 1 + 64)·ln 2 (−131.4 float,
///     −752.7 double), below which factor·e^x is not normal either; factor·2^−64 >= 2^−64 and
///     factor·e^x·2^64 <= 2^126 cannot overflow.
///   factor > 2^62 (ELU alphas from 4.6e18 to the largest): factor·e^x is normal further down,
///     to x = −176.05 for float's largest factor (−1418.0 double), so K = bias − 1 (126 float,
///     1022 double: the largest K whose 2^−K is still a normal number): E is normal down to
///     −174.7 (−1416.8), and below x = −128 (float; −1024 double) e^x is taken as
///     e^(x + 64)·e^−64 (x + 64 exact there), one rounding more. factor·2^−K > 2^−64 is exact.
/// Measured (float: every x in [−177, −20]; double: steps of 0.001 in [−1420, −20]), factors from
/// 1 to the largest: at most 3.45 ULP (float, at alpha = 8.5e37) and 2.66 ULP (double) where
/// factor·e^x is normal. The branch is on the factor, the same for every batch of a call; loops
/// take one kernel per call (detail::gradual_moderate, gradual_huge: ELU's fixed_derivative_form).
/// (Before 2026-12-06 every factor took K = 64, and factor·e^x was flushed to 0 where e^x < 2^−190
/// though normal for factors above 2^64: ELU's derivative at x = −135.2 with alpha = 7e33 was 0
/// against 1.3e−25; found by the fuzzer.)
template <class T, class A>
inline xsimd::batch<T, A> exp_nonpositive_gradual(const xsimd::batch<T, A>& x, T factor = T(1)) noexcept {
  // A NaN factor takes the first: NaN either way.
  return factor > detail::gradual_huge_above<T> ? detail::gradual_huge(x, factor) : detail::gradual_moderate(x, factor);
}

/// e^x − 1 for x <= 0, without cancellation near 0; keeps the sign of zero. NaN propagates.
template <class T, class A>
inline xsimd::batch<T, A> expm1_nonpositive(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  using C = detail::exp_constants<T>;
  B scale;
  const B r = detail::reduce<0, 1, detail::one_ln2>(xsimd::max(B(C::expm1_floor), x), scale);
  // 2^n·expm1(r) + (2^n − 1) as −(2^n·(−expm1(r))) − (1 − 2^n): the same rounding, and ±0
  // in, ±0 out (see minus_expm1_reduced).
  return detail::keep_nan(x, math::fnms(scale, detail::minus_expm1_reduced(r), B(T(1)) - scale));
}

}  // namespace activ::math

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_MATH_EXP_HPP
