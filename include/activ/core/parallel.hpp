// activ — forward, derivative, backward and backward_from_output on an Eigen::ThreadPoolDevice.
//
//   Eigen::ThreadPool pool(3);                 // 4 cores: the calling thread is the 4th
//   Eigen::ThreadPoolDevice device(&pool, 4);
//   activ::forward(device, activ::Sigmoid<float>{}, x, y);          // containers
//   activ::backward(device, activ::Tanh<float>{}, x, dy, dx, n);    // raw pointers
//
// The calling thread computes too, so a pool of one thread fewer than numThreads() fills the
// cores. A pool of numThreads() threads leaves one idle, and Eigen's pool wakes an idle thread
// on every Schedule and lets it spin for a while looking for work, on a core the working threads
// need: on 2 cores, sigmoid on 1 Mi floats ran at 1.58x one thread with a pool of 2 and 1.94x with
// a pool of 1 (Zen 4, docs/containers.md, "Threads").
//
// The same calls as core/functions.hpp and core/raw.hpp with the device first (as a C++17
// execution policy), the same checks before any write, and bitwise the same results for any
// thread count: every element goes through the same batch op wherever it sits (core/loop.hpp),
// so splitting the run changes who computes an element, never how.
//
// A run of n elements uses at most device.numThreads() threads, and no more than n / min_piece:
// the calling thread and that many − 1 of the pool's. It is cut into chunks_per_thread times as
// many chunks of equal length, rounded up to whole cache lines and batches (the last chunk takes
// what is left), which the threads take in turn from a shared counter until none is left: a
// pool thread that wakes late (tens of microseconds on this machine's virtual CPUs) or is
// descheduled by another process leaves its share to the others instead of holding the call up,
// as fixed halves did (sigmoid, 1 Mi floats, 2 threads: 1.28x one thread with halves, see
// docs/containers.md). The calling thread then waits for the chunks pool threads have taken,
// never for a pool thread to start: one that is asleep, busy, or is the caller itself (a call
// made from a task of the same pool) finds nothing left when it gets to its task. Queueing
// allocates; if that fails, the calling thread does the chunks no task will take (with
// exceptions enabled; without, the failed allocation ends the program). A run too
// short for two threads' shares never touches the pool, so small inputs do not pay for
// threads. min_piece depends on the work per element and is set for a pool whose threads are
// asleep when the call comes (Eigen's go to sleep after some 20-50 µs without work here): the
// Schedule that wakes one costs the caller about 7 µs and the thread starts about 25 µs later,
// which an exp-based function (ELU, Sigmoid, Tanh) earns back on far fewer elements than a
// compare-and-select (ReLU, LeakyReLU, every backward_from_output, and functors activ does not
// know). Back-to-back calls, which find the pool thread still spinning, would gain from splits
// 8 times shorter; docs/containers.md, "Threads", has both measured.
//
// Opt-in, not part of <activ/activ.hpp>: Eigen declares ThreadPoolDevice only when
// EIGEN_USE_THREADS is defined before its first Tensor header, and Eigen warns that mixing
// translation units with and without it is a potential ODR violation. So define
// EIGEN_USE_THREADS for the whole program (target_compile_definitions) when you use this
// header. Included first in a translation unit that has not, it defines EIGEN_USE_THREADS
// itself; included after an Eigen Tensor header that was read without it, it stops with an
// error that says so.
//
// PReLU's backward with its slope gradient runs on the device too: its slabs (a fixed cut of
// the buffer into ranges of whole runs or periods, activations/prelu.hpp) go to the threads in
// chunks of contiguous slabs, taken in turn as above (only when there are at least
// cheap_min_piece elements per thread), each slab's partial sums in its own place, and the
// partial sums are then added slab after slab on the calling thread: the same order, so the same
// bits, for any thread count and whichever thread took a chunk. Maxout and PReLU's other calls have no threaded
// overloads.
#ifndef ACTIV_CORE_PARALLEL_HPP
#define ACTIV_CORE_PARALLEL_HPP

#if !defined(EIGEN_USE_THREADS)
#  if defined(EIGEN_CXX11_TENSOR_TENSOR_H)
#    error "activ/core/parallel.hpp needs Eigen's ThreadPoolDevice: define EIGEN_USE_THREADS before the first Eigen Tensor header (activ/activ.hpp includes one), best for the whole program."
#  endif
#  define EIGEN_USE_THREADS
#endif

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <type_traits>
#include <unsupported/Eigen/CXX11/Tensor>
#include <utility>

