// One side of a same-process A/B (scripts/ab/ab.sh layout): elementwise calls on raw pointers
// with x, dy and the output at chosen offsets modulo 4 KiB (bench/page_array.hpp), to see
// what 4K aliasing costs each side. Named layout/<function>/<call>/<type>/<side>/<n>/<dy
// offset>/<output offset> (bytes past x's page offset 0): 1536/2048 is the benchmarks' layout,
// 64/128 that of three consecutive heap allocations of a few KiB, 0/64 and 0/1024 an output a
// little and further above its input (256, 512, 640: around the window of core/loop.hpp's
// descending walk), 0/3968 one just below, 0/0 the same offsets.
#include "side.hpp"

#include "../../bench/page_array.hpp"

// Outside the anonymous namespace and inline, as side.hpp's ab_buffers: one definition that the
// linker merges, so both sides time the same pages (with a copy per side, which physical pages
// each side got showed as up to 3.7x on identical code at 4 Ki).
template <class T>
inline activ_bench::PageArrays<T>& layout_buffers(long n, std::size_t dy_offset, std::size_t out_offset) {
  static std::map<std::tuple<long, std::size_t, std::size_t>, activ_bench::PageArrays<T>> all;
  auto [it, fresh] = all.try_emplace({n, dy_offset, out_offset}, n, dy_offset, out_offset);
  if (fresh) {
    std::mt19937 g(42);
    std::uniform_real_distribution<T> u(T(-8), T(8)), v(-1, 1);
    for (std::size_t i = 0; i < it->second.x.size(); ++i) it->second.x[i] = u(g);
    for (std::size_t i = 0; i < it->second.dy.size(); ++i) it->second.dy[i] = v(g);
  }
  return it->second;
}

namespace {

template <class F, int Call>
void bm(benchmark::State& st) {
  using T = typename F::value_type;
  const long n = st.range(0);
  auto& b = layout_buffers<T>(n, static_cast<std::size_t>(st.range(1)), static_cast<std::size_t>(st.range(2)));
  F f{};
  for (auto _ : st) {
    if constexpr (Call == 0) VNS::forward(f, b.x.data(), b.out.data(), n);
    else VNS::backward(f, b.x.data(), b.dy.data(), b.out.data(), n);
    benchmark::ClobberMemory();
  }
}

void layouts(benchmark::internal::Benchmark* b) {
  for (long n : {4096L, 65536L, 262144L, 1048576L}) {
    for (auto [dy, out] : {std::pair{1536, 2048}, {64, 128}, {0, 64}, {0, 256}, {0, 512}, {0, 640}, {0, 1024},
                           {0, 3968}, {0, 0}}) {
      b->Args({n, dy, out});
    }
  }
}

// PReLU on an 8^4 (4 Ki) or 16^4 (64 Ki) float tensor, the channel axis last (runs of 512 or
// 4096 elements with one slope each: prelu_short_run, or transform's loop) or first. Tried with
// prelu_short_run walking down as transform's loop does (2026-12-07): last axis at 4 Ki 0.66
// (0/256), 0.95 (0/64) and 1.13 (64/128) of the time, and the first axis, whose code it does
// not touch, 1.02–1.33: within this harness's noise at 4 Ki, not kept.
template <int Axis, int Call>
void bm_prelu(benchmark::State& st) {
  const long n = st.range(0);
  const Eigen::Index d = n == 4096 ? 8 : 16;
  auto& b = layout_buffers<float>(n, static_cast<std::size_t>(st.range(1)), static_cast<std::size_t>(st.range(2)));
  const Eigen::TensorMap<const Eigen::Tensor<float, 4>> x(b.x.data(), d, d, d, d), dy(b.dy.data(), d, d, d, d);
  Eigen::TensorMap<Eigen::Tensor<float, 4>> out(b.out.data(), d, d, d, d);
  const VNS::PReLU<float> p(d, Axis);
  for (auto _ : st) {
    if constexpr (Call == 0) VNS::forward(p, x, out);
    else VNS::backward(p, x, dy, out);
    benchmark::ClobberMemory();
  }
}
void prelu_layouts(benchmark::internal::Benchmark* b) {
  for (long n : {4096L, 65536L}) {
    for (auto [dy, out] : {std::pair{1536, 2048}, {64, 128}, {0, 64}, {0, 256}, {0, 0}}) b->Args({n, dy, out});
  }
}
BENCHMARK_TEMPLATE(bm_prelu, 3, 0)->Name(std::string("layout/prelu_last/forward/float/") + STR(VNS))->Apply(prelu_layouts);
BENCHMARK_TEMPLATE(bm_prelu, 3, 2)->Name(std::string("layout/prelu_last/backward/float/") + STR(VNS))->Apply(prelu_layouts);
BENCHMARK_TEMPLATE(bm_prelu, 0, 0)->Name(std::string("layout/prelu_first/forward/float/") + STR(VNS))->Apply(prelu_layouts);

#define AB_LAYOUT(F, T, call, name, call_name) \
  BENCHMARK_TEMPLATE(bm, VNS::F<T>, call)->Name(std::string("layout/" name "/" call_name "/" #T "/") + STR(VNS))->Apply(layouts);
AB_LAYOUT(ReLU, float, 0, "relu", "forward")
AB_LAYOUT(ReLU, float, 2, "relu", "backward")
AB_LAYOUT(ReLU, double, 0, "relu", "forward")
AB_LAYOUT(ReLU, double, 2, "relu", "backward")
AB_LAYOUT(Sigmoid, float, 0, "sigmoid", "forward")
AB_LAYOUT(Tanh, float, 2, "tanh", "backward")

}  // namespace
