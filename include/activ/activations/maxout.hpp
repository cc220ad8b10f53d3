// activ — Maxout: the maximum over contiguous groups of pieces along one logical axis.
//
//   y_u            = max over i < k of x[u·k + i]        (k = pieces; u = unit, along `axis`)
//   ∂y_u/∂x[u·k+i] = 1 for the winning piece i, 0 for the other pieces
// Goodfellow, Warde-Farley, Mirza, Courville & Bengio, "Maxout Networks", ICML 2013. Groups are
// contiguous as in pylearn2: unit u owns pieces u·k … u·k + k − 1 of the axis.
// Max error: exact (a selection, no arithmetic).
// The kink (ties): the first, lowest-index piece wins and alone receives the gradient.
// NaN: the first NaN piece of a group wins, so y is NaN and that piece receives the gradient.
// ±inf are ordinary values: a group of −inf gives −inf, its first piece winning.
#ifndef ACTIV_ACTIVATIONS_MAXOUT_HPP
#define ACTIV_ACTIVATIONS_MAXOUT_HPP

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <xsimd/xsimd.hpp>

#include "activ/config.hpp"
#include "activ/core/axis.hpp"
#include "activ/detail/lift.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ {

template <class T = float>
class Maxout {
 public:
  using value_type = T;

  /// The kernels carry piece indices in integer lanes as wide as T: 2^31 − 1 pieces for float.
  static constexpr Eigen::Index max_pieces = std::numeric_limits<xsimd::as_integer_t<T>>::max();

  /// Units of `pieces` consecutive values along the logical `axis` of the input.
  Maxout(Eigen::Index pieces, Eigen::Index axis) : pieces_(pieces), axis_(axis) {
    if (pieces < 1 || pieces > max_pieces) {
      detail::fail("activ::Maxout: pieces must be in 1 … " + std::to_string(max_pieces) + ", got " +
                   std::to_string(pieces));
    }
    if (axis < 0) detail::fail("activ::Maxout: axis must be >= 0, got " + std::to_string(axis));
  }

  // Read-only: a Maxout is valid from construction on, so the per-call checks only concern
  // the containers.
  Eigen::Index pieces() const noexcept { return pieces_; }
  Eigen::Index axis() const noexcept { return axis_; }

  static_assert(detail::is_real_v<T>, "activ::Maxout<T> takes T = float or T = double.");

 private:
  Eigen::Index pieces_, axis_;
};

namespace detail {

template <class T>
using piece_index_t = xsimd::as_integer_t<T>;
template <class T>
using piece_lanes = xsimd::batch<piece_index_t<T>, xsimd::default_arch>;

// Each lane's winner over pieces load(0) … load(k − 1), and with WithIndex its piece index kept
// as the bits of an integer in a T lane (select moves bits, so no conversion is needed). A piece
// replaces the best so far when the best is not NaN and the piece is greater or NaN: ties keep
// the first piece, and the first NaN, once in, stays.
template <bool WithIndex, class T, class Load>
inline void maxout_lanes(Eigen::Index k, Load load, batch<T>& best, batch<T>& index) noexcept {
  using B = batch<T>;
  using I = piece_lanes<T>;
  best = load(0);
  if constexpr (WithIndex) index = xsimd::bitwise_cast<B>(I(piece_index_t<T>(0)));
  for (Eigen::Index i = 1; i < k; ++i) {
    const B v = load(i);
    const auto take = (best == best) & ~(v <= best);
    best = xsimd::select(take, v, best);
    if constexpr (WithIndex) {
      index = xsimd::select(take, xsimd::bitwise_cast<B>(I(static_cast<piece_index_t<T>>(i))), index);
    }
  }
}

// A batch of the elements at base[offset(l)], loaded lane by lane. Not batch::gather: in xsimd
// 8.1 it never reaches the AVX2 instruction for float, and on the Zen 3 this was measured on
// vgatherdps was no faster than these scalar loads anyway.
template <class B, class T, class Offset>
inline B gather_lanes(const T* base, const Offset& offset) noexcept {
  alignas(B::arch_type::alignment()) T lanes[B::size];
  for (std::size_t l = 0; l < B::size; ++l) lanes[l] = base[offset(static_cast<Eigen::Index>(l))];
  return B::load_aligned(lanes);
}

// A gather whose lane offsets are fixed when it is made: lane l reads base[offset l] for
// l < count, base[offset 0] for the others. With AVX-512 one vgatherdps / vgatherdpd (the
// offsets as 32-bit indices, where they fit), elsewhere gather_lanes. Float groups of k = 3
// with the axis innermost, 255 × 256 Matrix, forward: 32 -> 8.1 us on the Intel Xeon of
// 2026-12-07 (one-process probe, best of 30), where the lane-by-lane loads stored 16 floats to
// the stack and then loaded them as one batch, the load waiting for the stores. With AVX-512,
// piece_pick below has since taken k = 3 … 16 innermost (the Zen 4's gathers are slow); this
// gather remains for larger k, a call's last partial batch and the ends of long runs.
template <class B>
class lane_gather {
  using T = typename B::value_type;
  static constexpr std::size_t lanes = B::size;

 public:
  lane_gather(const Eigen::Index* offset, Eigen::Index count) noexcept {
    bool fits = true;
    for (std::size_t l = 0; l < lanes; ++l) {
      offset_[l] = static_cast<Eigen::Index>(l) < count ? offset[l] : offset[0];
      fits = fits && offset_[l] >= 0 && offset_[l] <= std::numeric_limits<std::int32_t>::max();
      index_[l] = fits ? static_cast<std::int32_t>(offset_[l]) : 0;
    }
    hardware_ = fits;
  }
  // Lane l at l·step.
  static lane_gather strided(Eigen::Index step, Eigen::Index count) noexcept {
    Eigen::Index offset[lanes];
    for (std::size_t l = 0; l < lanes; ++l) offset[l] = static_cast<Eigen::Index>(l) * step;
    return lane_gather(offset, count);
  }

  B operator()(const T* base) const noexcept {
#if defined(__AVX512F__)
    if constexpr (is_avx512_v<B> && std::is_same_v<T, float>) {
      if (hardware_) return B(_mm512_i32gather_ps(_mm512_load_si512(index_), base, sizeof(T)));
    } else if constexpr (is_avx512_v<B> && std::is_same_v<T, double>) {
      if (hardware_) {
        return B(_mm512_i32gather_pd(_mm256_load_si256(reinterpret_cast<const __m256i*>(index_)), base, sizeof(T)));
      }
    }
#endif
    return gather_lanes<B>(base, [this](Eigen::Index l) { return offset_[l]; });
  }

 private:
  Eigen::Index offset_[lanes];
  alignas(64) std::int32_t index_[lanes < 16 ? 16 : lanes];
  bool hardware_ = false;
};

// Piece i of w consecutive groups of k with the axis innermost (inner 1): lane l is element
// l·k + i of the k·w that start at x. With AVX-512, from the k batches there in registers: one
// two-table permute per pair of batches (vpermt2ps / vpermt2pd), joined under a mask per pair,
// a one-table permute for an odd last batch; for k = 3, two permutes per piece, where a
// vgatherdps per piece took 25 us on a 255 × 255 Matrix on the Zen 4 of 2026-12-07 (its
// gathers are slow; the Xeon's, 9.6). Indices and masks are made once per call. Elsewhere (or
// k outside 3 … max_pieces) not available: lane_gather does it.
template <class B>
class piece_pick {
  using T = typename B::value_type;
  static constexpr std::size_t lanes = B::size;

 public:
  static constexpr Eigen::Index max_pieces = 16;

