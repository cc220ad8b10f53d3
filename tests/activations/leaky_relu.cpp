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

// The forward formula depends on the slope (max(x, a·x) for a <= 1 but 0, min(x, a·x) above 1,
// the select for 0): every kind against x > 0 ? x : a·x, on every special value.
TEMPLATE_TEST_CASE("LeakyReLU: every kind of slope on special values", "[leaky_relu][special]", float, double) {
  using T = TestType;
  using L = lim<T>;
  const T slopes[] = {T(0.01), T(0.5), T(1), T(-0.5), T(-3), T(0), T(-0.0), T(1.5), T(3), L::inf()};
  const T xs[] = {T(0),      T(-0.0),   L::denorm(), -L::denorm(), T(1),     T(-1),   T(0.3),
                  T(-0.3),   L::max(),  -L::max(),   L::inf(),     -L::inf(), L::nan()};
  for (const T a : slopes) {
    const activ::LeakyReLU<T> f{a};
    for (const T x : xs) {
      INFO("alpha " << a << ", x " << x);
      const T expected = x > 0 ? x : T(a * x);
      const T got = fwd(f, x);
      CHECK((std::isnan(expected) ? std::isnan(got) : got == expected));
    }
  }
}

// The derivative is x > 0 ? 1 : a, NaN for NaN, on every class of input (on AVX-512 one
// vfixupimm sorts x into QNaN, SNaN, zero, +1, −inf, +inf, negative, positive: each class here,
// subnormals included); a itself comes back, −0 with its sign. backward is dy times it.
TEMPLATE_TEST_CASE("LeakyReLU: derivative and backward on every class of input", "[leaky_relu][special]", float,
                   double) {
  using T = TestType;
  using L = lim<T>;
  const T slopes[] = {T(0.01), T(0.5), T(-3), T(0), T(-0.0), T(3), L::inf()};
  const T xs[] = {T(0),    T(-0.0),  L::denorm(), -L::denorm(), L::min(),  -L::min(),         T(1),
                  T(-1),   T(0.3),   T(-0.3),     L::max(),     -L::max(), L::inf(),          -L::inf(),
                  L::nan(), -L::nan(), std::numeric_limits<T>::signaling_NaN()};
  for (const T a : slopes) {
    const activ::LeakyReLU<T> f{a};
    for (const T x : xs) {
      INFO("alpha " << a << ", x " << x);
      const T d = der(f, x);
      if (std::isnan(x)) {
        CHECK(std::isnan(d));
        CHECK(std::isnan(back(f, x, T(2))));
        continue;
      }
      const T expected = x > 0 ? T(1) : a;
      CHECK(d == expected);
      CHECK(std::signbit(d) == std::signbit(expected));
      CHECK(back(f, x, T(-2)) == T(T(-2) * expected));
    }
  }
}

// Long arrays take the loop with the formula chosen once per call (detail::fixed_form): for
// every kind of slope, each element of a long array, in place or not, has the scalar call's
// bits, whatever its position in the four-batch trip.
TEMPLATE_TEST_CASE("LeakyReLU: long arrays match the scalar call for every kind of slope", "[leaky_relu][special]",
                   float, double) {
  using T = TestType;
  using L = lim<T>;
  const T slopes[] = {T(0.01), T(1), T(-0.5), T(0), T(-0.0), T(3), L::inf(), L::nan()};
  const T xs[] = {T(0),     T(-0.0),   L::denorm(), -L::denorm(), T(1),      T(-1),   T(0.3),
                  T(-0.3),  L::max(),  -L::max(),   L::inf(),     -L::inf(), L::nan()};
  for (const T a : slopes) {
    INFO("alpha " << a);
    const activ::LeakyReLU<T> f{a};
    const auto [x, y, in_place] = forward_long(f, xs);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const T expected = f(x[i]);
      mismatches += !same_bits(y[i], expected) || !same_bits(in_place[i], expected);
    }
    CHECK(mismatches == 0);
  }
}
