// activ — the hyperbolic tangent.
//
//   f(x)  = tanh(x)
//   f'(x) = 1 − tanh²(x), computed as 4e/(1 + e)² with e = e^−2|x| (no cancellation:
//           tanh'(9) is 6.1e−8, not 0)
//   from the output: 1 − y²
// LeCun, Bottou, Orr & Müller, "Efficient BackProp", 1998 (tanh as the default squashing
// function). Smooth: f(0) = 0 (sign of zero kept), f'(0) = 1. Algorithm: activ/math/tanh.hpp.
// Max error: 2 ULP (float and double); f' 4 ULP.
// NaN in, NaN out; f(±inf) = ±1, saturating exactly; f'(±inf) = 0.
#ifndef ACTIV_ACTIVATIONS_TANH_HPP
#define ACTIV_ACTIVATIONS_TANH_HPP

#include "activ/config.hpp"
#include "activ/detail/lift.hpp"
#include "activ/math/exp.hpp"  // hardware_fma
#include "activ/math/fma.hpp"
#include "activ/math/tanh.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ {

template <class T = float>
struct Tanh {
  using value_type = T;

  template <class V>
  V operator()(const V& x) const noexcept {
    return detail::lift<T>(x, [](const auto& b) { return math::tanh(b); });
  }

  template <class V>
  V derivative(const V& x) const noexcept {
    return detail::lift<T>(x, [](const auto& b) { return math::tanh_derivative(b); });
  }

  /// From y = f(x): 1 − y². With hardware FMA one fused −y·y + 1, correctly rounded (0.5 ULP).
  /// Without it, (1 − |y|)(1 + |y|) for |y| >= 1/2, where 1 − |y| is exact (Sterbenz), and
  /// 1 − y·y below, where y² is small: within 2 ULP.
  template <class V>
  V derivative_from_output(const V& y) const noexcept {
    return detail::lift<T>(y, [](const auto& b) {
      using B = std::decay_t<decltype(b)>;
      const B one(T(1));
      if constexpr (math::detail::hardware_fma) {
        return math::fnma(b, b, one);
      } else {
        const B a = xsimd::abs(b);
        return xsimd::select(a < B(T(0.5)), one - b * b, (one - a) * (one + a));
      }
    });
  }

  static_assert(detail::is_real_v<T>, "activ::Tanh<T> takes T = float or T = double.");
};

}  // namespace activ

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_ACTIVATIONS_TANH_HPP
