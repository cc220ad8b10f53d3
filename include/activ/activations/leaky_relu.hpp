// activ — Leaky ReLU.
//
//   f(x)  = x > 0 ? x : alpha·x
//   f'(x) = x > 0 ? 1 : alpha       (at the kink f'(0) = alpha, as PyTorch)
// Maas, Hannun & Ng, "Rectifier Nonlinearities Improve Neural Network Acoustic Models",
// ICML 2013. Default alpha = 0.01 as PyTorch (Keras' LeakyReLU defaults to 0.3).
// Max error: exact (one rounding of alpha·x, the correctly rounded product).
// NaN in, NaN out; f(+inf) = +inf, f(−inf) = −inf for alpha > 0 (alpha = 0 gives NaN there,
// the IEEE product 0·inf); f'(±inf) = 1, alpha.
#ifndef ACTIV_ACTIVATIONS_LEAKY_RELU_HPP
#define ACTIV_ACTIVATIONS_LEAKY_RELU_HPP

#include "activ/config.hpp"
#include "activ/detail/lift.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ {

template <class T = float>
struct LeakyReLU {
  using value_type = T;

  T alpha = T(0.01);  ///< slope for x <= 0

  template <class V>
  V operator()(const V& x) const noexcept {
    return detail::lift<T>(x, [a = alpha](const auto& b) { return detail::leaky(b, a); });
  }

  template <class V>
  V derivative(const V& x) const noexcept {
    return detail::lift<T>(x, [a = alpha](const auto& b) {
      using B = std::decay_t<decltype(b)>;
      return detail::step(b, B(a));
    });
  }

  /// From y = f(x); valid for alpha >= 0, where y has the sign of x.
  template <class V>
  V derivative_from_output(const V& y) const noexcept {
    return derivative(y);
  }

  static_assert(detail::is_real_v<T>, "activ::LeakyReLU<T> takes T = float or T = double.");
};

namespace detail {

// LeakyReLU's forward with its formula fixed for one kind of slope: what the loops run (see
// fixed_form; only forward_op uses it, so it has only the forward call), the same values as
// LeakyReLU<T>{alpha} bit for bit.
template <class T, leaky_form Form>
struct leaky_relu_fixed {
  using value_type = T;
  T alpha;

  template <class V>
  V operator()(const V& x) const noexcept {
    return lift<T>(x, [a = alpha](const auto& b) { return leaky_fixed<Form>(b, a); });
  }
};

template <class T>
struct fixed_form<LeakyReLU<T>> {
  template <class Fn>
  static void visit(const LeakyReLU<T>& f, Fn&& fn) {
    with_leaky_form(f.alpha, [&](auto form) { fn(leaky_relu_fixed<T, decltype(form)::value>{f.alpha}); });
  }
};

}  // namespace detail
}  // namespace activ

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_ACTIVATIONS_LEAKY_RELU_HPP