  explicit piece_pick(Eigen::Index k) noexcept : k_(k) {
#if defined(__AVX512F__)
    if constexpr (is_avx512_v<B>) {
      if (k < 3 || k > max_pieces) return;
      constexpr Eigen::Index w = static_cast<Eigen::Index>(lanes);
      for (Eigen::Index i = 0; i < k; ++i) {
        for (std::size_t p = 0; p < max_pieces / 2; ++p) mask_[i][p] = 0;
        for (Eigen::Index l = 0; l < w; ++l) {
          const Eigen::Index e = l * k + i;
          index_[i * w + l] = static_cast<piece_index_t<T>>(e % (2 * w));
          mask_[i][e / (2 * w)] = static_cast<std::uint16_t>(mask_[i][e / (2 * w)] | (1u << l));
        }
      }
      usable_ = true;
    }
#endif
  }
  bool usable() const noexcept { return usable_; }

  B operator()(const T* x, Eigen::Index i) const noexcept {
#if defined(__AVX512F__)
    if constexpr (is_avx512_v<B> && std::is_same_v<T, float>) {
      const __m512i from = _mm512_load_si512(index_ + i * 16);
      __m512 r = _mm512_permutex2var_ps(_mm512_loadu_ps(x), from, _mm512_loadu_ps(x + 16));
      Eigen::Index j = 2;
      for (; j + 1 < k_; j += 2) {
        r = _mm512_mask_mov_ps(r, mask_[i][j / 2],
                               _mm512_permutex2var_ps(_mm512_loadu_ps(x + j * 16), from, _mm512_loadu_ps(x + j * 16 + 16)));
      }
      if (j < k_) r = _mm512_mask_permutexvar_ps(r, static_cast<__mmask16>(mask_[i][j / 2]), from, _mm512_loadu_ps(x + j * 16));
      return r;
    } else if constexpr (is_avx512_v<B> && std::is_same_v<T, double>) {
      const __m512i from = _mm512_load_si512(index_ + i * 8);
      __m512d r = _mm512_permutex2var_pd(_mm512_loadu_pd(x), from, _mm512_loadu_pd(x + 8));
      Eigen::Index j = 2;
      for (; j + 1 < k_; j += 2) {
        r = _mm512_mask_mov_pd(r, static_cast<__mmask8>(mask_[i][j / 2]),
                               _mm512_permutex2var_pd(_mm512_loadu_pd(x + j * 8), from, _mm512_loadu_pd(x + j * 8 + 8)));
      }
      if (j < k_) r = _mm512_mask_permutexvar_pd(r, static_cast<__mmask8>(mask_[i][j / 2]), from, _mm512_loadu_pd(x + j * 8));
      return r;
    }
#endif
    (void)x, (void)i;
    return B(T(0));
  }

 private:
  Eigen::Index k_;
  bool usable_ = false;
  alignas(64) piece_index_t<T> index_[max_pieces * lanes];
  std::uint16_t mask_[max_pieces][max_pieces / 2];
};

// The inverse of a batch of groups with the axis innermost (inner 1), for the backward: the k·w
// elements of w consecutive groups of k, in memory order, batch j lane m being piece
// (j·w + m) mod k of lane (j·w + m) / k, dy of that lane where the lane's winner is that piece
// and +0 elsewhere. With AVX-512, per batch of dx one permute of the winners and one of dy
// under the compare's mask, from index rows made once per call; elsewhere (or k > max_pieces)
// not available, and the caller writes the pieces lane by lane.
template <class B>
class piece_spread {
  using T = typename B::value_type;
  static constexpr std::size_t lanes = B::size;

 public:
  static constexpr Eigen::Index max_pieces = 16;

  explicit piece_spread(Eigen::Index k) noexcept : k_(k) {
#if defined(__AVX512F__)
    if constexpr (is_avx512_v<B>) {
      if (k < 3 || k > max_pieces) return;
      // Counted, not divided: k·w divisions were a visible share of a short call.
      piece_index_t<T> l = 0, i = 0;
      for (Eigen::Index e = 0; e < k * static_cast<Eigen::Index>(lanes); ++e) {
        lane_[e] = l;
        piece_[e] = i;
        if (++i == k) i = 0, ++l;
      }
      usable_ = true;
    }
#endif
  }
  bool usable() const noexcept { return usable_; }

  // dx[0, k·w) from the batch's dy (g) and winners (index: piece indices as integer bits).
  void operator()(const B& g, const B& index, T* dx) const noexcept {
#if defined(__AVX512F__)
    if constexpr (is_avx512_v<B> && std::is_same_v<T, float>) {
      const __m512i won = _mm512_castps_si512(index);
      for (Eigen::Index j = 0; j < k_; ++j) {
        const __m512i from = _mm512_loadu_si512(lane_ + j * 16), piece = _mm512_loadu_si512(piece_ + j * 16);
        const __mmask16 here = _mm512_cmpeq_epi32_mask(_mm512_permutexvar_epi32(from, won), piece);
        _mm512_storeu_ps(dx + j * 16, _mm512_maskz_permutexvar_ps(here, from, g));
      }
      return;
    } else if constexpr (is_avx512_v<B> && std::is_same_v<T, double>) {
      const __m512i won = _mm512_castpd_si512(index);
      for (Eigen::Index j = 0; j < k_; ++j) {
        const __m512i from = _mm512_loadu_si512(lane_ + j * 8), piece = _mm512_loadu_si512(piece_ + j * 8);
        const __mmask8 here = _mm512_cmpeq_epi64_mask(_mm512_permutexvar_epi64(from, won), piece);
        _mm512_storeu_pd(dx + j * 8, _mm512_maskz_permutexvar_pd(here, from, g));
      }
      return;
    }
#endif
    (void)g, (void)index, (void)dx;
  }

