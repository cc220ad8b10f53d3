#include <activ/activations/sigmoid.hpp>

#include "support/check.hpp"

using namespace activ::testing;

TEMPLATE_TEST_CASE("Sigmoid: values", "[sigmoid]", float, double) {
  using T = TestType;
  const activ::Sigmoid<T> f;
  CHECK(fwd(f, T(0)) == T(0.5));
  CHECK(der(f, T(0)) == T(0.25));
  CHECK(der_y(f, T(0.5)) == T(0.25));
  CHECK(fwd(f, T(2)) == Approx(1.0 / (1.0 + std::exp(-2.0))).epsilon(1e-6));
  CHECK(fwd(f, T(-2)) == Approx(1.0 / (1.0 + std::exp(2.0))).epsilon(1e-6));
  // The tails are relative-accurate, not flushed: σ(−80) = e^−80 (normal in float).
  CHECK(fwd(f, T(-80)) == Approx(std::exp(-80.0)).epsilon(1e-6));
  CHECK(der(f, T(-80)) == Approx(std::exp(-80.0)).epsilon(1e-6));
  CHECK(der(f, T(30)) == Approx(std::exp(-30.0)).epsilon(1e-5));
  check_central_differences(f, {T(-6), T(-1.5), T(-0.1), T(0.7), T(4)});
}

TEMPLATE_TEST_CASE("Sigmoid: special values and saturation", "[sigmoid][special]", float, double) {
  using T = TestType;
  using L = lim<T>;
  const activ::Sigmoid<T> f;
  CHECK(std::isnan(fwd(f, L::nan())));
  CHECK(std::isnan(der(f, L::nan())));
  CHECK(std::isnan(der_y(f, L::nan())));
  CHECK(std::isnan(back(f, L::nan(), T(1))));
  CHECK(fwd(f, L::inf()) == T(1));
  CHECK(fwd(f, -L::inf()) == T(0));
  CHECK(der(f, L::inf()) == T(0));
  CHECK(der(f, -L::inf()) == T(0));
  CHECK(fwd(f, T(-1e30)) == T(0));
  CHECK(fwd(f, T(1e30)) == T(1));
  CHECK(fwd(f, L::max()) == T(1));
  CHECK(fwd(f, -L::max()) == T(0));
  // Saturation is exact and never above 1.
  for (T x = T(10); x < T(800); x += T(0.37)) {
    const T y = f(x);
    REQUIRE(y <= T(1));
    REQUIRE(y >= T(0.5));
  }
  CHECK(fwd(f, T(40)) == T(1));
  CHECK(fwd(f, L::denorm()) == T(0.5));
  CHECK(der(f, L::denorm()) == T(0.25));
}
