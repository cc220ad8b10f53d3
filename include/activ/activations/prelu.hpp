// activ — Parametric ReLU: a Leaky ReLU whose slopes are learned, one shared or one per channel.
//
//   f(x)    = x > 0 ? x : a_c·x        c = the index of the element along the logical `axis`
//   f'(x)   = x > 0 ? 1 : a_c          (at the kink f'(0) = a_c, as PyTorch)
//   ∂L/∂a_c = Σ over the elements of channel c of (x <= 0 ? x·dy : 0)   (x = 0 adds 0·dy = 0)
// He, Zhang, Ren & Sun, "Delving Deep into Rectifiers: Surpassing Human-Level Performance on
// ImageNet Classification", ICCV 2015. Default slope 0.25, the paper's initial value and PyTorch's.
// Max error: exact (forward, derivative and dx are one correctly rounded product each).
// ∂L/∂a is a sum: float lanes add at most 16 terms each before a block's total joins a double
// accumulator per channel and slab, the slabs' sums are added in order, then one rounding to T
// (docs/prelu.md has the measured error). The slabs are cut from the shape alone, so the
// threaded backward of core/parallel.hpp gives the same bits.
// NaN in x gives NaN in y, d, dx and in its channel's slope gradient. f(+inf) = +inf and
// f(−inf) = −inf for a > 0, +inf for a < 0, NaN for a = 0 (the IEEE product 0·inf);
// f'(+inf) = 1, f'(−inf) = a. Slopes may be any value, negative ones too; none is checked.
#ifndef ACTIV_ACTIVATIONS_PRELU_HPP
#define ACTIV_ACTIVATIONS_PRELU_HPP

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "activ/config.hpp"
#include "activ/core/axis.hpp"
#include "activ/core/shape.hpp"
#include "activ/detail/lift.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ {

/// Passed last to PReLU's backward: add the slope gradient into dalpha instead of overwriting
/// it, for gradients summed over several mini-batches.
struct accumulate_t {
  explicit constexpr accumulate_t() = default;
};
inline constexpr accumulate_t accumulate{};

namespace detail {

// The formulas, written once over batches; `a` holds each lane's slope.
template <class B>
inline B prelu_forward(const B& x, const B& a) noexcept {
  return xsimd::select(x > B(typename B::value_type(0)), x, a * x);
}

template <class B>
inline B prelu_derivative(const B& x, const B& a) noexcept {
  return step(x, a);
}

// select(m, 0, v). Where a mask is a vector register like the data (SSE2 to AVX2; AVX-512's are
// mask registers) this is one and-not: GCC 12 turned a mask feeding two blends into an extra
// integer compare per batch.
template <class B>
inline B zero_where(const typename B::batch_bool_type& m, const B& v) noexcept {
  using A = typename B::arch_type;  // xsimd 8.1: sse2 … sse4_2, and avx … fma3<avx2>; avx512f apart
  if constexpr (std::is_base_of_v<xsimd::sse2, A> || std::is_base_of_v<xsimd::avx, A>) {
    return xsimd::bitwise_andnot(B(static_cast<typename B::register_type>(m)), v);  // ~m & v
  } else {
    return xsimd::select(m, B(typename B::value_type(0)), v);
  }
}

// The term of ∂L/∂a: x·dy where x <= 0. A NaN x fails x > 0 and so carries its NaN into the sum.
template <class B>
inline B prelu_slope_term(const B& x, const B& dy) noexcept {
  return zero_where(x > B(typename B::value_type(0)), x * dy);
}

// sum + prelu_slope_term(x, dy). With AVX-512 one masked fused multiply-add where x > 0 fails
// (x <= 0 or NaN): the lane's x·dy is added unrounded, and the other lanes keep sum as it is, so
// dy = ±inf or NaN where x > 0 adds nothing, as the select does. One instruction for the multiply,
// the select and the add.
template <class B>
inline B prelu_add_term(const B& sum, const B& x, const B& dy) noexcept {
#if defined(__AVX512F__)
  if constexpr (is_avx512_v<B>) {
    using T = typename B::value_type;
    if constexpr (std::is_same_v<T, float>) {
      const __mmask16 m = _mm512_cmp_ps_mask(x, B(T(0)), _CMP_NGT_UQ);
      return _mm512_mask3_fmadd_ps(x, dy, sum, m);
    } else {
      const __mmask8 m = _mm512_cmp_pd_mask(x, B(T(0)), _CMP_NGT_UQ);
      return _mm512_mask3_fmadd_pd(x, dy, sum, m);
    }
  }
#endif
  return sum + prelu_slope_term(x, dy);
}

// dy·f'(x) beside prelu_slope_term: the same values as dy * prelu_derivative(x, a) (x > 0: dy;
// x <= 0: a·dy; NaN x: x·dy, a NaN), written to share x·dy and x > 0 with the slope term, so
// the slope gradient costs a multiply, an and-not and an add per batch over the plain backward.
// With AVX-512 the derivative is one instruction (step, detail/lift.hpp), and dy times it is the
// shorter form: two operations per batch instead of two compares, a multiply and a blend; the
// slope gradient then adds a compare and a masked multiply-add (prelu_add_term).
template <class B>
inline B prelu_backward_dx(const B& x, const B& dy, const B& a) noexcept {
  if constexpr (is_avx512_v<B>) return dy * prelu_derivative(x, a);
  const B zero(typename B::value_type(0));
  return xsimd::select(x > zero, dy, xsimd::select(x <= zero, a * dy, x * dy));
}

}  // namespace detail

template <class T = float>
class PReLU {
 public:
  using value_type = T;
  using slopes_type = Eigen::Array<T, Eigen::Dynamic, 1>;

  /// One slope shared by every element (axis() is then 0, and always in range).
  explicit PReLU(T alpha = T(0.25)) : alpha_(slopes_type::Constant(1, alpha)), axis_(0) {}

  /// `channels` slopes, all `init`, one per index along the logical `axis` of the input.
  PReLU(Eigen::Index channels, Eigen::Index axis, T init = T(0.25)) : axis_(axis) {
    if (channels < 0) fail_ctor("channels must be >= 0, got " + std::to_string(channels));
    check_axis_sign();
    alpha_ = slopes_type::Constant(channels, init);
  }

  /// The given slopes, one per index along `axis` (or a single one, shared).
  PReLU(slopes_type alpha, Eigen::Index axis) : alpha_(std::move(alpha)), axis_(axis) { check_axis_sign(); }

  /// The slopes, to read or to train. Their count must be 1 or the input's size along axis().
  slopes_type& alpha() noexcept { return alpha_; }
  const slopes_type& alpha() const noexcept { return alpha_; }
  Eigen::Index axis() const noexcept { return axis_; }

  // The scalar and batch forms below are noexcept like every activ functor: they index the
  // slopes without a check (as Eigen's operator[]), the container functions having checked
  // the slope count once per call.

  /// f(x) for an element of channel `channel` (T or xsimd::batch<T, A>).
  template <class V>
  V operator()(const V& x, Eigen::Index channel = 0) const noexcept {
    return detail::lift<T>(x, [a = alpha_[channel]](const auto& b) { return detail::leaky(b, a); });
  }

  /// f'(x) for an element of channel `channel`.
  template <class V>
  V derivative(const V& x, Eigen::Index channel = 0) const noexcept {
    return detail::lift<T>(x, [a = alpha_[channel]](const auto& b) {
      using B = std::decay_t<decltype(b)>;
      return detail::prelu_derivative(b, B(a));
    });
  }

  static_assert(detail::is_real_v<T>, "activ::PReLU<T> takes T = float or T = double.");

 private:
  [[noreturn]] static void fail_ctor(const std::string& what) { detail::fail("activ::PReLU: " + what); }
  void check_axis_sign() const {
    if (axis_ < 0) fail_ctor("axis must be >= 0, got " + std::to_string(axis_));
  }

  slopes_type alpha_;
  Eigen::Index axis_;
};

namespace detail {

template <class T>
inline constexpr Eigen::Index lanes_v = static_cast<Eigen::Index>(batch<T>::size);

// The batch at p, held in a register (in_register, detail/lift.hpp). GCC otherwise folds the
// load into every instruction that reads the value (select(x > 0, x, a·x) reads x three
// times): three loads per batch, and the load ports instead of the one store become the limit
// (PReLU's tiled forward on 4 Ki floats: 658 ns with folded loads, 396 ns without).
template <class B, class T>
inline B load_kept(const T* p) noexcept {
  return in_register(B::load_unaligned(p));
}

// n elements of T on the heap from a 64-byte boundary (none for n = 0), uninitialized or zeroed:
// new[] alone gives malloc's 16 bytes, and where a buffer is read (and written) once per batch,
// every other 32-byte access may split a cache line, depending on where malloc put it (the
// slope gradient on the rows of a 256 × 256 Matrix, whose tile buffers are on the heap:
// 0.94–0.98 of the time at the minimum once aligned, same-process A/Bs; the medians moved more
// than that on a busy machine). A pointer and a unique_ptr, not a std::vector: with a vector's
// code in prelu_tiled, the 4 Ki forward on a tensor's first axis measured 1.17× slower.
template <class T>
class heap_array {
 public:
  explicit heap_array(Eigen::Index n, bool zeroed = false) {
    if (n <= 0) return;
    constexpr Eigen::Index pad = 64 / sizeof(T);
    storage_.reset(zeroed ? new T[static_cast<std::size_t>(n + pad)]() : new T[static_cast<std::size_t>(n + pad)]);
    const auto at = reinterpret_cast<std::uintptr_t>(storage_.get());
    data_ = storage_.get() + (std::uintptr_t(64) - at % 64) % 64 / sizeof(T);
  }
  T* data() const noexcept { return data_; }

