// activ — containers seen along one logical axis, for the per-channel functors (PReLU, Maxout).
//
// A call picks one physical layout L, that of its main output (a dense output's storage order,
// a tensor output's layout), and sees every operand as one contiguous buffer in L. Along a
// logical axis the buffer then splits into [outer, axis, inner] blocks: element (o, c, i) sits
// at (o·axis + c)·inner + i, so the kernels can broadcast a per-channel value over a run of
// `inner` contiguous elements, or, when inner = 1, walk the channels in lockstep with memory.
//
// Operands already contiguous in L are used in place. Anything else (a strided Block, the other
// storage order, an expression, an input overlapping an output) is first evaluated into a
// contiguous temporary, and an output that is not contiguous in L is computed into a temporary
// and assigned at the end; both keep logical indices. Dense objects are rank 2: axis 0 is the
// rows, axis 1 the columns, whatever the storage order.
#ifndef ACTIV_CORE_AXIS_HPP
#define ACTIV_CORE_AXIS_HPP

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <unsupported/Eigen/CXX11/Tensor>
#include <utility>

#include "activ/config.hpp"
#include "activ/core/dense.hpp"
#include "activ/core/functions.hpp"
#include "activ/core/shape.hpp"
#include "activ/core/tensor.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::detail {

template <class X>
constexpr int container_rank() {
  if constexpr (is_dense_v<X>) {
    return 2;
  } else {
    return tensor_rank_v<X>;
  }
}
template <class X>
inline constexpr int rank_v = container_rank<X>();

template <class X>
constexpr int container_layout() {
  if constexpr (is_dense_v<X>) {
    return plain_t<X>::IsRowMajor ? Eigen::RowMajor : Eigen::ColMajor;
  } else {
    return tensor_layout_v<X>;
  }
}
/// The physical layout of a container (Eigen::ColMajor or Eigen::RowMajor); dense vectors
/// report Eigen's own flag, which is immaterial for their order.
template <class X>
inline constexpr int layout_v = container_layout<X>();

template <class X, bool Dense = is_dense_v<X>>
struct container_scalar {
  using type = typename plain_t<X>::Scalar;
};
template <class X>
struct container_scalar<X, false> {
  using type = tensor_scalar_t<X>;
};
template <class X>
using scalar_t = typename container_scalar<X>::type;

template <class X>
using shape_t = std::array<Eigen::Index, rank_v<X>>;

/// The logical shape: {rows, cols} for dense objects, the dimensions for tensors.
template <class X>
inline shape_t<X> shape_of(const X& x) {
  if constexpr (is_dense_v<X>) {
    return {x.rows(), x.cols()};
  } else {
    return tensor_dims(x);
  }
}

template <std::size_t R>
inline Eigen::Index element_count(const std::array<Eigen::Index, R>& shape) {
  Eigen::Index n = 1;
  for (Eigen::Index d : shape) n *= d;
  return n;
}

/// The operands of a call are all dense, or all tensors.
template <class... X>
inline constexpr bool same_family_v = all_dense_v<X...> || all_tensor_v<X...>;

template <class X, class... More>
inline constexpr bool same_rank_v = ((rank_v<More> == rank_v<X>) && ...);

/// A logical axis of a contiguous buffer as [outer, axis, inner] blocks.
struct axis_split {
  Eigen::Index outer, axis, inner;
};

template <std::size_t R>
inline axis_split split_at(const std::array<Eigen::Index, R>& shape, Eigen::Index axis, int layout) {
  // Column-major keeps dimension 0 innermost, row-major the last one.
  axis_split s{1, shape[static_cast<std::size_t>(axis)], 1};
  for (std::size_t k = 0; k < R; ++k) {
    const auto ax = static_cast<std::size_t>(axis);
    const bool before = k < ax, after = k > ax;
    if ((layout == Eigen::ColMajor && before) || (layout == Eigen::RowMajor && after)) {
      s.inner *= shape[k];
    } else if (before || after) {
      s.outer *= shape[k];
    }
  }
  return s;
}

template <std::size_t R>
[[noreturn]] ACTIV_COLD inline void axis_out_of_range(const char* fn, const char* what,
                                                      std::array<Eigen::Index, R> shape, Eigen::Index axis) {
  fail(std::string("activ::") + fn + ": axis " + std::to_string(axis) + " is out of range for " + what +
       " of shape " + shape_string(shape) + ", expected 0 … " + std::to_string(R - 1));
}

/// Throws "activ::<fn>: axis 3 is out of range for x of shape [4 x 5], expected 0 … 1". The
/// message is built apart (axis_out_of_range), so that the check inlines (see shape_mismatch).
template <std::size_t R>
inline void check_axis(const char* fn, const char* what, const std::array<Eigen::Index, R>& shape,
                       Eigen::Index axis) {
  if (axis < 0 || axis >= static_cast<Eigen::Index>(R)) axis_out_of_range(fn, what, shape, axis);
}

/// A piece of memory written directly by a call, for the overlap checks of its inputs.
struct span {
  const void* data;
  std::size_t bytes;
};

inline bool overlaps(const span& a, const span& b) {
  if (a.bytes == 0 || b.bytes == 0) return false;
  const auto pa = reinterpret_cast<std::uintptr_t>(a.data), pb = reinterpret_cast<std::uintptr_t>(b.data);
  return pa < pb + b.bytes && pb < pa + a.bytes;
}

