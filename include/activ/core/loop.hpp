// activ — the one loop over raw memory.
//
// transform(op, n, out, in...) writes out[i] = op(in[i]...) for i < n, in batches of the
// default architecture, upwards, or downwards where the output sits a little above the inputs
// modulo 4 KiB (descending). The tail (n mod batch size) is copied into a zero-padded batch and
// goes through the same op, so every element takes the same instruction sequence whatever
// its index, alignment or the length (SPEC §5's reproducibility). Inputs may alias out
// exactly (in place); partial overlap is not supported. Knows nothing of Eigen.
//
// Runs of at least stream_min_bytes whose output is none of the inputs are written with
// non-temporal (streaming) stores where the ISA has them (x86): past the last-level cache a
// plain store first reads the line it is about to overwrite, a third of the memory traffic
// of y = f(x), and a streaming store does not. Those stores need an aligned address, so the
// elements before the output's first aligned batch take the zero-padded path as the tail
// does (same op, same bits), and the run ends with a store fence so that the results are
// ordered before whatever the caller does next (another thread reading them).
// transform(threaded<Op>, ...), defined in core/parallel.hpp, splits a run over a thread pool.
#ifndef ACTIV_CORE_LOOP_HPP
#define ACTIV_CORE_LOOP_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <xsimd/xsimd.hpp>

#include "activ/config.hpp"
#include "activ/detail/lift.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::detail {

// V once per element of a pack: std::tuple<repeat_t<X, V>...>.
template <class, class V>
using repeat_t = V;

// The bytes a run touches (its output and inputs) from which it is streamed. In the
// "Streaming stores" table of docs/benchmarks.md (machines with a 32 MiB L3 shared with the
// other core and other guests), streaming paid from 24 MiB on: the backward of 2 Mi floats
// (three 8 MiB arrays) 74 against 52 GB/s plain on the Zen 4 of 2026-12-07, 99 against 81 on
// the Zen 5 of 2026-12-06; a forward of 2 Mi floats (two 8 MiB arrays) ran faster plain, 72.5
// against 54 and 113 against 74 GB/s, and so did the backward of 1 Mi (12 MiB). The rule was
// 8 MiB of output, which streamed that forward, and double's forward at 1 Mi elements ran at
// 0.77x Eigen's (which does not stream). Below, the output is better left in the cache for
// whoever reads it next.
inline constexpr std::size_t stream_min_bytes = std::size_t(24) << 20;

// Runs from this many elements on align their stores first (transform_run).
inline constexpr std::ptrdiff_t aligned_min_run = 1024;

#if XSIMD_WITH_SSE2
inline void stream_register(float* p, __m128 v) noexcept { _mm_stream_ps(p, v); }
inline void stream_register(double* p, __m128d v) noexcept { _mm_stream_pd(p, v); }
inline void stream_fence() noexcept { _mm_sfence(); }
#endif
#if XSIMD_WITH_AVX
inline void stream_register(float* p, __m256 v) noexcept { _mm256_stream_ps(p, v); }
inline void stream_register(double* p, __m256d v) noexcept { _mm256_stream_pd(p, v); }
#endif
#if XSIMD_WITH_AVX512F
inline void stream_register(float* p, __m512 v) noexcept { _mm512_stream_ps(p, v); }
inline void stream_register(double* p, __m512d v) noexcept { _mm512_stream_pd(p, v); }
#endif

// True when batch<T>'s register has a non-temporal store (an overload of stream_register).
template <class T, class = void>
struct can_stream : std::false_type {};
template <class T>
struct can_stream<T, std::void_t<decltype(stream_register(std::declval<T*>(),
                                                          std::declval<typename batch<T>::register_type>()))>>
    : std::true_type {};

// Whether transform_run should stream a run of n elements into out.
template <class T, class... In>
inline bool streams(std::ptrdiff_t n, const T* out, const In*... in) noexcept {
  return can_stream<T>::value && static_cast<std::size_t>(n) * sizeof(T) * (1 + sizeof...(In)) >= stream_min_bytes &&
         reinterpret_cast<std::uintptr_t>(out) % sizeof(T) == 0 && ((in != out) && ...);
}

// Elements from p to the first address aligned for a batch of T: 0 when p is aligned, and 0
// when p is not even aligned to T (no batch ever will be).
template <class T>
inline std::ptrdiff_t elements_to_alignment(const T* p) noexcept {
  constexpr std::uintptr_t align = batch<T>::arch_type::alignment();
  const std::uintptr_t misalignment = reinterpret_cast<std::uintptr_t>(p) % align;
  if (misalignment % sizeof(T) != 0) return 0;
  return static_cast<std::ptrdiff_t>((align - misalignment) % align / sizeof(T));
}

