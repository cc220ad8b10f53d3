// activ — the Eigen tensor adaptor: Tensor, TensorMap, TensorFixedSize and tensor expressions
// → one run of contiguous memory for detail::transform.
//
// Plain tensors are contiguous, so when the output and the inputs are plain and share a
// layout the whole call is one run. An input that is an expression, has the other layout
// (read through swap_layout + a reversing shuffle, so logical indices still match) or
// overlaps the output without being it is evaluated into a temporary first. An output that is
// not plain (a writable expression such as a slice) is computed into a temporary and assigned.
#ifndef ACTIV_CORE_TENSOR_HPP
#define ACTIV_CORE_TENSOR_HPP

#include <algorithm>
#include <array>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <unsupported/Eigen/CXX11/Tensor>
#include <utility>

#include "activ/config.hpp"
#include "activ/core/loop.hpp"
#include "activ/core/shape.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::detail {

template <class X>
using tensor_plain_t = std::remove_cv_t<std::remove_reference_t<X>>;

template <class X>
inline constexpr bool is_tensor_v =
    std::is_base_of_v<Eigen::TensorBase<tensor_plain_t<X>, Eigen::ReadOnlyAccessors>, tensor_plain_t<X>>;

template <class X>
struct is_plain_tensor : std::false_type {};
template <class S, int R, int O, class I>
struct is_plain_tensor<Eigen::Tensor<S, R, O, I>> : std::true_type {};
template <class S, class D, int O, class I>
struct is_plain_tensor<Eigen::TensorFixedSize<S, D, O, I>> : std::true_type {};
template <class P, int O, template <class> class M>
struct is_plain_tensor<Eigen::TensorMap<P, O, M>> : std::true_type {};
template <class X>
inline constexpr bool is_plain_tensor_v = is_plain_tensor<tensor_plain_t<X>>::value;

// A Tensor or TensorFixedSize (not a TensorMap): it owns its contiguous memory, so two of them
// either are the same object or do not overlap at all.
template <class X>
struct is_owning_tensor : std::false_type {};
template <class S, int R, int O, class I>
struct is_owning_tensor<Eigen::Tensor<S, R, O, I>> : std::true_type {};
template <class S, class D, int O, class I>
struct is_owning_tensor<Eigen::TensorFixedSize<S, D, O, I>> : std::true_type {};
template <class X>
inline constexpr bool is_owning_tensor_v = is_owning_tensor<tensor_plain_t<X>>::value;

template <class X>
using tensor_traits = Eigen::internal::traits<tensor_plain_t<X>>;
template <class X>
inline constexpr int tensor_rank_v = tensor_traits<X>::NumDimensions;
template <class X>
inline constexpr int tensor_layout_v = tensor_traits<X>::Layout;
template <class X>
using tensor_scalar_t = std::remove_const_t<typename tensor_traits<X>::Scalar>;

template <int R>
using dims_t = std::array<Eigen::Index, static_cast<std::size_t>(R)>;

// The dimensions of any tensor expression, read off its evaluator (array_get works for the
// DSizes of dynamic tensors and the Sizes of fixed-size ones alike).
template <class X, std::size_t... I>
inline dims_t<tensor_rank_v<X>> tensor_dims(const X& x, std::index_sequence<I...>) {
  const Eigen::DefaultDevice device;
  Eigen::TensorEvaluator<const tensor_plain_t<X>, Eigen::DefaultDevice> ev(x, device);
  return {{static_cast<Eigen::Index>(Eigen::internal::array_get<I>(ev.dimensions()))...}};
}

template <class X>
inline dims_t<tensor_rank_v<X>> tensor_dims(const X& x) {
  return tensor_dims(x, std::make_index_sequence<static_cast<std::size_t>(tensor_rank_v<X>)>{});
}

// x as a plain tensor of layout L: logical element (i0, …) stays (i0, …).
template <int L, class T, class X>
inline Eigen::Tensor<T, tensor_rank_v<X>, L> evaluate_as(const X& x) {
  constexpr int R = tensor_rank_v<X>;
  if constexpr (tensor_layout_v<X> == L) {
    return x;
  } else {
    dims_t<R> reverse{};
    for (std::size_t k = 0; k < reverse.size(); ++k) reverse[k] = R - 1 - static_cast<Eigen::Index>(k);
    return x.swap_layout().shuffle(reverse);
  }
}

