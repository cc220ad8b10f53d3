#include <activ/activations/leaky_relu.hpp>

#include "support/check.hpp"

using namespace activ::testing;

TEMPLATE_TEST_CASE("LeakyReLU: values, default slope and the kink", "[leaky_relu]", float, double) {
  using T = TestType;
  const activ::LeakyReLU<T> f;
  CHECK(f.alpha == T(0.01));  // PyTorch's default
  CHECK(fwd(f, T(3)) == T(3));
  CHECK(fwd(f, T(-2)) == T(T(-2) * T(0.01)));
  CHECK(der(f, T(0)) == T(0.01));  // f'(0) = alpha
  CHECK(der(f, T(5)) == T(1));
  CHECK(der_y(f, T(-0.02)) == T(0.01));
  CHECK(der_y(f, T(0.5)) == T(1));
  const activ::LeakyReLU<T> g{T(0.2)};
  CHECK(fwd(g, T(-10)) == T(T(0.2) * T(-10)));
  CHECK(der(g, T(-1)) == T(0.2));
  check_central_differences(g, {T(-3.7), T(-0.5), T(0.3), T(2.2)});
}

TEMPLATE_TEST_CASE("LeakyReLU: special values", "[leaky_relu][special]", float, double) {
  using T = TestType;
  using L = lim<T>;
  const activ::LeakyReLU<T> f{T(0.1)};
  CHECK(std::isnan(fwd(f, L::nan())));
  CHECK(std::isnan(der(f, L::nan())));
  CHECK(std::isnan(der_y(f, L::nan())));
  CHECK(std::isnan(back(f, L::nan(), T(1))));
  CHECK(fwd(f, L::inf()) == L::inf());
  CHECK(fwd(f, -L::inf()) == -L::inf());
  CHECK(der(f, L::inf()) == T(1));
  CHECK(der(f, -L::inf()) == T(0.1));
  CHECK(fwd(f, -L::max()) == T(T(0.1) * -L::max()));  // finite, no overflow
  CHECK(fwd(f, L::denorm()) == L::denorm());
  CHECK(fwd(f, -L::denorm() * T(64)) == T(T(0.1) * (-L::denorm() * T(64))));
}
