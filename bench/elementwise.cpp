// The elementwise activations against their baselines, in one binary (SPEC §6).
//
// Every benchmark is named  <call>/<function>/<type>/<implementation>/<elements>:
//   call            forward, derivative, backward, backward_from_output, or ceiling
//   function        relu, leaky_relu, elu, sigmoid, tanh (ceiling: copy, mul)
//   type            f32, f64
//   implementation  activ      the public container API on Eigen::Map (core/functions.hpp)
//                   scalar     the naive loop a user writes first (std::exp, std::tanh)
//                   eigen      Eigen 3.4's own array expression for the same formula
//                   onednn     oneDNN eltwise (f32 only; built when find_package(dnnl) finds it)
//                   xsimd      ceiling: xsimd load/store loop, y = x (copy) or dx = x·dy (mul)
//                   stream     ceiling: the same with non-temporal (streaming) stores
// scripts/bench.sh runs this with repetitions and turns the medians into docs/benchmarks.md.
//
// Inputs are x uniform in [−8, 8] (both sides of every kink and into the tails where the
// kernels saturate) and dy uniform in [−1, 1]; backward_from_output reads x as its y. The
// activ, Eigen and oneDNN paths are branch-free, so the values do not steer their timings.
// Each size has buffers of its own, at fixed offsets within their pages (page_array.hpp),
// touched once before timing.
#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <Eigen/Core>
#include <activ/activ.hpp>
#include <algorithm>
#include <alloca.h>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <unistd.h>
#include <vector>
#include <xsimd/xsimd.hpp>

#include "page_array.hpp"

#ifdef ACTIV_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

using Index = std::int64_t;

// 4 Ki (L1), 64 Ki (L2), 1 Mi (L3) and 64 Mi (memory) elements, as SPEC §6.
const Index sizes[] = {Index(1) << 12, Index(1) << 16, Index(1) << 20, Index(1) << 26};

template <class T>
activ_bench::PageArrays<T>& buffers(Index n) {
  static std::map<Index, activ_bench::PageArrays<T>> all;
  auto [it, fresh] = all.try_emplace(n, n);
  if (fresh) {
    std::mt19937 g(42);
    std::uniform_real_distribution<T> in(T(-8), T(8)), grad(T(-1), T(1));
    auto& b = it->second;
    for (std::size_t i = 0; i < b.x.size(); ++i) b.x[i] = in(g);
    for (std::size_t i = 0; i < b.dy.size(); ++i) b.dy[i] = grad(g);
  }
  return it->second;
}

template <class T>
const char* type_name() {
  return std::is_same_v<T, float> ? "f32" : "f64";
}

// Registers name/<n> for every size. make(x, dy, out, n) returns the nullary call to time;
// `streams` is how many arrays of n elements it reads and writes, for the bytes/s counter.
template <class T, class Make>
void add(const std::string& name, int streams, Make make) {
  auto* b = benchmark::RegisterBenchmark(name.c_str(), [streams, make](benchmark::State& st) {
    const Index n = st.range(0);
    auto& buf = buffers<T>(n);
    auto call = make(buf.x.data(), buf.dy.data(), buf.out.data(), n);
    for (auto _ : st) {
      call();
      benchmark::DoNotOptimize(buf.out.data());
      benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * n);
    st.SetBytesProcessed(st.iterations() * n * streams * Index(sizeof(T)));
  });
  for (Index n : sizes) b->Arg(n);
  b->Unit(benchmark::kMicrosecond);
}

template <class T>
using CMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Aligned64>;
template <class T>
using Map = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Aligned64>;

// ---- the ceilings -------------------------------------------------------------------------

// A non-temporal store of one batch: written straight to memory, no read-for-ownership.
// The ceiling is written against the machine (AVX-512, AVX or SSE2), not through activ's own loop.
template <class T>
void stream_store(T* p, const xsimd::batch<T>& v) {
  if constexpr (xsimd::batch<T>::size * sizeof(T) == 64) {
#if defined(__AVX512F__)
    if constexpr (std::is_same_v<T, float>) {
      _mm512_stream_ps(p, v);
    } else {
      _mm512_stream_pd(p, v);
    }
#endif
  } else if constexpr (xsimd::batch<T>::size * sizeof(T) == 32) {
    if constexpr (std::is_same_v<T, float>) {
      _mm256_stream_ps(p, v);
    } else {
      _mm256_stream_pd(p, v);
    }
  } else {
    static_assert(xsimd::batch<T>::size * sizeof(T) == 16, "the streaming ceiling knows SSE2, AVX and AVX-512 only.");
    if constexpr (std::is_same_v<T, float>) {
      _mm_stream_ps(p, v);
    } else {
      _mm_stream_pd(p, v);
    }
  }
}