 private:
  Eigen::Index k_;
  bool usable_ = false;
  alignas(64) piece_index_t<T> lane_[max_pieces * lanes];
  alignas(64) piece_index_t<T> piece_[max_pieces * lanes];
};

// w checked winners from an argmax of S as piece indices in the integer bits of a batch of T,
// as maxout_lanes makes them: a load where S is as wide as T's integers, a narrowing of two
// loads for 64-bit S and float (AVX-512), lane by lane otherwise.
template <class B, class S>
inline B winner_bits(const S* win) noexcept {
  using T = typename B::value_type;
  using IT = piece_index_t<T>;
  if constexpr (std::is_integral_v<S> && sizeof(S) == sizeof(IT)) {
    return xsimd::bitwise_cast<B>(xsimd::batch<IT, typename B::arch_type>::load_unaligned(reinterpret_cast<const IT*>(win)));
  }
#if defined(__AVX512F__)
  else if constexpr (is_avx512_v<B> && std::is_same_v<T, float> && std::is_integral_v<S> && sizeof(S) == 8) {
    const __m256i low = _mm512_cvtepi64_epi32(_mm512_loadu_si512(win));
    const __m256i high = _mm512_cvtepi64_epi32(_mm512_loadu_si512(win + 8));
    return B(_mm512_castsi512_ps(_mm512_inserti64x4(_mm512_castsi256_si512(low), high, 1)));
  }
#endif
  else {
    alignas(B::arch_type::alignment()) IT lanes[B::size];
    for (std::size_t l = 0; l < B::size; ++l) lanes[l] = static_cast<IT>(win[l]);
    return xsimd::bitwise_cast<B>(xsimd::batch<IT, typename B::arch_type>::load_aligned(lanes));
  }
}

// v where the integer lanes' mask m is set, +0 elsewhere. With AVX-512 m's mask register is B's
// as it is: xsimd 8.1 turns an integer batch_bool into a batch through its AVX-512BW integer
// select, which GCC 12 does not compile without optimization (-O0: "invalid cast ... to type
// '__v64qi'"), so a user's debug build of Maxout's backward failed.
template <class M, class B>
inline B zero_unless(const M& m, const B& v) noexcept {
  if constexpr (is_avx512_v<B>) {
    return xsimd::select(typename B::batch_bool_type(m.data), v, B(typename B::value_type(0)));
  } else {
    return v & xsimd::bitwise_cast<B>(xsimd::bitwise_cast(m));
  }
}

// Pairs, the most common Maxout (k = 2) with the axis innermost, are deinterleaved in registers:
// lane l of piece I is lane 2l + I of the pair (a, b). Lane by lane loads measured 1.4x slower.
template <class B>
using lane_index_t = xsimd::batch<xsimd::as_unsigned_integer_t<typename B::value_type>, typename B::arch_type>;

template <std::size_t I, class B, std::size_t... L>
inline B deinterleave(const B& a, const B& b, std::index_sequence<L...>) noexcept {
  constexpr std::size_t w = sizeof...(L);
  using U = typename lane_index_t<B>::value_type;
  const xsimd::batch_constant<lane_index_t<B>, static_cast<U>((2 * L + I) % w)...> from{};
  return xsimd::select(xsimd::batch_bool_constant<B, (L < w / 2)...>{}, xsimd::swizzle(a, from),
                       xsimd::swizzle(b, from));
}

// The inverse: half H (0 or 1) of the pair whose lane 2l + i is lane l of piece i.
template <std::size_t H, class B, std::size_t... L>
inline B interleave(const B& piece0, const B& piece1, std::index_sequence<L...>) noexcept {
  constexpr std::size_t w = sizeof...(L);
  using U = typename lane_index_t<B>::value_type;
  const xsimd::batch_constant<lane_index_t<B>, static_cast<U>(H * w / 2 + L / 2)...> from{};
  return xsimd::select(xsimd::batch_bool_constant<B, (L % 2 == 0)...>{}, xsimd::swizzle(piece0, from),
                       xsimd::swizzle(piece1, from));
}

// Where the pieces of a batch of outputs are: piece i of lane l at origin + offset(l) + i·inner.
template <class Offset>
struct piece_place {
  Eigen::Index f;       ///< the first output (flat index in the output buffer)
  Eigen::Index count;   ///< outputs in this batch (the last batch may have fewer than the lanes)
  Eigen::Index origin;  ///< in the input buffer
  Offset offset;
};

// Walks a contiguous buffer split as s (s.axis = units·k) a batch of outputs at a time and hands
// each batch's winners to emit(best, index, place). Group g = (o, u) owns the k·inner elements
// from g·k·inner on, piece i of output (g, r) sitting at g·k·inner + i·inner + r.
template <bool WithIndex, class T, class Emit>
inline void maxout_walk(Eigen::Index k, const axis_split& s, const T* x, Emit&& emit) noexcept {
  using B = batch<T>;
  constexpr std::size_t lanes = B::size;
  constexpr Eigen::Index w = static_cast<Eigen::Index>(lanes);
  const Eigen::Index groups = s.outer * (s.axis / k), inner = s.inner, stride = k * inner;
  B best, index;
  if (inner >= w) {
    // Runs of a piece are contiguous: plain loads, and lane by lane for the end of each run
    // (its spare lanes re-read the run's first element).
    const Eigen::Index rest = inner % w;
    const auto along = [](Eigen::Index l) { return l; };
    const auto tail = lane_gather<B>::strided(1, rest);
    for (Eigen::Index g = 0; g < groups; ++g) {
      const T* xg = x + g * stride;
      Eigen::Index r = 0;
      for (; r + w <= inner; r += w) {
        maxout_lanes<WithIndex, T>(k, [&](Eigen::Index i) { return B::load_unaligned(xg + i * inner + r); }, best,
                                   index);
        emit(best, index, piece_place<decltype(along)>{g * inner + r, w, g * stride + r, along});
      }
      if (r < inner) {
        maxout_lanes<WithIndex, T>(k, [&](Eigen::Index i) { return tail(xg + i * inner + r); }, best, index);
        emit(best, index, piece_place<decltype(along)>{g * inner + r, rest, g * stride + r, along});
      }
    }
    return;
  }
  const Eigen::Index outputs = groups * inner;
  if (inner == 1) {
    // The axis innermost in memory, the usual case (features × samples): a batch holds w
    // consecutive groups, piece i of lane l at l·k + i. The last batch's spare lanes re-read
    // its first group.
    const auto grouped = [k](Eigen::Index l) { return l * k; };
    Eigen::Index f = 0;
    if (k == 2) {
      constexpr auto seq = std::make_index_sequence<lanes>{};
      for (; f + w <= outputs; f += w) {
        const B a = B::load_unaligned(x + 2 * f), b = B::load_unaligned(x + 2 * f + w);
        const B first = deinterleave<0>(a, b, seq), second = deinterleave<1>(a, b, seq);
        maxout_lanes<WithIndex, T>(2, [&](Eigen::Index i) { return i == 0 ? first : second; }, best, index);
        emit(best, index, piece_place<decltype(grouped)>{f, w, 2 * f, grouped});
      }
    }
    // Whole batches, piece i of the batch at xf loaded by load(xf, i).
    const auto whole = [&](const auto& load) {
      for (; f + w <= outputs; f += w) {
        const T* xf = x + f * k;
        maxout_lanes<WithIndex, T>(k, [&](Eigen::Index i) { return load(xf, i); }, best, index);
        emit(best, index, piece_place<decltype(grouped)>{f, w, f * k, grouped});
      }
    };
    if (f + w <= outputs) {
      const piece_pick<B> pick(k);
      if (pick.usable()) whole(pick);
    }
    if (f + w <= outputs) {
      const auto gather = lane_gather<B>::strided(k, w);
      whole([&gather](const T* xf, Eigen::Index i) { return gather(xf + i); });
    }
    if (f < outputs) {
      const Eigen::Index count = outputs - f;
      const auto last = lane_gather<B>::strided(k, count);
      const T* xf = x + f * k;
      maxout_lanes<WithIndex, T>(k, [&](Eigen::Index i) { return last(xf + i); }, best, index);
      emit(best, index, piece_place<decltype(grouped)>{f, count, f * k, grouped});
    }
    return;
  }
  // Runs shorter than a batch: a batch holds w consecutive outputs, which may span groups.
  // Their offsets from the start of the first output's group depend only on its phase
  // p = f mod inner: one table row per phase, filled when the walk first reaches the phase by
  // counting, not dividing (filling every row with two divisions per lane took 120 ns of a
  // 130 ns call on a 4 × 4 Matrix, the pieces along its columns).
  Eigen::Index table[lanes][lanes], next[lanes], advance[lanes];
  bool filled[lanes] = {};
  Eigen::Index g = 0;
  std::size_t p = 0;
  for (Eigen::Index f = 0; f < outputs; f += w) {
    if (!filled[p]) {
      // Output p + l of the group is (p + l) / inner groups on, at (p + l) % inner.
      Eigen::Index on = 0, at = static_cast<Eigen::Index>(p);
      for (std::size_t l = 0; l < lanes; ++l) {
        table[p][l] = on * stride + at;
        if (++at == inner) at = 0, ++on;
      }
      next[p] = at;  // (p + w) % inner
      advance[p] = on;  // (p + w) / inner
      filled[p] = true;
    }
    const Eigen::Index count = std::min(w, outputs - f);
    const Eigen::Index* row = table[p];
    // The last batch's spare lanes re-read its first output's piece.
    const auto offset = [row, count](Eigen::Index l) { return l < count ? row[l] : row[0]; };
    const T* xf = x + g * stride;
    // Lane by lane: lane_gather's instruction, made per phase, cost a 4 × 4 Matrix (one
    // partial batch) 1.6x the time, and 1.1x where used only from 4 batches on (its 16 gathers
    // on the stack).
    maxout_lanes<WithIndex, T>(k, [&](Eigen::Index i) { return gather_lanes<B>(xf + i * inner, offset); }, best,
                               index);
    emit(best, index, piece_place<decltype(offset)>{f, count, g * stride, offset});
    g += advance[p];
    p = static_cast<std::size_t>(next[p]);
  }
}

#if XSIMD_WITH_AVX2
// Where the second piece replaces the first, as in maxout_lanes: the first is not NaN and the
// second is greater or NaN (one compare: "not less or equal, or unordered").
inline __m256 maxout_takes_second(__m256 first, __m256 second) noexcept {
  return _mm256_and_ps(_mm256_cmp_ps(first, first, _CMP_EQ_OQ), _mm256_cmp_ps(second, first, _CMP_NLE_UQ));
}

// The even and the odd elements of the 16 at (a, b), in the order of _mm256_shuffle_ps: 128-bit
// half h of each holds elements 0 and 2 (or 1 and 3) of half h of a, then of half h of b.
inline __m256 even_elements(__m256 a, __m256 b) noexcept { return _mm256_shuffle_ps(a, b, 0x88); }
inline __m256 odd_elements(__m256 a, __m256 b) noexcept { return _mm256_shuffle_ps(a, b, 0xDD); }

// The winners of the 8 pairs of consecutive elements at (a, b), in the shuffles' order (pairs
// 0 1 4 5 | 2 3 6 7), and where the second element of a pair won.
struct pair_winners {
  __m256 win, took_second;  // took_second: all ones where the second element won
};

inline pair_winners maxout_pairs(__m256 a, __m256 b) noexcept {
  const __m256 first = even_elements(a, b), second = odd_elements(a, b);
  const __m256 take = maxout_takes_second(first, second);
  return {_mm256_blendv_ps(first, second, take), take};
}

inline __m256 pairs_order(__m256 v) noexcept {  // 0 1 2 3 4 5 6 7 → 0 1 4 5 | 2 3 6 7
  return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v), 0xD8));
}
inline __m256 fours_order(__m256 v) noexcept {  // 0 1 2 3 4 5 6 7 → 0 2 4 6 | 1 3 5 7
  return _mm256_permutevar8x32_ps(v, _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7));
}

