// activ — the logistic sigmoid and its derivative on xsimd batches.
//
// With e = exp(−|x|) in (0, 1] (no overflow for any x, as in XNNPACK's sigmoid kernels):
//   σ(x)  = 1 / (1 + e)      for x >= 0
//         = e / (1 + e)      for x <  0     (σ(x) = 1 − σ(−x), without the subtraction)
//   σ'(x) = e / (1 + e)²                    (= σ(1 − σ), without its cancellation in the tails)
// Saturation is exact: for x > 17.3 (float) e < 2^−25 and 1/(1 + e) rounds to 1, never above;
// for x < −87.6 (float) e is flushed to 0, where σ(x) is below the smallest normal anyway.
// Max error (exhaustive, float): see docs/accuracy.md; bars: 3 ULP (σ), 4 ULP (σ').
// NaN in, NaN out; σ(+inf) = 1, σ(−inf) = 0, σ'(±inf) = 0.
#ifndef ACTIV_MATH_SIGMOID_HPP
#define ACTIV_MATH_SIGMOID_HPP

#include "activ/math/exp.hpp"

namespace activ::math {

template <class T, class A>
inline xsimd::batch<T, A> sigmoid(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  const B e = exp_nonpositive(-xsimd::abs(x));
  const B t = B(T(1)) + e;
  return xsimd::select(x < B(T(0)), e, B(T(1))) / t;
}

template <class T, class A>
inline xsimd::batch<T, A> sigmoid_derivative(const xsimd::batch<T, A>& x) noexcept {
  using B = xsimd::batch<T, A>;
  const B e = exp_nonpositive(-xsimd::abs(x));
  // (1 + e)² as 1 + e(e + 2): avoids squaring the rounding error of 1 + e.
  return e / xsimd::fma(e, e + B(T(2)), B(T(1)));
}

}  // namespace activ::math

#endif  // ACTIV_MATH_SIGMOID_HPP
