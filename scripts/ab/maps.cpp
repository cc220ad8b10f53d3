// One side of a same-process A/B of activ (scripts/ab/ab.sh), see elementwise.cpp. The same
// calls on Eigen::Map containers (as bench/elementwise.cpp makes them) instead of raw
// pointers: the container path (core/dense.hpp) in front of the loop. Float, 4 Ki and 64 Ki.
// The functor goes through DoNotOptimize, so that its parameters (LeakyReLU's slope, ELU's
// alpha) are not compile-time constants, as in a user's program and bench/elementwise.cpp:
// with F f{} the compiler folds formula choices on them that a real call makes at run time.
#include "side.hpp"
namespace {
using CMap = Eigen::Map<const Eigen::ArrayXf>;
using Map = Eigen::Map<Eigen::ArrayXf>;
template <class F, int Call>
void bm(benchmark::State& st) {
  const long n = st.range(0); auto& b = ab_buffers(n, 8); F f{};
  benchmark::DoNotOptimize(f);
  for (auto _ : st) {
    if constexpr (Call == 0) VNS::forward(f, CMap(b.x.data(), n), Map(b.out.data(), n));
    else if constexpr (Call == 1) VNS::derivative(f, CMap(b.x.data(), n), Map(b.out.data(), n));
    else VNS::backward(f, CMap(b.x.data(), n), CMap(b.dy.data(), n), Map(b.out.data(), n));
    benchmark::ClobberMemory();
  }
}
AB_REGISTER_ELEMENTWISE(bm, float)
void copy(benchmark::State& st) {  // the control: unchanged between the sides
  using B = xsimd::batch<float>; constexpr long w = B::size;
  const long n = st.range(0); auto& s = ab_buffers(n, 8);
  for (auto _ : st) {
    for (long i = 0; i + w <= n; i += w) B::load_aligned(s.x.data() + i).store_aligned(s.out.data() + i);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(copy)->Name("copy/" STR(VNS))->Arg(4096)->Arg(65536);
}
