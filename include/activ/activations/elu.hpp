// activ — ELU, the exponential linear unit.
//
//   f(x)  = x > 0 ? x : alpha·(e^x − 1)
//   f'(x) = x > 0 ? 1 : alpha·e^x        (at the kink f'(0) = alpha)
//   from the output: y > 0 ? 1 : y + alpha  (alpha >= 0)
// Clevert, Unterthiner & Hochreiter, "Fast and Accurate Deep Network Learning by Exponential
// Linear Units (ELUs)", ICLR 2016. e^x − 1 is a real expm1 (activ/math/exp.hpp): the naive
// exp(x) − 1 loses every digit near 0.
// Max error: 2 ULP (alpha = 1), 3 ULP (other alpha > 0), float and double; f' 4 ULP.
// NaN in, NaN out; f(−inf) = −alpha, no overflow for any finite x; f(−0) = −0;
// f'(+inf) = 1, f'(−inf) = 0.
#ifndef ACTIV_ACTIVATIONS_ELU_HPP
#define ACTIV_ACTIVATIONS_ELU_HPP

#include "activ/config.hpp"
#include "activ/detail/lift.hpp"
#include "activ/math/exp.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ {
namespace detail {

// x > 0 ? x : alpha·expm1(x) over a batch. Unit: alpha = 1, the multiply left out: 1·v = v bit
// for bit (−0 and NaN too), so both give the same values for alpha = 1.
template <bool Unit, class B>
inline B elu_forward(const B& x, typename B::value_type alpha) noexcept {
  using T = typename B::value_type;
  B neg = math::expm1_nonpositive(min_zero(x));
  if constexpr (!Unit) neg = B(alpha) * neg;
  return xsimd::select(x > B(T(0)), x, neg);
}

// x > 0 ? 1 : alpha·e^x from that lane's alpha·e^(min(x, 0)) (NaN x: the NaN of the latter).
template <class B>
inline B elu_derivative(const B& x, const B& alpha_exp) noexcept {
  using T = typename B::value_type;
  return xsimd::select(x > B(T(0)), B(T(1)), alpha_exp);
}

}  // namespace detail

template <class T = float>
struct ELU {
  using value_type = T;

  T alpha = T(1);  ///< the negative saturation value is −alpha

  template <class V>
  V operator()(const V& x) const noexcept {
    return detail::lift<T>(x, [a = alpha](const auto& b) { return detail::elu_forward<false>(b, a); });
  }

  template <class V>
  V derivative(const V& x) const noexcept {
    return detail::lift<T>(x, [a = alpha](const auto& b) {
      // alpha·e^x is normal down to x = ln(smallest normal / alpha), below e^x's own normal
      // range when alpha > 1 (to x = −176 for float's largest alpha): the gradual kernel keeps
      // those digits. It branches on alpha; loops take the branch once (fixed_derivative_form).
      return detail::elu_derivative(b, math::exp_nonpositive_gradual(detail::min_zero(b), a));
    });
  }

  /// From y = f(x); valid for alpha >= 0, where y > 0 exactly when x > 0.
  template <class V>
  V derivative_from_output(const V& y) const noexcept {
    return detail::lift<T>(y, [a = alpha](const auto& b) {
      using B = std::decay_t<decltype(b)>;
      return xsimd::select(b > B(T(0)), B(T(1)), b + B(a));
    });
  }

  static_assert(detail::is_real_v<T>, "activ::ELU<T> takes T = float or T = double.");
};

namespace detail {

// ELU's forward for alpha = 1 (the default, and PyTorch's), what the loops run for such a
// functor (fixed_form, detail/lift.hpp): one multiply fewer per batch than a run-time alpha,
// and what ELU{} had from constant folding before the loop went out of line (core/loop.hpp's
// transform_run).
template <class T>
struct elu_unit {
  using value_type = T;

  template <class V>
  V operator()(const V& x) const noexcept {
    return lift<T>(x, [](const auto& b) { return elu_forward<true>(b, T(1)); });
  }
};

template <class T>
struct fixed_form<ELU<T>> {
  template <class Fn>
  static void visit(const ELU<T>& f, Fn&& fn) {
    if (f.alpha == T(1)) {
      fn(elu_unit<T>{});
    } else {
      fn(f);
    }
  }
};

// ELU's derivative with exp_nonpositive_gradual's kernel chosen for alpha once per loop
// (fixed_derivative_form): the same values as ELU<T>::derivative.
template <class T, bool Huge>
struct elu_derivative_fixed {
  using value_type = T;
  T alpha;

  template <class V>
  V derivative(const V& x) const noexcept {
    return lift<T>(x, [a = alpha](const auto& b) {
      const auto e = Huge ? math::detail::gradual_huge(min_zero(b), a) : math::detail::gradual_moderate(min_zero(b), a);
      return elu_derivative(b, e);
    });
  }
};

template <class T>
struct fixed_derivative_form<ELU<T>> {
  template <class Fn>
  static void visit(const ELU<T>& f, Fn&& fn) {
    if (f.alpha > math::detail::gradual_huge_above<T>) {
      fn(elu_derivative_fixed<T, true>{f.alpha});
    } else {
      fn(elu_derivative_fixed<T, false>{f.alpha});
    }
  }
};

}  // namespace detail

}  // namespace activ

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_ACTIVATIONS_ELU_HPP
