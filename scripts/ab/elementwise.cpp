// One side of a same-process A/B of activ (scripts/ab/ab.sh): compiled twice, once per version
// of include/, with `activ` renamed to VNS (activ_a, activ_b) so that both versions' inline
// functions live side by side in one binary, and Google Benchmark interleaves them at random.
// Elementwise calls (forward, derivative, backward, backward_from_output) on raw pointers, float and double, 4 Ki and 64 Ki elements (AB_FILTER=/double/
// for one type).
#include "side.hpp"
namespace {
template <class F, int Call>
void bm(benchmark::State& st) {
  const long n = st.range(0); auto& b = ab_buffers<typename F::value_type>(n, 8); F f{};
  for (auto _ : st) {
    if constexpr (Call == 0) VNS::forward(f, b.x.data(), b.out.data(), n);
    else if constexpr (Call == 1) VNS::derivative(f, b.x.data(), b.out.data(), n);
    else if constexpr (Call == 2) VNS::backward(f, b.x.data(), b.dy.data(), b.out.data(), n);
    else VNS::backward_from_output(f, b.x.data(), b.dy.data(), b.out.data(), n);  // x read as y
    benchmark::ClobberMemory();
  }
}
AB_REGISTER_ELEMENTWISE(bm, float)
AB_REGISTER_ELEMENTWISE(bm, double)
// backward_from_output (Call 3), which the other harnesses do not measure.
#define AB_FROM_OUTPUT(F, T, name) \
  BENCHMARK_TEMPLATE(bm, VNS::F<T>, 3)->Name(std::string("from_output/" name "/" #T "/") + STR(VNS))->Arg(4096)->Arg(65536);
AB_FROM_OUTPUT(ReLU, float, "relu") AB_FROM_OUTPUT(LeakyReLU, float, "leaky_relu") AB_FROM_OUTPUT(ELU, float, "elu")
AB_FROM_OUTPUT(Sigmoid, float, "sigmoid") AB_FROM_OUTPUT(Tanh, float, "tanh")
AB_FROM_OUTPUT(ReLU, double, "relu") AB_FROM_OUTPUT(LeakyReLU, double, "leaky_relu") AB_FROM_OUTPUT(ELU, double, "elu")
AB_FROM_OUTPUT(Sigmoid, double, "sigmoid") AB_FROM_OUTPUT(Tanh, double, "tanh")
}