 private:
  std::unique_ptr<T[]> storage_;
  T* data_ = nullptr;
};

// Runs of at least this many elements take one broadcast slope each; shorter runs are walked
// with a slope pattern instead, so that the loop never degenerates into tails.
template <class T>
inline constexpr Eigen::Index broadcast_min_run = 4 * lanes_v<T>;
// A pattern holds whole periods (axis·inner slopes) and at least this many elements, so that
// each transform call is long; small enough to stay in L1.
inline constexpr Eigen::Index pattern_min_length = 4096;
// Above this period (huge axis, short runs) a pattern would cost as much memory as the input.
inline constexpr Eigen::Index pattern_max_period = Eigen::Index(1) << 16;

template <class T>
inline bool use_broadcast(const axis_split& s) {
  if (s.inner >= broadcast_min_run<T>) return true;
  if (s.inner == 1) return false;  // the pattern is the slopes themselves, whatever the axis size
  return s.axis * s.inner > pattern_max_period;
}

// p[filled, length) ← the first `filled` elements repeated (p[j + filled] = p[j]), by doubling
// copies: one copy per period cost a call per period, as much as the forward pass itself on
// 4 Ki elements.
template <class T>
inline void repeat_filled(T* p, Eigen::Index filled, Eigen::Index length) {
  for (; filled < length; filled *= 2) std::copy_n(p, std::min(filled, length - filled), p + filled);
}

// The slope of every element of `length` consecutive ones, starting at a period boundary: the
// element at (o·axis + c)·inner + i has slope alpha[c], so the slopes repeat with period axis·inner.
template <class T>
struct slope_pattern {
  heap_array<T> owned{0};  // uninitialized: every element is written below
  const T* data = nullptr;
  Eigen::Index period = 0, length = 0;