/// x's first element when all of x lies contiguously in layout L, in logical order; else nullptr.
template <int L, class S, class X>
inline S* contiguous_data(X& x) {
  if constexpr (is_dense_v<X>) {
    if constexpr (has_direct_access_v<X>) {
      const auto v = strided_view(x);
      const bool contiguous = L == Eigen::RowMajor ? v.cs == 1 && (v.rows <= 1 || v.rs == v.cols)
                                                   : v.rs == 1 && (v.cols <= 1 || v.cs == v.rows);
      return contiguous ? v.data : nullptr;
    } else {
      return nullptr;
    }
  } else if constexpr (is_plain_tensor_v<X> && tensor_layout_v<X> == L) {
    return x.data();
  } else {
    return nullptr;
  }
}

/// The contiguous temporary for an operand shaped like X, holding S, in layout L.
template <int L, class S, class X>
using owner_t = std::conditional_t<is_dense_v<X>,
                                   Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic,
                                                L == Eigen::RowMajor ? Eigen::RowMajor : Eigen::ColMajor>,
                                   Eigen::Tensor<S, rank_v<X>, L>>;

template <class Owner>
struct input_buffer {
  Owner owned;
  const typename Owner::Scalar* data = nullptr;
};

/// x as a contiguous buffer in layout L: x's own memory when it already is one and overlaps
/// none of `written` (being exactly one of them is fine when `in_place_ok`: elementwise kernels
/// read each batch before writing it), else an evaluated copy.
template <int L, class X>
inline input_buffer<owner_t<L, scalar_t<X>, X>> read_contiguous(const X& x, std::initializer_list<span> written,
                                                                bool in_place_ok) {
  using S = scalar_t<X>;
  input_buffer<owner_t<L, S, X>> in;
  if (const S* p = contiguous_data<L, const S>(x)) {
    const span mine{p, static_cast<std::size_t>(element_count(shape_of(x))) * sizeof(S)};
    bool safe = true;
    for (const span& w : written) {
      const bool same = in_place_ok && w.data == mine.data && w.bytes == mine.bytes;
      if (!same && overlaps(w, mine)) safe = false;
    }
    if (safe) {
      in.data = p;
      return in;
    }
  }
  if constexpr (is_dense_v<X>) {
    in.owned = x.array();
  } else if constexpr (is_plain_tensor_v<X> && tensor_layout_v<X> == L) {
    // Only an overlap with an output brings a plain tensor here: a flat copy keeps its order.
    // (Also keeps GCC 12 from a false -Warray-bounds in Eigen's TensorFixedSize assignment.)
    in.owned.resize(shape_of(x));
    std::copy_n(x.data(), in.owned.size(), in.owned.data());
  } else {
    in.owned = evaluate_as<L, S>(x);
  }
  in.data = in.owned.data();
  return in;
}

template <class Owner>
struct output_buffer {
  Owner owned;
  typename Owner::Scalar* data = nullptr;
  std::size_t bytes = 0;
  bool direct = false;  ///< data is the output's own memory, not `owned`
};

/// Where a call writes output y: y's own memory when it is contiguous in layout L, else a
/// temporary of y's shape that commit() assigns to y afterwards. Allocates only; writes nothing.
template <int L, class Y>
inline output_buffer<owner_t<L, scalar_t<Y>, Y>> write_contiguous(Y& y) {
  using S = scalar_t<Y>;
  output_buffer<owner_t<L, S, Y>> out;
  const auto shape = shape_of(y);
  if (S* p = contiguous_data<L, S>(y)) {
    out.data = p;
    out.bytes = static_cast<std::size_t>(element_count(shape)) * sizeof(S);
    out.direct = true;
    return out;
  }
  if constexpr (is_dense_v<Y>) {
    out.owned.resize(shape[0], shape[1]);
  } else {
    out.owned.resize(shape);
  }
  out.data = out.owned.data();
  return out;
}

template <class Owner>
inline span written_span(const output_buffer<Owner>& out) {
  // A temporary overlaps nothing the caller owns.
  return {out.data, out.direct ? out.bytes : 0};
}

template <int L, class Owner, class Y>
inline void commit(output_buffer<Owner>& out, Y& y) {
  if (out.direct || out.owned.size() == 0) return;
  if constexpr (is_dense_v<Y>) {
    y.array() = out.owned;
  } else if constexpr (tensor_layout_v<Y> == L) {
    y = out.owned;
  } else {
    y = evaluate_as<tensor_layout_v<Y>, scalar_t<Y>>(out.owned);
  }
}

// A batch from the first `rest` < width elements at p, zero-padded like detail::transform's
// tail, so that the last elements of a run take the same instructions as the others.
template <class B, class S>
inline B load_partial(const S* p, Eigen::Index rest) noexcept {
  alignas(B::arch_type::alignment()) S buffer[B::size] = {};
  std::copy_n(p, rest, buffer);
  return B::load_aligned(buffer);
}

template <class B, class S>
inline void store_partial(const B& v, S* p, Eigen::Index rest) noexcept {
  alignas(B::arch_type::alignment()) S buffer[B::size];
  v.store_aligned(buffer);
  std::copy_n(buffer, rest, p);
}

}  // namespace activ::detail

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_CORE_AXIS_HPP
