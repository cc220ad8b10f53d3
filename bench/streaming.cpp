// Where streaming stores start to pay: core/loop.hpp's stream_min_bytes (docs/benchmarks.md,
// "Streaming stores"). Float, one thread, sizes from 1 Mi to 64 Mi elements (4 to 256 MiB of
// output), each run with plain and with streaming stores:
//   copy/<plain|stream>/<n>          the xsimd copy loop
//   relu/<plain|stream>/<n>          activ's loop (detail::transform_run) on ReLU forward
//   sigmoid/<plain|stream>/<n>       the same on Sigmoid forward, which computes more per byte
//   relu_backward/<plain|stream>/<n> two inputs, one output
#include <benchmark/benchmark.h>

#include <activ/activ.hpp>
#include <cstdint>
#include <string>
#include <vector>
#include <xsimd/xsimd.hpp>

namespace {

using Index = std::int64_t;
using B = xsimd::batch<float>;
using aligned_vector = std::vector<float, xsimd::aligned_allocator<float, 64>>;

struct Buffers {
  aligned_vector x, dy, out;
};

Buffers& buffers(Index n) {
  static Buffers b;
  const auto size = static_cast<std::size_t>(n);
  if (b.x.size() < size) {
    b.x.assign(size, 0.5f);
    b.dy.assign(size, -0.25f);
    b.out.assign(size, 0.0f);
  }
  return b;
}

template <class Body>
void add(const std::string& name, int streams, Body body) {
  auto* b = benchmark::RegisterBenchmark(name.c_str(), [streams, body](benchmark::State& st) {
    const Index n = st.range(0);
    auto& buf = buffers(n);
    for (auto _ : st) {
      body(buf.x.data(), buf.dy.data(), buf.out.data(), n);
      benchmark::DoNotOptimize(buf.out.data());
      benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * n);
    st.SetBytesProcessed(st.iterations() * n * streams * Index(sizeof(float)));
  });
  b->RangeMultiplier(2)->Range(Index(1) << 20, Index(1) << 26)->Unit(benchmark::kMillisecond);
}

template <int Inputs, class Op>
void add_activ(const std::string& name, Op op) {
  for (const bool stream : {false, true}) {
    add(name + (stream ? "/stream" : "/plain"), Inputs + 1, [op, stream](const float* x, const float* dy, float* out, Index n) {
      auto o = op;
      if constexpr (Inputs == 1) {
        activ::detail::transform_run(o, n, out, stream, x);
      } else {
        activ::detail::transform_run(o, n, out, stream, x, dy);
      }
    });
  }
}

struct Relu {
  B operator()(const B& x) const noexcept { return activ::ReLU<float>{}(x); }
  B operator()(const B& x, const B& dy) const noexcept { return dy * activ::ReLU<float>{}.derivative(x); }
};

struct Sigmoid {
  B operator()(const B& x) const noexcept { return activ::Sigmoid<float>{}(x); }
};

}  // namespace

int main(int argc, char** argv) {
  add("copy/plain", 2, [](const float* x, const float*, float* y, Index n) {
    for (Index i = 0; i < n; i += Index(B::size)) B::load_aligned(x + i).store_aligned(y + i);
  });
#if XSIMD_WITH_SSE2  // the streaming stores exist on x86 only
  add("copy/stream", 2, [](const float* x, const float*, float* y, Index n) {
    for (Index i = 0; i < n; i += Index(B::size)) activ::detail::stream_register(y + i, B::load_aligned(x + i).data);
    activ::detail::stream_fence();
  });
#endif
  add_activ<1>("relu", Relu{});
  add_activ<1>("sigmoid", Sigmoid{});
  add_activ<2>("relu_backward", Relu{});
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
