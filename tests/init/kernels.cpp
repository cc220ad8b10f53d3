// Accuracy of the Box–Muller kernels (activ/init/detail/kernels.hpp) against long double, over
// the exact inputs the initializers feed them: u = (j + 1)·2^−N and v = ((j − 2^(N−1)) + ½)·2^−(N−1).
// Bars: 2 ULP (the header claims ≈ 1; the test prints the worst case).
#include <activ/init/detail/kernels.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

#include "support/ulp.hpp"

namespace {

using activ::testing::ulp_error;
template <class T>
using batch = xsimd::batch<T, xsimd::default_arch>;

// The reference sin(π·v), cos(π·v): the same exact reduction to r in [0, 1/4] (an identity,
// exact in T), then long double sinl/cosl of π·r, where π·r has no cancellation.
struct sincos_ref {
  long double s, c;
};
inline sincos_ref reference_sincospi(long double v) {
  const long double pi = 3.141592653589793238462643383279502884L;
  long double a = std::fabs(v);
  const bool back = a > 0.5L;
  if (back) a = 1 - a;
  const bool swap = a > 0.25L;
  const long double r = swap ? 0.5L - a : a;
  long double s = std::sin(pi * r), c = std::cos(pi * r);
  if (swap) std::swap(s, c);
  return {v < 0 ? -s : s, back ? -c : c};
}

}  // namespace

TEMPLATE_TEST_CASE("log_unit is within 2 ULP for u in (0, 1)", "[init][kernels]", float, double) {
  using T = TestType;
  using B = batch<T>;
  constexpr int N = std::numeric_limits<T>::digits;
  const std::uint64_t count = std::uint64_t(1) << N;
  // Every j near both ends, then a stride through the rest.
  const std::uint64_t stride = N == 24 ? 61 : 0x1000000001ull;
  double worst = 0;
  T worst_u = 0;
  auto test = [&](std::uint64_t j) {
    const T u = static_cast<T>(static_cast<std::int64_t>(j + 1)) * std::ldexp(T(1), -N);
    const T got = activ::init::detail::log_unit(B(u)).get(0);
    const double e = ulp_error<T, long double>(got, std::log(static_cast<long double>(u)));
    if (e > worst) worst = e, worst_u = u;
  };
  for (std::uint64_t j = 0; j < 100000; ++j) test(j);
  for (std::uint64_t j = count - 100000; j < count - 1; ++j) test(j);  // u = 1 is exact 0: skipped below
  for (std::uint64_t j = 100000; j < count - 100000; j += stride) test(j);
  CHECK(activ::init::detail::log_unit(B(T(1))).get(0) == T(0));
  INFO("worst " << worst << " ULP at u = " << worst_u);
  CHECK(worst <= 2.0);
}

TEMPLATE_TEST_CASE("sincospi is within 2 ULP for v in (-1, 1)", "[init][kernels]", float, double) {
  using T = TestType;
  using B = batch<T>;
  constexpr int N = std::numeric_limits<T>::digits;
  const std::uint64_t count = std::uint64_t(1) << N;
  const std::uint64_t stride = N == 24 ? 37 : 0x0800000003ull;
  double worst_s = 0, worst_c = 0;
  auto test = [&](std::uint64_t j) {
    const T v = ((static_cast<T>(static_cast<std::int64_t>(j)) - std::ldexp(T(1), N - 1)) + T(0.5)) *
                std::ldexp(T(1), 1 - N);
    B s, c;
    activ::init::detail::sincospi(B(v), s, c);
    const sincos_ref ref = reference_sincospi(v);
    worst_s = std::max(worst_s, ulp_error<T, long double>(s.get(0), ref.s));
    worst_c = std::max(worst_c, ulp_error<T, long double>(c.get(0), ref.c));
  };
  for (std::uint64_t j = 0; j < count; j += stride) test(j);
  for (std::uint64_t j = 0; j < 1000; ++j) {  // the ends and the quadrant edges
    test(j);
    test(count - 1 - j);
    test(count / 2 + j - 500);
    test(count / 4 + j - 500);
    test(3 * count / 4 + j - 500);
  }
  INFO("worst sin " << worst_s << " ULP, cos " << worst_c << " ULP");
  CHECK(worst_s <= 2.0);
  CHECK(worst_c <= 2.0);
}
