// activ — the Eigen dense adaptor: Matrix, Array, Map, Ref, Block and expressions → runs of
// contiguous memory for detail::transform.
//
// Every operand is seen as a logical rows × cols grid with a row stride and a column stride.
// When the output and all inputs are unit-stride along the same logical dimension (the usual
// case: same storage order, or vectors), each column (or row) is one run, and a fully
// contiguous operand set is a single run. Anything else — mixed storage orders, strided
// views, an output that overlaps an input without being the same view — is copied into
// column-major temporaries first (the correct path). Expressions without direct access are
// evaluated into a temporary before anything is written.
#ifndef ACTIV_CORE_DENSE_HPP
#define ACTIV_CORE_DENSE_HPP

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "activ/config.hpp"
#include "activ/core/loop.hpp"
#include "activ/core/shape.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::detail {

template <class X>
using plain_t = std::remove_cv_t<std::remove_reference_t<X>>;

// Whether X derives from some DenseBase<D>. D is deduced, not assumed to be X: Eigen's
// VectorBlock (what head(), tail() and segment() return) derives from DenseBase<Block<…>>.
template <class D>
std::true_type dense_base_test(const Eigen::DenseBase<D>*);
std::false_type dense_base_test(const void*);
template <class D>
std::true_type array_base_test(const Eigen::ArrayBase<D>*);
std::false_type array_base_test(const void*);

template <class D>
std::true_type plain_object_test(const Eigen::PlainObjectBase<D>*);
std::false_type plain_object_test(const void*);

template <class X>
inline constexpr bool is_dense_v = decltype(dense_base_test(std::declval<plain_t<X>*>()))::value;
// A Matrix or Array object (not a Map or a Block): contiguous, and two of them either are the
// same object or do not overlap at all.
template <class X>
inline constexpr bool is_plain_object_v = decltype(plain_object_test(std::declval<plain_t<X>*>()))::value;
template <class X>
inline constexpr bool is_array_v = decltype(array_base_test(std::declval<plain_t<X>*>()))::value;

template <class X>
inline constexpr bool has_direct_access_v = (plain_t<X>::Flags & Eigen::DirectAccessBit) != 0;

template <class T>
using dense_array = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;

// A logical rows × cols grid in memory: element (i, j) at data[i·rs + j·cs].
template <class T>
struct strided {
  T* data;
  Eigen::Index rows, cols, rs, cs;
};

template <class X>
inline auto strided_view(X&& x) {
  using P = plain_t<X>;
  using T = std::remove_reference_t<decltype(*x.data())>;
  const Eigen::Index inner = x.innerStride(), outer = x.outerStride();
  strided<T> v{x.data(), x.rows(), x.cols(), P::IsRowMajor ? outer : inner,
               P::IsRowMajor ? inner : outer};
  // A stride along a dimension of extent 1 is never used; 1 lets either run direction fit.
  if (v.rows <= 1) v.rs = 1;
  if (v.cols <= 1) v.cs = 1;
  return v;
}

// An input, viewed in place when it has direct access, else evaluated into `owned`.
template <class T>
struct dense_input {
  dense_array<T> owned;
  strided<const T> view;
};

template <class T, class X>
inline dense_input<T> make_input(const X& x) {
  dense_input<T> in;
  if constexpr (has_direct_access_v<X>) {
    in.view = strided_view(x);
  } else {
    in.owned = x.array();
    in.view = strided_view(std::as_const(in.owned));
  }
  return in;
}

// The lowest and highest addresses a view touches. A stride may be negative (a reversed Map),
// so data() is not always the lowest.
template <class T>
inline std::uintptr_t first_address(const strided<T>& v) {
  const Eigen::Index down = (v.rows - 1) * v.rs, across = (v.cols - 1) * v.cs;
  return reinterpret_cast<std::uintptr_t>(v.data + std::min<Eigen::Index>(down, 0) +
                                          std::min<Eigen::Index>(across, 0));
}
template <class T>
inline std::uintptr_t last_address(const strided<T>& v) {
  const Eigen::Index down = (v.rows - 1) * v.rs, across = (v.cols - 1) * v.cs;
  return reinterpret_cast<std::uintptr_t>(v.data + std::max<Eigen::Index>(down, 0) +
                                          std::max<Eigen::Index>(across, 0));
}

// True when writing `out` run by run could change `in` before it is read: the memory ranges
// overlap and the two are not the very same view (exact in-place is fine).
template <class T>
inline bool unsafe_alias(const strided<T>& out, const strided<const T>& in) {
  if (first_address(in) > last_address(out) || first_address(out) > last_address(in)) return false;
  return !(static_cast<const T*>(out.data) == in.data && out.rs == in.rs && out.cs == in.cs);
}