#include "activ/config.hpp"
#include "activ/activations/elu.hpp"
#include "activ/activations/prelu.hpp"
#include "activ/activations/sigmoid.hpp"
#include "activ/activations/tanh.hpp"
#include "activ/core/functions.hpp"
#include "activ/core/loop.hpp"
#include "activ/core/ops.hpp"
#include "activ/core/raw.hpp"
#include "activ/core/shape.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ {
namespace detail {

// Whether F's forward, derivative and backward evaluate an exp (see the header comment).
template <class F>
struct evaluates_exp : std::false_type {};
template <class T>
struct evaluates_exp<ELU<T>> : std::true_type {};
template <class T>
struct evaluates_exp<Sigmoid<T>> : std::true_type {};
template <class T>
struct evaluates_exp<Tanh<T>> : std::true_type {};

// Elements below which a piece of Op's run is not worth a thread.
inline constexpr std::ptrdiff_t cheap_min_piece = std::ptrdiff_t(1) << 18;
inline constexpr std::ptrdiff_t exp_min_piece = std::ptrdiff_t(1) << 17;
template <class F>
inline constexpr std::ptrdiff_t piece_for = evaluates_exp<F>::value ? exp_min_piece : cheap_min_piece;
template <class Op>
inline constexpr std::ptrdiff_t min_piece = cheap_min_piece;
template <class F>
inline constexpr std::ptrdiff_t min_piece<forward_op<F>> = piece_for<F>;
template <class F>
inline constexpr std::ptrdiff_t min_piece<derivative_op<F>> = piece_for<F>;
template <class F>
inline constexpr std::ptrdiff_t min_piece<backward_op<F>> = piece_for<F>;

// Piece lengths are multiples of this many elements: whole batches, so that only the last
// piece has a padded tail, and whole 64-byte lines, so that threads writing an aligned output
// never share a line.
template <class T>
inline constexpr std::ptrdiff_t piece_granule = std::max<std::ptrdiff_t>(
    static_cast<std::ptrdiff_t>(batch<T>::size), 64 / static_cast<std::ptrdiff_t>(sizeof(T)));

template <class Op>
struct threaded {
  const Eigen::ThreadPoolDevice* device;
  Op op;
};

// Chunks per thread of a threaded transform: enough that a thread that starts late leaves
// several to the others, few enough that each is long (a run of 2 min_piece has chunks of
// 16 Ki elements or more), so transform_run's fixed cost and one counter increment per chunk
// are nothing beside it.
inline constexpr std::ptrdiff_t chunks_per_thread = 8;

// The state a threaded call shares with the pool tasks it queues, on the heap and owned by all
// of them: a task whose thread wakes after the call has returned finds every chunk taken and
// touches nothing of the caller's. chunk points at the caller's function object, called only
// for a chunk not yet taken, and the caller returns only when every taken chunk is finished.
template <class Chunk>
struct chunk_board {
  std::atomic<std::ptrdiff_t> next{0};
  std::atomic<std::ptrdiff_t> finished{0};
  std::ptrdiff_t chunks;
  const Chunk* chunk;

  chunk_board(std::ptrdiff_t count, const Chunk* fn) noexcept : chunks(count), chunk(fn) {}

