// One side of a same-process A/B of activ (scripts/ab/ab.sh), see elementwise.cpp: the device
// overloads of core/parallel.hpp on 2 threads (the caller and a 1-thread pool, as
// bench/threads.cpp's pool1, which the SPEC bar uses) beside one thread, float forward of the exp-based functions at 256 Ki,
// 1 Mi and 4 Mi elements, wall time.
#define EIGEN_USE_THREADS
#include "side.hpp"
#include <activ/core/parallel.hpp>

// One pool for both sides (an inline function outside the renamed namespace, as ab_buffers).
inline Eigen::ThreadPoolDevice& ab_device() {
  static Eigen::ThreadPool pool(1);
  static Eigen::ThreadPoolDevice device(&pool, 2);
  return device;
}

namespace {
template <class F, bool Pool>
void bm(benchmark::State& st) {
  const long n = st.range(0); auto& b = ab_buffers(n, 8); F f{};
  Eigen::Map<const Eigen::ArrayXf> x(b.x.data(), n);
  Eigen::Map<Eigen::ArrayXf> y(b.out.data(), n);
  for (auto _ : st) {
    if constexpr (Pool) VNS::forward(ab_device(), f, x, y);
    else VNS::forward(f, x, y);
    benchmark::ClobberMemory();
  }
}
#define AB_THREADS(F, name)                                                                              \
  BENCHMARK_TEMPLATE(bm, VNS::F<float>, true)->Name(std::string("pool1/" name "/") + STR(VNS))->Arg(1 << 18)->Arg(1 << 20)->Arg(1 << 22)->UseRealTime(); \
  BENCHMARK_TEMPLATE(bm, VNS::F<float>, false)->Name(std::string("one/" name "/") + STR(VNS))->Arg(1 << 18)->Arg(1 << 20)->Arg(1 << 22)->UseRealTime();
AB_THREADS(Sigmoid, "sigmoid") AB_THREADS(Tanh, "tanh") AB_THREADS(ELU, "elu")
}