  slope_pattern(const T* alpha, const axis_split& s) : period(s.axis * s.inner) {
    if (s.inner == 1 && s.axis >= pattern_min_length) {
      data = alpha;
      length = s.axis;
      return;
    }
    // Never more periods than the buffer holds (s.outer).
    const Eigen::Index periods = std::min(ceil_div(pattern_min_length, period), s.outer);
    length = periods * period;
    owned = heap_array<T>(length);
    T* out = owned.data();
    for (Eigen::Index c = 0; c < s.axis; ++c) out = std::fill_n(out, s.inner, alpha[c]);
    repeat_filled(owned.data(), period, length);
    data = owned.data();
  }
};

// Short runs (inner small) walk the buffer in tiles: a tile is lcm(period, 4·lanes) elements,
// whole periods and whole groups of four batches, so the batches at offset j of every tile have
// the same slopes, read from a small buffer in L1 beside the data. Where a tile is just four
// batches, four tiles go at a time: one load of the slopes (and, for the slope gradient, one
// load and store of their float accumulators) serves sixteen batches of data. The elements
// before the output's first aligned batch go first through one zero-padded batch, so that the
// stores of the tiles are aligned; the walk then starts at phase h of the pattern, which the
// slope buffer accounts for.
// Periods whose tile would exceed tile_max take slope_pattern below.
inline constexpr Eigen::Index tile_max = 2048;

// lcm(period, 4·lanes), the group a power of two: the period doubled until the group divides
// it. No division: the divisions of std::gcd and of lcm's quotient sit in a row before the
// first batch, and their latency was a visible share of a forward pass over 4 Ki floats.
template <class T>
inline Eigen::Index tile_length(const axis_split& s) {
  constexpr Eigen::Index group = 4 * lanes_v<T>;
  static_assert((group & (group - 1)) == 0, "a group of batches is a power of two elements");
  Eigen::Index tile = s.axis * s.inner;
  while (tile % group != 0) tile *= 2;
  return tile;
}

// The backward with the slope gradient over `count` (<= 16) consecutive tiles of `tile`
// elements from x, dy and out, slopes at the tile's phases, in bands of N = sizeof...(U) batches:
// a band's N float accumulators (and, with HoldSlopes, its N slopes) stay in registers while the
// walk goes down the tiles, then the accumulators join phase_sums and the next band starts. Each
// phase's terms are added in the same order as tile after tile would (a phase sits in one band),
// so the sums do not depend on N. Same-process A/Bs on the Zen 4 of 2026-12-07 (scripts/ab
// prelu, 20-30 repetitions), slope gradient on the rows of a d × d Matrix, AVX-512:
//  - d = 256 (16-batch tiles): a tile whole, its 16 accumulators held (GCC spilled one) and its
//    slopes loaded from L1 per batch, drew 0.87-0.91 of the two-input copy; two bands of 8 with
//    their slopes held, a batch then costing the copy's two loads and a store, took 0.93, 0.95,
//    0.96, 0.97, 0.99 and 1.00 of its time in six A/Bs (0.93-0.94 of the copy), and 0.83-1.03 in
//    four that morning: a few per cent; bands of 4: 0.97; one of 16 (all 32 registers): 1.03.
//  - d = 192 (12-batch tiles): holding the slopes too cost 1.14x (one band of 12) and 1.04x (two
//    of 6) the whole tile with slopes from L1; d = 128 (8 batches): 1.01x. Those stay as they were.
//  - With 16 registers (SSE2 to AVX2, -march=haswell on the same Zen 4), bands of 4 batches over
//    the 32-batch tiles of d = 256 measured 1.07x prelu_tiled's L1 walk: there only 8-batch
//    tiles come here, whole, slopes from L1.
template <bool HoldSlopes, class T, class Op, std::size_t... U>
inline void prelu_tiles_held(Op& op, Eigen::Index count, Eigen::Index tile, const T* slopes, const T* x,
                             const T* dy, T* out, double* phase_sums, std::index_sequence<U...>) noexcept {
  using B = batch<T>;
  constexpr Eigen::Index w = lanes_v<T>, band = static_cast<Eigen::Index>(sizeof...(U)) * w;
  const auto slope = [slopes](Eigen::Index at) { return B::load_unaligned(slopes + at); };
  for (Eigen::Index b = 0; b < tile; b += band) {
    // Without HoldSlopes a is unused and each batch loads its slopes.
    const B a[sizeof...(U)] = {(HoldSlopes ? slope(b + static_cast<Eigen::Index>(U) * w) : B(T(0)))...};
    B sum[sizeof...(U)] = {((void)U, B(T(0)))...};
    const T* xt = x + b;
    const T* dyt = dy + b;
    T* to = out + b;
    for (Eigen::Index t = 0; t < count; ++t, xt += tile, dyt += tile, to += tile) {
      // Each batch is loaded before it is stored, so an output that is exactly an input is read first.
      (
          [&] {
            constexpr Eigen::Index at = static_cast<Eigen::Index>(U) * w;
            const B xb = load_kept<B>(xt + at), dyb = load_kept<B>(dyt + at);
            op(HoldSlopes ? a[U] : slope(b + at), xb, dyb).store_unaligned(to + at);
            sum[U] = prelu_add_term(sum[U], xb, dyb);
          }(),
          ...);
    }
    alignas(64) T lanes[sizeof...(U) * B::size];
    (sum[U].store_aligned(lanes + U * B::size), ...);
    double* const d = phase_sums + b;
    for (std::size_t j = 0; j < sizeof...(U) * B::size; ++j) d[j] += static_cast<double>(lanes[j]);
  }
}

// out ← op(a, in...) and, when Sums (in = x, dy), sums[c] += channel c's slope terms, over the
// n = outer·axis·inner elements of a buffer split as s, in tiles of `tile` elements. The float
// accumulators take at most 16 terms per lane before they join the per-channel doubles.
template <bool Sums, class T, class Op, class... In>
inline void prelu_tiled(Op op, const T* alpha, const axis_split& s, Eigen::Index tile, T* out, double* sums,
                        const In*... in) {
  using B = batch<T>;
  constexpr Eigen::Index w = lanes_v<T>;
  constexpr int fold_every = 16;
  const Eigen::Index n = s.outer * s.axis * s.inner, period = s.axis * s.inner;
  const Eigen::Index h = std::min<Eigen::Index>(n, elements_to_alignment(out));
  // slopes[j] is the slope at phase (h + j) mod period and acc[j] the terms of that phase not yet
  // in sums, for j < tile + w: a tail's padding lanes read past the tile, and the head's
  // elements (phases 0 … h−1) sit at tile − h … tile − 1 of the same cycle.
  // A fold adds acc into per-phase doubles (a loop the compiler vectorizes), and only the end
  // maps phases to channels: folding straight into sums[channel] cost a division per phase,
  // which at every 16 tiles of a short period was slower than the pass itself.
  const Eigen::Index span = tile + w;
  // Short tiles (the common short periods) keep their buffers on the stack, 4 KiB of slopes and
  // accumulators and 2 KiB of per-phase sums: at 4 Ki elements an allocation was a visible share
  // of the call, and the slope gradient on a period of 256 floats (the rows of a 256-row Matrix)
  // paid two. acc starts span elements after slopes, a whole number of batches, so both are aligned.
  constexpr std::size_t local_size = 4096 / sizeof(T), local_sums_size = Sums ? 256 : 1;
  constexpr auto local_max = static_cast<Eigen::Index>(local_size);
  constexpr auto local_sums = static_cast<Eigen::Index>(local_sums_size);
  alignas(64) T local[local_size];
  alignas(64) double local_phase_sums[local_sums_size];
  const Eigen::Index buffer_length = (Sums ? 2 : 1) * span;
  const heap_array<T> heap(buffer_length > local_max ? buffer_length : 0);
  T* const slopes = heap.data() ? heap.data() : local;
  T* const acc = slopes + span;
  const heap_array<double> heap_phase_sums(Sums && tile > local_sums ? tile : 0, true);
  double* const phase_sums = heap_phase_sums.data() ? heap_phase_sums.data() : local_phase_sums;
  if (Sums && tile <= local_sums) std::fill_n(phase_sums, tile, 0.0);
  // f(j, c, length) for the phases h + j … h + j + length − 1, all of channel c, in order over
  // `count` phases from h. The channel of phase h is counted (h < lanes), the rest by segments:
  // a counting loop per phase was most of the fixed cost of the slope gradient on the rows of a
  // 256-row Matrix (inner 1, a segment per phase: 0.86 us per call, 256 elements).
  const auto for_each_segment = [&s, h](Eigen::Index count, auto&& f) {
    Eigen::Index c = 0, i = 0;
    for (Eigen::Index j = 0; j < h; ++j) {
      if (++i == s.inner) {
        i = 0;
        if (++c == s.axis) c = 0;
      }
    }
    for (Eigen::Index j = 0; j < count;) {
      const Eigen::Index length = std::min(s.inner - i, count - j);
      f(j, c, length);
      j += length;
      i = 0;
      if (++c == s.axis) c = 0;
    }
  };
  // With inner 1 a phase is a channel: consecutive channels are consecutive slopes and sums,
  // taken as ranges of up to the axis each, from phase 0's channel, h mod axis (without a
  // division: h < lanes).
  const Eigen::Index h_channel = [&s, h] {
    Eigen::Index c = h;
    while (c >= s.axis) c -= s.axis;
    return c;
  }();
  const auto for_each_channel_range = [&s, h_channel](Eigen::Index count, auto&& f) {
    Eigen::Index c = h_channel;
    for (Eigen::Index j = 0; j < count;) {
      const Eigen::Index length = std::min(s.axis - c, count - j);
      f(j, c, length);
      j += length;
      c = 0;
    }
  };
  // One period, then repeated: a counting loop over the whole span was a tenth of the forward
  // pass over 4 Ki floats.
  const Eigen::Index first = std::min(span, period);
  if (s.inner == 1) {
    for_each_channel_range(first, [&](Eigen::Index j, Eigen::Index c, Eigen::Index length) {
      std::copy_n(alpha + c, length, slopes + j);
    });
  } else {
    for_each_segment(first, [&](Eigen::Index j, Eigen::Index c, Eigen::Index length) {
      std::fill_n(slopes + j, length, alpha[c]);
    });
  }
  repeat_filled(slopes, first, span);
  if constexpr (Sums) std::fill_n(acc, span, T(0));
  int pending = 0;  // terms per accumulator lane since the last fold
  // A call shorter than a tile leaves the phases [idle_begin, idle_end) untouched: their
  // accumulators and per-phase sums stay +0, and adding +0 to a total that starts at +0 changes
  // no bit (such a total is never −0), so the fold and the channel sums skip them. A 3 × 4
  // Matrix's slope gradient, 3 channels innermost (tile 192, 12 elements): 107 ns, against 202
  // with every phase folded and summed (one-process probe on the Xeon, 2026-12-07). (Periods
  // that divide the batch, a 4 × 4 Matrix's 4 channels, no longer come here: see
  // prelu_backward_periodic.)
  const Eigen::Index idle_begin = std::min(tile, n - h), idle_end = std::max(idle_begin, tile - h);
  const auto fold = [&] {
    double* const d = phase_sums;
    const auto range = [&](Eigen::Index begin, Eigen::Index end) {
      for (Eigen::Index j = begin; j < end; ++j) {
        d[j] += static_cast<double>(acc[j]);
        acc[j] = T(0);
      }
    };
    range(0, idle_begin);
    range(idle_end, tile);
    pending = 0;
  };
  // One batch at `at` with slopes a; returns sum plus its slope terms when Sums.
  const auto one = [&](Eigen::Index at, const B& a, const B& sum) {
    if constexpr (Sums) {
      const T* const ptr[] = {in...};
      const B xb = load_kept<B>(ptr[0] + at), dyb = load_kept<B>(ptr[1] + at);
      op(a, xb, dyb).store_unaligned(out + at);
      return prelu_add_term(sum, xb, dyb);
    } else {
      op(a, load_kept<B>(in + at)...).store_unaligned(out + at);
      return sum;
    }
  };
  // `count` (< w) elements at `at` through one zero-padded batch; slopes and acc at offset j.
  const auto partial = [&](Eigen::Index at, Eigen::Index count, Eigen::Index j) {
    const B a = B::load_unaligned(slopes + j);
    if constexpr (Sums) {
      const T* const ptr[] = {in...};
      const B xb = load_partial<B>(ptr[0] + at, count), dyb = load_partial<B>(ptr[1] + at, count);
      store_partial(op(a, xb, dyb), out + at, count);
      prelu_add_term(B::load_unaligned(acc + j), xb, dyb).store_unaligned(acc + j);  // padding adds 0·0
    } else {
      store_partial(op(a, load_partial<B>(in + at, count)...), out + at, count);
    }
  };
  // Four consecutive batches from `at`, slopes from a, terms added to sum[u]. All four are
  // loaded and computed before any is stored, so an output that is exactly an input is read
  // first.
  const auto four = [&](Eigen::Index at, const T* a, B* sum) {
    B r[4];
    if constexpr (Sums) {
      const T* const ptr[] = {in...};
      for (int u = 0; u < 4; ++u) {
        const B xb = load_kept<B>(ptr[0] + at + u * w), dyb = load_kept<B>(ptr[1] + at + u * w);
        r[u] = op(B::load_unaligned(a + u * w), xb, dyb);
        sum[u] = prelu_add_term(sum[u], xb, dyb);
      }
    } else {
      for (int u = 0; u < 4; ++u) r[u] = op(B::load_unaligned(a + u * w), load_kept<B>(in + at + u * w)...);
    }
    for (int u = 0; u < 4; ++u) r[u].store_unaligned(out + at + u * w);
  };
  // `k` tiles side by side from `at`, four batches of each at a time.
  const auto tiles = [&](Eigen::Index at, auto k) {
    for (Eigen::Index j = 0; j < tile; j += 4 * w) {
      B sum[4];
      if constexpr (Sums) {
        for (int u = 0; u < 4; ++u) sum[u] = B::load_unaligned(acc + j + u * w);
      }
      for (int t = 0; t < k; ++t) four(at + t * tile + j, slopes + j, sum);
      if constexpr (Sums) {
        for (int u = 0; u < 4; ++u) sum[u].store_unaligned(acc + j + u * w);
      }
    }
    pending += k;
  };

  if (h > 0) {
    partial(0, h, tile - h);
    pending = 1;
  }
  Eigen::Index at = h;
  // Four tiles side by side when a tile is one group of four batches, where that is still a
  // sequential walk: with longer tiles, four streams a tile apart measured slower (forward 10.6
  // against 8.8 us at 64 Ki, period 256, AVX2) than one tile after the other. The slope
  // gradient once took up to four groups per tile four side by side too, which measured
  // 0.89-0.91 of the time of one tile after the other on the AVX-512 machine of 2026-11-28; on
  // the Zen 5 of 2026-12-06 it was 1.3x slower (Matrix rows, period 256, scripts/ab prelu), and
  // two side by side 1.1x: longer tiles go one after the other.
  if (tile == 4 * w) {
    for (; n - at >= 4 * tile; at += 4 * tile) {
      if (Sums && pending + 4 > fold_every) fold();
      tiles(at, std::integral_constant<int, 4>{});
    }
  }
  // Tiles of 8 batches, and with AVX-512 (32 registers) of 12 or 16, keep their accumulators in
  // registers (prelu_tiles_held): the Matrix rows' period 256 in float on AVX-512 took 0.65 of
  // the time of the four-side-by-side walk with its L1 accumulators (same-process A/B, Zen 5;
  // docs/prelu.md); AVX2 code with 16 registers on a 64-row Matrix, 8 accumulators: 0.78-0.86 of
  // the time of the one-tile-at-a-time L1 walk (three alternating runs of two builds on the same
  // Zen 5). Tiles of 16 go in two bands of 8 with their slopes held (see prelu_tiles_held).
  if constexpr (Sums) {
    const T* const ptr[] = {in...};
    const auto held = [&](auto hold_slopes, auto band) {
      while (n - at >= tile) {
        const Eigen::Index count = std::min<Eigen::Index>(fold_every, (n - at) / tile);
        prelu_tiles_held<decltype(hold_slopes)::value>(op, count, tile, slopes, ptr[0] + at, ptr[1] + at, out + at,
                                                        phase_sums, band);
        at += count * tile;
      }
    };
    if (tile == 8 * w) held(std::false_type{}, std::make_index_sequence<8>{});
    if constexpr (is_avx512_v<B>) {
      if (tile == 12 * w) held(std::false_type{}, std::make_index_sequence<12>{});
      if (tile == 16 * w) held(std::true_type{}, std::make_index_sequence<8>{});
    }
  }
  for (; n - at >= tile; at += tile) {
    if (Sums && pending + 1 > fold_every) fold();
    tiles(at, std::integral_constant<int, 1>{});
  }
  if (Sums && pending + 1 > fold_every) fold();
  Eigen::Index j = 0;
  for (; n - at - j >= w; j += w) {
    const B a = B::load_unaligned(slopes + j);
    if constexpr (Sums) {
      one(at + j, a, B::load_unaligned(acc + j)).store_unaligned(acc + j);
    } else {
      one(at + j, a, a);
    }
  }
  if (n - at - j > 0) partial(at + j, n - at - j, j);
  if constexpr (Sums) {
    fold();
    // Phase by phase in order, as one loop over phases would add them.
    if (s.inner == 1 && tile >= 4 * s.axis) {
      // Few channels, each at several phases (q ≡ its channel − h mod the axis): channel by
      // channel, its phases in order (the same additions), each total in a register. Range by
      // range, every range's adds waited for the previous range's stores to sums: 4 channels
      // at 16 phases each, 40 of the 100 ns of a 4 × 4 Matrix's slope gradient.
      const Eigen::Index c0 = h_channel;
      // The multiple of the axis at or below idle_end: one division per call, where stepping
      // each channel's phases across the idle range cost as much as the adds it saved.
      const Eigen::Index idle_base = idle_end > idle_begin ? idle_end - idle_end % s.axis : 0;
      for (Eigen::Index c = 0; c < s.axis; ++c) {
        double total = sums[c];
        const Eigen::Index q0 = c >= c0 ? c - c0 : c - c0 + s.axis;  // channel c's first phase
        Eigen::Index q = q0;
        for (; q < idle_begin; q += s.axis) total += phase_sums[q];
        if (q < idle_end) q = idle_base + q0 < idle_end ? idle_base + q0 + s.axis : idle_base + q0;
        for (; q < tile; q += s.axis) total += phase_sums[q];
        sums[c] = total;
      }
    } else if (s.inner == 1) {
      for_each_channel_range(tile, [&](Eigen::Index q, Eigen::Index c, Eigen::Index length) {
        for (Eigen::Index k = 0; k < length; ++k) sums[c + k] += phase_sums[q + k];
      });
    } else {
      for_each_segment(tile, [&](Eigen::Index q, Eigen::Index c, Eigen::Index length) {
        double total = sums[c];
        for (Eigen::Index k = 0; k < length; ++k) total += phase_sums[q + k];
        sums[c] = total;
      });
    }
  }
}

// out ← op(a, in...) over one run of n elements with one slope: transform's loop without its
// per-call decisions (streaming, the aligned head), which on runs of a few hundred elements cost
// as much as the run (forward over the columns of a 256 × 256 Matrix: 0.78 of the copy).
template <class T, class Op, class... In>
inline void prelu_short_run(Op& op, const batch<T>& a, Eigen::Index n, T* out, const In*... in) noexcept {
  using B = batch<T>;
  constexpr Eigen::Index w = lanes_v<T>;
  Eigen::Index j = 0;
  for (; j + 4 * w <= n; j += 4 * w) {
    B r[4];
    for (int u = 0; u < 4; ++u) r[u] = op(a, load_kept<B>(in + j + u * w)...);
    for (int u = 0; u < 4; ++u) r[u].store_unaligned(out + j + u * w);
  }
  for (; j + w <= n; j += w) op(a, load_kept<B>(in + j)...).store_unaligned(out + j);
  if (j < n) store_partial(op(a, load_partial<B>(in + j, n - j)...), out + j, n - j);
}

// op with its slope batch bound: op(v...) is Op's op(a, v...). A formula (prelu_max_op, ...)
// holds nothing, so this is the batch alone, 64 bytes with AVX-512, and transform_run's copy of
// it is one load that the caller's one store forwards. A lambda capturing op by reference
// besides had a pointer in its closure: with prelu_runs compiled into prelu_map, GCC copied the
// closure by 64-byte loads, one of them over the pointer stored just before, which no store
// forwards; that load waited for every earlier store to reach the cache, the previous call's
// output included (a quarter of the call's own samples sat on it in perf), and the forward on
// 4 Ki floats with the channel axis first took 1.06-1.08 of its time before (Zen 4,
// scripts/ab prelu at three function alignments).
template <class Op, class B>
struct slope_bound : Op {
  B a;
  template <class... V>
  B operator()(const V&... v) const noexcept { return Op::operator()(a, v...); }
};

// out[0, n) ← op(a, in...), the same slope batch a for every batch (each starts a multiple of
// the batch width in): long runs through transform (aligned stores, streaming), short ones
// through prelu_short_run.
template <class T, class Op, class... In>
ACTIV_ALWAYS_INLINE void prelu_run(Op& op, const batch<T>& a, Eigen::Index n, T* out, const In*... in) {
  if (n >= aligned_min_run) {
    transform(slope_bound<Op, batch<T>>{op, a}, n, out, in...);
  } else {
    prelu_short_run(op, a, n, out, in...);
  }
}

// Whether a period (axis·inner) of at least 1 divides the batch width: the width is a power of
// two, so the period must be one no longer than it (lanes_v % period was a 64-bit division on
// every call).
template <class T>
inline bool period_divides_batch(Eigen::Index period) noexcept {
  return period <= lanes_v<T> && (period & (period - 1)) == 0;
}

// Lane l's channel in a batch that starts at a period boundary, the period (axis·inner)
// dividing the batch: axis and inner are then powers of two, and the channel is
// (l >> log2 inner) & (axis − 1), no division (log2 inner found by counting).
struct period_channels {
  unsigned shift = 0;
  Eigen::Index keep;
  explicit period_channels(const axis_split& s) noexcept : keep(s.axis - 1) {
    while ((Eigen::Index(1) << shift) < s.inner) ++shift;
  }
  Eigen::Index operator()(std::size_t l) const noexcept { return static_cast<Eigen::Index>(l >> shift) & keep; }
};

// The slopes of such a batch: lane l has channel l's slope. With AVX-512 one permute of the (at
// most 16) slopes: written lane by lane and loaded back as one batch, the load waited on the
// store forwarding, a quarter of prelu_runs' own time in a 4 Ki backward (perf, Zen 4), and a
// 4 × 4 Matrix per row took 26 ns forward against 19 now.
template <class T>
ACTIV_ALWAYS_INLINE batch<T> period_slope_batch(const T* alpha, const axis_split& s) noexcept {
  const period_channels channel(s);
#if defined(__AVX512F__)
  if constexpr (is_avx512_v<batch<T>>) {
    if constexpr (std::is_same_v<T, float>) {
      const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
      const __m512i c = _mm512_and_si512(_mm512_srlv_epi32(lane, _mm512_set1_epi32(static_cast<int>(channel.shift))),
                                         _mm512_set1_epi32(static_cast<int>(channel.keep)));
      const __m512 a = _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << s.axis) - 1), alpha);
      return batch<T>(_mm512_permutexvar_ps(c, a));
    } else {
      const __m512i lane = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
      const __m512i c = _mm512_and_si512(_mm512_srlv_epi64(lane, _mm512_set1_epi64(static_cast<long long>(channel.shift))),
                                         _mm512_set1_epi64(static_cast<long long>(channel.keep)));
      const __m512d a = _mm512_maskz_loadu_pd(static_cast<__mmask8>((1u << s.axis) - 1), alpha);
      return batch<T>(_mm512_permutexvar_pd(c, a));
    }
  }