  // Takes chunks until none is left; the caller's thread and every queued task run this.
  void work() noexcept {
    std::ptrdiff_t done = 0;
    for (std::ptrdiff_t c = next.fetch_add(1, std::memory_order_relaxed); c < chunks;
         c = next.fetch_add(1, std::memory_order_relaxed)) {
      (*chunk)(c);
      ++done;
    }
    if (done > 0) finished.fetch_add(done, std::memory_order_release);  // the chunks' writes with it
  }
};

// chunk(0 … chunks − 1) on the calling thread and `helpers` of the device's threads, each
// taking the next chunk not yet taken until none is left; returns when all are done. The chunks
// write disjoint memory, so no other synchronization.
// The caller waits only for chunks that a pool thread has taken, never for a pool thread to
// wake: with an Eigen::Barrier over the queued tasks, a call whose pool thread was asleep
// waited for its wake-up (about 25 µs on this machine's virtual CPUs) even when the caller had
// done every chunk, and a call made from a task of the same pool, whose queued helper only that
// thread could run, never returned (a 1-thread pool; tests/core/parallel.cpp). Same-process
// A/B against the Barrier on the Zen 4 of 2026-12-07 (scripts/ab threads: the caller and a
// 1-thread pool, float forward of ELU, Sigmoid and Tanh, medians): calls back to back
// 0.62-0.79 of the time at 256 Ki elements and 0.83-0.94 at 1 Mi in one run, 0.92-0.96 and
// 0.97-0.99 in a second; calls into a sleeping pool 0.75-0.95 and 0.90-0.95 at 256 Ki.
template <class Chunk>
inline void run_chunks(const Eigen::ThreadPoolDevice& device, std::ptrdiff_t helpers, std::ptrdiff_t chunks,
                       const Chunk& chunk) noexcept {
  std::shared_ptr<chunk_board<Chunk>> board;
  const auto queue = [&] {
    board = std::make_shared<chunk_board<Chunk>>(chunks, &chunk);
    for (std::ptrdiff_t h = 0; h < helpers; ++h) device.enqueueNoNotification([board] { board->work(); });
  };
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
  try {
    queue();
  } catch (...) {  // out of memory: the calling thread does what no queued task will take
  }
#else
  queue();  // without exceptions, an allocation that fails ends the program
#endif
  if (!board) {
    for (std::ptrdiff_t c = 0; c < chunks; ++c) chunk(c);
    return;
  }
  board->work();
  // What is left is at most one chunk per pool thread, already running: spin, then yield.
  for (int spins = 0; board->finished.load(std::memory_order_acquire) < chunks;) {
    if (spins < 256) {
      ++spins;
    } else {
      std::this_thread::yield();  // a pool thread lost its core mid-chunk
    }
  }
}

template <class T, class Op, class... In>
inline void transform(threaded<Op> t, std::ptrdiff_t n, T* out, const In*... in) noexcept {
  static_assert(sizeof...(In) >= 1, "transform needs at least one input.");
  const bool stream = streams(n, out, in...);  // one decision for the whole run
  const std::ptrdiff_t threads = std::max(1, t.device->numThreads());
  const std::ptrdiff_t wanted = std::min(threads, n / min_piece<Op>);
  if (wanted <= 1) {
    transform_run(t.op, n, out, stream, in...);
    return;
  }
  constexpr std::ptrdiff_t g = piece_granule<T>;
  const std::ptrdiff_t length = ceil_div(ceil_div(n, wanted * chunks_per_thread), g) * g;
  run_chunks(*t.device, wanted - 1, ceil_div(n, length), [&](std::ptrdiff_t c) {
    const std::ptrdiff_t at = c * length;
    transform_run(t.op, std::min(length, n - at), out + at, stream, (in + at)...);  // copies the op
  });
}

template <class Op>
inline threaded<Op> on(const Eigen::ThreadPoolDevice& device, Op op) {
  return threaded<Op>{&device, op};
}

// Runs fn(first, last) over contiguous ranges of the slabs [0, count), which hold `elements`
// elements in all, on the device's threads (PReLU's backward; see the header comment).
struct threaded_slabs {
  const Eigen::ThreadPoolDevice* device;
  template <class Fn>
  void operator()(Eigen::Index count, Eigen::Index elements, Fn&& fn) const noexcept {
    const Eigen::Index threads = std::max(1, device->numThreads());
    const Eigen::Index wanted = std::min({threads, elements / cheap_min_piece, count});
    if (wanted <= 1) {
      fn(Eigen::Index(0), count);
      return;
    }
    const Eigen::Index per = ceil_div(count, wanted * chunks_per_thread);
    run_chunks(*device, wanted - 1, ceil_div(count, per),
               [&fn, per, count](Eigen::Index c) { fn(c * per, std::min(count, (c + 1) * per)); });
  }
};

}  // namespace detail

/// y ← f(x) on the device's threads. Containers as forward(f, x, y).
template <class F, class X, class Y, class = detail::if_containers_t<F, X, Y>>
inline void forward(const Eigen::ThreadPoolDevice& device, const F& f, const X& x, Y&& y) {
  detail::apply_to<F>("forward", {"y", "x"}, detail::on(device, detail::forward_op<F>{f}), std::forward<Y>(y), x);
}