// The piece indices (< 4) in the 32-bit lanes of idx, in memory order, to w[0 … 7] as S.
template <class S>
inline void store_piece_indices8(__m256 idx, S* w) noexcept {
  const __m256i v = _mm256_castps_si256(idx);
  if constexpr (sizeof(S) == 4) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w), v);
  } else if constexpr (sizeof(S) == 8) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w), _mm256_cvtepi32_epi64(_mm256_castsi256_si128(v)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w + 4), _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1)));
  } else {
    alignas(32) std::int32_t lanes[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), v);
    for (int l = 0; l < 8; ++l) w[l] = static_cast<S>(lanes[l]);
  }
}

// Float groups of k = 2 or 4 with the axis innermost, on AVX2 (8 lanes): y[u] ← the winner of
// x[u·k … u·k + k − 1] for the first 8·⌊groups / 8⌋ groups; returns how many it did. In-lane
// shuffles (vshufps) put piece 0 and piece 1 of 8 groups side by side, the winners are picked
// as maxout_lanes picks them, and one permute puts them in order. For k = 4 the pairs (0, 1)
// and (2, 3) go first, then their winners: the same winner as the scan in order (the first
// NaN, else the first of the ties). The general path (deinterleave: four vpermps and two blends
// per 8 pairs; lane-by-lane loads for k = 4) ran 14.8 and 19.8 us on 64 Ki floats, about 1.9x
// and 1.5x a naive scalar loop.
//
// With win (S not void), win[u] ← the winning piece too: the masks that picked the winners give
// its bits (k = 4: 2 where the second round took pair (2, 3), plus 1 where the first round took
// the second of the pair that won), put in order by the same permute. Forward with an Index
// argmax took 22 us on 64 Ki floats through the general path, against 5 without.
template <int K, class S>
inline Eigen::Index maxout_shuffled(const float* x, float* y, S* win, Eigen::Index groups) noexcept {
  static_assert(K == 2 || K == 4, "pairs or fours");
  const Eigen::Index whole = groups / 8 * 8;
  const __m256 one = _mm256_castsi256_ps(_mm256_set1_epi32(1)), two = _mm256_castsi256_ps(_mm256_set1_epi32(2));
  for (Eigen::Index u = 0; u < whole; u += 8) {
    const float* p = x + u * K;
    if constexpr (K == 2) {
      // Groups 0 1 4 5 | 2 3 6 7: the 64-bit halves in order 0 2 1 3.
      const pair_winners r = maxout_pairs(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8));
      _mm256_storeu_ps(y + u, pairs_order(r.win));
      if constexpr (!std::is_void_v<S>) store_piece_indices8(pairs_order(_mm256_and_ps(r.took_second, one)), win + u);
    } else {
      const pair_winners ab = maxout_pairs(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8));
      const pair_winners cd = maxout_pairs(_mm256_loadu_ps(p + 16), _mm256_loadu_ps(p + 24));
      // Groups 0 2 4 6 | 1 3 5 7.
      const pair_winners r = maxout_pairs(ab.win, cd.win);
      const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
      _mm256_storeu_ps(y + u, _mm256_permutevar8x32_ps(r.win, order));
      if constexpr (!std::is_void_v<S>) {
        const __m256 odd = _mm256_blendv_ps(even_elements(ab.took_second, cd.took_second),
                                            odd_elements(ab.took_second, cd.took_second), r.took_second);
        const __m256 index = _mm256_or_ps(_mm256_and_ps(r.took_second, two), _mm256_and_ps(odd, one));
        store_piece_indices8(_mm256_permutevar8x32_ps(index, order), win + u);
      }
    }
  }
  return whole;
}

// dx of 8 groups of pairs from their dy, g, permuted into the shuffles' order (0 1 4 5 | 2 3 6 7),
// and `second`, all ones where piece 1 won: each piece gets g & (it won), and unpacks put the
// pieces back in memory order.
inline void maxout_put_pairs(__m256 second, __m256 g, float* out) noexcept {
  const __m256 d0 = _mm256_andnot_ps(second, g), d1 = _mm256_and_ps(second, g);
  _mm256_storeu_ps(out, _mm256_unpacklo_ps(d0, d1));
  _mm256_storeu_ps(out + 8, _mm256_unpackhi_ps(d0, d1));
}

