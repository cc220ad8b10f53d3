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

// Long arrays with alpha = 1 take a loop without the multiply by alpha (detail::fixed_form):
// each element, in place or not, has the scalar call's value (NaN for NaN), and for the other
// alphas the general loop is unchanged. The reference is std::expm1 in long double as well, so
// that a fixed form that dropped a factor (alpha = 1 for all, say) cannot pass.
TEMPLATE_TEST_CASE("ELU: long arrays match the scalar call, alpha = 1 and others", "[elu][special]", float,
                   double) {
  using T = TestType;
  using L = lim<T>;
  const T alphas[] = {T(1), T(0.5), T(2), T(0), L::nan()};
  const T xs[] = {T(0),    T(-0.0),  L::denorm(), -L::denorm(), T(1),      T(-1),     T(0.3),
                  T(-0.3), T(-1e-6), T(-7.5),     -L::max(),    L::inf(),  -L::inf(), L::nan()};
  // Whether a finite result is off a finite exact value by more than 1e-5 relative: the bars
  // are a few ULP (SPEC §5: 3; subnormal results to the nearest subnormal), so this is far looser
  // and still catches a lost or doubled factor of alpha. NaN results are judged by bits instead.
  const auto far_from = [](T got, long double exact) {
    const long double tolerance = 1e-5L * std::fabs(exact) + std::numeric_limits<T>::min();
    return !std::isnan(got) && std::isfinite(exact) && std::fabs(static_cast<long double>(got) - exact) > tolerance;
  };
  for (const T a : alphas) {
    INFO("alpha " << a);
    const activ::ELU<T> f{a};
    const auto [x, y, in_place] = forward_long(f, xs);
    std::size_t mismatches = 0, far = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const T expected = f(x[i]);
      const bool nan = std::isnan(expected);
      mismatches += nan ? !std::isnan(y[i]) || !std::isnan(in_place[i])
                        : !same_bits(y[i], expected) || !same_bits(in_place[i], expected);
      const long double xi = x[i];
      far += !nan && far_from(y[i], xi > 0 ? xi : static_cast<long double>(a) * std::expm1(xi));
    }
    CHECK(mismatches == 0);
    CHECK(far == 0);
    // The derivative and backward loops: the scalar call's bits (backward: dy times them), and
    // alpha·e^x within far_from's 1e-5.
    const auto n = static_cast<std::ptrdiff_t>(x.size());
    std::vector<T> d(x.size(), T(7)), dx(x.size(), T(7)), dy(x.size());
    for (std::size_t i = 0; i < dy.size(); ++i) dy[i] = T(0.25) * T(int(i % 7) - 3);
    activ::derivative(f, x.data(), d.data(), n);
    activ::backward(f, x.data(), dy.data(), dx.data(), n);
    std::size_t derivative_mismatches = 0, derivative_far = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const T expected = f.derivative(x[i]);
      const T expected_dx = dy[i] * expected;
      derivative_mismatches += std::isnan(expected) ? !std::isnan(d[i]) || !std::isnan(dx[i])
                                                    : !same_bits(d[i], expected) || !same_bits(dx[i], expected_dx);
      const long double xi = x[i];
      derivative_far += !std::isnan(expected) && far_from(d[i], xi > 0 ? 1.0L : static_cast<long double>(a) * std::exp(xi));
    }
    CHECK(derivative_mismatches == 0);
    CHECK(derivative_far == 0);
  }
}