// Four batches per trip (n is a multiple of four batches at every size), as activ's own loop:
// the loop's compare-and-branch is paid once per four, and the compiler cannot turn the loop
// into a memcpy call.
template <class T, class Body>
void four_batches(Index n, Body body) {
  constexpr Index w = xsimd::batch<T>::size;
  for (Index i = 0; i < n; i += 4 * w) {
    body(i);
    body(i + w);
    body(i + 2 * w);
    body(i + 3 * w);
  }
}

template <class T>
void register_ceilings() {
  using B = xsimd::batch<T>;
  const std::string t = type_name<T>();
  add<T>("ceiling/copy/" + t + "/xsimd", 2, [](const T* x, const T*, T* y, Index n) {
    return [=] { four_batches<T>(n, [=](Index i) { B::load_aligned(x + i).store_aligned(y + i); }); };
  });
  add<T>("ceiling/copy/" + t + "/stream", 2, [](const T* x, const T*, T* y, Index n) {
    return [=] {
      four_batches<T>(n, [=](Index i) { stream_store(y + i, B::load_aligned(x + i)); });
      _mm_sfence();
    };
  });
  add<T>("ceiling/mul/" + t + "/xsimd", 3, [](const T* x, const T* dy, T* dx, Index n) {
    return [=] {
      four_batches<T>(n, [=](Index i) { (B::load_aligned(x + i) * B::load_aligned(dy + i)).store_aligned(dx + i); });
    };
  });
  add<T>("ceiling/mul/" + t + "/stream", 3, [](const T* x, const T* dy, T* dx, Index n) {
    return [=] {
      four_batches<T>(n, [=](Index i) { stream_store(dx + i, B::load_aligned(x + i) * B::load_aligned(dy + i)); });
      _mm_sfence();
    };
  });
}

// ---- oneDNN -------------------------------------------------------------------------------

#ifdef ACTIV_HAVE_DNNL
// Calls f() with the stack pointer at a given offset modulo 64 bytes (offset 0, 16, 32 or 48,
// up to a constant of this frame's own): the alignment every frame below it inherits.
//
// oneDNN 2.6's jit:avx512_core eltwise kernels save a vector register on the stack and load it
// back in every trip of their loop (jit_uni_eltwise_injector's preserved registers), so their
// speed follows the stack pointer's alignment at the call. On the Zen 4 of 2026-12-08 ReLU's
// backward on 4 Ki floats took 1.2 µs at two of the four 16-byte alignments and 1.9–2.5 µs at
// the other two, at 1 Mi 250 against 500–800 µs (the same buffers, one process, a probe that
// moved the stack with alloca). Stack ASLR draws the alignment per process: the oneDNN rows
// had moved by 2× between runs of this binary (docs/benchmarks.md used to call it a state
// that depended on what ran before). Each oneDNN row now runs at the fastest of the four.
template <class F>
__attribute__((noinline)) void at_stack_offset(std::uintptr_t offset, const F& f) {
  char here = 0;
  const std::size_t pad = (reinterpret_cast<std::uintptr_t>(&here) - offset) & 48;
  auto* room = static_cast<volatile char*>(alloca(pad + 1));  // moves the stack pointer by pad + 16
  room[0] = here;
  f();
}