template <class T>
inline bool ranges_overlap(const T* a, const T* b, Eigen::Index n) {
  const auto pa = reinterpret_cast<std::uintptr_t>(a), pb = reinterpret_cast<std::uintptr_t>(b);
  const auto bytes = static_cast<std::uintptr_t>(n) * sizeof(T);
  return pa < pb + bytes && pb < pa + bytes;
}

// Whether an elementwise kernel may read `in` where it stands while it writes `out`, both n
// elements: the very same memory (in place: each batch is read before it is written) or none
// of it.
template <class T>
inline bool in_place_or_apart(const T* in, const T* out, Eigen::Index n) {
  return in == out || !ranges_overlap<T>(in, out, n);
}

template <class T, int R, int L>
struct tensor_input {
  Eigen::Tensor<T, R, L> owned;
  const T* data = nullptr;
};

template <class T, int R, int L, class X>
inline tensor_input<T, R, L> make_tensor_input(const X& x, const T* out, Eigen::Index n) {
  tensor_input<T, R, L> in;
  if constexpr (is_plain_tensor_v<X> && tensor_layout_v<X> == L) {
    if (in_place_or_apart<T>(x.data(), out, n)) {
      in.data = x.data();
    } else {  // overlaps the output without being it: a plain copy, read before any write
      in.owned.resize(tensor_dims(x));
      std::copy_n(x.data(), in.owned.size(), in.owned.data());
      in.data = in.owned.data();
    }
  } else {
    in.owned = evaluate_as<L, T>(x);
    in.data = in.owned.data();
  }
  return in;
}

// out ← op(in...) elementwise for Eigen tensors of one rank; names as in dense_apply.
template <class T, class Op, class Y, class... X>
inline void tensor_apply(const char* fn, const std::array<const char*, 1 + sizeof...(X)>& names, Op op,
                         Y&& y, const X&... x) {
  constexpr int R = tensor_rank_v<Y>;
  constexpr int L = tensor_layout_v<Y>;
  static_assert(((tensor_rank_v<X> == R) && ...), "activ: every tensor of one call must have the same rank.");
  static_assert((std::is_same_v<tensor_scalar_t<X>, T> && ...) && std::is_same_v<tensor_scalar_t<Y>, T>,
                "activ: every container must hold the functor's value_type.");
  constexpr std::size_t K = sizeof...(X);
  const std::array<dims_t<R>, K> in_shapes{{tensor_dims(x)...}};
  const dims_t<R> out_shape = tensor_dims(y);
  for (std::size_t k = 1; k < K; ++k) {
    check_same_shape(fn, names[k + 1], in_shapes[k], names[1], in_shapes[0]);
  }
  check_same_shape(fn, names[0], out_shape, names[1], in_shapes[0]);
  Eigen::Index n = 1;
  for (Eigen::Index d : out_shape) n *= d;
  if (n == 0) return;

  // Tensors that own their memory, all in one layout: one run (the layout fixes the element
  // order, and such objects cannot overlap partially). The other cases are in their own
  // branch, not after a return, so that this path compiles to a few instructions that can be
  // inlined at a small layer's call (bench/dispatch.cpp).
  if constexpr (is_owning_tensor_v<Y> && (is_owning_tensor_v<X> && ...) && ((tensor_layout_v<X> == L) && ...)) {
    transform(op, n, y.data(), x.data()...);
  } else if constexpr (is_plain_tensor_v<Y>) {
    T* out = y.data();
    std::tuple<repeat_t<X, tensor_input<T, R, L>>...> inputs{make_tensor_input<T, R, L>(x, out, n)...};
    std::apply([&](const auto&... in) { transform(op, n, out, in.data...); }, inputs);
  } else {
    std::tuple<repeat_t<X, tensor_input<T, R, L>>...> inputs{make_tensor_input<T, R, L>(x, nullptr, 0)...};
    Eigen::Tensor<T, R, L> result(out_shape);
    std::apply([&](const auto&... in) { transform(op, n, result.data(), in.data...); }, inputs);
    y = result;
  }
}

}  // namespace activ::detail

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_CORE_TENSOR_HPP
