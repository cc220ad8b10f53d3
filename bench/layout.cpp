// Forward calls where the arrays sit as the heap puts arrays allocated one after the other.
//
// Every benchmark is named  forward/<function>/<implementation>/<layout>/<elements>:
//   function        relu, sigmoid (float)
//   implementation  activ    the public container API on Eigen::Map
//                   eigen    Eigen 3.4's array expression (x.max(0), x.logistic())
//   layout          apart        the output 2 KiB after x modulo 4 KiB (the other benchmarks')
//                   consecutive  the output 128 bytes after x modulo 4 KiB, as malloc places a
//                                second array after a first (a header and a cache line or so)
// and copy/<layout>/<elements> is a plain forward copy loop (copy_loop.hpp: four aligned batches
// per trip) in that layout; copy_ceiling/<elements> is the apart one, the
// reference of the "share of the copy ceiling" column of docs/benchmarks.md.
//
// A load from the same address modulo 4 KiB as an earlier store still in flight waits for that
// store (4K aliasing). With the output a little above x modulo 4 KiB, a loop walking forward
// loads, a few batches after each store, the elements at that store's page offset; activ's loop
// walks such a run from its end (core/loop.hpp, `descending`), Eigen's and the copy's walk
// forward. scripts/ab/ab.sh layout is the same-process A/B of that choice.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <activ/activ.hpp>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>

#include "copy_loop.hpp"
#include "page_array.hpp"

namespace {

using Index = std::int64_t;

enum class Layout { apart, consecutive };
const char* layout_name(Layout l) { return l == Layout::apart ? "apart" : "consecutive"; }

// x at the start of its page, the output at 2 KiB or 128 bytes; x uniform in [−8, 8].
activ_bench::PageArrays<float>& buffers(Index n, Layout l) {
  static std::map<std::pair<Index, Layout>, activ_bench::PageArrays<float>> all;
  const std::size_t out_at = l == Layout::apart ? activ_bench::out_offset : 128;
  auto [it, fresh] = all.try_emplace({n, l}, n, activ_bench::dy_offset, out_at);
  if (fresh) {
    std::mt19937 g(42);
    std::uniform_real_distribution<float> in(-8.0f, 8.0f);
    for (Index i = 0; i < n; ++i) it->second.x[static_cast<std::size_t>(i)] = in(g);
  }
  return it->second;
}

// Registers name for every size: call(x, y) is timed, y ← f(x) over n elements.
template <class Call>
void add(const std::string& name, Layout l, Call call) {
  benchmark::RegisterBenchmark(name.c_str(), [l, call](benchmark::State& st) {
    const Index n = st.range(0);
    auto& b = buffers(n, l);
    const Eigen::Map<const Eigen::ArrayXf> x(b.x.data(), n);
    Eigen::Map<Eigen::ArrayXf> y(b.out.data(), n);
    for (auto _ : st) {
      call(x, y);
      benchmark::DoNotOptimize(b.out.data());
      benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * n);
    st.SetBytesProcessed(st.iterations() * n * 2 * Index(sizeof(float)));
  })->Arg(Index(1) << 12)->Arg(Index(1) << 16)->Arg(Index(1) << 20);
}

void copy(const Eigen::Map<const Eigen::ArrayXf>& x, Eigen::Map<Eigen::ArrayXf>& y) {
  activ_bench::copy_loop(x.data(), y.data(), x.size());
}

const bool registered = [] {
  add("copy_ceiling", Layout::apart, copy);
  for (const Layout l : {Layout::apart, Layout::consecutive}) {
    const std::string at = std::string("/") + layout_name(l);
    add("copy" + at, l, copy);
    add("forward/relu/activ" + at, l, [](const auto& x, auto& y) { activ::forward(activ::ReLU<float>{}, x, y); });
    add("forward/relu/eigen" + at, l, [](const auto& x, auto& y) { y = x.max(0.0f); });
    add("forward/sigmoid/activ" + at, l,
        [](const auto& x, auto& y) { activ::forward(activ::Sigmoid<float>{}, x, y); });
    add("forward/sigmoid/eigen" + at, l, [](const auto& x, auto& y) { y = x.logistic(); });
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