#endif
  alignas(64) T lanes[batch<T>::size];
  for (std::size_t l = 0; l < batch<T>::size; ++l) lanes[l] = alpha[channel(l)];
  return batch<T>::load_aligned(lanes);
}

// Short runs of one slope each, every one whole four-batch trips, back to back (the channel
// axis outermost on a small tensor: 8 runs of 512 floats on 8^4): one walk of the pointers, a
// trip count per run and no tails.
template <class T, class Op, class... In>
ACTIV_NOINLINE inline void prelu_trip_runs(Op& op, const T* alpha, const axis_split& s, T* out, const In*... in) noexcept {
  using B = batch<T>;
  constexpr Eigen::Index w = lanes_v<T>, w4 = 4 * w;
  const Eigen::Index runs = s.outer * s.axis, trips = s.inner / w4, axis = s.axis;
  Eigen::Index c = 0;
  for (Eigen::Index r = 0; r < runs; ++r) {
    const B a(alpha[c]);
    c = c + 1 == axis ? 0 : c + 1;
    for (Eigen::Index t = 0; t < trips; ++t) {
      B v[4];
      for (int u = 0; u < 4; ++u) v[u] = op(a, load_kept<B>(in + u * w)...);
      for (int u = 0; u < 4; ++u) v[u].store_unaligned(out + u * w);
      out += w4;
      ((in += w4), ...);
    }
  }
}

