// activ on an Eigen::ThreadPoolDevice (core/parallel.hpp) against one thread, float, wall time
// (docs/benchmarks.md, "Threads"; SPEC §6: 2 threads >= 1.8x one thread at 1 Mi and 64 Mi).
//   threads/<call>/<function>/one/<n>     the plain call on the calling thread
//   threads/<call>/<function>/pool1/<n>   the device overload with numThreads() 2 on a pool of one
//                                         thread: the caller and that thread, 2 threads on the 2
//                                         cores, activ decides to split (SPEC's "2 threads")
//   threads/<call>/<function>/pool2/<n>   the same on a pool of 2 threads (numThreads() 2): activ
//                                         still uses the caller and one pool thread, but Eigen's
//                                         idle pool thread, woken by each Schedule, spins for a
//                                         while ("leave one thread spinning") on a core the other
//                                         two need
//   threads/<call>/<function>/split2/<n>  a split in two fixed halves forced at every size, the
//                                         1-thread pool running one and the caller the other
//                                         (activ takes chunks as they come instead, see
//                                         core/parallel.hpp): where it beats `one` is the
//                                         crossover for calls back to back (min_piece is set
//                                         for a sleeping pool instead: the cold rows below)
//   threads/<call>/<function>/onecold/<n>, pool1cold/<n>, split2cold/<n>
//                                         one, pool1 and split2 with each call after 1 ms of the
//                                         caller's own work, by which time the pool thread has
//                                         gone to sleep (Eigen's do after some 20-50 µs idle
//                                         here): the threaded calls pay the Schedule that wakes
//                                         it and the thread's late start, and every call finds
//                                         its data less warm than back to back (onecold is their
//                                         baseline; split2cold's barrier also waits for the
//                                         late thread at the end, which activ's join does not).
//                                         Manual time (the call alone), 100 calls per
//                                         repetition, up to 1 Mi
#define EIGEN_USE_THREADS
#include <benchmark/benchmark.h>

#include <activ/activ.hpp>
#include <activ/core/parallel.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <unsupported/Eigen/CXX11/Tensor>
#include <vector>
#include <xsimd/xsimd.hpp>

namespace {

using Index = std::int64_t;
using aligned_vector = std::vector<float, xsimd::aligned_allocator<float, 64>>;

struct Buffers {
  aligned_vector x, dy, out;
};

Buffers& buffers(Index n) {
  static Buffers b;
  const auto size = static_cast<std::size_t>(n);
  if (b.x.size() < size) {
    b.x.resize(size);
    b.dy.assign(size, 0.25f);
    b.out.assign(size, 0.0f);
    for (std::size_t i = 0; i < size; ++i) b.x[i] = float(int(i % 4096) - 2048) / 256.0f;  // [−8, 8)
  }
  return b;
}

Eigen::ThreadPoolDevice& device2() {
  static Eigen::ThreadPool pool(2);
  static Eigen::ThreadPoolDevice device(&pool, 2);
  return device;
}

// Two threads: the caller and a pool of one (docs/containers.md, "Threads").
Eigen::ThreadPoolDevice& device1() {
  static Eigen::ThreadPool pool(1);
  static Eigen::ThreadPoolDevice device(&pool, 2);
  return device;
}

enum class How { one, pool1, pool2, split2, onecold, pool1cold, split2cold };

template <class F>
void call(How how, bool backward, const F& f, const float* x, const float* dy, float* out, Index n) {
  const auto plain = [&](Index at, Index count) {
    if (backward) {
      activ::backward(f, x + at, dy + at, out + at, count);
    } else {
      activ::forward(f, x + at, out + at, count);
    }
  };
  switch (how) {
    case How::one:
    case How::onecold:
      plain(0, n);
      break;
    case How::pool1:
    case How::pool1cold:
    case How::pool2: {
      const Eigen::ThreadPoolDevice& device = how == How::pool2 ? device2() : device1();
      if (backward) {
        activ::backward(device, f, x, dy, out, n);
      } else {
        activ::forward(device, f, x, out, n);
      }
      break;
    }
    case How::split2:
    case How::split2cold: {
      const Index half = n / 2 / 16 * 16;
      Eigen::Barrier done(1);
      device1().enqueue_with_barrier(&done, [&] { plain(half, n - half); });
      plain(0, half);
      done.Wait();
      break;
    }
  }
}

template <class F>
void register_function(const std::string& name, bool backward, F f) {
  const std::pair<const char*, How> hows[] = {{"one", How::one},           {"pool1", How::pool1},
                                              {"pool2", How::pool2},       {"split2", How::split2},
                                              {"onecold", How::onecold},   {"pool1cold", How::pool1cold},
                                              {"split2cold", How::split2cold}};
  for (const auto& [label, how] : hows) {
    const bool cold = how == How::onecold || how == How::pool1cold || how == How::split2cold;
    const std::string full = std::string("threads/") + (backward ? "backward/" : "forward/") + name + "/" + label;
    auto* b = benchmark::RegisterBenchmark(full.c_str(), [how = how, cold, backward, f](benchmark::State& st) {
      using clock = std::chrono::steady_clock;
      const Index n = st.range(0);
      auto& buf = buffers(n);
      for (auto _ : st) {
        if (cold) {
          const auto until = clock::now() + std::chrono::milliseconds(1);
          while (clock::now() < until) {
          }
        }
        const auto start = clock::now();
        call(how, backward, f, buf.x.data(), buf.dy.data(), buf.out.data(), n);
        if (cold) st.SetIterationTime(std::chrono::duration<double>(clock::now() - start).count());
        benchmark::DoNotOptimize(buf.out.data());
        benchmark::ClobberMemory();
      }
      st.SetItemsProcessed(st.iterations() * n);
      st.SetBytesProcessed(st.iterations() * n * (backward ? 3 : 2) * Index(sizeof(float)));
    });
    for (Index n = Index(1) << 12; n <= Index(1) << 20; n *= 2) b->Arg(n);
    if (cold) {
      b->UseManualTime()->Iterations(100);
    } else {
      b->Arg(Index(1) << 26)->UseRealTime();
    }
    b->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_function("relu", false, activ::ReLU<float>{});
  register_function("elu", false, activ::ELU<float>{});
  register_function("sigmoid", false, activ::Sigmoid<float>{});
  register_function("tanh", false, activ::Tanh<float>{});
  register_function("relu", true, activ::ReLU<float>{});
  register_function("sigmoid", true, activ::Sigmoid<float>{});
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