// Whether transform_loop walks a run from its end down. A load from the same address modulo
// 4 KiB as a store still in flight is held until the store is done (4K aliasing). An input a
// little below the output modulo 4 KiB, the layout of arrays allocated one after the other (the
// heap puts them a cache line or two apart modulo 4 KiB), is read by a forward walk at each
// recent store's page offset a few batches after the store; walking down reads those elements
// before the stores to that offset. Same-process A/B on the Zen 4 of 2026-12-07
// (scripts/ab/ab.sh layout, the output 64 or 128 bytes above x and dy): the forward walk took
// 1.1–1.4x the time of the same call without the overlap at 64 Ki to 1 Mi elements (sigmoid,
// tanh's backward, ReLU), and at 4 Ki, depending on which physical pages the arrays got, either
// nothing or 2.3–4.5x (ReLU's forward on floats 781 against 155 ns; sigmoid 2.1 against 0.74 µs);
// walking down, 0.22–0.91 of the forward walk's time there, and the same time (within the
// harness's few per cent) where there is no overlap. The penalty fades by 512 bytes (sweep of
// the offset in steps of 64 at 64 Ki): so, down when every input is at most alias_window bytes
// below the output modulo 4 KiB (or at its offset: in place) and one is strictly below.
inline constexpr std::uintptr_t alias_window = 512;
template <class T, class... In>
inline bool descending(const T* out, const In*... in) noexcept {
  const auto below = [out](const T* p) {
    return (reinterpret_cast<std::uintptr_t>(out) - reinterpret_cast<std::uintptr_t>(p)) % 4096;
  };
  return ((below(in) <= alias_window) && ...) && ((below(in) != 0) || ...);
}

// out[0, count) ← op(in[0, count)...), count < the batch width, through one zero-padded batch
// per input; the padding lanes are computed and dropped.
template <class T, class Op, class... In, std::size_t... K>
inline void transform_padded(std::index_sequence<K...>, Op& op, std::ptrdiff_t count, T* out,
                             const In*... in) noexcept {
  using B = batch<T>;
  constexpr std::size_t lanes = B::size;
  if (count <= 0) return;
  alignas(B::arch_type::alignment()) T buffers[sizeof...(In)][lanes] = {};
  // Element loops rather than std::copy_n: at most lanes − 1 elements, and GCC 12 warns
  // (-Wnonnull) about the memmove inside copy_n on paths it cannot prove dead.
  for (std::ptrdiff_t k = 0; k < count; ++k) ((buffers[K][k] = in[k]), ...);
  alignas(B::arch_type::alignment()) T result[lanes];
  op(B::load_aligned(buffers[K])...).store_aligned(result);
  for (std::ptrdiff_t k = 0; k < count; ++k) out[k] = result[k];
}

// The loop of transform_run.
template <class T, class Op, class... In>
inline void transform_loop(const Op& caller_op, std::ptrdiff_t n, T* out, [[maybe_unused]] bool stream,
                           const In*... in) noexcept {
  using B = batch<T>;
  // A local copy, whose address never escapes: the compiler then knows that no store to out
  // changes the op's parameters, and keeps them in registers across the loop.
  Op op = caller_op;
  constexpr std::ptrdiff_t width = static_cast<std::ptrdiff_t>(B::size);
  const auto pack = std::index_sequence_for<In...>{};
  std::ptrdiff_t i = 0;
  if constexpr (can_stream<T>::value) {
    if (stream) {
      i = std::min(n, elements_to_alignment(out));
      transform_padded(pack, op, i, out, in...);
      for (; i + width <= n; i += width) {
        stream_register(out + i, op(B::load_unaligned(in + i)...).data);
      }
      stream_fence();
    }
  }
  // Long runs first take the elements before the output's first aligned batch through the
  // padded path (the same op, the same bits), so that no store of the loop below splits a cache
  // line: with the 16-byte alignment of malloc, every other 32-byte store would.
  if (n - i >= aligned_min_run) {
    const std::ptrdiff_t head = elements_to_alignment(out + i);
    transform_padded(pack, op, head, out + i, (in + i)...);
    i += head;
  }
  if (descending(out + i, (in + i)...)) {
    // The same batches as below from the last whole one down (each element's result does not
    // depend on its batch), the elements after it first, through the padded path.
    const std::ptrdiff_t whole = (n - i) / width * width;
    transform_padded(pack, op, n - i - whole, out + i + whole, (in + i + whole)...);
    std::ptrdiff_t j = i + whole;
    for (; j - 4 * width >= i; j -= 4 * width) {
      op(B::load_unaligned(in + j - width)...).store_unaligned(out + j - width);
      op(B::load_unaligned(in + j - 2 * width)...).store_unaligned(out + j - 2 * width);
      op(B::load_unaligned(in + j - 3 * width)...).store_unaligned(out + j - 3 * width);
      op(B::load_unaligned(in + j - 4 * width)...).store_unaligned(out + j - 4 * width);
    }
    for (; j - width >= i; j -= width) {
      op(B::load_unaligned(in + j - width)...).store_unaligned(out + j - width);
    }
    return;
  }
  // Four batches per trip: the loop's own compare-and-branch is paid once per four, which is
  // what lets the cheap ops (ReLU's one max) run at the copy ceiling from L1. Each batch is
  // stored as soon as it is computed (an output that is exactly an input is still read first:
  // each batch reads only its own elements; partial overlap is not supported). Holding all four
  // results until the end of the trip had the exp-based kernels spill registers: storing each
  // at once made sigmoid's derivative and backward 15–19 % faster, tanh's 10 %, ELU's backward
  // 10 % and LeakyReLU's forward at 4 Ki 12 % (scripts/ab, one process; LeakyReLU's derivative
  // 3–7 % slower).
  for (; i + 4 * width <= n; i += 4 * width) {
    op(B::load_unaligned(in + i)...).store_unaligned(out + i);
    op(B::load_unaligned(in + i + width)...).store_unaligned(out + i + width);
    op(B::load_unaligned(in + i + 2 * width)...).store_unaligned(out + i + 2 * width);
    op(B::load_unaligned(in + i + 3 * width)...).store_unaligned(out + i + 3 * width);
  }
  // A loop, not straight-line code for the at most three batches left: GCC 12 (-Warray-bounds)
  // then warns about stores it cannot prove dead in callers that pass a null output after a
  // check that throws (tests/core/throw_hook.cpp, SSE2 double).
  for (; i + width <= n; i += width) {
    op(B::load_unaligned(in + i)...).store_unaligned(out + i);
  }
  transform_padded(pack, op, n - i, out + i, (in + i)...);
}