// oneDNN eltwise bound once to fixed buffers, so that the timed call is execute + wait and
// nothing else (memory objects and primitives are made outside the timing loop).
class DnnlBound {
 public:
  // from_output: the *_use_dst_for_bwd algorithm, whose backward reads y = f(x) instead of x.
  DnnlBound(dnnl::algorithm algorithm, float alpha, Index n, const float* x, const float* dy, float* out)
      : engine_(dnnl::engine::kind::cpu, 0), stream_(engine_) {
    const dnnl::memory::desc md({n}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::a);
    const dnnl::eltwise_forward::primitive_desc fwd(
        dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_training, algorithm, md, alpha, 0.0f), engine_);
    const dnnl::eltwise_backward::primitive_desc bwd(dnnl::eltwise_backward::desc(algorithm, md, md, alpha, 0.0f),
                                                     engine_, fwd);
    forward_ = dnnl::eltwise_forward(fwd);
    backward_ = dnnl::eltwise_backward(bwd);
    x_ = dnnl::memory(md, engine_, const_cast<float*>(x));
    dy_ = dnnl::memory(md, engine_, const_cast<float*>(dy));
    out_ = dnnl::memory(md, engine_, out);
    from_output_ = algorithm == dnnl::algorithm::eltwise_relu_use_dst_for_bwd ||
                   algorithm == dnnl::algorithm::eltwise_elu_use_dst_for_bwd ||
                   algorithm == dnnl::algorithm::eltwise_tanh_use_dst_for_bwd ||
                   algorithm == dnnl::algorithm::eltwise_logistic_use_dst_for_bwd;
  }
  void forward() {
    at_stack_offset(stack_offset_, [this] {
      forward_.execute(stream_, {{DNNL_ARG_SRC, x_}, {DNNL_ARG_DST, out_}});
      stream_.wait();
    });
  }
  void backward() {
    at_stack_offset(stack_offset_, [this] {
      backward_.execute(
          stream_, {{from_output_ ? DNNL_ARG_DST : DNNL_ARG_SRC, x_}, {DNNL_ARG_DIFF_DST, dy_}, {DNNL_ARG_DIFF_SRC, out_}});
      stream_.wait();
    });
  }
  void call(bool backward) { backward ? this->backward() : forward(); }
  void set_stack_offset(std::uintptr_t offset) { stack_offset_ = offset; }

 private:
  dnnl::engine engine_;
  dnnl::stream stream_;
  dnnl::eltwise_forward forward_;
  dnnl::eltwise_backward backward_;
  dnnl::memory x_, dy_, out_;
  bool from_output_ = false;
  std::uintptr_t stack_offset_ = 0;
};

// The fastest stack offset for one primitive (at_stack_offset), found once per process on a
// 4 Ki instance of it with buffers of its own (the kernel's code does not depend on the size):
// the best of five rounds of 200 calls at each offset. Written to stderr, with the times.
std::uintptr_t fastest_stack_offset(dnnl::algorithm algorithm, float alpha, bool backward) {
  static std::map<std::tuple<int, float, bool>, std::uintptr_t> found;
  const auto key = std::make_tuple(static_cast<int>(algorithm), alpha, backward);
  if (const auto it = found.find(key); it != found.end()) return it->second;
  constexpr Index n = 4096;
  activ_bench::PageArrays<float> buf(n);
  for (Index i = 0; i < n; ++i) {
    buf.x[std::size_t(i)] = float(i % 64) / 4.0f - 8.0f;
    buf.dy[std::size_t(i)] = float(i % 16) / 8.0f - 1.0f;
  }
  DnnlBound probe(algorithm, alpha, n, buf.x.data(), buf.dy.data(), buf.out.data());
  double best[4] = {1e30, 1e30, 1e30, 1e30};
  for (int round = 0; round < 5; ++round) {
    for (int k = 0; k < 4; ++k) {
      probe.set_stack_offset(std::uintptr_t(16 * k));
      const auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < 200; ++i) probe.call(backward);
      const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
      best[k] = std::min(best[k], took.count() / 200);
    }
  }
  const int k = int(std::min_element(best, best + 4) - best);
  std::fprintf(stderr, "oneDNN algorithm %d alpha %g %s, 4 Ki: %.2f %.2f %.2f %.2f us at stack offsets 0 16 32 48: %d\n",
               std::get<0>(key), double(alpha), backward ? "backward" : "forward", best[0], best[1], best[2], best[3],
               16 * k);
  return found[key] = std::uintptr_t(16 * k);
}

struct DnnlAlgorithms {
  dnnl::algorithm forward, from_output;
  float alpha;
};
#endif

// ---- the functions ------------------------------------------------------------------------
// One struct per function: the activ functor, the naive scalar formulas, Eigen's expressions
// (derivatives as a user writes them from Eigen's own functions) and oneDNN's algorithms.

template <class T>
struct ReluCase {
  static constexpr const char* name = "relu";
  activ::ReLU<T> f{};
  T naive(T x) const { return x > 0 ? x : T(0); }
  T naive_derivative(T x) const { return x > 0 ? T(1) : T(0); }
  T naive_from_output(T y) const { return y > 0 ? T(1) : T(0); }
  template <class X>
  auto eigen(const X& x) const { return x.max(T(0)); }
  template <class X>
  auto eigen_derivative(const X& x) const { return (x > T(0)).select(X::Constant(x.size(), T(1)), T(0)); }
  template <class Y>
  auto eigen_from_output(const Y& y) const { return eigen_derivative(y); }
#ifdef ACTIV_HAVE_DNNL
  DnnlAlgorithms dnnl() const {
    return {dnnl::algorithm::eltwise_relu, dnnl::algorithm::eltwise_relu_use_dst_for_bwd, 0.0f};
  }
#endif
};

