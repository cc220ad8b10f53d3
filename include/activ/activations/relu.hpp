// activ — ReLU, the rectified linear unit.
//
//   f(x)  = x > 0 ? x : 0
//   f'(x) = x > 0 ? 1 : 0          (at the kink f'(0) = 0, as PyTorch)
// Nair & Hinton, "Rectified Linear Units Improve Restricted Boltzmann Machines", ICML 2010;
// Glorot, Bordes & Bengio, "Deep Sparse Rectifier Neural Networks", AISTATS 2011.
// Max error: exact (float and double).
// NaN in, NaN out (forward and both derivatives); f(+inf) = +inf, f(−inf) = 0;
// f'(+inf) = 1, f'(−inf) = 0. f(−0) may be +0.
#ifndef ACTIV_ACTIVATIONS_RELU_HPP
#define ACTIV_ACTIVATIONS_RELU_HPP

#include "activ/config.hpp"
#include "activ/detail/lift.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ {

template <class T = float>
struct ReLU {
  using value_type = T;

  template <class V>
  V operator()(const V& x) const noexcept {
    return detail::lift<T>(x, [](const auto& b) {
      using B = std::decay_t<decltype(b)>;
      // max(0, x) in this operand order: x86's maxps/maxpd return the second operand when
      // either is NaN, and ARM's vmax returns NaN, so NaN passes through in one instruction
      // (a compare and a blend cost three here, GCC turning the blend into a mask test).
      return xsimd::max(B(T(0)), b);
    });
  }

  template <class V>
  V derivative(const V& x) const noexcept {
    return detail::lift<T>(x, [](const auto& b) {
      using B = std::decay_t<decltype(b)>;
      return detail::step(b, B(T(0)));
    });
  }

  /// From y = f(x): y > 0 exactly where x > 0.
  template <class V>
  V derivative_from_output(const V& y) const noexcept {
    return derivative(y);
  }

  static_assert(detail::is_real_v<T>, "activ::ReLU<T> takes T = float or T = double.");
};

}  // namespace activ

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_ACTIVATIONS_RELU_HPP