// Ops that are not one of core/ops.hpp's (PReLU's lambdas): as they are. Those of core/ops.hpp
// have overloads there, found by argument-dependent lookup, that fix the functor's formula for
// its parameters first (fixed_form, detail/lift.hpp).
template <class Op, class Fn>
inline void visit_fixed(const Op& op, Fn&& fn) {
  fn(op);
}

// transform with the decision to stream already taken (core/parallel.hpp takes it once for
// all the chunks of a run). A functor's parameter-dependent formula is chosen here, once per
// run, not at every batch. Out of line, one copy per op: inlined at each of a caller's calls
// (run_strided has four), the copies of the loop grew the caller past GCC 12's inlining
// budget, and it stopped inlining math::tanh into them: a call per batch, tanh forward on
// Eigen::Map 1.7x slower (scripts/ab/maps). Out of line, parameters that are compile-time
// constants at the call (ELU{} has alpha = 1) are no longer folded into the loop (ELU forward
// 10 % slower in scripts/ab/elementwise, whose functors are such constants; unchanged in
// scripts/ab/maps, where they are not).
template <class T, class Op, class... In>
ACTIV_NOINLINE inline void transform_run(const Op& op, std::ptrdiff_t n, T* out, bool stream, const In*... in) noexcept {
  visit_fixed(op, [&](const auto& fixed) { transform_loop(fixed, n, out, stream, in...); });
}

// Calls of at most this many whole batches (up to 32 floats on AVX2) take transform's own loop.
inline constexpr std::ptrdiff_t inline_max_batches = 4;

// Always inlined: a call on a small layer of whole batches runs a bare loop compiled into the
// caller, which sets the op's constants up with the caller's code (once, when the caller is
// itself a loop) and pays none of transform_run's decisions (streaming, alignment, the padded
// tail). On 16 floats, sigmoid through transform_run took 8.4 ns against 5.2 ns for a
// hand-written loop; through this path, the same time (bench/dispatch.cpp). Every other call
// goes to transform_run, which the compiler inlines or not as before. The same op on whole
// batches: the same bits as transform_run.
template <class T, class Op, class... In>
ACTIV_ALWAYS_INLINE void transform(Op op, std::ptrdiff_t n, T* out, const In*... in) noexcept {
  static_assert(sizeof...(In) >= 1, "transform needs at least one input.");
  using B = batch<T>;
  constexpr std::ptrdiff_t width = static_cast<std::ptrdiff_t>(B::size);
  if (static_cast<std::size_t>(n) <= static_cast<std::size_t>(inline_max_batches * width) && n % width == 0) {
    for (std::ptrdiff_t i = 0; i < n; i += width) op(B::load_unaligned(in + i)...).store_unaligned(out + i);
    return;
  }
  transform_run(op, n, out, streams(n, out, in...), in...);
}

// An op to run on a thread pool, and its transform: both in core/parallel.hpp.
template <class Op>
struct threaded;
template <class T, class Op, class... In>
inline void transform(threaded<Op> op, std::ptrdiff_t n, T* out, const In*... in) noexcept;

}  // namespace activ::detail

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_CORE_LOOP_HPP
