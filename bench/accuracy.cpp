// Exhaustive accuracy of every float activation and derivative (SPEC §5).
//
// Walks all 2^32 float bit patterns (NaNs skipped), on every core, and prints for each
// function the maximum ULP error and the input where it occurs, for activ and for the
// baselines: glibc's scalar formulas, Eigen 3.4's vectorized expressions and, when it is
// installed, oneDNN's eltwise primitives (forward, and backward with dy = 1 for f').
// The exact value comes from double-precision glibc functions (exp, expm1, tanh): their error
// is below 2^−52 relative, i.e. below 2^−28 of a float ULP, so it cannot move a float result
// by a measurable amount; the *_from_output formulas are exact in double.
// Usage: accuracy [--step K] [--only NAME]
//   --step K     samples every K-th pattern (K > 1), for a quick look
//   --only NAME  runs only the implementations named NAME (e.g. activ: re-measure our kernels
//                without re-running the baselines, whose figures do not change)
//   --function F runs only the rows whose function is named F (repeatable)
#include <Eigen/Core>
#include <activ/activ.hpp>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <unordered_map>
#include <string>
#include <thread>
#include <vector>

#include "../tests/support/ulp.hpp"
#ifdef ACTIV_HAVE_DNNL
#include "dnnl_eltwise.hpp"
#endif

