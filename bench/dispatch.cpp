// What the plumbing costs on a small layer (SPEC §6 via issue 5: forward on 16 elements within
// 1.5× a hand-written call). Float, 16 elements, one call per iteration:
//   dispatch/<function>/batches    hand-written: load, functor, store, one batch at a time
//   dispatch/<function>/raw        activ::forward(f, x_ptr, y_ptr, 16)
//   dispatch/<function>/fixed      activ::forward(f, x, y) on Eigen::Array<float, 16, 1>
//   dispatch/<function>/dynamic    activ::forward(f, x, y) on Eigen::ArrayXf of size 16
//   dispatch/<function>/tensor     activ::forward(f, x, y) on Eigen::Tensor<float, 1> of size 16
//   dispatch/<function>/tensor_batches  the hand-written loop on that Tensor's data()
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <activ/activ.hpp>
#include <string>
#include <unsupported/Eigen/CXX11/Tensor>
#include <xsimd/xsimd.hpp>

namespace {

constexpr int n = 16;
using B = xsimd::batch<float>;
static_assert(n % B::size == 0, "16 elements are whole batches on every x86 SIMD width.");

template <class F>
void register_function(const std::string& name, F f) {
  const std::string prefix = "dispatch/" + name + "/";
  benchmark::RegisterBenchmark((prefix + "batches").c_str(), [f](benchmark::State& st) {
    alignas(64) float x[n], y[n];
    for (int i = 0; i < n; ++i) x[i] = float(i - 8) * 0.5f;
    for (auto _ : st) {
      benchmark::DoNotOptimize(x);
      for (int i = 0; i < n; i += int(B::size)) f(B::load_aligned(x + i)).store_aligned(y + i);
      benchmark::DoNotOptimize(y);
      benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * n);
  });
  benchmark::RegisterBenchmark((prefix + "raw").c_str(), [f](benchmark::State& st) {
    alignas(64) float x[n], y[n];
    for (int i = 0; i < n; ++i) x[i] = float(i - 8) * 0.5f;
    for (auto _ : st) {
      benchmark::DoNotOptimize(x);
      activ::forward(f, x, y, n);
      benchmark::DoNotOptimize(y);
      benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * n);
  });
  benchmark::RegisterBenchmark((prefix + "fixed").c_str(), [f](benchmark::State& st) {
    Eigen::Array<float, n, 1> x = Eigen::Array<float, n, 1>::LinSpaced(-4.0f, 3.5f), y;
    for (auto _ : st) {
      benchmark::DoNotOptimize(x.data());
      activ::forward(f, x, y);
      benchmark::DoNotOptimize(y.data());
      benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * n);
  });
  benchmark::RegisterBenchmark((prefix + "dynamic").c_str(), [f](benchmark::State& st) {
    Eigen::ArrayXf x = Eigen::ArrayXf::LinSpaced(n, -4.0f, 3.5f), y(n);
    for (auto _ : st) {
      benchmark::DoNotOptimize(x.data());
      activ::forward(f, x, y);
      benchmark::DoNotOptimize(y.data());
      benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * n);
  });
  // The hand-written loop on a Tensor's own memory. A Tensor's address escapes (its
  // constructor and setConstant are calls), so after each ClobberMemory the compiler reloads its
  // data pointer and dimensions in every iteration, in this loop and in activ's call alike;
  // the loops on stack arrays and on ArrayXf keep them in registers.
  benchmark::RegisterBenchmark((prefix + "tensor_batches").c_str(), [f](benchmark::State& st) {
    Eigen::Tensor<float, 1> x(n), y(n);
    x.setConstant(0.25f);
    for (auto _ : st) {
      benchmark::DoNotOptimize(x.data());
      for (int i = 0; i < n; i += int(B::size)) f(B::load_unaligned(x.data() + i)).store_unaligned(y.data() + i);
      benchmark::DoNotOptimize(y.data());
      benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * n);
  });
  benchmark::RegisterBenchmark((prefix + "tensor").c_str(), [f](benchmark::State& st) {
    Eigen::Tensor<float, 1> x(n), y(n);
    x.setConstant(0.25f);
    for (auto _ : st) {
      benchmark::DoNotOptimize(x.data());
      activ::forward(f, x, y);
      benchmark::DoNotOptimize(y.data());
      benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * n);
  });
}

}  // namespace

int main(int argc, char** argv) {
  register_function("relu", activ::ReLU<float>{});
  register_function("sigmoid", activ::Sigmoid<float>{});
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