// prelu_runs' other cases: runs of one slope each, the tiled walk, or a repeated slope pattern.
// Out of line: in prelu_runs, the tiled walk's stack frame and register saves came with every
// call, the one-slope-batch cases' too.
template <class T, class Op, class... In>
ACTIV_NOINLINE inline void prelu_runs_walk(Op op, const T* alpha, const axis_split& s, T* out, const In*... in) {
  const Eigen::Index n = s.outer * s.axis * s.inner;
  if (use_broadcast<T>(s)) {
    if (s.inner < aligned_min_run && s.inner % (4 * lanes_v<T>) == 0) {
      prelu_trip_runs(op, alpha, s, out, in...);
      return;
    }
    for (Eigen::Index o = 0; o < s.outer; ++o) {
      for (Eigen::Index c = 0; c < s.axis; ++c) {
        const Eigen::Index at = (o * s.axis + c) * s.inner;
        prelu_run(op, batch<T>(alpha[c]), s.inner, out + at, (in + at)...);
      }
    }
    return;
  }
  if (const Eigen::Index tile = tile_length<T>(s); tile <= tile_max) {
    prelu_tiled<false>(op, alpha, s, tile, out, nullptr, in...);
    return;
  }
  const slope_pattern<T> pattern(alpha, s);
  for (Eigen::Index at = 0; at < n; at += pattern.length) {
    transform(op, std::min(pattern.length, n - at), out + at, pattern.data, (in + at)...);
  }
}

// out ← op(a, in...) over a contiguous buffer split as s, a being each element's slope: the two
// one-slope-batch cases here, compiled into the caller (prelu_map), the walks out of line.
template <class T, class Op, class... In>
ACTIV_ALWAYS_INLINE void prelu_runs(Op op, const T* alpha, const axis_split& s, T* out, const In*... in) {
  const Eigen::Index n = s.outer * s.axis * s.inner, period = s.axis * s.inner;
  if (s.axis == 1) {
    // One slope for every element (a shared slope, or an axis of size 1): one run. Short, it had
    // gone to the tiled walk, whose slope buffer cost a 16-element call 20 ns against 1.5 for
    // LeakyReLU's.
    prelu_run(op, batch<T>(alpha[0]), n, out, in...);
    return;
  }
  if (period_divides_batch<T>(period) && (n < aligned_min_run || elements_to_alignment(out) == 0)) {
    // A period that divides the batch (2, 4, 8 or 16 floats with AVX-512: a few channels
    // innermost, or a few runs of a few): every batch that starts a multiple of w elements in
    // holds the same slopes, and prelu_run's batches all do when transform takes no aligned
    // head (a short run, or an aligned output): one slope batch, as LeakyReLU's scalar. The
    // tiled walk built a buffer of them with memmove calls, a quarter of the forward on 4 Ki
    // floats.
    prelu_run(op, period_slope_batch(alpha, s), n, out, in...);
    return;
  }
  prelu_runs_walk(op, alpha, s, out, in...);
}

// s[i] = the sum of rows[i]'s lanes, for i < w, by transposing adds: about three operations per
// row where a horizontal sum each took eight, most in one dependency chain. xsimd::haddp does
// this, except that 8.1's AVX-512 float version puts lanes 2-5 and 10-13 out of order (lanes 2,
// 3, 4, 5 hold the totals of rows 4, 5, 2, 3, and likewise 10-13); that case is written here. Its four steps halve the
// partial sums of every row: 256-bit halves, 128-bit quarters, pairs, single lanes. Row r's
// total lands in lane f(r) for the involution f below, so row r is read in place of row f(r).
template <class B>
inline B lane_sums(const B* rows) noexcept {
#if defined(__AVX512F__)
  if constexpr (is_avx512_v<B> && std::is_same_v<typename B::value_type, float>) {
    constexpr int f[16] = {0, 2, 1, 3, 8, 10, 9, 11, 4, 6, 5, 7, 12, 14, 13, 15};
    const auto row = [&](int i) -> __m512 { return rows[f[i]]; };
    __m512 halves[8], quarters[4], pairs[2];
    for (int i = 0; i < 8; ++i) {  // [a0+a2, a1+a3, b0+b2, b1+b3] in 128-bit chunks, a = row i, b = row i + 8
      const __m512 a = row(i), b = row(i + 8);
      halves[i] = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, 0x44), _mm512_shuffle_f32x4(a, b, 0xEE));
    }
    for (int i = 0; i < 4; ++i) {  // chunks: rows i, i + 8, i + 4, i + 12, four partial sums each
      const __m512 a = halves[i], b = halves[i + 4];
      quarters[i] = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, 0x88), _mm512_shuffle_f32x4(a, b, 0xDD));
    }
    for (int i = 0; i < 2; ++i) {  // chunk k: two partial sums of a row of quarters[i], two of quarters[i + 2]
      const __m512d a = _mm512_castps_pd(quarters[i]), b = _mm512_castps_pd(quarters[i + 2]);
      pairs[i] = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(a, b)),
                               _mm512_castpd_ps(_mm512_unpackhi_pd(a, b)));
    }
    return _mm512_add_ps(_mm512_shuffle_ps(pairs[0], pairs[1], 0x88), _mm512_shuffle_ps(pairs[0], pairs[1], 0xDD));
  }
#endif
  return xsimd::haddp(rows);
}

// A run of up to run_block elements goes through one set of accumulators: each lane adds at
// most 16 terms (four accumulators, 64 batches) before the lanes are summed and join a double.
template <class T>
inline constexpr Eigen::Index run_block = 64 * lanes_v<T>;

// dx ← dy·f'(x) over n <= run_block elements, each batch's lanes of slopes `slope` (one slope
// broadcast, or the slopes of a period dividing the batch); returns the slope terms summed per
// lane. Four accumulators keep the adds off one dependency chain. Whole: n is a multiple of four
// batches, and the tails are left out.
template <bool Whole = false, class T>
ACTIV_ALWAYS_INLINE batch<T> prelu_backward_lanes(const batch<T>& slope, Eigen::Index n, const T* x, const T* dy,
                                                  T* dx) noexcept {
  using B = batch<T>;
  constexpr Eigen::Index w = lanes_v<T>;
  B acc0(T(0)), acc1(T(0)), acc2(T(0)), acc3(T(0));
  // The batch at offset j into accumulator acc.
  const auto step = [&](B& acc, Eigen::Index j) {
    const B xb = load_kept<B>(x + j), dyb = load_kept<B>(dy + j);
    prelu_backward_dx(xb, dyb, slope).store_unaligned(dx + j);
    acc = prelu_add_term(acc, xb, dyb);
  };
  Eigen::Index j = 0;
  for (; j + 4 * w <= n; j += 4 * w) {
    step(acc0, j);
    step(acc1, j + w);
    step(acc2, j + 2 * w);
    step(acc3, j + 3 * w);
  }
  if constexpr (Whole) return (acc0 + acc1) + (acc2 + acc3);
  // At most three whole batches and a part are left, one to an accumulator: none takes a
  // 17th term (a full block leaves nothing). Named accumulators and no loop over them: GCC 12
  // kept an array indexed by such a loop on the stack, stored and reloaded once per run
  // (Matrix columns of 256 floats + dalpha: a store and a load per accumulator per run of 16
  // batches).
  if (j + w <= n) {
    step(acc1, j);
    j += w;
    if (j + w <= n) {
      step(acc2, j);
      j += w;
      if (j + w <= n) {
        step(acc3, j);
        j += w;
      }
    }
  }
  if (j < n) {
    const B xb = load_partial<B>(x + j, n - j), dyb = load_partial<B>(dy + j, n - j);
    store_partial(prelu_backward_dx(xb, dyb, slope), dx + j, n - j);
    acc0 = prelu_add_term(acc0, xb, dyb);  // padding adds 0·0
  }
  return (acc0 + acc1) + (acc2 + acc3);
}

// The same over a run of any length, block after block; returns the run's Σ of slope terms.
template <class T>
inline double prelu_backward_run(T a, Eigen::Index n, const T* x, const T* dy, T* dx) noexcept {
  double total = 0;
  for (Eigen::Index j = 0; j < n; j += run_block<T>) {
    const Eigen::Index m = std::min(run_block<T>, n - j);
    total += static_cast<double>(xsimd::hadd(prelu_backward_lanes(batch<T>(a), m, x + j, dy + j, dx + j)));
  }
  return total;
}

