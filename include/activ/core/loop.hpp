// activ — the one loop over raw memory.
//
// transform(op, n, out, in...) writes out[i] = op(in[i]...) for i < n, in batches of the
// default architecture. The tail (n mod batch size) is copied into a zero-padded batch and
// goes through the same op, so every element takes the same instruction sequence whatever
// its index, alignment or the length (SPEC §5's reproducibility). Inputs may alias out
// exactly (in place); partial overlap is not supported. Knows nothing of Eigen.
#ifndef ACTIV_CORE_LOOP_HPP
#define ACTIV_CORE_LOOP_HPP

#include <algorithm>
#include <cstddef>
#include <utility>
#include <xsimd/xsimd.hpp>

#include "activ/detail/lift.hpp"

namespace activ::detail {

// V once per element of a pack: std::tuple<repeat_t<X, V>...>.
template <class, class V>
using repeat_t = V;

template <class T, class Op, class... In, std::size_t... K>
inline void transform_impl(std::index_sequence<K...>, Op& op, std::ptrdiff_t n, T* out,
                           const In*... in) noexcept {
  using B = batch<T>;
  constexpr std::ptrdiff_t width = static_cast<std::ptrdiff_t>(B::size);
  std::ptrdiff_t i = 0;
  for (; i + width <= n; i += width) {
    op(B::load_unaligned(in + i)...).store_unaligned(out + i);
  }
  const std::ptrdiff_t rest = n - i;
  if (rest > 0) {
    // One zero-padded buffer per input; the padding lanes are computed and dropped.
    alignas(B::arch_type::alignment()) T buffers[sizeof...(In)][width] = {};
    (std::copy_n(in + i, rest, buffers[K]), ...);
    alignas(B::arch_type::alignment()) T result[width];
    op(B::load_aligned(buffers[K])...).store_aligned(result);
    std::copy_n(result, rest, out + i);
  }
}

template <class T, class Op, class... In>
inline void transform(Op op, std::ptrdiff_t n, T* out, const In*... in) noexcept {
  static_assert(sizeof...(In) >= 1, "transform needs at least one input.");
  transform_impl(std::index_sequence_for<In...>{}, op, n, out, in...);
}

}  // namespace activ::detail

#endif  // ACTIV_CORE_LOOP_HPP
