// activ/math/exp.hpp on its own: e^x against long double over the ranges the activations call
// it on, per kernel (the generic Cody–Waite one; float's 8-entry and, on AVX-512, double's
// 16-entry table), and double's table itself against exp2l. The activations' own accuracy is
// tests/math/ulp_sweep.cpp.
#include <activ/math/exp.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <type_traits>
#include <vector>

#include "support/ulp.hpp"

namespace {

using activ::testing::ulp_error;
using ld = long double;

template <class T>
struct worst_case {
  double ulp = 0;
  T at = 0;
  void see(double e, T x) {
    if (!(e <= ulp)) {
      ulp = e;
      at = x;
    }
  }
};

// x: 2^20 uniform in [lo, 0], every j of the tables many times over, plus the ends.
template <class T>
std::vector<T> inputs(T lo) {
  std::mt19937_64 rng(20261207);
  std::uniform_real_distribution<T> uniform(lo, T(0));
  std::vector<T> x(std::size_t(1) << 20);
  for (T& v : x) v = uniform(rng);
  for (const T v : {T(0), T(-0.0), lo, T(-1e-30), T(-0.5), T(-1)}) x.push_back(v);
  while (x.size() % xsimd::batch<T>::size != 0) x.push_back(T(0));
  return x;
}

}  // namespace

TEMPLATE_TEST_CASE("math: e^x (exp_nonpositive) against long double", "[math][exp]", float, double) {
  using T = TestType;
  using B = xsimd::batch<T>;
  constexpr bool sixteenths = std::is_same_v<T, double> && std::is_base_of_v<xsimd::avx512f, typename B::arch_type>;
  // The kernels' measured worst cases (generic double 1.05, the double table 0.65) with a margin
  // that a wrong table entry, coefficient or scale (errors of 2^−53 and up) exceeds.
  const double bar = sixteenths ? 0.75 : 1.5;
  INFO("architecture " << B::arch_type::name() << ", bar " << bar << " ULP");
  const T lo = std::is_same_v<T, float> ? T(-87.3) : T(-708.3);  // e^lo still normal
  const std::vector<T> x = inputs<T>(lo);
  worst_case<T> k0, k2, k64, minus;
  for (std::size_t i = 0; i < x.size(); i += B::size) {
    const B v = B::load_unaligned(&x[i]);
    alignas(64) T y0[B::size], y2[B::size], y64[B::size], ym[B::size];
    activ::math::exp_nonpositive<0>(v).store_aligned(y0);
    activ::math::exp_nonpositive<2>(v).store_aligned(y2);
    activ::math::exp_nonpositive<64>(v).store_aligned(y64);
    // Sigmoid's e^−x (Sign = −1) at −x, i.e. e^x again: the other sign of the reduction.
    activ::math::detail::exp_scaled<0, -1>(-v, typename B::arch_type{}).store_aligned(ym);
    for (std::size_t l = 0; l < B::size; ++l) {
      const ld e = std::exp(static_cast<ld>(x[i + l]));
      k0.see(ulp_error<T>(y0[l], e), x[i + l]);
      k2.see(ulp_error<T>(y2[l], 4 * e), x[i + l]);
      k64.see(ulp_error<T>(y64[l], std::ldexp(e, 64)), x[i + l]);
      minus.see(ulp_error<T>(ym[l], e), x[i + l]);
    }
  }
  CAPTURE(k0.ulp, k0.at, k2.ulp, k2.at, k64.ulp, k64.at, minus.ulp, minus.at);
  CHECK(k0.ulp <= bar);
  CHECK(k2.ulp <= bar);
  CHECK(k64.ulp <= bar);
  CHECK(minus.ulp <= bar);
}

#if XSIMD_WITH_AVX512F
TEST_CASE("math: double exp's 16-entry table holds 2^(j/16) to twice double's precision", "[math][exp]") {
  using activ::math::detail::exp2_sixteenths;
  using activ::math::detail::exp2_sixteenths_error;
  for (int j = 0; j < 16; ++j) {
    CAPTURE(j);
    // T_j's bits: the table's entry plus j·2^48 back, with the exponent of 1.
    const std::int64_t bits = exp2_sixteenths[j] + (std::int64_t(j) << 48) + (std::int64_t(1023) << 52);
    double t;
    std::memcpy(&t, &bits, sizeof t);
    const ld exact = std::exp2(static_cast<ld>(j) / 16);
    CHECK(std::fabs(static_cast<ld>(t) - exact) <= std::ldexp(exact, -53));  // T_j is the nearest double
    // T_j·(1 + c_j) within long double's own precision (2^−63) of 2^(j/16); without c_j the
    // error is up to 2^−53.
    const ld with_error = static_cast<ld>(t) + static_cast<ld>(t) * static_cast<ld>(exp2_sixteenths_error[j]);
    CHECK(std::fabs(with_error - exact) <= std::ldexp(exact, -62));
  }
}
#endif