// The same for 8 groups of fours, g in the order 0 2 4 6 | 1 3 5 7: `high` where piece 2 or 3
// won, `odd_low` where piece 1 won over piece 0 and `odd_high` where piece 3 won over piece 2;
// a 4 × 4 transpose per 128-bit half puts the pieces back in memory order.
inline void maxout_put_fours(__m256 high, __m256 odd_low, __m256 odd_high, __m256 g, float* out) noexcept {
  const __m256 low_g = _mm256_andnot_ps(high, g), high_g = _mm256_and_ps(high, g);
  const __m256 d0 = _mm256_andnot_ps(odd_low, low_g), d1 = _mm256_and_ps(odd_low, low_g);
  const __m256 d2 = _mm256_andnot_ps(odd_high, high_g), d3 = _mm256_and_ps(odd_high, high_g);
  const __m256 t0 = _mm256_unpacklo_ps(d0, d1), t1 = _mm256_unpackhi_ps(d0, d1);
  const __m256 t2 = _mm256_unpacklo_ps(d2, d3), t3 = _mm256_unpackhi_ps(d2, d3);
  _mm256_storeu_ps(out, _mm256_shuffle_ps(t0, t2, 0x44));
  _mm256_storeu_ps(out + 8, _mm256_shuffle_ps(t0, t2, 0xEE));
  _mm256_storeu_ps(out + 16, _mm256_shuffle_ps(t1, t3, 0x44));
  _mm256_storeu_ps(out + 24, _mm256_shuffle_ps(t1, t3, 0xEE));
}

// Backward for float groups of k = 2 or 4 with the axis innermost, on AVX2: dx ← 0 except each
// group's winner ← dy of its output, for the first 8·⌊groups / 8⌋ groups; returns how many it
// did. The winners are found as in maxout_shuffled, with the groups in the shuffles' order, into
// which dy is permuted. The general path deinterleaved and interleaved with permutes and blends
// (k = 2) or wrote lane by lane (k = 4): 39.9 and 69.8 us on 64 Ki floats.
template <int K>
inline Eigen::Index maxout_shuffled_backward(const float* x, const float* dy, float* dx, Eigen::Index groups) noexcept {
  static_assert(K == 2 || K == 4, "pairs or fours");
  const Eigen::Index whole = groups / 8 * 8;
  for (Eigen::Index u = 0; u < whole; u += 8) {
    const float* p = x + u * K;
    if constexpr (K == 2) {
      const __m256 take = maxout_pairs(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)).took_second;
      maxout_put_pairs(take, pairs_order(_mm256_loadu_ps(dy + u)), dx + u * K);
    } else {
      // Pieces (0, 1) and (2, 3) of groups 0 2 | 1 3 (first 16 floats) and 4 6 | 5 7, then the
      // winners of the two pairs, as maxout_shuffled finds them; the masks of the first round
      // brought into the second round's order by the same shuffles.
      const pair_winners ab = maxout_pairs(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8));
      const pair_winners cd = maxout_pairs(_mm256_loadu_ps(p + 16), _mm256_loadu_ps(p + 24));
      maxout_put_fours(maxout_pairs(ab.win, cd.win).took_second, even_elements(ab.took_second, cd.took_second),
                       odd_elements(ab.took_second, cd.took_second), fours_order(_mm256_loadu_ps(dy + u)),
                       dx + u * K);
    }
  }
  return whole;
}

// The piece indices at w[0 … 7] as 32-bit lanes in memory order (valid indices: < 4 here).
template <class S>
inline __m256i piece_indices8(const S* w) noexcept {
  if constexpr (sizeof(S) == 4) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w));
  } else if constexpr (sizeof(S) == 8) {
    // The low halves of the 64-bit lanes: shuffle_ps gives groups 0 1 4 5 | 2 3 6 7.
    const __m256 a = _mm256_castsi256_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)));
    const __m256 b = _mm256_castsi256_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 4)));
    return _mm256_castpd_si256(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xD8));
  } else {
    alignas(32) std::int32_t lanes[8];
    for (int l = 0; l < 8; ++l) lanes[l] = static_cast<std::int32_t>(w[l]);
    return _mm256_load_si256(reinterpret_cast<const __m256i*>(lanes));
  }
}

// backward_from_argmax for float groups of k = 2 or 4 with the axis innermost, on AVX2, win
// already checked: maxout_shuffled_backward's stores, with the masks read off the indices.
template <int K, class S>
inline Eigen::Index maxout_shuffled_from_argmax(const S* win, const float* dy, float* dx, Eigen::Index groups) noexcept {
  static_assert(K == 2 || K == 4, "pairs or fours");
  const Eigen::Index whole = groups / 8 * 8;
  const auto bit = [](__m256 index, int b) {
    const __m256i v = _mm256_set1_epi32(b);
    return _mm256_castsi256_ps(_mm256_cmpeq_epi32(_mm256_and_si256(_mm256_castps_si256(index), v), v));
  };
  for (Eigen::Index u = 0; u < whole; u += 8) {
    const __m256 index = _mm256_castsi256_ps(piece_indices8(win + u));
    if constexpr (K == 2) {
      maxout_put_pairs(bit(pairs_order(index), 1), pairs_order(_mm256_loadu_ps(dy + u)), dx + u * K);
    } else {
      const __m256 ordered = fours_order(index), odd = bit(ordered, 1);
      maxout_put_fours(bit(ordered, 2), odd, odd, fours_order(_mm256_loadu_ps(dy + u)), dx + u * K);
    }
  }
  return whole;
}
#else
// Other instruction sets: no shuffles, nothing done (run_shuffled never calls these).
template <int K, class S>
inline Eigen::Index maxout_shuffled(const float*, float*, S*, Eigen::Index) noexcept {
  return 0;
}
template <int K>
inline Eigen::Index maxout_shuffled_backward(const float*, const float*, float*, Eigen::Index) noexcept {
  return 0;
}
template <int K, class S>
inline Eigen::Index maxout_shuffled_from_argmax(const S*, const float*, float*, Eigen::Index) noexcept {
  return 0;
}
#endif

// Hands what the shuffles serve (float, k = 2 or 4, the axis innermost, AVX2) to
// run(std::integral_constant<int, k>, groups), which returns how many groups it did, and leaves
// in `rest` the groups still to walk; returns the number done (0, `rest` untouched, otherwise).
// AVX-512 targets have AVX2 as well and take the same 256-bit shuffles (they are intrinsics,
// not batches): the general walk they replace ran 2-4x slower there (bench_prelu_maxout on a
// Zen 4, 64 Ki floats innermost: backward k = 4 48.4 us, 2.05x the naive loop).
template <class T, class Run>
inline Eigen::Index run_shuffled(Eigen::Index k, axis_split& rest, Run&& run) noexcept {
  if constexpr (XSIMD_WITH_AVX2 && std::is_same_v<T, float>) {
    if (rest.inner == 1 && (k == 2 || k == 4)) {
      const Eigen::Index groups = rest.outer * (rest.axis / k);
      const Eigen::Index done =
          k == 2 ? run(std::integral_constant<int, 2>{}, groups) : run(std::integral_constant<int, 4>{}, groups);
      rest = axis_split{groups - done, k, 1};
      return done;
    }
  }
  return 0;
}

template <class B>
inline void store_lanes(const B& v, typename B::value_type* p, Eigen::Index count) noexcept {
  if (count == static_cast<Eigen::Index>(B::size)) {
    v.store_unaligned(p);
  } else {
    store_partial(v, p, count);
  }
}

// count piece indices (the integer lanes of bits) into to[0, count) as S: a store where S is
// as wide as the lanes, two widening stores for 64-bit S from float's 32-bit lanes with AVX-512
// (vpmovsxdq; the indices are not negative), lane by lane otherwise. The Index argmax of k = 3
// along the rows of a 255 × 255 Matrix stored its 16 lanes one by one: forward with it took 16.6
// us against 8.8 without it (Zen 4, 2026-12-07).
template <class I, class S>
inline void store_indices(const I& bits, S* to, Eigen::Index count) noexcept {
  using IT = typename I::value_type;
  if constexpr (std::is_same_v<S, IT>) {
    store_lanes(bits, to, count);
    return;
  }
#if defined(__AVX512F__)
  else if constexpr (is_avx512_v<I> && sizeof(IT) == 4 && std::is_integral_v<S> && sizeof(S) == 8) {
    if (count == 16) {
      const __m512i v = bits;
      _mm512_storeu_si512(to, _mm512_cvtepi32_epi64(_mm512_castsi512_si256(v)));
      _mm512_storeu_si512(to + 8, _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(v, 1)));
      return;
    }
  }