// The same over n elements from a period boundary when the period (axis·inner) divides the batch:
// every batch then starts a multiple of the period in and holds the same slopes, lane l those of
// phase l mod period. The lanes' totals are kept in double per block of run_block elements, and
// join part[] lane by lane in lane order. The tiled walk had built a buffer of slopes and one of
// accumulators for this, and mapped its phases to channels at the end.
template <class T>
inline void prelu_backward_periodic(const T* alpha, const axis_split& s, Eigen::Index n, const T* x, const T* dy,
                                    T* dx, double* part) noexcept {
  using B = batch<T>;
  constexpr std::size_t w = B::size;
  const B a = period_slope_batch(alpha, s);
  double total[w] = {};
  for (Eigen::Index j = 0; j < n; j += run_block<T>) {
    alignas(64) T lanes[w];
    prelu_backward_lanes(a, std::min(run_block<T>, n - j), x + j, dy + j, dx + j).store_aligned(lanes);
    for (std::size_t l = 0; l < w; ++l) total[l] += static_cast<double>(lanes[l]);
  }
  // Folded in two steps, a fixed order (the sums do not depend on how a call is split between
  // threads): halves onto each other while a half is a whole number of periods (the period
  // divides w), so that lane l < period holds the sum of its phase; then neighbours onto each
  // other within each channel's `inner` phases (powers of two), so that lane c·inner holds the
  // channel's sum, added to part once. The lanes had been added one by one into each channel's
  // total, loops per channel and per phase: 290-360 of the instructions of a slope gradient on a
  // 4 × 4 Matrix with one slope per row or column (gdb stepi).
  const auto period = static_cast<std::size_t>(s.axis * s.inner), inner = static_cast<std::size_t>(s.inner);
  for (std::size_t half = w / 2; half >= period; half /= 2) {
    for (std::size_t l = 0; l < half; ++l) total[l] += total[l + half];
  }
  for (std::size_t step = 1; step < inner; step *= 2) {
    for (std::size_t l = 0; l < period; l += 2 * step) total[l] += total[l + step];
  }
  for (std::size_t c = 0; c < static_cast<std::size_t>(s.axis); ++c) part[c] += total[c * inner];
}

// The same when the slope changes within a batch: per-position float accumulators over whole
// patterns, folded into the per-channel doubles every 16 patterns.
template <class T>
inline void prelu_backward_pattern(const slope_pattern<T>& pattern, const axis_split& s, const T* x,
                                   const T* dy, T* dx, double* sums) {
  using B = batch<T>;
  constexpr Eigen::Index w = lanes_v<T>;
  constexpr int fold_every = 16;
  const Eigen::Index n = s.outer * s.axis * s.inner;
  const Eigen::Index acc_length = ceil_div(pattern.length, w) * w;
  const heap_array<T> acc_buffer(acc_length, true);
  T* const acc = acc_buffer.data();
  int pending = 0;
  for (Eigen::Index at = 0; at < n; at += pattern.length) {
    const Eigen::Index len = std::min(pattern.length, n - at);
    const T *xs = x + at, *dys = dy + at;
    T* dxs = dx + at;
    Eigen::Index j = 0;
    const T* const slope = pattern.data;
    // Four batches per trip, as core/loop.hpp's transform: loads run ahead of the stores.
    for (; j + 4 * w <= len; j += 4 * w) {
      for (int u = 0; u < 4; ++u) {
        const Eigen::Index k = j + u * w;
        const B xb = load_kept<B>(xs + k), dyb = load_kept<B>(dys + k);
        prelu_backward_dx(xb, dyb, B::load_unaligned(slope + k)).store_unaligned(dxs + k);
        prelu_add_term(B::load_unaligned(acc + k), xb, dyb).store_unaligned(acc + k);
      }
    }
    for (; j + w <= len; j += w) {
      const B xb = load_kept<B>(xs + j), dyb = load_kept<B>(dys + j);
      prelu_backward_dx(xb, dyb, B::load_unaligned(slope + j)).store_unaligned(dxs + j);
      prelu_add_term(B::load_unaligned(acc + j), xb, dyb).store_unaligned(acc + j);
    }
    if (j < len) {
      const Eigen::Index rest = len - j;
      const B xb = load_partial<B>(xs + j, rest), dyb = load_partial<B>(dys + j, rest);
      store_partial(prelu_backward_dx(xb, dyb, load_partial<B>(pattern.data + j, rest)), dxs + j, rest);
      prelu_add_term(B::load_unaligned(acc + j), xb, dyb).store_unaligned(acc + j);
    }
    if (++pending == fold_every || at + len == n) {
      pending = 0;
      T* a = acc;
      for (Eigen::Index t = 0; t < pattern.length / pattern.period; ++t) {
        for (Eigen::Index c = 0; c < s.axis; ++c) {
          for (Eigen::Index i = 0; i < s.inner; ++i, ++a) {
            sums[c] += static_cast<double>(*a);
            *a = T(0);
          }
        }
      }
    }
  }
}

// The slope gradient is summed per slab, then slab after slab in order. A slab is a fixed range
// of units, each a piece of one run (broadcast; runs longer than slab_min are cut) or one whole
// period (patterns), cut from the shape alone: the sums are bitwise the same whether one thread
// computed every slab or several threads some each (core/parallel.hpp). Slabs hold slab_min
// elements or more, and at most max_partials doubles of partial sums exist (slabs × channels).
inline constexpr Eigen::Index slab_min = Eigen::Index(1) << 16;
inline constexpr Eigen::Index max_slabs = 1024;
inline constexpr Eigen::Index max_partials = Eigen::Index(1) << 20;

struct slab_plan {
  bool broadcast = false;
  Eigen::Index pieces = 1;  // broadcast: units per run
  Eigen::Index unit = 0;    // elements per unit (the last piece of a run may be shorter)
  Eigen::Index units = 0, per_slab = 1, count = 0;
};

template <class T>
inline slab_plan plan_slabs(const axis_split& s) {
  slab_plan p;
  const Eigen::Index n = s.outer * s.axis * s.inner;
  p.broadcast = use_broadcast<T>(s);
  if (p.broadcast) {
    constexpr Eigen::Index group = 4 * lanes_v<T>;
    p.pieces = ceil_div(s.inner, slab_min);
    p.unit = ceil_div(p.pieces == 1 ? s.inner : ceil_div(s.inner, p.pieces), group) * group;
    p.pieces = p.pieces == 1 ? 1 : ceil_div(s.inner, p.unit);
    p.units = s.outer * s.axis * p.pieces;
  } else {
    p.unit = s.axis * s.inner;
    p.units = s.outer;
  }
  if (n < 2 * slab_min) {
    // One slab (wanted below is 1): the same plan without its divisions by run-time values,
    // four of which a call on a small layer paid.
    p.per_slab = p.units;
    p.count = 1;
    return p;
  }
  const Eigen::Index wanted = std::min({std::max<Eigen::Index>(1, n / slab_min), max_slabs,
                                        std::max<Eigen::Index>(1, max_partials / s.axis), p.units});
  p.per_slab = ceil_div(p.units, wanted);
  p.count = ceil_div(p.units, p.per_slab);
  return p;
}

