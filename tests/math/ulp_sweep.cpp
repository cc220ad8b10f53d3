// SPEC §5 accuracy: one table, one row per function, each swept against a long double
// reference (Highway's pattern: function, reference, bound; the worst case is printed).
//
// float: 2^22 bit patterns spread evenly over every finite float, plus 2^21 points evenly
//        spaced over [−20, 20] and every float of [−2^−10, 2^−10] that is a multiple of 2^−30.
// double: 2^20 bit patterns spread over every finite double, plus 2^18 points on each of
//         [−1, 1], [−40, 40] and around the saturation points (σ: −745 … −700 and 36 … 38;
//         tanh: ±19; ELU: −38 … −36).
// The full 2^32 sweep of float is bench/accuracy.cpp (docs/accuracy.md).
// References are written so that long double evaluates them without cancellation
// ((1 − y)(1 + y), not 1 − y², whose rounded y² would cost 2^−64 absolute near |y| = 1).
#include <activ/activ.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "support/ulp.hpp"

namespace {

using activ::testing::ulp_error;
using ld = long double;

template <class T>
struct Row {
  std::string name;
  std::function<void(const T*, T*, std::ptrdiff_t)> ours;
  std::function<ld(ld)> exact;
  std::function<bool(T)> domain;
  double bar;
};

template <class T, class F>
std::function<void(const T*, T*, std::ptrdiff_t)> forward_of(F f) {
  return [f](const T* x, T* y, std::ptrdiff_t n) { activ::forward(f, x, y, n); };
}
template <class T, class F>
std::function<void(const T*, T*, std::ptrdiff_t)> derivative_of(F f) {
  return [f](const T* x, T* y, std::ptrdiff_t n) { activ::derivative(f, x, y, n); };
}
template <class T, class F>
std::function<void(const T*, T*, std::ptrdiff_t)> from_output_of(F f) {
  return [f](const T* y, T* d, std::ptrdiff_t n) {
    std::vector<T> ones(static_cast<std::size_t>(n), T(1));
    activ::backward_from_output(f, y, ones.data(), d, n);
  };
}

ld sigmoid_exact(ld x) { return 1.0L / (1.0L + std::exp(-x)); }
ld sigmoid_derivative_exact(ld x) {
  const ld e = std::exp(-std::fabs(x));
  return e / ((1 + e) * (1 + e));
}
ld tanh_derivative_exact(ld x) {
  const ld e = std::exp(-2 * std::fabs(x));
  return 4 * e / ((1 + e) * (1 + e));
}

template <class T>
std::vector<Row<T>> table() {
  const auto all = [](T) { return true; };
  std::vector<Row<T>> rows;
  const auto elu_row = [&](T alpha, double bar) {
    const ld a = alpha;
    rows.push_back({"elu(" + std::to_string(alpha) + ")", forward_of<T>(activ::ELU<T>{alpha}),
                    [a](ld x) { return x > 0 ? x : a * std::expm1(x); }, all, bar});
    rows.push_back({"elu'(" + std::to_string(alpha) + ")", derivative_of<T>(activ::ELU<T>{alpha}),
                    [a](ld x) { return x > 0 ? 1.0L : a * std::exp(x); }, all, 4});
    rows.push_back({"elu'(" + std::to_string(alpha) + ") from y", from_output_of<T>(activ::ELU<T>{alpha}),
                    [a](ld y) { return y > 0 ? 1.0L : y + a; }, [alpha](T y) { return y >= -alpha; }, 2});
  };
  // "Exact" for the rectifiers: the correctly rounded result, at most half an ULP.
  rows.push_back({"relu", forward_of<T>(activ::ReLU<T>{}), [](ld x) { return x > 0 ? x : 0.0L; }, all, 0});
  rows.push_back({"relu'", derivative_of<T>(activ::ReLU<T>{}), [](ld x) { return x > 0 ? 1.0L : 0.0L; }, all, 0});
  for (const T alpha : {T(0.01), T(0.2), T(3)}) {
    const ld a = alpha;
    rows.push_back({"leaky_relu(" + std::to_string(alpha) + ")", forward_of<T>(activ::LeakyReLU<T>{alpha}),
                    [a](ld x) { return x > 0 ? x : a * x; }, all, 0.5});
    rows.push_back({"leaky_relu'(" + std::to_string(alpha) + ")", derivative_of<T>(activ::LeakyReLU<T>{alpha}),
                    [a](ld x) { return x > 0 ? 1.0L : a; }, all, 0});
  }
  elu_row(T(1), 2);
  elu_row(T(0.5), 3);
  elu_row(T(1.7), 3);
  rows.push_back({"sigmoid", forward_of<T>(activ::Sigmoid<T>{}), sigmoid_exact, all, 3});
  rows.push_back({"sigmoid'", derivative_of<T>(activ::Sigmoid<T>{}), sigmoid_derivative_exact, all, 4});
  rows.push_back({"sigmoid' from y", from_output_of<T>(activ::Sigmoid<T>{}), [](ld y) { return y * (1 - y); },
                  [](T y) { return y >= 0 && y <= 1; }, 2});
  rows.push_back({"tanh", forward_of<T>(activ::Tanh<T>{}), [](ld x) { return std::tanh(x); }, all, 2});
  rows.push_back({"tanh'", derivative_of<T>(activ::Tanh<T>{}), tanh_derivative_exact, all, 4});
  rows.push_back({"tanh' from y", from_output_of<T>(activ::Tanh<T>{}), [](ld y) { return (1 - y) * (1 + y); },
                  [](T y) { return y >= -1 && y <= 1; }, 2});
  return rows;
}

template <class T>
T from_bits(std::uint64_t bits) {
  if constexpr (std::is_same_v<T, float>) {
    const auto b = static_cast<std::uint32_t>(bits);
    float v;
    std::memcpy(&v, &b, sizeof v);
    return v;
  } else {
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
}

template <class T>
void linspace(std::vector<T>& out, ld lo, ld hi, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<T>(lo + (hi - lo) * ld(i) / ld(n - 1)));
}

template <class T>
std::vector<T> inputs() {
  std::vector<T> x;
  if constexpr (std::is_same_v<T, float>) {
    const std::uint64_t count = std::uint64_t(1) << 22;
    const std::uint64_t step = (std::uint64_t(1) << 32) / count;
    for (std::uint64_t k = 0; k < count; ++k) x.push_back(from_bits<T>(k * step + 0x2b5));
    linspace<T>(x, -20, 20, std::size_t(1) << 21);
    for (std::int64_t k = -(1 << 20); k <= (1 << 20); ++k) x.push_back(std::ldexp(T(k), -30));
  } else {
    const std::uint64_t count = std::uint64_t(1) << 20;
    const std::uint64_t step = ~std::uint64_t(0) / count;
    for (std::uint64_t k = 0; k < count; ++k) x.push_back(from_bits<T>(k * step + 0x12345));
    const std::size_t m = std::size_t(1) << 18;
    linspace<T>(x, -1, 1, m);
    linspace<T>(x, -40, 40, m);
    linspace<T>(x, -745, -700, m);
    linspace<T>(x, 36, 38, m / 4);
    linspace<T>(x, -19.5L, -18.5L, m / 4);
    linspace<T>(x, 18.5L, 19.5L, m / 4);
    linspace<T>(x, -38, -36, m / 4);
    linspace<T>(x, -1e-6L, 1e-6L, m / 4);
  }
  std::vector<T> finite;
  for (const T v : x) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  return finite;
}

}  // namespace

TEMPLATE_TEST_CASE("ULP sweep against long double (SPEC §5)", "[accuracy]", float, double) {
  using T = TestType;
  const std::vector<T> all = inputs<T>();
  for (const auto& row : table<T>()) {
    std::vector<T> x;
    for (const T v : all) {
      if (row.domain(v)) x.push_back(v);
    }
    std::vector<T> y(x.size());
    row.ours(x.data(), y.data(), static_cast<std::ptrdiff_t>(x.size()));
    double worst = 0;
    T worst_x = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double u = ulp_error<T, ld>(y[i], row.exact(static_cast<ld>(x[i])));
      if (u > worst) {
        worst = u;
        worst_x = x[i];
      }
    }
    INFO(row.name << ": max " << worst << " ULP at x = " << std::hexfloat << worst_x << std::defaultfloat
                  << " (" << worst_x << "), bar " << row.bar << ", " << x.size() << " inputs");
    CHECK(worst <= row.bar);
    WARN(row.name << (std::is_same_v<T, float> ? " float" : " double") << ": max " << worst
                  << " ULP at x = " << worst_x);
  }
}
