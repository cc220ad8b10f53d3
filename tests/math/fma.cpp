// activ/math/fma.hpp: the kernels' multiply-adds round once wherever the target has an FMA, on
// every xsimd architecture (xsimd 8.1 has no fused avx512f kernel), and negate without losing
// the sign of zero (xsimd 8.1's avx512f negation is 0 − x).
#include <activ/math/fma.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include <activ/math/exp.hpp>  // detail::hardware_fma

TEMPLATE_TEST_CASE("math: fma, fms, fnma and fnms round once and keep the sign of zero", "[math][fma]", float,
                   double) {
  using T = TestType;
  using B = xsimd::batch<T>;
  INFO("architecture " << B::arch_type::name());
  // a = 1 + 2^−e, c = 1 + 2^−(e−1): a·a − c = 2^−2e exactly, while a·a rounded to T is c (the
  // 2^−2e term is below half an ULP of 1), so a product then a sum gives 0.
  constexpr int e = std::numeric_limits<T>::digits / 2 + 1;
  const T a = T(1) + std::ldexp(T(1), -e), c = T(1) + std::ldexp(T(1), -(e - 1));
  const T exact = std::ldexp(T(1), -2 * e);
  const T expected = activ::math::detail::hardware_fma ? exact : T(0);
  REQUIRE(a * a == c);  // the premise: one rounding of the product alone lands on c
  CHECK(activ::math::fma(B(a), B(a), B(-c)).get(0) == expected);
  CHECK(activ::math::fms(B(a), B(a), B(c)).get(0) == expected);
  CHECK(activ::math::fnma(B(a), B(a), B(c)).get(0) == -expected);
  CHECK(activ::math::fnms(B(a), B(a), B(-c)).get(0) == -expected);
  // −(+0·1) + (−0) = −0 and −(+0·1) − (+0) = −0 in IEEE arithmetic, fused or not.
  const B zero(T(0)), one(T(1));
  CHECK(std::signbit(activ::math::fnma(zero, one, B(T(-0.0))).get(0)));
  CHECK(std::signbit(activ::math::fnms(zero, one, zero).get(0)));
  CHECK(!std::signbit(activ::math::fma(zero, one, zero).get(0)));
  CHECK(std::signbit(activ::math::fms(B(T(-0.0)), one, zero).get(0)));
  // Every lane, not only the first.
  const B r = activ::math::fma(B(a), B(a), B(-c));
  for (std::size_t i = 0; i < B::size; ++i) CHECK(r.get(i) == expected);
}
