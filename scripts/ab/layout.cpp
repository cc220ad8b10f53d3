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
struct LayoutBuffers {
  LayoutBuffers(long n, std::size_t dy_offset, std::size_t out_offset)
      : x(n, 0), dy(n, dy_offset), out(n, out_offset) {}
  activ_bench::PageArray<T> x, dy, out;
};

template <class T>
inline LayoutBuffers<T>& layout_buffers(long n, std::size_t dy_offset, std::size_t out_offset) {
  static std::map<std::tuple<long, std::size_t, std::size_t>, LayoutBuffers<T>> all;
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

#define AB_LAYOUT(F, T, call, name, call_name) \
  BENCHMARK_TEMPLATE(bm, VNS::F<T>, call)->Name(std::string("layout/" name "/" call_name "/" #T "/") + STR(VNS))->Apply(layouts);
AB_LAYOUT(ReLU, float, 0, "relu", "forward")
AB_LAYOUT(ReLU, float, 2, "relu", "backward")
AB_LAYOUT(ReLU, double, 0, "relu", "forward")
AB_LAYOUT(ReLU, double, 2, "relu", "backward")
AB_LAYOUT(Sigmoid, float, 0, "sigmoid", "forward")
AB_LAYOUT(Tanh, float, 2, "tanh", "backward")

}  // namespace
