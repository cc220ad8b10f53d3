// activ — what the container functions compute per element, as batch formulas.
//
// Each op is a small function object handed to detail::transform. Derivatives multiply by dy
// here, in one place, so that backward and backward_from_output have a single definition
// for every elementwise functor. An op holds a copy of the functor: through a reference, its
// parameters (ELU's alpha) are floats that any store to the output might change, and the loop
// read and broadcast them again after every store.
#ifndef ACTIV_CORE_OPS_HPP
#define ACTIV_CORE_OPS_HPP

#include <type_traits>
#include <utility>

#include "activ/config.hpp"
#include "activ/detail/lift.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ {
namespace detail {

template <class F, class = void>
struct is_elementwise : std::false_type {};
template <class F>
struct is_elementwise<F, std::void_t<typename F::value_type,
                                     decltype(std::declval<const F&>().derivative_from_output(
                                         std::declval<typename F::value_type>()))>>
    : std::true_type {};

template <class F>
struct forward_op {
  F f;
  template <class B>
  B operator()(const B& x) const noexcept { return f(x); }
};

template <class F>
struct derivative_op {
  F f;
  template <class B>
  B operator()(const B& x) const noexcept { return f.derivative(x); }
};

template <class F>
struct backward_op {
  F f;
  template <class B>
  B operator()(const B& x, const B& dy) const noexcept { return dy * f.derivative(x); }
};

template <class F>
struct backward_from_output_op {
  F f;
  template <class B>
  B operator()(const B& y, const B& dy) const noexcept { return dy * f.derivative_from_output(y); }
};

// fn(op), or fn(the same op over the functor with its formula fixed for its parameters) when
// the functor has a fixed_form (detail/lift.hpp); transform_run runs its loop on what it gets.
// The forward through fixed_form; the derivative and backward through fixed_derivative_form,
// which only ELU specialises (LeakyReLU's derivative has no branch on its slope, and three
// copies of each derivative loop would only cost code).
template <class F, class Fn>
inline void visit_fixed(const forward_op<F>& op, Fn&& fn) {
  fixed_form<F>::visit(op.f, [&fn](const auto& g) { fn(forward_op<std::decay_t<decltype(g)>>{g}); });
}
template <class F, class Fn>
inline void visit_fixed(const derivative_op<F>& op, Fn&& fn) {
  fixed_derivative_form<F>::visit(op.f, [&fn](const auto& g) { fn(derivative_op<std::decay_t<decltype(g)>>{g}); });
}
template <class F, class Fn>
inline void visit_fixed(const backward_op<F>& op, Fn&& fn) {
  fixed_derivative_form<F>::visit(op.f, [&fn](const auto& g) { fn(backward_op<std::decay_t<decltype(g)>>{g}); });
}

}  // namespace detail

/// True for the elementwise functors (ReLU, LeakyReLU, ELU, Sigmoid, Tanh and user functors of
/// the same shape: value_type, operator(), derivative, derivative_from_output over batches).
template <class F>
inline constexpr bool is_elementwise_v = detail::is_elementwise<F>::value;

}  // namespace activ

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_CORE_OPS_HPP
