// activ — weights from random words: the uniform and normal transforms, and the writing of
// them into any Eigen container.
//
// N = 24 (float) or 53 (double) bits make one word j (activ/init/detail/bits.hpp). Exactly:
//   uniform(b):   w = b · v,   v = ((j − 2^(N−1)) + ½) · 2^−(N−1)
//                 v runs over the 2^N midpoints of equal bins of (−1, 1): symmetric, never 0,
//                 never ±1, every step exact, so the one rounding is the product with b and
//                 |w| <= b always.
//   normal(σ):    Box–Muller on a pair of words (j1, j2), drawn in that order:
//                 u  = (j1 + 1) · 2^−N             in (0, 1], exact
//                 v  = ((j2 − 2^(N−1)) + ½) · 2^−(N−1)   in (−1, 1), exact
//                 ρ  = σ · √(−2·ln u)
//                 w0 = ρ · cos(π·v),  w1 = ρ · sin(π·v)   (ln, sin, cos: detail/kernels.hpp)
//                 Weight 2i is w0 of pair i, weight 2i + 1 its w1; an odd count drops the last
//                 w1. u >= 2^−N caps |w| at σ·√(2N·ln 2): 5.77σ (float; P(|z| > 5.77) = 8e−9)
//                 and 8.57σ (double).
//   truncated(σ): the normal stream above, keeping the w with |w| <= 2σ in order (Keras'
//                 TruncatedNormal; 95.4% kept). 2σ is exact, so no kept value exceeds it.
// Engine use: uniform and normal draw exactly n words (n rounded up to even for normal),
// truncated_normal draws pairs in rounds of min(256, ⌈missing/2⌉) until it has n, so the
// engine ends a little past the last kept pair, at a point fixed by the stream alone.
//
// Speed: the words are drawn in a scalar loop (each engine call depends on the last), 256 at a
// time, converted to T on the way (exact: j < 2^N), and transformed in xsimd batches: uniform
// ones in place in the output, normal pairs in a buffer, then interleaved. The transforms never
// hold a second, scalar formula (a partial last batch is padded), and no value depends on its
// position in a chunk.
//
// Order: the k-th weight goes to the k-th element of w in w's storage order (column-major
// Matrix: down the columns; RowMajor: along the rows; a Tensor: its Layout). Contiguous
// objects are written in place; anything else (a strided Block, a tensor slice) is filled
// as a plain temporary of its shape and storage order, then assigned.
#ifndef ACTIV_INIT_DETAIL_SAMPLE_HPP
#define ACTIV_INIT_DETAIL_SAMPLE_HPP

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <unsupported/Eigen/CXX11/Tensor>
#include <xsimd/xsimd.hpp>

#include "activ/config.hpp"
#include "activ/core/dense.hpp"
#include "activ/core/tensor.hpp"
#include "activ/detail/lift.hpp"
#include "activ/init/detail/bits.hpp"
#include "activ/init/detail/kernels.hpp"
#include "activ/init/fans.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::init::detail {

/// Elements (uniform) or pairs (normal) per round: a multiple of every batch width.
inline constexpr std::ptrdiff_t chunk_size = 256;

template <class T>
struct word_format {
  static constexpr int bits = std::numeric_limits<T>::digits;  // N: 24 (float), 53 (double)
  static constexpr T half = T(std::uint64_t(1) << (bits - 1));  // 2^(N−1)
  static constexpr T inv_half = T(1) / half;                    // 2^−(N−1), exact
  static constexpr T inv_full = inv_half / T(2);                // 2^−N, exact

  template <class G>
  static T draw_word(G& g) {
    return static_cast<T>(static_cast<std::int64_t>(draw<bits>(g)));
  }
};

/// v = ((j − 2^(N−1)) + ½)·2^−(N−1) in (−1, 1), exact.
template <class B>
inline B centered(const B& j) noexcept {
  using T = typename B::value_type;
  using F = word_format<T>;
  return ((j - B(F::half)) + B(T(0.5))) * B(F::inv_half);
}

template <class T, class G>
inline void fill_uniform(G& g, T bound, T* out, std::ptrdiff_t n) {
  using B = activ::detail::batch<T>;
  using F = word_format<T>;
  constexpr auto width = static_cast<std::ptrdiff_t>(B::size);
  const B b(bound);
  // Words go straight into out and are transformed there; only a last partial batch goes
  // through a zero-padded buffer, to take the same instructions as every other element.
  for (std::ptrdiff_t i = 0; i < n; i += chunk_size) {
    T* const dst = out + i;
    const std::ptrdiff_t count = std::min(chunk_size, n - i);
    for (std::ptrdiff_t k = 0; k < count; ++k) dst[k] = F::draw_word(g);
    std::ptrdiff_t k = 0;
    for (; k + width <= count; k += width) (b * centered(B::load_unaligned(dst + k))).store_unaligned(dst + k);
    if (k < count) {
      alignas(B::arch_type::alignment()) T pad[B::size] = {};
      std::copy_n(dst + k, count - k, pad);
      (b * centered(B::load_aligned(pad))).store_aligned(pad);
      std::copy_n(pad, count - k, dst + k);
    }
  }
}

