// The distributions themselves: Kolmogorov–Smirnov against the exact CDF on 10^6 draws,
// mean and variance against the formula, bounds never exceeded. Fixed seeds; each check's
// false-failure probability is below 1e-6 (tests/init/stats.hpp says why).
#include <Eigen/Core>
#include <activ/init/init.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "init/stats.hpp"

namespace {

using activ::init::Distribution;
using activ::init::FanMode;
using activ::init::Fans;

constexpr Eigen::Index rows = 1000, cols = 1000;  // 10^6 draws, fan_in = fan_out = 1000
constexpr std::size_t n = rows * cols;

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

template <class T>
void check_moments(const Mat<T>& w, double variance) {
  const auto m = activ::testing::sample_moments(w.data(), n);
  const double sd = std::sqrt(variance);
  INFO("mean " << m.mean << ", E[w^2] " << m.second << ", expected variance " << variance);
  CHECK(std::abs(m.mean) <= 5 * sd / std::sqrt(double(n)));
  CHECK(std::abs(m.second - variance) <= 5 * variance * std::sqrt(2.0 / double(n)));
}

template <class T, class Cdf>
void check_ks(const Mat<T>& w, Cdf cdf) {
  const double d = activ::testing::ks_statistic(w.data(), n, cdf);
  const double crit = activ::testing::ks_critical(n);
  INFO("KS D = " << d << ", critical value " << crit);
  CHECK(d < crit);
}

}  // namespace

TEMPLATE_TEST_CASE("he_uniform: KS, moments and bound", "[init][stats]", float, double) {
  using T = TestType;
  Mat<T> w(rows, cols);
  std::mt19937 g(20240601);
  activ::init::he_uniform(w, g);
  const T bound = static_cast<T>(std::sqrt(2.0) * std::sqrt(3.0 / cols));
  CHECK(w.cwiseAbs().maxCoeff() <= bound);
  CHECK(w.cwiseAbs().maxCoeff() > T(0.999) * bound);
  check_ks(w, activ::testing::uniform_cdf{double(bound)});
  check_moments(w, 2.0 / cols);
}

TEMPLATE_TEST_CASE("he_normal: KS and moments", "[init][stats]", float, double) {
  using T = TestType;
  Mat<T> w(rows, cols);
  std::mt19937 g(7);
  activ::init::he_normal(w, g);
  const double sigma = std::sqrt(2.0) / std::sqrt(double(cols));
  check_ks(w, activ::testing::gauss_cdf{sigma});
  check_moments(w, sigma * sigma);
  // u >= 2^-N caps |z| at √(2N ln 2): 5.77 (float), 8.57 (double).
  const double cap = std::sqrt(2.0 * std::numeric_limits<T>::digits * std::log(2.0)) * sigma * (1 + 1e-6);
  CHECK(w.cwiseAbs().maxCoeff() <= cap);
}

TEMPLATE_TEST_CASE("variance_scaling truncated_normal: KS, moments, 2 sigma0 bound", "[init][stats]", float, double) {
  using T = TestType;
  Mat<T> w(rows, cols);
  std::mt19937_64 g(99);
  activ::init::variance_scaling(w, g, 2.0, FanMode::in, Distribution::truncated_normal);
  const T sigma0 = static_cast<T>(std::sqrt(2.0 / cols) / 0.87962566103423978);
  CHECK(w.cwiseAbs().maxCoeff() <= T(2) * sigma0);
  check_ks(w, activ::testing::truncated_cdf{double(sigma0)});
  check_moments(w, 2.0 / cols);  // the constant makes the truncated variance scale/fan
}

TEMPLATE_TEST_CASE("xavier_normal and xavier_uniform: moments and KS on a non-square matrix", "[init][stats]", float,
                   double) {
  using T = TestType;
  Mat<T> w(2000, 500);  // fan_in 500, fan_out 2000
  std::minstd_rand g(3);
  activ::init::xavier_normal(w, g, 1.5);
  const double var = 1.5 * 1.5 * 2.0 / 2500.0;
  check_ks(w, activ::testing::gauss_cdf{std::sqrt(var)});
  check_moments(w, var);
  activ::init::xavier_uniform(w, g, 1.5);
  const T bound = static_cast<T>(1.5 * std::sqrt(6.0 / 2500.0));
  CHECK(w.cwiseAbs().maxCoeff() <= bound);
  check_ks(w, activ::testing::uniform_cdf{double(bound)});
  check_moments(w, var);
}

TEMPLATE_TEST_CASE("variance_scaling uniform and normal, fan_out and fan_avg", "[init][stats]", float, double) {
  using T = TestType;
  Mat<T> w(800, 1250);  // fan_in 1250, fan_out 800, avg 1025
  std::mt19937 g(11);
  activ::init::variance_scaling(w, g, 3.0, FanMode::out, Distribution::uniform);
  CHECK(w.cwiseAbs().maxCoeff() <= static_cast<T>(std::sqrt(9.0 / 800)));
  check_moments(w, 3.0 / 800);
  activ::init::variance_scaling(w, g, 0.5, FanMode::avg, Distribution::normal);
  check_ks(w, activ::testing::gauss_cdf{std::sqrt(0.5 / 1025)});
  check_moments(w, 0.5 / 1025);
}

TEMPLATE_TEST_CASE("The two values of a Box-Muller pair are uncorrelated", "[init][stats]", float, double) {
  using T = TestType;
  Mat<T> w(2, 500000);  // column j holds pair j: (ρ cos, ρ sin)
  std::mt19937 g(5);
  activ::init::he_normal(w, g, Fans{1, 1}, FanMode::in, 1.0);
  const double r = (w.row(0).template cast<double>().array() * w.row(1).template cast<double>().array()).mean();
  // sd of the mean of a product of two independent N(0,1) is 1/√n; 5 sd.
  CHECK(std::abs(r) <= 5.0 / std::sqrt(500000.0));
}