// Runs op over all elements when every operand is unit-stride along one logical dimension;
// returns false (having written nothing) otherwise.
template <class T, class Op, std::size_t K, std::size_t... I>
inline bool run_strided(Op& op, const strided<T>& out, const std::array<strided<const T>, K>& in,
                        std::index_sequence<I...>) {
  const Eigen::Index rows = out.rows, cols = out.cols;
  for (const auto& v : in) {
    if (unsafe_alias(out, v)) return false;
  }
  const bool down = out.rs == 1 && ((in[I].rs == 1) && ...);
  const bool across = out.cs == 1 && ((in[I].cs == 1) && ...);
  if (down) {
    if ((cols == 1 || out.cs == rows) && ((cols == 1 || in[I].cs == rows) && ...)) {
      transform(op, rows * cols, out.data, in[I].data...);
    } else {
      for (Eigen::Index j = 0; j < cols; ++j) {
        transform(op, rows, out.data + j * out.cs, (in[I].data + j * in[I].cs)...);
      }
    }
    return true;
  }
  if (across) {
    if ((rows == 1 || out.rs == cols) && ((rows == 1 || in[I].rs == cols) && ...)) {
      transform(op, rows * cols, out.data, in[I].data...);
    } else {
      for (Eigen::Index i = 0; i < rows; ++i) {
        transform(op, cols, out.data + i * out.rs, (in[I].data + i * in[I].rs)...);
      }
    }
    return true;
  }
  return false;
}

template <class T>
inline dense_array<T> copy_of(const strided<const T>& v) {
  using S = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;
  return Eigen::Map<const dense_array<T>, Eigen::Unaligned, S>(v.data, v.rows, v.cols, S(v.cs, v.rs));
}

// out ← op(in...) for dense operands of equal shapes that are not all plain objects in one
// storage order: Map, Ref, Block, expressions. Finds unit-stride runs, or copies.
template <class T, class Op, class Y, class... X>
inline void dense_apply_views(Op op, Y&& y, const X&... x) {
  constexpr std::size_t K = sizeof...(X);
  const Eigen::Index rows = y.rows(), cols = y.cols();
  if (rows * cols == 0) return;

  std::tuple<repeat_t<X, dense_input<T>>...> inputs{make_input<T>(x)...};
  auto views = std::apply([](const auto&... in) { return std::array<strided<const T>, K>{in.view...}; },
                          inputs);
  const auto seq = std::make_index_sequence<K>{};
  if constexpr (has_direct_access_v<Y>) {
    if (run_strided(op, strided_view(y), views, seq)) return;
  }
  // The correct path for everything else: contiguous copies in, one run, then assign out.
  std::array<dense_array<T>, K> copies;
  for (std::size_t k = 0; k < K; ++k) {
    copies[k] = copy_of(views[k]);
    views[k] = strided_view(std::as_const(copies[k]));
  }
  dense_array<T> result(rows, cols);
  run_strided(op, strided_view(result), views, seq);
  y.array() = result;
}

// out ← op(in...) elementwise for dense Eigen operands. names[0] names the output, names[1…]
// the inputs; every shape must equal the first input's. Throws before writing on mismatch.
template <class T, class Op, class Y, class... X>
inline void dense_apply(const char* fn, const std::array<const char*, 1 + sizeof...(X)>& names, Op op,
                        Y&& y, const X&... x) {
  static_assert(!std::is_const_v<std::remove_reference_t<Y>>,
                "activ: the output must be a writable Eigen object (not const).");
  static_assert((std::is_same_v<typename plain_t<X>::Scalar, T> && ...) &&
                    std::is_same_v<typename plain_t<Y>::Scalar, T>,
                "activ: every container must hold the functor's value_type.");
  constexpr std::size_t K = sizeof...(X);
  const std::array<std::array<Eigen::Index, 2>, K> in_shapes{{{x.rows(), x.cols()}...}};
  const std::array<Eigen::Index, 2> out_shape{y.rows(), y.cols()};
  for (std::size_t k = 1; k < K; ++k) {
    check_same_shape(fn, names[k + 1], in_shapes[k], names[1], in_shapes[0]);
  }
  check_same_shape(fn, names[0], out_shape, names[1], in_shapes[0]);

  // Matrix and Array objects: one run over their memory when the storage orders agree (or the
  // shape is a vector, where they do not matter). Nothing else to look at: such objects are
  // contiguous and cannot overlap partially. Everything else is in dense_apply_views, so that
  // this path stays a few instructions that can be inlined at a small layer's call, and a call
  // on a small layer stays close to a hand-written loop (bench/dispatch.cpp).
  if constexpr (is_plain_object_v<Y> && (is_plain_object_v<X> && ...)) {
    constexpr bool same_order = ((bool(plain_t<X>::IsRowMajor) == bool(plain_t<Y>::IsRowMajor)) && ...);
    if (same_order || out_shape[0] == 1 || out_shape[1] == 1) {
      transform(op, out_shape[0] * out_shape[1], y.data(), x.data()...);
      return;
    }
  }
  dense_apply_views<T>(op, std::forward<Y>(y), x...);
}

}  // namespace activ::detail

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_CORE_DENSE_HPP
