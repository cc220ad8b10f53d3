#include <activ/activations/elu.hpp>

#include "support/check.hpp"

using namespace activ::testing;

TEMPLATE_TEST_CASE("ELU: values and the kink", "[elu]", float, double) {
  using T = TestType;
  const activ::ELU<T> f;
  CHECK(f.alpha == T(1));
  CHECK(fwd(f, T(2.5)) == T(2.5));
  CHECK(fwd(f, T(-1)) == Approx(std::expm1(-1.0)).epsilon(1e-6));
  CHECK(der(f, T(0)) == T(1));  // alpha·e^0
  CHECK(der(f, T(1e-30)) == T(1));
  const activ::ELU<T> g{T(0.5)};
  CHECK(fwd(g, T(-2)) == Approx(0.5 * std::expm1(-2.0)).epsilon(1e-6));
  CHECK(der(g, T(0)) == T(0.5));
  CHECK(der_y(g, T(0)) == T(0.5));  // y + alpha at y = 0
  CHECK(der_y(g, T(-0.25)) == T(0.25));
  CHECK(der_y(g, T(3)) == T(1));
  // No cancellation near 0: elu(x) ≈ x there, unlike exp(x) − 1.
  CHECK(fwd(f, T(-1e-6)) == Approx(std::expm1(-1e-6)).epsilon(1e-6));
  check_central_differences(f, {T(-5), T(-1.3), T(-0.2), T(0.4), T(3)});
  check_central_differences(g, {T(-4), T(-0.7), T(1.5)});
}

TEMPLATE_TEST_CASE("ELU: special values", "[elu][special]", float, double) {
  using T = TestType;
  using L = lim<T>;
  const activ::ELU<T> f{T(2)};
  CHECK(std::isnan(fwd(f, L::nan())));
  CHECK(std::isnan(der(f, L::nan())));
  CHECK(std::isnan(der_y(f, L::nan())));
  CHECK(std::isnan(back(f, L::nan(), T(1))));
  CHECK(fwd(f, L::inf()) == L::inf());
  CHECK(fwd(f, -L::inf()) == T(-2));
  CHECK(fwd(f, T(-1e30)) == T(-2));  // saturates, no overflow
  CHECK(fwd(f, -L::max()) == T(-2));
  CHECK(der(f, L::inf()) == T(1));
  CHECK(der(f, -L::inf()) == T(0));
  CHECK(der(f, -L::max()) == T(0));
  // The sign of zero is kept.
  CHECK(std::signbit(fwd(f, T(-0.0))));
  CHECK(!std::signbit(fwd(f, T(0.0))));
  // Subnormals: expm1(x) = x there, times alpha.
  CHECK(fwd(f, -L::denorm() * T(8)) == T(T(2) * (-L::denorm() * T(8))));
}