/// d ← f'(x) on the device's threads.
template <class F, class X, class D, class = detail::if_containers_t<F, X, D>>
inline void derivative(const Eigen::ThreadPoolDevice& device, const F& f, const X& x, D&& d) {
  detail::apply_to<F>("derivative", {"d", "x"}, detail::on(device, detail::derivative_op<F>{f}),
                      std::forward<D>(d), x);
}

/// dx ← dy ⊙ f'(x) on the device's threads.
template <class F, class X, class DY, class DX, class = detail::if_containers_t<F, X, DY, DX>>
inline void backward(const Eigen::ThreadPoolDevice& device, const F& f, const X& x, const DY& dy, DX&& dx) {
  detail::apply_to<F>("backward", {"dx", "x", "dy"}, detail::on(device, detail::backward_op<F>{f}),
                      std::forward<DX>(dx), x, dy);
}

/// dx ← dy ⊙ f'(x), f' computed from y = f(x), on the device's threads.
template <class F, class Y, class DY, class DX, class = detail::if_containers_t<F, Y, DY, DX>>
inline void backward_from_output(const Eigen::ThreadPoolDevice& device, const F& f, const Y& y, const DY& dy,
                                 DX&& dx) {
  detail::apply_to<F>("backward_from_output", {"dx", "y", "dy"},
                      detail::on(device, detail::backward_from_output_op<F>{f}), std::forward<DX>(dx), y, dy);
}

/// PReLU: dx ← dy ⊙ f'(x) and dalpha_c ← Σ over channel c of (x <= 0 ? x·dy : 0), on the
/// device's threads; dx and dalpha bitwise those of backward(p, x, dy, dx, dalpha).
template <class T, class X, class DY, class DX, class DA, class = detail::if_prelu_containers_t<X, DY, DX>,
          class = std::enable_if_t<detail::is_dense_v<DA>>>
inline void backward(const Eigen::ThreadPoolDevice& device, const PReLU<T>& p, const X& x, const DY& dy, DX&& dx,
                     DA&& dalpha) {
  detail::prelu_backward(p, x, dy, dx, dalpha, false, detail::threaded_slabs{&device});
}

/// The same with dalpha_c += the channel's sum (activ::accumulate).
template <class T, class X, class DY, class DX, class DA, class = detail::if_prelu_containers_t<X, DY, DX>,
          class = std::enable_if_t<detail::is_dense_v<DA>>>
inline void backward(const Eigen::ThreadPoolDevice& device, const PReLU<T>& p, const X& x, const DY& dy, DX&& dx,
                     DA&& dalpha, accumulate_t) {
  detail::prelu_backward(p, x, dy, dx, dalpha, true, detail::threaded_slabs{&device});
}

/// y[i] ← f(x[i]), i < n, on the device's threads.
template <class F, class T, class = detail::if_raw_t<F, T>>
inline void forward(const Eigen::ThreadPoolDevice& device, const F& f, const T* x, T* y, std::ptrdiff_t n) {
  detail::check_raw("forward", n, {x, y});
  detail::transform(detail::on(device, detail::forward_op<F>{f}), n, y, x);
}

/// d[i] ← f'(x[i]) on the device's threads.
template <class F, class T, class = detail::if_raw_t<F, T>>
inline void derivative(const Eigen::ThreadPoolDevice& device, const F& f, const T* x, T* d, std::ptrdiff_t n) {
  detail::check_raw("derivative", n, {x, d});
  detail::transform(detail::on(device, detail::derivative_op<F>{f}), n, d, x);
}

/// dx[i] ← dy[i]·f'(x[i]) on the device's threads.
template <class F, class T, class = detail::if_raw_t<F, T>>
inline void backward(const Eigen::ThreadPoolDevice& device, const F& f, const T* x, const T* dy, T* dx,
                     std::ptrdiff_t n) {
  detail::check_raw("backward", n, {x, dy, dx});
  detail::transform(detail::on(device, detail::backward_op<F>{f}), n, dx, x, dy);
}

/// dx[i] ← dy[i]·f'(x[i]), f' computed from y[i], on the device's threads.
template <class F, class T, class = detail::if_raw_t<F, T>>
inline void backward_from_output(const Eigen::ThreadPoolDevice& device, const F& f, const T* y, const T* dy,
                                 T* dx, std::ptrdiff_t n) {
  detail::check_raw("backward_from_output", n, {y, dy, dx});
  detail::transform(detail::on(device, detail::backward_from_output_op<F>{f}), n, dx, y, dy);
}

}  // namespace activ

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_CORE_PARALLEL_HPP
