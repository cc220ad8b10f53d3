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
// Max error (exhaustive, float): 2.87 ULP (σ), see docs/accuracy.md; bars: 3 ULP (σ),
// 4 ULP (σ').
// NaN in, NaN out; σ(+inf) = 1, σ(−inf) = 0, σ'(±inf) = 0.
#ifndef ACTIV_MATH_SIGMOID_HPP
#define ACTIV_MATH_SIGMOID_HPP

#include "activ/config.hpp"
#include "activ/math/exp.hpp"
#include "activ/math/fma.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::math {

template <class T, class A>
inline xsimd::batch<T, A> sigmoid(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  constexpr T bound = detail::exp_constants<T>::bound;
  const B e = detail::exp_scaled<0, -1>(xsimd::min(B(bound), xsimd::max(B(-bound), x)), A{});
  return B(T(4)) / math::fma(e, B(T(4)), B(T(4)));
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
