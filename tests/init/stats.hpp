// Statistics for the initializer tests: the exact CDFs, the Kolmogorov–Smirnov statistic, and
// the tolerances that keep every statistical check's false-failure probability below 1e-6.
//
// KS critical value: the Dvoretzky–Kiefer–Wolfowitz inequality with Massart's constant
// (Massart, "The tight constant in the DKW inequality", Ann. Probab. 18(3), 1990), valid for
// every n, not only asymptotically: P(sup |F_n − F| > ε) <= 2·exp(−2nε²). For a failure
// probability α = 1e-6: ε = √(ln(2/α) / (2n)); n = 10^6 gives ε = 0.0026934.
// The samples are discrete (2^24 or 2^53 levels, rounded to T, normals capped near 5.8σ); each
// effect moves the CDF by < 1e-8, far below ε.
//
// Moments: by the central limit theorem the sample mean of n draws has sd σ/√n and the mean of
// w² has sd √((μ4 − σ⁴)/n) <= σ²·√(2/n) for the normal (μ4 = 3σ⁴), the uniform (9σ⁴/5) and
// the truncated normal (lighter tails than the normal). 5 sd: two-sided P = 5.7e-7 < 1e-6.
#ifndef ACTIV_TESTS_INIT_STATS_HPP
#define ACTIV_TESTS_INIT_STATS_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace activ::testing {

inline double ks_critical(std::size_t n, double alpha = 1e-6) {
  return std::sqrt(std::log(2.0 / alpha) / (2.0 * static_cast<double>(n)));
}

inline double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

struct uniform_cdf {
  double bound;
  double operator()(double x) const { return std::clamp((x + bound) / (2.0 * bound), 0.0, 1.0); }
};

struct gauss_cdf {
  double sigma;
  double operator()(double x) const { return normal_cdf(x / sigma); }
};

/// N(0, σ0²) conditioned on |x| <= 2σ0.
struct truncated_cdf {
  double sigma0;
  double operator()(double x) const {
    const double lo = normal_cdf(-2.0), hi = normal_cdf(2.0);
    return std::clamp((normal_cdf(x / sigma0) - lo) / (hi - lo), 0.0, 1.0);
  }
};

/// sup |F_n − F| over the sample.
template <class T, class Cdf>
inline double ks_statistic(const T* data, std::size_t n, Cdf cdf) {
  std::vector<double> x(data, data + n);
  std::sort(x.begin(), x.end());
  double d = 0.0;
  const double dn = static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, f - static_cast<double>(i) / dn, static_cast<double>(i + 1) / dn - f});
  }
  return d;
}

struct moments {
  double mean, second;  // E[w], E[w²]
};

template <class T>
inline moments sample_moments(const T* data, std::size_t n) {
  long double s = 0, s2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    s += data[i];
    s2 += static_cast<long double>(data[i]) * data[i];
  }
  return {static_cast<double>(s / n), static_cast<double>(s2 / n)};
}

}  // namespace activ::testing

#endif  // ACTIV_TESTS_INIT_STATS_HPP
