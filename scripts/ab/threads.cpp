// One side of a same-process A/B of activ (scripts/ab/ab.sh), see elementwise.cpp: the device
// overloads of core/parallel.hpp on 2 threads (the caller and a 1-thread pool, as
// bench/threads.cpp's pool1, which the SPEC bar uses) beside one thread, float forward of the
// exp-based functions and ReLU from 16 Ki to 4 Mi elements, wall time:
//   pool1/<f>/<side>/<n>  back-to-back calls (the pool thread still spinning from the last one)
//   cold/<f>/<side>/<n>   each call after 1 ms of the caller's own work, long enough for the
//                         pool thread to have gone to sleep (manual time: the call alone)
//   one/<f>/<side>/<n>    the plain call
#define EIGEN_USE_THREADS
#include "side.hpp"
#include <activ/core/parallel.hpp>
#include <chrono>

// One pool for both sides (an inline function outside the renamed namespace, as ab_buffers).
inline Eigen::ThreadPoolDevice& ab_device() {
  static Eigen::ThreadPool pool(1);
  static Eigen::ThreadPoolDevice device(&pool, 2);
  return device;
}

namespace {
enum How { one, pool1, cold };
template <class F, int H>
void bm(benchmark::State& st) {
  const long n = st.range(0); auto& b = ab_buffers(n, 8); F f{};
  Eigen::Map<const Eigen::ArrayXf> x(b.x.data(), n);
  Eigen::Map<Eigen::ArrayXf> y(b.out.data(), n);
  using clock = std::chrono::steady_clock;
  for (auto _ : st) {
    if constexpr (H == cold) {
      const auto until = clock::now() + std::chrono::milliseconds(1);
      while (clock::now() < until) {
      }
      const auto t0 = clock::now();
      VNS::forward(ab_device(), f, x, y);
      st.SetIterationTime(std::chrono::duration<double>(clock::now() - t0).count());
    } else if constexpr (H == pool1) {
      VNS::forward(ab_device(), f, x, y);
    } else {
      VNS::forward(f, x, y);
    }
    benchmark::ClobberMemory();
  }
}
#define AB_THREADS_ROW(F, H, name, label) \
  BENCHMARK_TEMPLATE(bm, VNS::F<float>, H)->Name(std::string(label "/" name "/") + STR(VNS))->RangeMultiplier(2)->Range(1 << 14, 1 << 18)->Arg(1 << 20)->Arg(1 << 22)
#define AB_THREADS(F, name)                                      \
  AB_THREADS_ROW(F, pool1, name, "pool1")->UseRealTime();        \
  AB_THREADS_ROW(F, cold, name, "cold")->UseManualTime()->Iterations(100);      \
  AB_THREADS_ROW(F, one, name, "one")->UseRealTime();
AB_THREADS(Sigmoid, "sigmoid") AB_THREADS(Tanh, "tanh") AB_THREADS(ELU, "elu") AB_THREADS(ReLU, "relu")
}
