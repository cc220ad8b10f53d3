// The initializers against the loop a user writes with <random>, on the same engine.
//
// Names: init/<initializer>/<type>/<implementation>/<elements>
//   he_normal       activ::init::he_normal            vs  std::normal_distribution
//   xavier_uniform  activ::init::xavier_uniform       vs  std::uniform_real_distribution
//   engine          the bare engine loop (one call and one conversion per element): the cost
//                   of the random bits alone, a floor for any method that spends one call a value
// Implementations: activ, std (the standard library this binary is built with), and for
// he_normal scalar_libm: activ's own words and formulas with the transcendental part done by
// scalar std::log/std::cos/std::sin (glibc), the design activ did not take. Engine:
// std::mt19937 for all, seeded once per benchmark and advancing across iterations. 16 Mi
// elements, the size: 64 MiB of float, past every cache. SPEC's bar: activ >= 2× std for
// he_normal (docs/initializers.md quotes the medians of --benchmark_repetitions=5).
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <activ/init/init.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>
#include <xsimd/xsimd.hpp>

namespace {

constexpr std::int64_t n = std::int64_t(1) << 24;
// A 4096×4096 layer: fan_in = fan_out = 4096.
const activ::init::Fans fans{4096, 4096};

template <class T>
std::vector<T, xsimd::aligned_allocator<T, 64>>& buffer() {
  static std::vector<T, xsimd::aligned_allocator<T, 64>> b(static_cast<std::size_t>(n), T(0));
  return b;
}

template <class T>
Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>> view() {
  return {buffer<T>().data(), n};
}

template <class T>
void finish(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * static_cast<std::int64_t>(sizeof(T)));
}

template <class T>
void he_normal_activ(benchmark::State& state) {
  std::mt19937 g(1);
  auto w = view<T>();
  for (auto _ : state) {
    activ::init::he_normal(w, g, fans);
    benchmark::DoNotOptimize(w.data());
    benchmark::ClobberMemory();
  }
  finish<T>(state);
}

template <class T>
void he_normal_std(benchmark::State& state) {
  std::mt19937 g(1);
  T* w = buffer<T>().data();
  std::normal_distribution<T> d(T(0), static_cast<T>(std::sqrt(2.0) / std::sqrt(4096.0)));
  for (auto _ : state) {
    for (std::int64_t i = 0; i < n; ++i) w[i] = d(g);
    benchmark::DoNotOptimize(w);
    benchmark::ClobberMemory();
  }
  finish<T>(state);
}

// Box–Muller as activ documents it (docs/initializers.md), but with scalar libm calls.
template <class T>
void he_normal_scalar_libm(benchmark::State& state) {
  using F = activ::init::detail::word_format<T>;
  std::mt19937 g(1);
  T* w = buffer<T>().data();
  const T sigma = static_cast<T>(std::sqrt(2.0) / std::sqrt(4096.0));
  const T pi = static_cast<T>(3.14159265358979323846);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < n; i += 2) {
      const T j1 = F::draw_word(g), j2 = F::draw_word(g);
      const T u = (j1 + T(1)) * F::inv_full;
      const T v = ((j2 - F::half) + T(0.5)) * F::inv_half;
      const T rho = sigma * std::sqrt(T(-2) * std::log(u));
      w[i] = rho * std::cos(pi * v);
      w[i + 1] = rho * std::sin(pi * v);
    }
    benchmark::DoNotOptimize(w);
    benchmark::ClobberMemory();
  }
  finish<T>(state);
}

template <class T>
void xavier_uniform_activ(benchmark::State& state) {
  std::mt19937 g(1);
  auto w = view<T>();
  for (auto _ : state) {
    activ::init::xavier_uniform(w, g, fans);
    benchmark::DoNotOptimize(w.data());
    benchmark::ClobberMemory();
  }
  finish<T>(state);
}

template <class T>
void xavier_uniform_std(benchmark::State& state) {
  std::mt19937 g(1);
  T* w = buffer<T>().data();
  const T b = static_cast<T>(std::sqrt(6.0 / 8192.0));
  std::uniform_real_distribution<T> d(-b, b);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < n; ++i) w[i] = d(g);
    benchmark::DoNotOptimize(w);
    benchmark::ClobberMemory();
  }
  finish<T>(state);
}

template <class T>
void engine_only(benchmark::State& state) {
  std::mt19937 g(1);
  T* w = buffer<T>().data();
  for (auto _ : state) {
    for (std::int64_t i = 0; i < n; ++i) w[i] = static_cast<T>(g());
    benchmark::DoNotOptimize(w);
    benchmark::ClobberMemory();
  }
  finish<T>(state);
}

}  // namespace

BENCHMARK(he_normal_activ<float>)->Name("init/he_normal/f32/activ/16777216")->Unit(benchmark::kMillisecond);
BENCHMARK(he_normal_std<float>)->Name("init/he_normal/f32/std/16777216")->Unit(benchmark::kMillisecond);
BENCHMARK(he_normal_scalar_libm<float>)->Name("init/he_normal/f32/scalar_libm/16777216")->Unit(benchmark::kMillisecond);
BENCHMARK(xavier_uniform_activ<float>)->Name("init/xavier_uniform/f32/activ/16777216")->Unit(benchmark::kMillisecond);
BENCHMARK(xavier_uniform_std<float>)->Name("init/xavier_uniform/f32/std/16777216")->Unit(benchmark::kMillisecond);
BENCHMARK(engine_only<float>)->Name("init/engine/f32/mt19937/16777216")->Unit(benchmark::kMillisecond);
BENCHMARK(he_normal_activ<double>)->Name("init/he_normal/f64/activ/16777216")->Unit(benchmark::kMillisecond);
BENCHMARK(he_normal_std<double>)->Name("init/he_normal/f64/std/16777216")->Unit(benchmark::kMillisecond);
BENCHMARK(xavier_uniform_activ<double>)->Name("init/xavier_uniform/f64/activ/16777216")->Unit(benchmark::kMillisecond);
BENCHMARK(xavier_uniform_std<double>)->Name("init/xavier_uniform/f64/std/16777216")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
