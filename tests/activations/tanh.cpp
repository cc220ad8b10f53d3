#include <activ/activations/tanh.hpp>
#include <activ/math/exp.hpp>  // detail::hardware_fma
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "support/check.hpp"
#include "support/ulp.hpp"

using namespace activ::testing;

TEMPLATE_TEST_CASE("Tanh: values", "[tanh]", float, double) {
  using T = TestType;
  const activ::Tanh<T> f;
  CHECK(fwd(f, T(0)) == T(0));
  CHECK(der(f, T(0)) == T(1));
  CHECK(der_y(f, T(0)) == T(1));
  CHECK(fwd(f, T(0.5)) == Approx(std::tanh(0.5)).epsilon(1e-6));
  CHECK(fwd(f, T(-3)) == Approx(std::tanh(-3.0)).epsilon(1e-6));
  CHECK(der_y(f, T(0.75)) == T(T(1) - T(0.75) * T(0.75)));
  // No cancellation in the derivative's tails: tanh'(9) = 4e^−18/(1+e^−18)² ≈ 6.1e−8, not 0.
  CHECK(der(f, T(9)) == Approx(4.0 * std::exp(-18.0)).epsilon(1e-6));
  CHECK(der(f, T(-40)) == Approx(4.0 * std::exp(-80.0)).epsilon(1e-6));
  check_central_differences(f, {T(-3), T(-0.6), T(-0.05), T(0.3), T(1.2)});
}

TEMPLATE_TEST_CASE("Tanh: special values and saturation", "[tanh][special]", float, double) {
  using T = TestType;
  using L = lim<T>;
  const activ::Tanh<T> f;
  CHECK(std::isnan(fwd(f, L::nan())));
  CHECK(std::isnan(der(f, L::nan())));
  CHECK(std::isnan(der_y(f, L::nan())));
  CHECK(std::isnan(back(f, L::nan(), T(1))));
  CHECK(fwd(f, L::inf()) == T(1));
  CHECK(fwd(f, -L::inf()) == T(-1));
  CHECK(der(f, L::inf()) == T(0));
  CHECK(der(f, -L::inf()) == T(0));
  CHECK(fwd(f, T(1e30)) == T(1));
  CHECK(fwd(f, -L::max()) == T(-1));
  CHECK(std::signbit(fwd(f, T(-0.0))));
  CHECK(!std::signbit(fwd(f, T(0.0))));
  for (T x = T(5); x < T(400); x += T(0.29)) {
    REQUIRE(f(x) <= T(1));
    REQUIRE(f(-x) >= T(-1));
  }
  CHECK(fwd(f, T(30)) == T(1));
  CHECK(fwd(f, -L::denorm()) == -L::denorm());  // tanh(x) = x for subnormal x
  CHECK(der(f, L::denorm()) == T(1));
}

// With hardware FMA, 1 − y² from the output is one fused −y·y + 1: correctly rounded, where the
// two-product form it replaced (still used without FMA) was 1.08 ULP off at worst (float).
// Against a long double reference (exact for float: 1 − y² needs 48 bits), on 2^21 values of y
// spread over the bit patterns of [−1, 1] and a dense grid near |y| = 1, where the result
// cancels most.
TEMPLATE_TEST_CASE("Tanh: 1 - y^2 from the output is correctly rounded with FMA", "[tanh][accuracy]", float,
                   double) {
  using T = TestType;
  using ld = long double;
  const activ::Tanh<T> f;
  std::vector<T> ys;
  std::mt19937_64 g(7);
  std::uniform_real_distribution<double> u(0, 1);
  for (int k = 0; k < (1 << 20); ++k) {
    // |y| = 2^−e·(1 + m): every binade from 2^−40 up to 1 alike.
    const T y = T(std::ldexp(1 + u(g), -1 - static_cast<int>(u(g) * 40)));
    ys.push_back(k % 2 ? y : -y);
  }
  for (int k = 0; k < (1 << 20); ++k) ys.push_back(T(1) - T(k) * std::numeric_limits<T>::epsilon() / 2);
  std::vector<T> got(ys.size()), ones(ys.size(), T(1));
  activ::backward_from_output(f, ys.data(), ones.data(), got.data(), static_cast<std::ptrdiff_t>(ys.size()));
  const double bar = activ::math::detail::hardware_fma ? 0.5 + 1.0 / 1024 : 2.0;  // long double's own error
  double worst = 0;
  T worst_y = 0;
  for (std::size_t i = 0; i < ys.size(); ++i) {
    const ld y = ys[i], exact = (1 - y) * (1 + y);
    const double e = activ::testing::ulp_error(got[i], exact);
    if (e > worst) worst = e, worst_y = ys[i];
    if (i % 4099 == 0) REQUIRE(same_bits(got[i], f.derivative_from_output(ys[i])));  // the scalar call agrees
  }
  INFO("worst at y = " << worst_y);
  CHECK(worst <= bar);
}