// dx ← dy·f'(x) over slab k, and part[c] += the slab's slope terms of channel c.
template <class T>
inline void prelu_backward_slab(const T* alpha, const axis_split& s, const slab_plan& p, Eigen::Index k,
                                const T* x, const T* dy, T* dx, double* part) {
  const Eigen::Index first = k * p.per_slab, last = std::min(p.units, first + p.per_slab);
  if (p.broadcast) {
    // Unit u is piece q of run r, of channel c: counted, not divided (three divisions per run
    // of 256 elements cost a fifth of the time).
    Eigen::Index r = first / p.pieces, q = first % p.pieces, c = r % s.axis;
    if (p.unit <= run_block<T>) {
      // Units of one block (then one unit per run): the lane sums of w units are added in one
      // go, each unit's in a lane of the result (lane_sums' transposing adds), instead of a
      // horizontal sum per unit. Matrix columns of 256 floats + dalpha, same-process A/Bs (Zen 5):
      // 0.94-0.99 of the time.
      // A unit this short is a whole run (inner <= run_block < slab_min: one piece), so unit u
      // is run u, of s.inner elements right after run u − 1's, of the channel after its: the
      // pointers step by s.inner and the channels count round, with no index arithmetic per
      // run, and runs of whole groups of four batches (Matrix columns of 256 floats) skip the
      // tails. Both had cost about a tenth of the time on 256 x 256 (Xeon; see docs/prelu.md).
      using B = batch<T>;
      constexpr std::size_t w = B::size;
      const Eigen::Index n = s.inner;
      const auto walk = [&](auto whole) {
        B held[w];
        std::size_t count = 0;
        Eigen::Index c_held = c;  // held[0]'s channel
        const auto flush = [&] {
          for (std::size_t i = count; i < w; ++i) held[i] = B(T(0));
          alignas(64) T total[w];
          lane_sums(held).store_aligned(total);
          for (std::size_t i = 0; i < count; ++i) {
            part[c_held] += static_cast<double>(total[i]);
            if (++c_held == s.axis) c_held = 0;
          }
          count = 0;
        };
        const T *xu = x + first * n, *dyu = dy + first * n;
        T* dxu = dx + first * n;
        for (Eigen::Index u = first; u < last; ++u, xu += n, dyu += n, dxu += n) {
          held[count] = prelu_backward_lanes<decltype(whole)::value>(B(alpha[c]), n, xu, dyu, dxu);
          if (++c == s.axis) c = 0;
          if (++count == w) flush();
        }
        if (count != 0) flush();
      };
      if (n % (4 * Eigen::Index(w)) == 0) {
        walk(std::true_type{});
      } else {
        walk(std::false_type{});
      }
      return;
    }
    for (Eigen::Index u = first; u < last; ++u) {
      const Eigen::Index at = r * s.inner + q * p.unit, length = std::min(p.unit, s.inner - q * p.unit);
      part[c] += prelu_backward_run(alpha[c], length, x + at, dy + at, dx + at);
      if (++q == p.pieces) {
        q = 0;
        ++r;
        if (++c == s.axis) c = 0;
      }
    }
  } else {
    const axis_split periods{last - first, s.axis, s.inner};
    const Eigen::Index at = first * p.unit;
    if (s.axis == 1) {
      // One slope (a shared one, on fewer elements than a broadcast run takes): one run.
      part[0] += prelu_backward_run(alpha[0], (last - first) * p.unit, x + at, dy + at, dx + at);
    } else if (period_divides_batch<T>(p.unit)) {
      prelu_backward_periodic(alpha, s, (last - first) * p.unit, x + at, dy + at, dx + at, part);
    } else if (const Eigen::Index tile = tile_length<T>(s); tile <= tile_max) {
      const auto op = [](const auto& a, const auto& v, const auto& g) { return prelu_backward_dx(v, g, a); };
      prelu_tiled<true>(op, alpha, periods, tile, dx + at, part, x + at, dy + at);
    } else {
      prelu_backward_pattern(slope_pattern<T>(alpha, periods), periods, x + at, dy + at, dx + at, part);
    }
  }
}

// Runs fn(first, last) over the slabs [0, count) on the calling thread (core/parallel.hpp has
// the threaded runner).
struct serial_slabs {
  template <class Fn>
  void operator()(Eigen::Index count, Eigen::Index /*elements*/, Fn&& fn) const {
    fn(Eigen::Index(0), count);
  }
};

// The error of prelu_split, apart from it so that the check inlines (see shape_mismatch).
template <std::size_t R>
[[noreturn]] ACTIV_COLD inline void slope_count_mismatch(const char* fn, Eigen::Index slopes,
                                                         std::array<Eigen::Index, R> shape, Eigen::Index axis) {
  fail(std::string("activ::") + fn + ": PReLU has " + std::to_string(slopes) + " slopes, expected 1 or " +
       std::to_string(shape[static_cast<std::size_t>(axis)]) + " (the size of x " + shape_string(shape) +
       " along axis " + std::to_string(axis) + ")");
}

// Checks the axis and the slope count against x's shape; the split the kernels walk.
template <class T, std::size_t R>
inline axis_split prelu_split(const char* fn, const PReLU<T>& p, const std::array<Eigen::Index, R>& shape,
                              int layout) {
  check_axis(fn, "x", shape, p.axis());
  const Eigen::Index slopes = p.alpha().size(), along = shape[static_cast<std::size_t>(p.axis())];
  if (slopes != 1 && slopes != along) slope_count_mismatch(fn, slopes, shape, p.axis());
  // A shared slope makes the whole buffer one channel, whatever the axis.
  return slopes == 1 ? axis_split{1, 1, element_count(shape)} : split_at(shape, p.axis(), layout);
}

template <class T, class Out, class X, class... More>
inline void prelu_static_checks() {
  static_assert(same_family_v<Out, X, More...>,
                "activ: one call takes Eigen dense objects only, or Eigen tensors only.");
  static_assert(same_rank_v<X, Out, More...>, "activ: every tensor of one call must have the same rank.");
  static_assert(rank_v<X> >= 1, "activ: PReLU needs an axis, so a tensor of rank 1 or more.");
  static_assert(std::is_same_v<scalar_t<Out>, T> && std::is_same_v<scalar_t<X>, T> &&
                    (std::is_same_v<scalar_t<More>, T> && ...),
                "activ: every container must hold the functor's value_type.");
}

// Whether every slope takes max(x, a·x) (leaky_takes_max: not 0 and at most 1), by batches,
// with one branch on the answer. std::all_of's loop (two branches per slope) cost the forward
// on 4 Ki floats with the channel axis outermost 4-8 % of its time, more than its few
// instructions (Zen 4, one-process probe; no branch counters in this guest to say why). With
// AVX-512 the last batch is a masked load; elsewhere the last whole batch ends at n (a slope
// may be checked twice), and fewer slopes than a batch go through all_of.
template <class T>
inline bool slopes_take_max(const T* a, Eigen::Index n) noexcept {
  using B = batch<T>;
  constexpr Eigen::Index w = lanes_v<T>;
#if defined(__AVX512F__)
  if constexpr (is_avx512_v<B>) {
    using M = typename B::batch_bool_type::register_type;
    unsigned bad = 0;
    for (Eigen::Index i = 0; i < n; i += w) {
      const M m = static_cast<M>(n - i >= w ? ~0u : (1u << (n - i)) - 1);
      if constexpr (std::is_same_v<T, float>) {
        const __m512 v = _mm512_maskz_loadu_ps(m, a + i);
        bad |= unsigned{_mm512_mask_cmp_ps_mask(m, v, _mm512_set1_ps(1.0f), _CMP_NLE_UQ)} |
               unsigned{_mm512_mask_cmp_ps_mask(m, v, _mm512_setzero_ps(), _CMP_EQ_OQ)};
      } else {
        const __m512d v = _mm512_maskz_loadu_pd(m, a + i);
        bad |= unsigned{_mm512_mask_cmp_pd_mask(m, v, _mm512_set1_pd(1.0), _CMP_NLE_UQ)} |
               unsigned{_mm512_mask_cmp_pd_mask(m, v, _mm512_setzero_pd(), _CMP_EQ_OQ)};
      }
    }
    return bad == 0;
  }
#endif
  if (n < w) return std::all_of(a, a + n, leaky_takes_max<T>);
  // Whole batches, the last one ending at n (overlapping the one before: a slope checked twice).
  auto bad = B(T(0)) != B(T(0));
  for (Eigen::Index i = 0;; i += w) {
    const B v = B::load_unaligned(a + std::min(i, n - w));
    bad = bad || v == B(T(0)) || !(v <= B(T(1)));
    if (i + w >= n) break;
  }
  return !xsimd::any(bad);
}

// The per-call formulas over (slopes, x[, dy]) batches, as named types: a lambda written in a
// public function below would have a type per container instantiation, and every walk under
// prelu_map (prelu_runs, prelu_tiled, transform's loops) would be compiled again for each pair
// of containers (152 copies of prelu_runs in tests/activations/prelu.cpp, the longest compile of
// CI's sanitizer stage); named, they are compiled once per T and formula.
// x is read once (in_register): as an operand of both the multiply and the max, GCC 12 loaded
// it twice per batch, the multiply's as a memory operand, and the forward with a period
// dividing the batch (transform's loop, one slope batch) took 228 ns on 4 Ki floats against
// LeakyReLU's 158 (Zen 4, one-process probe), where the loads and the store are the limit.
struct prelu_max_op {  // slopes <= 1 and not 0: max(x, a·x), detail::leaky's formula
  template <class B>
  B operator()(const B& a, const B& x_in) const noexcept {
    const B x = in_register(x_in);
    return xsimd::max(x, a * x);
  }
};
struct prelu_forward_op {
  template <class B>
  B operator()(const B& a, const B& x) const noexcept { return prelu_forward(x, a); }
};
struct prelu_derivative_op {
  template <class B>
  B operator()(const B& a, const B& x) const noexcept { return prelu_derivative(x, a); }
};
struct prelu_backward_op {
  template <class B>
  B operator()(const B& a, const B& x, const B& dy) const noexcept { return dy * prelu_derivative(x, a); }
};

// prelu_runs with the forward's formula chosen by the slopes: prelu_forward_op stands for both,
// and slopes <= 1 and not 0 (the usual ones) take max(x, a·x), detail::leaky's formula, one
// operation fewer per batch, the same values. A split has one slope per channel, s.axis of them.
template <class T, class Op, class... In>
ACTIV_ALWAYS_INLINE void prelu_runs_chosen(Op op, const T* alpha, const axis_split& s, T* out, const In*... in) {
  if constexpr (std::is_same_v<Op, prelu_forward_op>) {
    if (slopes_take_max(alpha, s.axis)) {
      prelu_runs(prelu_max_op{}, alpha, s, out, in...);
      return;
    }
  }
  prelu_runs(op, alpha, s, out, in...);
}

