#include <activ/activations/tanh.hpp>

#include "support/check.hpp"

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