#endif
  alignas(I::arch_type::alignment()) IT lanes[I::size];
  bits.store_aligned(lanes);
  if (count == static_cast<Eigen::Index>(I::size)) {
    // Straight-line code for whole batches: a loop over a run-time count became a rep movs
    // whose start-up cost dominated.
    for (std::size_t l = 0; l < I::size; ++l) to[l] = static_cast<S>(lanes[l]);
  } else {
    for (Eigen::Index l = 0; l < count; ++l) to[l] = static_cast<S>(lanes[l]);
  }
}

// y ← each group's winning value and, unless S is void, win ← its winning piece as S.
template <class T, class S>
inline void maxout_forward_kernel(Eigen::Index k, const axis_split& s, const T* x, T* y, S* win) noexcept {
  using I = piece_lanes<T>;
  axis_split rest = s;
  const Eigen::Index done = run_shuffled<T>(k, rest, [&](auto pieces, Eigen::Index groups) {
    return maxout_shuffled<decltype(pieces)::value>(x, y, win, groups);
  });
  if (rest.outer == 0) return;
  x += done * k;
  y += done;
  if constexpr (std::is_void_v<S>) {
    maxout_walk<false>(k, rest, x, [y](const auto& best, const auto&, const auto& at) { store_lanes(best, y + at.f, at.count); });
  } else {
    win += done;
    maxout_walk<true>(k, rest, x, [y, win](const auto& best, const auto& index, const auto& at) {
      store_lanes(best, y + at.f, at.count);
      store_indices(xsimd::bitwise_cast<I>(index), win + at.f, at.count);
    });
  }
}

// dx ← 0 except each group's winner ← dy of its output, the winners recomputed from x. Every
// piece is written once, dy where it won and +0 elsewhere, at addresses known in advance: a
// scatter to the winners' addresses made each store wait for the winner's index to round-trip
// through memory, and the next loads of x behind them (measured 4x slower). With the axis
// innermost and AVX-512 (k = 3 … 16) whole batches of groups are written by piece_spread.
template <class T>
inline void maxout_backward_kernel(Eigen::Index k, const axis_split& s, const T* x, const T* dy, T* dx) noexcept {
  using B = batch<T>;
  using I = piece_lanes<T>;
  using IT = piece_index_t<T>;
  constexpr Eigen::Index w = static_cast<Eigen::Index>(B::size);
  const Eigen::Index inner = s.inner;
  axis_split rest = s;
  const Eigen::Index done = run_shuffled<T>(k, rest, [&](auto pieces, Eigen::Index groups) {
    return maxout_shuffled_backward<decltype(pieces)::value>(x, dy, dx, groups);
  });
  if (rest.outer == 0) return;
  x += k * done;
  dy += done;
  dx += k * done;
  const piece_spread<B> spread(inner == 1 ? k : 0);
  maxout_walk<true>(k, rest, x, [=, &spread](const auto&, const B& index, const auto& at) {
    const B g = at.count == w ? B::load_unaligned(dy + at.f) : load_partial<B>(dy + at.f, at.count);
    if (inner == 1 && at.count == w && spread.usable()) return spread(g, index, dx + at.origin);
    const I bits = xsimd::bitwise_cast<I>(index);
    const auto won = [&](Eigen::Index i) { return zero_unless(bits == I(static_cast<IT>(i)), g); };
    if (inner == 1 && k == 2 && at.count == w) {  // one contiguous pair of batches
      constexpr auto seq = std::make_index_sequence<B::size>{};
      const B first = won(0), second = won(1);
      interleave<0>(first, second, seq).store_unaligned(dx + at.origin);
      interleave<1>(first, second, seq).store_unaligned(dx + at.origin + w);
      return;
    }
    for (Eigen::Index i = 0; i < k; ++i) {
      const B piece = won(i);
      T* to = dx + at.origin + i * inner;
      if (inner >= w) {  // the batch's pieces i are contiguous
        store_lanes(piece, to, at.count);
        continue;
      }
      alignas(B::arch_type::alignment()) T lanes[B::size];
      piece.store_aligned(lanes);
      if (at.count == w) {
        for (std::size_t l = 0; l < B::size; ++l) to[at.offset(static_cast<Eigen::Index>(l))] = lanes[l];
      } else {
        for (Eigen::Index l = 0; l < at.count; ++l) to[at.offset(l)] = lanes[l];
      }
    }
  });
}

// dx ← 0 except dx[the piece win names, of each output] ← dy of that output, win checked. Every
// element of dx is written once, in memory order: float pairs and fours with the axis innermost
// by maxout_shuffled_from_argmax (AVX2), the rest by loops the compiler vectorizes (k = 2 and 4
// innermost with k known: K an std::integral_constant). Zeroing dx and then storing each dy at
// its winner's address cost 62 us on 64 Ki floats (k = 2, axis innermost, Index argmax), against
// 12 us now. Other k innermost (K an Eigen::Index; with AVX-512 and k <= 16 only the groups
// after the last whole batch, see maxout_spread_innermost): the group's k elements zeroed, then dy
// stored at its winner (win is checked, so the index is in the group), scalar but without a
// branch on random winners: a 255 × 255 Matrix, k = 3, random x, took 141 us through
// maxout_scatter_piece (a loop of one element per piece, with its set-up) and 48 us now
// (same-process A/B on the Xeon, 2026-12-07); the compare per piece, in this loop, 134.
// dx does not overlap win or dy (read_contiguous copies an input that overlaps the output), which
// __restrict tells the compiler: without it, it left the k = 4 loop scalar.
template <class K, class T, class S>
inline void maxout_scatter_innermost(K k, Eigen::Index groups, const S* __restrict win, const T* __restrict dy,
                                     T* __restrict dx) noexcept {
  for (Eigen::Index g = 0; g < groups; ++g) {
    const S w = win[g];
    const T d = dy[g];
    if constexpr (std::is_same_v<K, Eigen::Index>) {
      for (Eigen::Index i = 0; i < k; ++i) dx[g * k + i] = T(0);
      dx[g * k + static_cast<Eigen::Index>(w)] = d;
    } else {
      for (Eigen::Index i = 0; i < k; ++i) dx[g * k + i] = w == static_cast<S>(i) ? d : T(0);
    }
  }
}

// One piece of each of the outputs of a run: to[r] ← dy[r] where win[r] names the piece, else 0.
// dy[r] is read whatever win[r] says: written as `win[r] == piece ? dy[r] : 0`, GCC 12 loaded
// dy under the compare's mask, merging into a register it then kept on the stack, one store and
// reload per batch on the loop's critical path (Matrix columns, 64 Ki floats, k = 2: 15.3 µs).
template <class T, class S>
inline void maxout_scatter_piece(Eigen::Index inner, S piece, const S* __restrict win, const T* __restrict dy,
                                 T* __restrict to) noexcept {
  for (Eigen::Index r = 0; r < inner; ++r) {
    const T d = dy[r];
    to[r] = win[r] == piece ? d : T(0);
  }
}