template <class T>
struct LeakyReluCase {
  static constexpr const char* name = "leaky_relu";
  activ::LeakyReLU<T> f{};
  T naive(T x) const { return x > 0 ? x : f.alpha * x; }
  T naive_derivative(T x) const { return x > 0 ? T(1) : f.alpha; }
  T naive_from_output(T y) const { return naive_derivative(y); }
  template <class X>
  auto eigen(const X& x) const { return (x > T(0)).select(x, f.alpha * x); }
  template <class X>
  auto eigen_derivative(const X& x) const { return (x > T(0)).select(X::Constant(x.size(), T(1)), f.alpha); }
  template <class Y>
  auto eigen_from_output(const Y& y) const { return eigen_derivative(y); }
#ifdef ACTIV_HAVE_DNNL
  DnnlAlgorithms dnnl() const {
    return {dnnl::algorithm::eltwise_relu, dnnl::algorithm::eltwise_relu_use_dst_for_bwd, float(f.alpha)};
  }
#endif
};

template <class T>
struct EluCase {
  static constexpr const char* name = "elu";
  activ::ELU<T> f{};
  T naive(T x) const { return x > 0 ? x : f.alpha * (std::exp(x) - T(1)); }
  T naive_derivative(T x) const { return x > 0 ? T(1) : f.alpha * std::exp(x); }
  T naive_from_output(T y) const { return y > 0 ? T(1) : y + f.alpha; }
  template <class X>
  auto eigen(const X& x) const { return (x > T(0)).select(x, f.alpha * (x.exp() - T(1))); }
  template <class X>
  auto eigen_derivative(const X& x) const { return (x > T(0)).select(X::Constant(x.size(), T(1)), f.alpha * x.exp()); }
  template <class Y>
  auto eigen_from_output(const Y& y) const { return (y > T(0)).select(Y::Constant(y.size(), T(1)), y + f.alpha); }
#ifdef ACTIV_HAVE_DNNL
  DnnlAlgorithms dnnl() const {
    return {dnnl::algorithm::eltwise_elu, dnnl::algorithm::eltwise_elu_use_dst_for_bwd, float(f.alpha)};
  }
#endif
};

template <class T>
struct SigmoidCase {
  static constexpr const char* name = "sigmoid";
  activ::Sigmoid<T> f{};
  T naive(T x) const { return T(1) / (T(1) + std::exp(-x)); }
  T naive_derivative(T x) const { return naive_from_output(naive(x)); }
  T naive_from_output(T y) const { return y * (T(1) - y); }
  template <class X>
  auto eigen(const X& x) const { return x.logistic(); }
  template <class X>
  auto eigen_derivative(const X& x) const { return x.logistic() * (T(1) - x.logistic()); }
  template <class Y>
  auto eigen_from_output(const Y& y) const { return y * (T(1) - y); }
#ifdef ACTIV_HAVE_DNNL
  DnnlAlgorithms dnnl() const {
    return {dnnl::algorithm::eltwise_logistic, dnnl::algorithm::eltwise_logistic_use_dst_for_bwd, 0.0f};
  }
#endif
};

template <class T>
struct TanhCase {
  static constexpr const char* name = "tanh";
  activ::Tanh<T> f{};
  T naive(T x) const { return std::tanh(x); }
  T naive_derivative(T x) const { return naive_from_output(naive(x)); }
  T naive_from_output(T y) const { return T(1) - y * y; }
  template <class X>
  auto eigen(const X& x) const { return x.tanh(); }
  template <class X>
  auto eigen_derivative(const X& x) const { return T(1) - x.tanh().square(); }
  template <class Y>
  auto eigen_from_output(const Y& y) const { return T(1) - y.square(); }
#ifdef ACTIV_HAVE_DNNL
  DnnlAlgorithms dnnl() const {
    return {dnnl::algorithm::eltwise_tanh, dnnl::algorithm::eltwise_tanh_use_dst_for_bwd, 0.0f};
  }
#endif
};