namespace {

using ArrayFn = std::function<void(const float*, float*, std::ptrdiff_t)>;

struct Impl {
  std::string name;
  ArrayFn fn;
};

struct Function {
  std::string name;
  std::function<double(double)> exact;
  std::function<bool(float)> domain;  // inputs to judge (all finite floats unless narrowed)
  std::vector<Impl> impls;
};

template <class F>
ArrayFn ours_forward(F f) {
  return [f](const float* x, float* y, std::ptrdiff_t n) { activ::forward(f, x, y, n); };
}
template <class F>
ArrayFn ours_derivative(F f) {
  return [f](const float* x, float* y, std::ptrdiff_t n) { activ::derivative(f, x, y, n); };
}
template <class F>
ArrayFn ours_from_output(F f) {
  return [f](const float* x, float* y, std::ptrdiff_t n) {
    for (std::ptrdiff_t i = 0; i < n; ++i) y[i] = 1.0f;
    activ::backward_from_output(f, x, y, y, n);
  };
}
template <class G>
ArrayFn scalar(G g) {
  return [g](const float* x, float* y, std::ptrdiff_t n) {
    for (std::ptrdiff_t i = 0; i < n; ++i) y[i] = g(x[i]);
  };
}
template <class E>
ArrayFn eigen(E e) {
  return [e](const float* x, float* y, std::ptrdiff_t n) {
    Eigen::Map<const Eigen::ArrayXf> xm(x, n);
    Eigen::Map<Eigen::ArrayXf> ym(y, n);
    e(xm, ym);
  };
}

constexpr std::ptrdiff_t chunk = 1 << 16;

#ifdef ACTIV_HAVE_DNNL
// oneDNN primitives have a fixed length: pad each call to one chunk, one primitive per thread.
ArrayFn dnnl_fn(dnnl::algorithm algorithm, float alpha, bool derivative) {
  return [=](const float* x, float* y, std::ptrdiff_t n) {
    thread_local std::unordered_map<int, std::unique_ptr<activ::bench::DnnlEltwise>> cache;
    auto& p = cache[static_cast<int>(algorithm)];
    if (!p) p = std::make_unique<activ::bench::DnnlEltwise>(algorithm, chunk, alpha);
    thread_local std::vector<float> in(chunk), out(chunk), ones(chunk, 1.0f);
    std::fill(std::copy(x, x + n, in.begin()), in.end(), 0.0f);
    if (derivative) {
      p->backward(in.data(), ones.data(), out.data());
    } else {
      p->forward(in.data(), out.data());
    }
    std::copy(out.begin(), out.begin() + n, y);
  };
}
#endif

double sigmoid_exact(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::vector<Function> table() {
#ifdef ACTIV_HAVE_DNNL
  const auto dnnl_row = [](dnnl::algorithm a, float alpha, bool d) {
    return Impl{"oneDNN eltwise", dnnl_fn(a, alpha, d)};
  };
#endif
  const auto all = [](float) { return true; };
  const auto unit = [](float y) { return y >= 0.0f && y <= 1.0f; };
  const auto sym = [](float y) { return y >= -1.0f && y <= 1.0f; };
  using A = Eigen::Map<const Eigen::ArrayXf>;
  using M = Eigen::Map<Eigen::ArrayXf>;
  std::vector<Function> t;
  t.push_back({"relu", [](double x) { return x > 0 ? x : 0.0; }, all,
               {{"activ", ours_forward(activ::ReLU<float>{})},
                {"Eigen x.max(0)", eigen([](const A& x, M& y) { y = x.max(0.0f); })}}});
  t.push_back({"leaky_relu(0.01)", [](double x) { return x > 0 ? x : double(0.01f) * x; }, all,
               {{"activ", ours_forward(activ::LeakyReLU<float>{})}}});
  // The rectifiers' derivatives are exact (1 or the slope, the slope at 0 as PyTorch); the rows
  // check the AVX-512 vfixupimm step (detail::step) and the generic compares on every float.
  t.push_back({"relu'", [](double x) { return x > 0 ? 1.0 : 0.0; }, all,
               {{"activ", ours_derivative(activ::ReLU<float>{})}}});
  t.push_back({"leaky_relu'(0.01)", [](double x) { return x > 0 ? 1.0 : double(0.01f); }, all,
               {{"activ", ours_derivative(activ::LeakyReLU<float>{})}}});
  t.push_back({"leaky_relu'(-3)", [](double x) { return x > 0 ? 1.0 : -3.0; }, all,
               {{"activ", ours_derivative(activ::LeakyReLU<float>{-3.0f})}}});
  t.push_back({"elu(1)", [](double x) { return x > 0 ? x : std::expm1(x); }, all,
               {{"activ", ours_forward(activ::ELU<float>{})},
                {"glibc expm1f", scalar([](float x) { return x > 0 ? x : std::expm1(x); })},
                {"Eigen exp()-1", eigen([](const A& x, M& y) {
                   y = (x > 0.0f).select(x, x.exp() - 1.0f);
                 })}}});
#ifdef ACTIV_HAVE_DNNL
  t.back().impls.push_back(dnnl_row(dnnl::algorithm::eltwise_elu, 1.0f, false));
#endif
  t.push_back({"elu(0.5)", [](double x) { return x > 0 ? x : 0.5 * std::expm1(x); }, all,
               {{"activ", ours_forward(activ::ELU<float>{0.5f})}}});
  t.push_back({"sigmoid", sigmoid_exact, all,
               {{"activ", ours_forward(activ::Sigmoid<float>{})},
                {"glibc 1/(1+expf(-x))", scalar([](float x) { return 1.0f / (1.0f + std::exp(-x)); })},
                {"Eigen logistic()", eigen([](const A& x, M& y) { y = x.logistic(); })}}});
#ifdef ACTIV_HAVE_DNNL
  t.back().impls.push_back(dnnl_row(dnnl::algorithm::eltwise_logistic, 0.0f, false));
#endif
  t.push_back({"tanh", [](double x) { return std::tanh(x); }, all,
               {{"activ", ours_forward(activ::Tanh<float>{})},
                {"glibc tanhf", scalar([](float x) { return std::tanh(x); })},
                {"Eigen tanh()", eigen([](const A& x, M& y) { y = x.tanh(); })}}});
#ifdef ACTIV_HAVE_DNNL
  t.back().impls.push_back(dnnl_row(dnnl::algorithm::eltwise_tanh, 0.0f, false));
#endif
  t.push_back({"elu'(1)", [](double x) { return x > 0 ? 1.0 : std::exp(x); }, all,
               {{"activ", ours_derivative(activ::ELU<float>{})},
                {"glibc expf", scalar([](float x) { return x > 0 ? 1.0f : std::exp(x); })}}});
#ifdef ACTIV_HAVE_DNNL
  t.back().impls.push_back(dnnl_row(dnnl::algorithm::eltwise_elu, 1.0f, true));
#endif
  t.push_back({"sigmoid'", [](double x) { const double e = std::exp(-std::fabs(x));
                                           return e / ((1 + e) * (1 + e)); }, all,
               {{"activ", ours_derivative(activ::Sigmoid<float>{})},
                {"s(1-s), glibc s", scalar([](float x) { const float s = 1.0f / (1.0f + std::exp(-x));
                                                           return s * (1.0f - s); })},
                {"s(1-s), Eigen s", eigen([](const A& x, M& y) { y = x.logistic() * (1.0f - x.logistic()); })}}});
#ifdef ACTIV_HAVE_DNNL
  t.back().impls.push_back(dnnl_row(dnnl::algorithm::eltwise_logistic, 0.0f, true));
#endif
  t.push_back({"tanh'", [](double x) { const double e = std::exp(-2 * std::fabs(x));
                                        return 4 * e / ((1 + e) * (1 + e)); }, all,
               {{"activ", ours_derivative(activ::Tanh<float>{})},
                {"1-tanh^2, glibc", scalar([](float x) { const float t = std::tanh(x); return 1.0f - t * t; })},
                {"1-tanh^2, Eigen", eigen([](const A& x, M& y) { y = 1.0f - x.tanh().square(); })}}});
#ifdef ACTIV_HAVE_DNNL
  t.back().impls.push_back(dnnl_row(dnnl::algorithm::eltwise_tanh, 0.0f, true));
#endif
  t.push_back({"sigmoid' from y", [](double y) { return y * (1.0 - y); }, unit,
               {{"activ", ours_from_output(activ::Sigmoid<float>{})}}});
  t.push_back({"tanh' from y", [](double y) { return (1.0 - y) * (1.0 + y); }, sym,
               {{"activ", ours_from_output(activ::Tanh<float>{})}}});
  t.push_back({"elu'(1) from y", [](double y) { return y > 0 ? 1.0 : y + 1.0; },
               [](float y) { return y >= -1.0f; },
               {{"activ", ours_from_output(activ::ELU<float>{})}}});
  return t;
}

struct Worst {
  double ulp = 0;
  float at = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t step = 1;
  std::string only;
  std::vector<std::string> wanted;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--function") == 0) wanted.emplace_back(argv[i + 1]);
    if (std::strcmp(argv[i], "--step") == 0) step = std::stoull(argv[i + 1]);
    if (std::strcmp(argv[i], "--only") == 0) only = argv[i + 1];
  }
  auto functions = table();
  if (!wanted.empty()) {
    std::vector<Function> kept;
    for (auto& fn : functions) {
      if (std::find(wanted.begin(), wanted.end(), fn.name) != wanted.end()) kept.push_back(std::move(fn));
    }
    functions = std::move(kept);
  }
  if (!only.empty()) {
    for (auto& fn : functions) {
      std::vector<Impl> kept;
      for (auto& impl : fn.impls) {
        if (impl.name == only) kept.push_back(std::move(impl));
      }
      fn.impls = std::move(kept);
    }
  }
  const std::uint64_t total = (std::uint64_t(1) << 32) / step;
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::printf("| function | implementation | max ULP | at x |\n|---|---|---|---|\n");
  for (const auto& fn : functions) {
    std::atomic<std::uint64_t> next{0};
    std::vector<std::vector<Worst>> worst(threads, std::vector<Worst>(fn.impls.size()));
    auto work = [&](unsigned id) {
      std::vector<float> x(chunk), y(chunk);
      std::vector<double> exact(chunk);
      for (;;) {
        const std::uint64_t start = next.fetch_add(chunk);
        if (start >= total) break;
        std::ptrdiff_t n = 0;
        for (std::uint64_t k = start; k < std::min<std::uint64_t>(total, start + chunk); ++k) {
          const std::uint32_t bits = static_cast<std::uint32_t>(k * step);
          float v;
          std::memcpy(&v, &bits, sizeof v);
          if (std::isfinite(v) && fn.domain(v)) x[n++] = v;
        }
        for (std::ptrdiff_t i = 0; i < n; ++i) exact[i] = fn.exact(x[i]);
        for (std::size_t m = 0; m < fn.impls.size(); ++m) {
          fn.impls[m].fn(x.data(), y.data(), n);
          for (std::ptrdiff_t i = 0; i < n; ++i) {
            const double u = activ::testing::ulp_error<float, double>(y[i], exact[i]);
            if (u > worst[id][m].ulp) worst[id][m] = {u, x[i]};
          }
        }
      }
    };
    std::vector<std::thread> pool;
    for (unsigned id = 0; id < threads; ++id) pool.emplace_back(work, id);
    for (auto& th : pool) th.join();
    for (std::size_t m = 0; m < fn.impls.size(); ++m) {
      Worst w;
      for (unsigned id = 0; id < threads; ++id) {
        if (worst[id][m].ulp > w.ulp) w = worst[id][m];
      }
      std::printf("| %s | %s | %.3g | %.9g |\n", fn.name.c_str(), fn.impls[m].name.c_str(), w.ulp,
                  static_cast<double>(w.at));
      std::fflush(stdout);
    }
  }
}