// Other k innermost: whole batches of groups by piece_spread where it is available, the rest by
// maxout_scatter_innermost. Not inlined: piece_spread's index rows (2 KiB on the stack, aligned)
// in maxout_scatter's frame cost the k = 2 call on a 4 × 4 Matrix 17 -> 21 ns.
template <class T, class S>
ACTIV_NOINLINE void maxout_spread_innermost(Eigen::Index k, Eigen::Index groups, const S* win, const T* dy,
                                            T* dx) noexcept {
  using B = batch<T>;
  constexpr Eigen::Index w = static_cast<Eigen::Index>(B::size);
  const piece_spread<B> spread(k);
  Eigen::Index g = 0;
  if (spread.usable()) {
    for (; g + w <= groups; g += w) spread(B::load_unaligned(dy + g), winner_bits<B>(win + g), dx + g * k);
  }
  maxout_scatter_innermost(k, groups - g, win + g, dy + g, dx + g * k);
}

template <class T, class S>
inline void maxout_scatter(Eigen::Index k, const axis_split& s, const S* win, const T* dy, T* dx) noexcept {
  axis_split rest = s;
  const Eigen::Index done = run_shuffled<T>(k, rest, [&](auto pieces, Eigen::Index groups) {
    return maxout_shuffled_from_argmax<decltype(pieces)::value>(win, dy, dx, groups);
  });
  if (rest.outer == 0) return;
  win += done;
  dy += done;
  dx += k * done;
  const Eigen::Index groups = rest.outer * (rest.axis / k), inner = rest.inner;
  if (inner == 1) {
    using C2 = std::integral_constant<Eigen::Index, 2>;
    using C4 = std::integral_constant<Eigen::Index, 4>;
    if (k == 2) return maxout_scatter_innermost(C2{}, groups, win, dy, dx);
    if (k == 4) return maxout_scatter_innermost(C4{}, groups, win, dy, dx);
    return maxout_spread_innermost(k, groups, win, dy, dx);
  }
  for (Eigen::Index g = 0; g < groups; ++g) {
    const S* wg = win + g * inner;
    const T* dg = dy + g * inner;
    for (Eigen::Index i = 0; i < k; ++i) {
      // i < k <= max of S + 1 (check_index_room)
      maxout_scatter_piece(inner, static_cast<S>(i), wg, dg, dx + (g * k + i) * inner);
    }
  }
}

// The first of a[0, n) that is not a piece index (0 … pieces − 1), or n. The largest value, as
// S's unsigned type (a negative one becomes larger than any piece: pieces − 1 <= S's maximum,
// check_index_room), is found first by a loop the compiler vectorizes; the search runs only when
// it is out of range: a test and a branch per value was as slow as the rest of
// backward_from_argmax.
template <class S>
inline Eigen::Index first_non_piece(const S* a, Eigen::Index n, Eigen::Index pieces) noexcept {
  using U = std::make_unsigned_t<S>;
  const auto last = static_cast<U>(pieces - 1);
  // The or of all values is at least the largest, and one instruction per batch (the maximum
  // of 64-bit lanes is a compare and a blend on AVX2, a dependency chain): exact when pieces is
  // a power of two, the usual case.
  U any = 0;
  for (Eigen::Index f = 0; f < n; ++f) any |= static_cast<U>(a[f]);
  if (any <= last) return n;
  U largest = 0;
  for (Eigen::Index f = 0; f < n; ++f) largest = std::max(largest, static_cast<U>(a[f]));
  if (largest <= last) return n;
  Eigen::Index f = 0;
  while (static_cast<U>(a[f]) <= last) ++f;
  return f;
}

// Checks the axis and its divisibility for the container named `what`; returns the shape with
// the axis divided by the pieces (the output's).
template <class T, std::size_t R>
inline std::array<Eigen::Index, R> maxout_reduced(const char* fn, const char* what, const Maxout<T>& m,
                                                  const std::array<Eigen::Index, R>& shape) {
  check_axis(fn, what, shape, m.axis());
  const auto axis = static_cast<std::size_t>(m.axis());
  if (shape[axis] % m.pieces() != 0) {
    fail(std::string("activ::") + fn + ": " + what + " has " + std::to_string(shape[axis]) + " elements along axis " +
         std::to_string(m.axis()) + " (shape " + shape_string(shape) + "), expected a multiple of pieces = " +
         std::to_string(m.pieces()));
  }
  auto reduced = shape;
  reduced[axis] /= m.pieces();
  return reduced;
}

template <class T, std::size_t R>
inline std::string maxout_reference(const char* what, const Maxout<T>& m, const std::array<Eigen::Index, R>& shape) {
  return std::string(what) + " " + shape_string(shape) + " with axis " + std::to_string(m.axis()) +
         " divided by pieces = " + std::to_string(m.pieces());
}

// Checks that `what` has the shape ys of the output, x's shape xs (`of` names x) with the axis
// divided by the pieces. The message's reference ("x [4 x 6] with axis 1 divided by pieces = 2")
// is formatted only on a mismatch: built up front, its strings cost every call an allocation.
template <class T, std::size_t R>
[[noreturn]] ACTIV_COLD inline void maxout_shape_mismatch(const char* fn, const char* what,
                                                          std::array<Eigen::Index, R> got, const char* of,
                                                          const Maxout<T>& m, std::array<Eigen::Index, R> xs,
                                                          std::array<Eigen::Index, R> ys) {
  shape_mismatch(fn, what, got, maxout_reference(of, m, xs).c_str(), ys);
}
template <class T, std::size_t R>
inline void check_reduced_shape(const char* fn, const char* what, const std::array<Eigen::Index, R>& got,
                                const char* of, const Maxout<T>& m, const std::array<Eigen::Index, R>& xs,
                                const std::array<Eigen::Index, R>& ys) {
  if (!same_dims(got, ys)) maxout_shape_mismatch(fn, what, got, of, m, xs, ys);
}

template <class S>
inline constexpr bool is_index_scalar_v = std::is_integral_v<S> && !std::is_same_v<S, bool>;

template <class S>
inline void check_index_room(const char* fn, Eigen::Index pieces) {
  using U = unsigned long long;
  if (static_cast<U>(pieces - 1) > static_cast<U>(std::numeric_limits<S>::max())) {
    fail(std::string("activ::") + fn + ": argmax's integer type holds at most " +
         std::to_string(static_cast<U>(std::numeric_limits<S>::max())) + ", expected room for piece indices up to " +
         std::to_string(pieces - 1));
  }
}

// The logical index of element f of a contiguous buffer in layout L, as "(i, j, …)".
template <std::size_t R>
inline std::string logical_index(Eigen::Index f, const std::array<Eigen::Index, R>& shape, int layout) {
  std::array<Eigen::Index, R> at{};
  for (std::size_t n = 0; n < R; ++n) {
    const std::size_t k = layout == Eigen::ColMajor ? n : R - 1 - n;
    at[k] = f % shape[k];
    f /= shape[k];
  }
  std::string s = "(";
  for (std::size_t k = 0; k < R; ++k) s += (k ? ", " : "") + std::to_string(at[k]);
  return s + ")";
}

template <class T, class X, class Y, class A>
inline void maxout_forward(const Maxout<T>& m, const X& x, Y& y, A* argmax) {
  constexpr int L = layout_v<Y>;
  const auto xs = shape_of(x);
  const auto ys = maxout_reduced("forward", "x", m, xs);
  check_reduced_shape("forward", "y", shape_of(y), "x", m, xs, ys);
  if constexpr (!std::is_void_v<A>) {
    check_reduced_shape("forward", "argmax", shape_of(*argmax), "x", m, xs, ys);
    check_index_room<scalar_t<A>>("forward", m.pieces());
  }
  if (element_count(ys) == 0) return;

  const axis_split s = split_at(xs, m.axis(), L);
  auto o = write_contiguous<L>(y);
  if constexpr (std::is_void_v<A>) {
    const auto xin = read_contiguous<L>(x, {written_span(o)}, false);
    maxout_forward_kernel(m.pieces(), s, xin.data, o.data, static_cast<void*>(nullptr));
  } else {
    auto a = write_contiguous<L>(*argmax);
    const auto xin = read_contiguous<L>(x, {written_span(o), written_span(a)}, false);
    maxout_forward_kernel(m.pieces(), s, xin.data, o.data, a.data);
    commit<L>(a, *argmax);
  }
  commit<L>(o, y);
}