template <template <class> class Case, class T>
void register_function() {
  using C = Case<T>;
  const C c{};
  const auto name = [](const char* call, const char* impl) {
    return std::string(call) + "/" + C::name + "/" + type_name<T>() + "/" + impl;
  };

  add<T>(name("forward", "activ"), 2, [c](const T* x, const T*, T* y, Index n) {
    return [=] { activ::forward(c.f, CMap<T>(x, n), Map<T>(y, n)); };
  });
  add<T>(name("forward", "scalar"), 2, [c](const T* x, const T*, T* y, Index n) {
    return [=] {
      for (Index i = 0; i < n; ++i) y[i] = c.naive(x[i]);
    };
  });
  add<T>(name("forward", "eigen"), 2, [c](const T* x, const T*, T* y, Index n) {
    return [=] { Map<T>(y, n) = c.eigen(CMap<T>(x, n)); };
  });

  add<T>(name("derivative", "activ"), 2, [c](const T* x, const T*, T* d, Index n) {
    return [=] { activ::derivative(c.f, CMap<T>(x, n), Map<T>(d, n)); };
  });
  add<T>(name("derivative", "scalar"), 2, [c](const T* x, const T*, T* d, Index n) {
    return [=] {
      for (Index i = 0; i < n; ++i) d[i] = c.naive_derivative(x[i]);
    };
  });
  add<T>(name("derivative", "eigen"), 2, [c](const T* x, const T*, T* d, Index n) {
    return [=] { Map<T>(d, n) = c.eigen_derivative(CMap<T>(x, n)); };
  });

  add<T>(name("backward", "activ"), 3, [c](const T* x, const T* dy, T* dx, Index n) {
    return [=] { activ::backward(c.f, CMap<T>(x, n), CMap<T>(dy, n), Map<T>(dx, n)); };
  });
  add<T>(name("backward", "scalar"), 3, [c](const T* x, const T* dy, T* dx, Index n) {
    return [=] {
      for (Index i = 0; i < n; ++i) dx[i] = dy[i] * c.naive_derivative(x[i]);
    };
  });
  add<T>(name("backward", "eigen"), 3, [c](const T* x, const T* dy, T* dx, Index n) {
    return [=] { Map<T>(dx, n) = CMap<T>(dy, n) * c.eigen_derivative(CMap<T>(x, n)); };
  });

  add<T>(name("backward_from_output", "activ"), 3, [c](const T* y, const T* dy, T* dx, Index n) {
    return [=] { activ::backward_from_output(c.f, CMap<T>(y, n), CMap<T>(dy, n), Map<T>(dx, n)); };
  });
  add<T>(name("backward_from_output", "scalar"), 3, [c](const T* y, const T* dy, T* dx, Index n) {
    return [=] {
      for (Index i = 0; i < n; ++i) dx[i] = dy[i] * c.naive_from_output(y[i]);
    };
  });
  add<T>(name("backward_from_output", "eigen"), 3, [c](const T* y, const T* dy, T* dx, Index n) {
    return [=] { Map<T>(dx, n) = CMap<T>(dy, n) * c.eigen_from_output(CMap<T>(y, n)); };
  });

#ifdef ACTIV_HAVE_DNNL
  if constexpr (std::is_same_v<T, float>) {  // oneDNN 2.6 has no f64 eltwise on CPUs
    const DnnlAlgorithms a = c.dnnl();
    const auto bound = [](dnnl::algorithm algorithm, float alpha, bool backward) {
      return [=](const float* x, const float* dy, float* out, Index n) {
        auto p = std::make_shared<DnnlBound>(algorithm, alpha, n, x, dy, out);
        p->set_stack_offset(fastest_stack_offset(algorithm, alpha, backward));
        return [p, backward] { p->call(backward); };
      };
    };
    add<T>(name("forward", "onednn"), 2, bound(a.forward, a.alpha, false));
    add<T>(name("backward", "onednn"), 3, bound(a.forward, a.alpha, true));
    add<T>(name("backward_from_output", "onednn"), 3, bound(a.from_output, a.alpha, true));
  }
#endif
}

template <class T>
void register_all() {
  register_ceilings<T>();
  register_function<ReluCase, T>();
  register_function<LeakyReluCase, T>();
  register_function<EluCase, T>();
  register_function<SigmoidCase, T>();
  register_function<TanhCase, T>();
}

}  // namespace

int main(int argc, char** argv) {
#ifdef ACTIV_HAVE_DNNL
  // oneDNN runs on OpenMP here, and OpenMP reads OMP_NUM_THREADS once, when it is loaded:
  // SPEC §6 compares single threads, so unless the caller chose a count, restart with 1.
  if (std::getenv("OMP_NUM_THREADS") == nullptr) {
    setenv("OMP_NUM_THREADS", "1", 1);
    execv("/proc/self/exe", argv);
  }
  benchmark::AddCustomContext("onednn_threads", std::getenv("OMP_NUM_THREADS"));
  benchmark::AddCustomContext("onednn_version", std::to_string(dnnl::version()->major) + "." +
                                                    std::to_string(dnnl::version()->minor) + "." +
                                                    std::to_string(dnnl::version()->patch));
#endif
  benchmark::AddCustomContext("simd", xsimd::default_arch::name());
  register_all<float>();
  register_all<double>();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