// prelu_map for operands that are not all contiguous in L, or overlap the output without being
// it: through temporaries (core/axis.hpp), out of line.
template <class T, class Op, class Out, class X, class... More>
ACTIV_NOINLINE inline void prelu_map_buffered(const PReLU<T>& p, Op op, const axis_split& s, Out& out,
                                              const X& x, const More&... more) {
  constexpr int L = layout_v<Out>;
  auto o = write_contiguous<L>(out);
  const auto xin = read_contiguous<L>(x, {written_span(o)}, true);
  const std::tuple<decltype(read_contiguous<L>(more, {}, true))...> extra{
      read_contiguous<L>(more, {written_span(o)}, true)...};
  std::apply([&](const auto&... m) { prelu_runs_chosen(op, p.alpha().data(), s, o.data, xin.data, m.data...); },
             extra);
  commit<L>(o, out);
}

// out ← op(a, x[, dy]) where a is each element's slope; everything is checked before any write.
// Operands contiguous in L and apart (or exactly in place) go straight to prelu_runs, compiled
// into the caller with the checks, so that the walks and transform_run are the only calls; the
// others take prelu_map_buffered. When the forward chose its formula before prelu_map and
// prelu_map (out of line, not inlined by GCC) set up its buffers for every call, a forward on
// 16 floats (a 2 × 2 × 2 × 2 Tensor, channel axis first) ran 258 instructions from its call to
// its return (gdb stepi), LeakyReLU's 36; now 185. Same-process A/Bs (Zen 4, three function
// alignments each): calls on 16 floats 0.55-0.74 of the time (scripts/ab prelu: small/shared,
// rows, cols) and 0.69-0.96 through a caller out of line (Tensor, first or last axis, forward
// and backward); on 4 Ki floats the forward 0.95-1.00, the backward 0.95-0.99.
template <class T, class Op, class Out, class X, class... More>
ACTIV_ALWAYS_INLINE void prelu_map(const char* fn, const char* out_name, const PReLU<T>& p, Op op, Out& out,
                                   const X& x, const More&... more) {
  prelu_static_checks<T, Out, X, More...>();
  constexpr int L = layout_v<Out>;
  const auto shape = shape_of(x);
  (check_same_shape(fn, "dy", shape_of(more), "x", shape), ...);
  check_same_shape(fn, out_name, shape_of(out), "x", shape);
  const axis_split s = prelu_split(fn, p, shape, L);
  const Eigen::Index n = s.outer * s.axis * s.inner;
  if (n == 0) return;
  T* const o = contiguous_data<L, T>(out);
  const auto usable = [o, n](const T* in) { return in != nullptr && in_place_or_apart<T>(in, o, n); };
  const T* const xp = contiguous_data<L, const T>(x);
  if (o != nullptr && usable(xp) && (usable(contiguous_data<L, const T>(more)) && ...)) {
    prelu_runs_chosen(op, p.alpha().data(), s, o, xp, contiguous_data<L, const T>(more)...);
  } else {
    prelu_map_buffered(p, op, s, out, x, more...);
  }
}

template <class T, class X, class DY, class DX, class DA, class Slabs = serial_slabs>
inline void prelu_backward(const PReLU<T>& p, const X& x, const DY& dy, DX& dx, DA& dalpha, bool add,
                           Slabs run_slabs = {}) {
  prelu_static_checks<T, DX, X, DY>();
  static_assert(is_dense_v<DA> && std::is_same_v<scalar_t<DA>, T>,
                "activ: dalpha is an Eigen dense vector of the functor's value_type.");
  constexpr int L = layout_v<DX>;
  const auto shape = shape_of(x);
  check_same_shape("backward", "dy", shape_of(dy), "x", shape);
  check_same_shape("backward", "dx", shape_of(dx), "x", shape);
  const axis_split s = prelu_split("backward", p, shape, L);
  const Eigen::Index slopes = p.alpha().size();
  if (dalpha.size() != slopes || (dalpha.rows() != 1 && dalpha.cols() != 1 && slopes != 0)) {
    fail("activ::backward: dalpha has shape " + shape_string(shape_of(dalpha)) + ", expected a vector of " +
         std::to_string(slopes) + " (one per slope of the PReLU)");
  }

  // The per-channel double sums: on the stack for up to 64 channels, where a malloc and a free
  // per call had cost a small layer a fifth of its time, on the heap beyond.
  constexpr Eigen::Index local_channels = 64;
  double local_sums[local_channels];
  const heap_array<double> heap_sums(slopes > local_channels ? slopes : 0, true);
  double* const sums = slopes > local_channels ? heap_sums.data() : local_sums;
  if (slopes <= local_channels) std::fill_n(local_sums, slopes, 0.0);
  if (element_count(shape) != 0) {
    auto o = write_contiguous<L>(dx);
    const auto xin = read_contiguous<L>(x, {written_span(o)}, true);
    const auto dyin = read_contiguous<L>(dy, {written_span(o)}, true);
    const slab_plan plan = plan_slabs<T>(s);
    // A single slab (every input under 128 Ki elements) sums straight into sums: its partial
    // sums added to zeros would be the same values, for a vector, a fill and a loop more per call.
    std::vector<double> parts(static_cast<std::size_t>(plan.count > 1 ? plan.count * s.axis : 0), 0.0);
    double* const part = plan.count > 1 ? parts.data() : sums;
    run_slabs(plan.count, element_count(shape), [&](Eigen::Index first, Eigen::Index last) {
      for (Eigen::Index k = first; k < last; ++k) {
        prelu_backward_slab(p.alpha().data(), s, plan, k, xin.data, dyin.data, o.data, part + k * s.axis);
      }
    });
    if (plan.count > 1) {
      for (Eigen::Index k = 0; k < plan.count; ++k) {
        for (Eigen::Index c = 0; c < s.axis; ++c) {
          sums[c] += parts[static_cast<std::size_t>(k * s.axis + c)];
        }
      }
    }
    commit<L>(o, dx);
  }
  // The one rounding to T, after the whole sum (and the previous value, when accumulating).
  for (Eigen::Index c = 0; c < slopes; ++c) {
    T& g = dalpha.rows() == 1 ? dalpha.coeffRef(0, c) : dalpha.coeffRef(c, 0);
    g = static_cast<T>((add ? static_cast<double>(g) : 0.0) + sums[c]);
  }
}

template <class... X>
using if_prelu_containers_t = std::enable_if_t<same_family_v<X...>>;

}  // namespace detail

/// y ← f(x). x and y have one shape; y may be x (in place).
template <class T, class X, class Y, class = detail::if_prelu_containers_t<X, Y>>
inline void forward(const PReLU<T>& p, const X& x, Y&& y) {
  // prelu_forward_op: the formula is chosen by the slopes after the checks (prelu_runs_chosen).
  detail::prelu_map("forward", "y", p, detail::prelu_forward_op{}, y, x);
}

/// d ← f'(x).
template <class T, class X, class D, class = detail::if_prelu_containers_t<X, D>>
inline void derivative(const PReLU<T>& p, const X& x, D&& d) {
  detail::prelu_map("derivative", "d", p, detail::prelu_derivative_op{}, d, x);
}

/// dx ← dy ⊙ f'(x).
template <class T, class X, class DY, class DX, class = detail::if_prelu_containers_t<X, DY, DX>>
inline void backward(const PReLU<T>& p, const X& x, const DY& dy, DX&& dx) {
  detail::prelu_map("backward", "dx", p, detail::prelu_backward_op{}, dx, x, dy);
}

/// dx ← dy ⊙ f'(x) and dalpha_c ← Σ over channel c of (x <= 0 ? x·dy : 0). dalpha is a dense
/// vector with one entry per slope (a Block or Map of one will do).
template <class T, class X, class DY, class DX, class DA,
          class = detail::if_prelu_containers_t<X, DY, DX>, class = std::enable_if_t<detail::is_dense_v<DA>>>
inline void backward(const PReLU<T>& p, const X& x, const DY& dy, DX&& dx, DA&& dalpha) {
  detail::prelu_backward(p, x, dy, dx, dalpha, false);
}

/// The same with dalpha_c += the channel's sum (activ::accumulate).
template <class T, class X, class DY, class DX, class DA,
          class = detail::if_prelu_containers_t<X, DY, DX>, class = std::enable_if_t<detail::is_dense_v<DA>>>
inline void backward(const PReLU<T>& p, const X& x, const DY& dy, DX&& dx, DA&& dalpha, accumulate_t) {
  detail::prelu_backward(p, x, dy, dx, dalpha, true);
}

/// A new plain object of x's kind and shape holding f(x).
template <class T, class X, class = std::enable_if_t<detail::is_dense_v<X> || detail::is_tensor_v<X>>>
inline auto apply(const PReLU<T>& p, const X& x) {
  if constexpr (detail::is_dense_v<X>) {
    typename X::PlainObject y(x.rows(), x.cols());
    forward(p, x, y);
    return y;
  } else {
    Eigen::Tensor<T, detail::tensor_rank_v<X>, detail::tensor_layout_v<X>> y(detail::tensor_dims(x));
    forward(p, x, y);
    return y;
  }
}

}  // namespace activ

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_ACTIVATIONS_PRELU_HPP