template <class X>
struct maxout_dense_result {
  using P = plain_t<X>;
  static constexpr int rows = P::RowsAtCompileTime == 1 ? 1 : Eigen::Dynamic;
  static constexpr int cols = P::ColsAtCompileTime == 1 ? 1 : Eigen::Dynamic;
  static constexpr int order = rows == 1 && cols != 1   ? Eigen::RowMajor
                               : cols == 1 && rows != 1 ? Eigen::ColMajor
                               : P::IsRowMajor          ? Eigen::RowMajor
                                                        : Eigen::ColMajor;
  using S = typename P::Scalar;
  using type = std::conditional_t<is_array_v<P>, Eigen::Array<S, rows, cols, order>,
                                  Eigen::Matrix<S, rows, cols, order>>;
};

template <class... X>
using if_maxout_containers_t = std::enable_if_t<same_family_v<X...>>;

// The value containers hold T.
template <class T, class Out, class... In>
inline constexpr bool maxout_values_ok_v = std::is_same_v<scalar_t<Out>, T> && (std::is_same_v<scalar_t<In>, T> && ...);

}  // namespace detail

/// y ← the maximum of each group of pieces of x. y has x's shape with the axis divided by pieces.
template <class T, class X, class Y, class = detail::if_maxout_containers_t<X, Y>>
inline void forward(const Maxout<T>& m, const X& x, Y&& y) {
  static_assert(detail::maxout_values_ok_v<T, Y, X>, "activ: x and y hold the functor's value_type.");
  static_assert(detail::same_rank_v<X, Y>, "activ: every tensor of one call must have the same rank.");
  detail::maxout_forward<T, X, std::remove_reference_t<Y>, void>(m, x, y, nullptr);
}

/// The same, and argmax ← the winning piece of each group (0 … pieces − 1). argmax has y's shape;
/// its scalar is Eigen::Index or any other integer type with room for pieces − 1.
template <class T, class X, class Y, class A, class = detail::if_maxout_containers_t<X, Y, A>>
inline void forward(const Maxout<T>& m, const X& x, Y&& y, A&& argmax) {
  static_assert(detail::maxout_values_ok_v<T, Y, X>, "activ: x and y hold the functor's value_type.");
  static_assert(detail::same_rank_v<X, Y, A>, "activ: every tensor of one call must have the same rank.");
  static_assert(detail::is_index_scalar_v<detail::scalar_t<A>>,
                "activ: argmax holds an integer type (Eigen::Index, or another integer).");
  detail::maxout_forward(m, x, y, &argmax);
}

/// dx ← 0, except each group's winning piece ← dy of its unit (the winners recomputed from x).
template <class T, class X, class DY, class DX, class = detail::if_maxout_containers_t<X, DY, DX>>
inline void backward(const Maxout<T>& m, const X& x, const DY& dy, DX&& dx) {
  static_assert(detail::maxout_values_ok_v<T, DX, X, DY>, "activ: x, dy and dx hold the functor's value_type.");
  static_assert(detail::same_rank_v<X, DY, DX>, "activ: every tensor of one call must have the same rank.");
  constexpr int L = detail::layout_v<DX>;
  const auto xs = detail::shape_of(x);
  const auto ys = detail::maxout_reduced("backward", "x", m, xs);
  detail::check_same_shape("backward", "dx", detail::shape_of(dx), "x", xs);
  detail::check_reduced_shape("backward", "dy", detail::shape_of(dy), "x", m, xs, ys);
  if (detail::element_count(ys) == 0) return;

  const detail::axis_split s = detail::split_at(xs, m.axis(), L);
  auto o = detail::write_contiguous<L>(dx);
  const auto xin = detail::read_contiguous<L>(x, {detail::written_span(o)}, false);
  const auto dyin = detail::read_contiguous<L>(dy, {detail::written_span(o)}, false);
  detail::maxout_backward_kernel(m.pieces(), s, xin.data, dyin.data, o.data);
  detail::commit<L>(o, dx);
}

/// dx ← 0, except the piece argmax names in each group ← dy of its unit. argmax and dy have the
/// shape of dx with the axis divided by pieces; argmax values outside 0 … pieces − 1 are an error.
template <class T, class A, class DY, class DX, class = detail::if_maxout_containers_t<A, DY, DX>>
inline void backward_from_argmax(const Maxout<T>& m, const A& argmax, const DY& dy, DX&& dx) {
  static_assert(detail::maxout_values_ok_v<T, DX, DY>, "activ: dy and dx hold the functor's value_type.");
  static_assert(detail::same_rank_v<A, DY, DX>, "activ: every tensor of one call must have the same rank.");
  static_assert(detail::is_index_scalar_v<detail::scalar_t<A>>,
                "activ: argmax holds an integer type (Eigen::Index, or another integer).");
  constexpr int L = detail::layout_v<DX>;
  const char* fn = "backward_from_argmax";
  const auto xs = detail::shape_of(dx);
  const auto ys = detail::maxout_reduced(fn, "dx", m, xs);
  detail::check_reduced_shape(fn, "argmax", detail::shape_of(argmax), "dx", m, xs, ys);
  detail::check_reduced_shape(fn, "dy", detail::shape_of(dy), "dx", m, xs, ys);
  if (detail::element_count(ys) == 0) return;

  const detail::axis_split s = detail::split_at(xs, m.axis(), L);
  auto o = detail::write_contiguous<L>(dx);
  const auto ain = detail::read_contiguous<L>(argmax, {detail::written_span(o)}, false);
  if (const Eigen::Index f = detail::first_non_piece(ain.data, detail::element_count(ys), m.pieces());
      f != detail::element_count(ys)) {
    detail::fail(std::string("activ::") + fn + ": argmax holds " + std::to_string(ain.data[f]) + " at " +
                 detail::logical_index(f, ys, L) + ", expected a piece index 0 … " + std::to_string(m.pieces() - 1));
  }
  const auto dyin = detail::read_contiguous<L>(dy, {detail::written_span(o)}, false);
  detail::maxout_scatter(m.pieces(), s, ain.data, dyin.data, o.data);
  detail::commit<L>(o, dx);
}

/// A new plain object of x's kind (Matrix, Array, or Tensor of x's rank and layout) holding
/// forward(m, x), of x's shape with the axis divided by pieces.
template <class T, class X, class = std::enable_if_t<detail::is_dense_v<X> || detail::is_tensor_v<X>>>
inline auto apply(const Maxout<T>& m, const X& x) {
  const auto ys = detail::maxout_reduced("apply", "x", m, detail::shape_of(x));
  if constexpr (detail::is_dense_v<X>) {
    typename detail::maxout_dense_result<X>::type y(ys[0], ys[1]);
    forward(m, x, y);
    return y;
  } else {
    Eigen::Tensor<T, detail::tensor_rank_v<X>, detail::tensor_layout_v<X>> y(ys);
    forward(m, x, y);
    return y;
  }
}

}  // namespace activ

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_ACTIVATIONS_MAXOUT_HPP
