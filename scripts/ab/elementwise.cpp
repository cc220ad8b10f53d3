// One side of a same-process A/B of activ (scripts/ab/ab.sh): compiled twice, once per version
// of include/, with `activ` renamed to VNS (activ_a, activ_b) so that both versions' inline
// functions live side by side in one binary, and Google Benchmark interleaves them at random.
// Elementwise calls on raw pointers, float and double, 4 Ki and 64 Ki elements (AB_FILTER=/double/
// for one type).
#include "side.hpp"
namespace {
template <class F, int Call>
void bm(benchmark::State& st) {
  const long n = st.range(0); auto& b = ab_buffers<typename F::value_type>(n, 8); F f{};
  for (auto _ : st) {
    if constexpr (Call == 0) VNS::forward(f, b.x.data(), b.out.data(), n);
    else if constexpr (Call == 1) VNS::derivative(f, b.x.data(), b.out.data(), n);
    else VNS::backward(f, b.x.data(), b.dy.data(), b.out.data(), n);
    benchmark::ClobberMemory();
  }
}
AB_REGISTER_ELEMENTWISE(bm, float)
AB_REGISTER_ELEMENTWISE(bm, double)
}
