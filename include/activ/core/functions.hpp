// activ — forward, derivative, backward, backward_from_output and apply on Eigen containers.
//
// x, y, d, dy, dx are Eigen dense objects (Matrix, Array, Map, Ref, Block, expressions as
// inputs) or Eigen tensors (Tensor, TensorMap, TensorFixedSize, expressions as inputs), all of
// one family per call. Outputs are pre-sized by the caller and may be temporary writable
// views (y.col(0), a TensorMap); y may alias x. Shapes are checked before anything is
// written: a mismatch throws std::invalid_argument naming the call and both shapes.
#ifndef ACTIV_CORE_FUNCTIONS_HPP
#define ACTIV_CORE_FUNCTIONS_HPP

#include <type_traits>
#include <utility>

#include "activ/config.hpp"
#include "activ/core/dense.hpp"
#include "activ/core/ops.hpp"
#include "activ/core/raw.hpp"
#include "activ/core/tensor.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ {
namespace detail {

template <class... X>
inline constexpr bool all_dense_v = (is_dense_v<X> && ...);
template <class... X>
inline constexpr bool all_tensor_v = (is_tensor_v<X> && ...);

template <class F, class... X>
using if_containers_t =
    std::enable_if_t<is_elementwise_v<F> && (all_dense_v<X...> || all_tensor_v<X...>)>;

template <class F, class Op, class Out, class... In>
inline void apply_to(const char* fn, const std::array<const char*, 1 + sizeof...(In)>& names, Op op,
                     Out&& out, const In&... in) {
  using T = typename F::value_type;
  if constexpr (all_dense_v<Out, In...>) {
    dense_apply<T>(fn, names, op, std::forward<Out>(out), in...);
  } else {
    tensor_apply<T>(fn, names, op, std::forward<Out>(out), in...);
  }
}

}  // namespace detail

/// y ← f(x), elementwise.
template <class F, class X, class Y, class = detail::if_containers_t<F, X, Y>>
inline void forward(const F& f, const X& x, Y&& y) {
  detail::apply_to<F>("forward", {"y", "x"}, detail::forward_op<F>{f}, std::forward<Y>(y), x);
}

/// d ← f'(x), elementwise.
template <class F, class X, class D, class = detail::if_containers_t<F, X, D>>
inline void derivative(const F& f, const X& x, D&& d) {
  detail::apply_to<F>("derivative", {"d", "x"}, detail::derivative_op<F>{f}, std::forward<D>(d), x);
}

/// dx ← dy ⊙ f'(x).
template <class F, class X, class DY, class DX, class = detail::if_containers_t<F, X, DY, DX>>
inline void backward(const F& f, const X& x, const DY& dy, DX&& dx) {
  detail::apply_to<F>("backward", {"dx", "x", "dy"}, detail::backward_op<F>{f}, std::forward<DX>(dx),
                      x, dy);
}

/// dx ← dy ⊙ f'(x), with f' computed from y = f(x).
template <class F, class Y, class DY, class DX, class = detail::if_containers_t<F, Y, DY, DX>>
inline void backward_from_output(const F& f, const Y& y, const DY& dy, DX&& dx) {
  detail::apply_to<F>("backward_from_output", {"dx", "y", "dy"},
                      detail::backward_from_output_op<F>{f}, std::forward<DX>(dx), y, dy);
}

/// A new plain object of x's kind (Matrix, Array, or Tensor of x's rank and layout) holding f(x).
template <class F, class X, class = detail::if_containers_t<F, X>>
inline auto apply(const F& f, const X& x) {
  if constexpr (detail::is_dense_v<X>) {
    typename X::PlainObject y(x.rows(), x.cols());
    forward(f, x, y);
    return y;
  } else {
    Eigen::Tensor<typename F::value_type, detail::tensor_rank_v<X>, detail::tensor_layout_v<X>> y(
        detail::tensor_dims(x));
    forward(f, x, y);
    return y;
  }
}

}  // namespace activ

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_CORE_FUNCTIONS_HPP