/// One round of Box–Muller: `pairs` pairs drawn, σ-scaled cosines in c, sines in s.
template <class T>
struct normal_round {
  using B = activ::detail::batch<T>;
  alignas(B::arch_type::alignment()) T a[chunk_size];
  alignas(B::arch_type::alignment()) T b[chunk_size];
  alignas(B::arch_type::alignment()) T c[chunk_size];
  alignas(B::arch_type::alignment()) T s[chunk_size];

  template <class G>
  void run(G& g, T sigma, std::ptrdiff_t pairs) {
    using F = word_format<T>;
    constexpr auto width = static_cast<std::ptrdiff_t>(B::size);
    static_assert(chunk_size % width == 0, "activ::init: the chunk must hold whole batches.");
    for (std::ptrdiff_t k = 0; k < pairs; ++k) {
      a[k] = F::draw_word(g);
      b[k] = F::draw_word(g);
    }
    for (std::ptrdiff_t k = 0; k < pairs; k += width) {
      const B u = (B::load_aligned(a + k) + B(T(1))) * B(F::inv_full);
      const B v = centered(B::load_aligned(b + k));
      const B rho = B(sigma) * xsimd::sqrt(B(T(-2)) * log_unit(u));
      B sin_v, cos_v;
      sincospi(v, sin_v, cos_v);
      (rho * cos_v).store_aligned(c + k);
      (rho * sin_v).store_aligned(s + k);
    }
  }
};

template <class T, class G>
inline void fill_normal(G& g, T sigma, T* out, std::ptrdiff_t n) {
  normal_round<T> r{};  // zeroed: lanes past `pairs` in the last batch read defined values
  for (std::ptrdiff_t i = 0; i < n;) {
    const std::ptrdiff_t pairs = std::min(chunk_size, (n - i + 1) / 2);
    r.run(g, sigma, pairs);
    const std::ptrdiff_t take = std::min(2 * pairs, n - i);
    for (std::ptrdiff_t k = 0; k < take / 2; ++k) {
      out[i + 2 * k] = r.c[k];
      out[i + 2 * k + 1] = r.s[k];
    }
    if (take % 2 != 0) out[i + take - 1] = r.c[take / 2];
    i += take;
  }
}

template <class T, class G>
inline void fill_truncated_normal(G& g, T sigma, T* out, std::ptrdiff_t n) {
  normal_round<T> r{};
  const T limit = T(2) * sigma;
  for (std::ptrdiff_t i = 0; i < n;) {
    const std::ptrdiff_t pairs = std::min(chunk_size, (n - i + 1) / 2);
    r.run(g, sigma, pairs);
    for (std::ptrdiff_t k = 0; k < pairs && i < n; ++k) {
      if (std::abs(r.c[k]) <= limit) out[i++] = r.c[k];
      if (i < n && std::abs(r.s[k]) <= limit) out[i++] = r.s[k];
    }
  }
}

/// param is the bound b (uniform) or σ (normal, truncated_normal); d is known to be valid.
template <class T, class G>
inline void fill(Distribution d, G& g, T param, T* out, std::ptrdiff_t n) {
  switch (d) {
    case Distribution::uniform: fill_uniform(g, param, out, n); break;
    case Distribution::normal: fill_normal(g, param, out, n); break;
    case Distribution::truncated_normal: fill_truncated_normal(g, param, out, n); break;
  }
}

template <class W, bool Dense = activ::detail::is_dense_v<W>>
struct weight_scalar {
  using type = typename activ::detail::plain_t<W>::Scalar;
};
template <class W>
struct weight_scalar<W, false> {
  using type = activ::detail::tensor_scalar_t<W>;
};
template <class W>
using weight_scalar_t = typename weight_scalar<W>::type;

/// Runs fill_into(T* data, n) on w's elements in storage order (see the header comment).
template <class W, class FillInto>
inline void write_weights(W& w, FillInto fill_into) {
  using T = weight_scalar_t<W>;
  if constexpr (activ::detail::is_dense_v<W>) {
    using P = activ::detail::plain_t<W>;
    static_assert((P::Flags & Eigen::LvalueBit) != 0, "activ::init: w must be writable (not const, not a read-only expression).");
    if constexpr (activ::detail::has_direct_access_v<W>) {
      if (w.innerStride() == 1 && (w.outerSize() <= 1 || w.outerStride() == w.innerSize())) {
        fill_into(w.data(), static_cast<std::ptrdiff_t>(w.size()));
        return;
      }
    }
    constexpr int order = P::IsRowMajor ? Eigen::RowMajor : Eigen::ColMajor;
    Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, order> tmp(w.rows(), w.cols());
    fill_into(tmp.data(), static_cast<std::ptrdiff_t>(tmp.size()));
    w.array() = tmp;
  } else if constexpr (activ::detail::is_plain_tensor_v<W>) {
    static_assert(!std::is_const_v<std::remove_pointer_t<decltype(w.data())>>,
                  "activ::init: w must be writable (a TensorMap of non-const data).");
    fill_into(w.data(), static_cast<std::ptrdiff_t>(w.size()));
  } else {
    constexpr int rank = activ::detail::tensor_rank_v<W>;
    Eigen::Tensor<T, rank, activ::detail::tensor_layout_v<W>> tmp(activ::detail::tensor_dims(w));
    fill_into(tmp.data(), static_cast<std::ptrdiff_t>(tmp.size()));
    w = tmp;
  }
}

}  // namespace activ::init::detail

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_INIT_DETAIL_SAMPLE_HPP
