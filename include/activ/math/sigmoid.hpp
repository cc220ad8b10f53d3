// activ — the logistic sigmoid and its derivative on xsimd batches.
//
//   σ(x)  = 4 / (4 + 4E),  E = e^−x with x clamped to ±88 (float) / ±709 (double)
//   σ'(x) = e / (1 + e)²,  e = e^−|x| in (0, 1]  (= σ(1 − σ), without its cancellation in the
//                                                tails, and no (1 + E)² overflow)
// σ needs no select between two formulas: for x < 0, 1/(1 + E) with E >= 1 is as accurate as
// e/(1 + e) (the relative error of E reaches σ damped by E/(1 + E) < 1), and one operation
// cheaper. 4 + 4E is 4·(1 + E) rounded once (an FMA; scaling by 4 is exact), so the quotient
// is that of 1/(1 + E), except that 4 + 4E overflows to inf where σ < 1.2e−38 (x < −87.34,
// float): σ is then exactly 0, as SPEC §4 asks of σ(−inf) and σ(−1e30), and within the
// smallest normal of the true value as §5 asks below the normal range. Saturation above is
// exact too: for x > 17.3 (float) E < 2^−25 and the quotient rounds to 1, never above.
// E = e^−x folds the negation into the reduction (activ/math/exp.hpp, Sign = −1).
// Max error (exhaustive, float): 2.78 ULP (σ), see docs/accuracy.md; bars: 3 ULP (σ),
// 4 ULP (σ').
// NaN in, NaN out; σ(+inf) = 1, σ(−inf) = 0, σ'(±inf) = 0.
#ifndef ACTIV_MATH_SIGMOID_HPP
#define ACTIV_MATH_SIGMOID_HPP

#include "activ/config.hpp"
#include "activ/math/exp.hpp"
#include "activ/math/fma.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::math {
namespace detail {

// 4 + 4E, E = e^−x, for |x| <= bound (or NaN).
template <class T, class A>
inline xsimd::batch<T, A> sigmoid_denominator(const xsimd::batch<T, A>& x,
                                              xsimd::kernel::requires_arch<xsimd::generic>) noexcept {
  using B = xsimd::batch<T, A>;
  return math::fma(exp_scaled<0, -1>(x, A{}), B(T(4)), B(T(4)));
}

#if XSIMD_WITH_AVX2
// With the table exp (exp.hpp), E = 2^(n + j/8)·(1 + r + c2·r² + c3·r³), and 4 + 4E is
// fma(2^(n + j/8), q, 4) with q = 4 + 4r + 4c2·r² + 4c3·r³ by Horner's rule: the polynomial's
// 1 + … joins the Horner chain instead of a multiply-add of its own after it (one vector
// operation fewer, 0.94-0.95 of the time on the AVX-512 Xeon, same-process A/B). Still two
// roundings before the division (q and the sum, where they were E and the sum); the factor
// 4 is exact. Exhaustively 2.78 ULP (was 2.87).
template <class A>
inline xsimd::batch<float, A> sigmoid_denominator_eighths(const xsimd::batch<float, A>& x) noexcept {
  using B = xsimd::batch<float, A>;
  B scale;
  const B r = reduce_eighths<0, -1>(x, scale);
  B q = math::fma(B(4.0f * exp_eighths_c3), r, B(4.0f * exp_eighths_c2));
  q = math::fma(math::fma(q, r, B(4.0f)), r, B(4.0f));
  return math::fma(scale, q, B(4.0f));
}

template <class A>
inline xsimd::batch<float, A> sigmoid_denominator(const xsimd::batch<float, A>& x,
                                                  xsimd::kernel::requires_arch<xsimd::avx2>) noexcept {
  return sigmoid_denominator_eighths(x);
}
#if XSIMD_WITH_AVX512F
template <class A>
inline xsimd::batch<float, A> sigmoid_denominator(const xsimd::batch<float, A>& x,
                                                  xsimd::kernel::requires_arch<xsimd::avx512f>) noexcept {
  return sigmoid_denominator_eighths(x);
}
#endif
#endif

}  // namespace detail

template <class T, class A>
inline xsimd::batch<T, A> sigmoid(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  constexpr T bound = detail::exp_constants<T>::bound;
  return B(T(4)) / detail::sigmoid_denominator(xsimd::min(B(bound), xsimd::max(B(-bound), x)), A{});
}

template <class T, class A>
inline xsimd::batch<T, A> sigmoid_derivative(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  const B e = exp_nonpositive(-xsimd::abs(x));
  // (1 + e)² as 1 + e(e + 2): avoids squaring the rounding error of 1 + e.
  return e / math::fma(e, e + B(T(2)), B(T(1)));
}

}  // namespace activ::math

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_MATH_SIGMOID_HPP
