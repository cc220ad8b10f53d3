#include <activ/activations/relu.hpp>

#include "support/check.hpp"

using namespace activ::testing;

TEMPLATE_TEST_CASE("ReLU: values and the kink", "[relu]", float, double) {
  using T = TestType;
  const activ::ReLU<T> f;
  CHECK(fwd(f, T(3.5)) == T(3.5));
  CHECK(fwd(f, T(-2)) == T(0));
  CHECK(fwd(f, T(0)) == T(0));
  CHECK(fwd(f, T(-0.0)) == T(0));
  CHECK(der(f, T(0)) == T(0));  // f'(0) = 0 (SPEC §2)
  CHECK(der(f, T(1e-30)) == T(1));
  CHECK(der(f, T(-1e-30)) == T(0));
  CHECK(der_y(f, T(0)) == T(0));
  CHECK(der_y(f, T(2)) == T(1));
  check_central_differences(f, {T(-3.7), T(-0.5), T(0.3), T(2.2), T(100)});
}

TEMPLATE_TEST_CASE("ReLU: special values", "[relu][special]", float, double) {
  using T = TestType;
  using L = lim<T>;
  const activ::ReLU<T> f;
  CHECK(std::isnan(fwd(f, L::nan())));
  CHECK(std::isnan(fwd(f, -L::nan())));
  CHECK(std::isnan(der(f, L::nan())));
  CHECK(std::isnan(der_y(f, L::nan())));
  CHECK(std::isnan(back(f, L::nan(), T(1))));
  CHECK(fwd(f, L::inf()) == L::inf());
  CHECK(fwd(f, -L::inf()) == T(0));
  CHECK(der(f, L::inf()) == T(1));
  CHECK(der(f, -L::inf()) == T(0));
  CHECK(fwd(f, L::max()) == L::max());
  CHECK(fwd(f, -L::max()) == T(0));
  // Subnormals are values like any other: no flush to zero.
  CHECK(fwd(f, L::denorm()) == L::denorm());
  CHECK(der(f, L::denorm()) == T(1));
  CHECK(fwd(f, -L::denorm()) == T(0));
  // The derivative on every class of input (AVX-512 computes it with one vfixupimm, which sorts
  // x into QNaN, SNaN, zero, +1, −inf, +inf, negative and positive).
  CHECK(der(f, -L::denorm()) == T(0));
  CHECK(der(f, L::min()) == T(1));
  CHECK(der(f, T(1)) == T(1));
  CHECK(der(f, T(-1)) == T(0));
  CHECK(der(f, T(-0.0)) == T(0));
  CHECK(!std::signbit(der(f, T(-0.0))));
  CHECK(der(f, L::max()) == T(1));
  CHECK(der(f, -L::max()) == T(0));
  CHECK(std::isnan(der(f, -L::nan())));
  CHECK(std::isnan(der(f, std::numeric_limits<T>::signaling_NaN())));
  CHECK(back(f, T(1), T(-3)) == T(-3));
  CHECK(back(f, -L::denorm(), T(-3)) == T(0));
}
