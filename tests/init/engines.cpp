// Random bits from any UniformRandomBitGenerator: the chunk plan for power-of-two and other
// ranges, the exact word layout of activ/init/detail/bits.hpp, the documented transforms
// reproduced from the raw engine output, and distributions still right with engines whose
// range is not a power of two.
#include <Eigen/Core>
#include <activ/init/init.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "init/stats.hpp"

namespace {

using activ::init::Fans;
using activ::init::detail::draw;
using activ::init::detail::engine_bits;

/// Outputs in [Lo, Lo + Range): mt19937_64 reduced modulo Range (bias < Range/2^64, nil here).
template <std::uint64_t Lo, std::uint64_t Range>
struct odd_range_engine {
  using result_type = std::uint64_t;
  std::mt19937_64 base;
  explicit odd_range_engine(std::uint64_t seed) : base(seed) {}
  static constexpr result_type min() { return Lo; }
  static constexpr result_type max() { return Lo + Range - 1; }
  result_type operator()() { return Lo + base() % Range; }
};

/// Replays a fixed list of outputs, with minstd_rand's range [1, 2^31 − 2].
struct scripted_engine {
  using result_type = std::uint32_t;
  std::vector<result_type> values;
  std::size_t next = 0;
  static constexpr result_type min() { return 1; }
  static constexpr result_type max() { return 2147483646u; }
  result_type operator()() { return values.at(next++); }
};

}  // namespace

TEST_CASE("Chunk plans", "[init][bits]") {
  STATIC_REQUIRE(engine_bits<std::mt19937>::k == 32);
  STATIC_REQUIRE(engine_bits<std::mt19937>::exact);
  STATIC_REQUIRE(engine_bits<std::mt19937_64>::k == 64);
  STATIC_REQUIRE(engine_bits<std::mt19937_64>::exact);
  STATIC_REQUIRE(engine_bits<std::ranlux24_base>::k == 24);
  STATIC_REQUIRE(engine_bits<std::ranlux48>::k == 48);
  // [1, 2^31 − 2]: k = 27, m = 15 gives 27·15/16 = 25.3 bits a call, the best k.
  STATIC_REQUIRE(engine_bits<std::minstd_rand>::k == 27);
  STATIC_REQUIRE(engine_bits<std::minstd_rand>::m == 15);
  STATIC_REQUIRE(!engine_bits<std::minstd_rand>::exact);
  STATIC_REQUIRE(engine_bits<std::knuth_b>::k == 27);
  // R = 10: k = 3 (accept 8 of 10: 2.4 bits a call) beats k = 2, m = 2 (1.6).
  STATIC_REQUIRE(engine_bits<odd_range_engine<0, 10>>::k == 3);
  STATIC_REQUIRE(engine_bits<odd_range_engine<0, 10>>::m == 1);
  // R = 3·2^20: k = 20, m = 3 rejects nothing.
  STATIC_REQUIRE(engine_bits<odd_range_engine<5, 3 << 20>>::k == 20);
  STATIC_REQUIRE(engine_bits<odd_range_engine<5, 3 << 20>>::m == 3);
  STATIC_REQUIRE(engine_bits<odd_range_engine<5, 3 << 20>>::exact);
}

TEST_CASE("Words take the high bits of each chunk, first chunk first", "[init][bits]") {
  std::mt19937 g(1), ref(1);
  CHECK(draw<24>(g) == (ref() >> 8));
  const std::uint64_t hi = ref(), lo = ref();
  CHECK(draw<53>(g) == ((hi << 21) | (lo >> 11)));
  std::mt19937_64 g64(2), ref64(2);
  CHECK(draw<53>(g64) == (ref64() >> 11));
  CHECK(draw<24>(g64) == (ref64() >> 40));
}

TEST_CASE("Rejection: minstd-range outputs at or above m*2^k are skipped, the rest divided by m", "[init][bits]") {
  // u = output − 1; limit 15·2^27 = 2013265920.
  scripted_engine g{{2013265921u, 2147483646u, 123456790u, 1u, 2013265920u}};
  CHECK(draw<24>(g) == ((123456789u / 15u) >> 3));  // two rejected, then u = 123456789
  CHECK(g.next == 3);
  // 53 bits = 27 + 26: u = 0 gives chunk 0; u = 2013265919 gives 2^27 − 1, of which 26 bits.
  CHECK(draw<53>(g) == ((std::uint64_t(0) << 26) | ((2013265919u / 15u) >> 1)));
  CHECK(g.next == 5);
}

TEST_CASE("Uniform weights are exactly b*(((j - 2^(N-1)) + 1/2) * 2^-(N-1)) of the engine words", "[init][bits]") {
  {
    Eigen::VectorXf w(1001);
    std::mt19937 g(42), ref(42);
    activ::init::he_uniform(w, g, Fans{6, 6}, activ::init::FanMode::in, 1.0);
    const float b = static_cast<float>(std::sqrt(3.0 / 6.0));
    for (Eigen::Index i = 0; i < w.size(); ++i) {
      const float j = static_cast<float>(ref() >> 8);
      REQUIRE(w[i] == b * (((j - 8388608.0f) + 0.5f) * 0x1p-23f));
    }
    CHECK(g == ref);  // one call a float, nothing more
  }
  {
    Eigen::VectorXd w(1001);
    std::mt19937 g(43), ref(43);
    activ::init::lecun_uniform(w, g, Fans{3, 9});
    const double b = std::sqrt(3.0 / 3.0);
    for (Eigen::Index i = 0; i < w.size(); ++i) {
      const std::uint64_t hi = ref(), lo = ref();
      const double j = static_cast<double>((hi << 21) | (lo >> 11));
      REQUIRE(w[i] == b * (((j - 0x1p52) + 0.5) * 0x1p-52));
    }
    CHECK(g == ref);
  }
}

TEMPLATE_TEST_CASE("Normal weights follow the documented Box-Muller formula", "[init][bits]", float, double) {
  using T = TestType;
  constexpr int N = std::numeric_limits<T>::digits;
  Eigen::Matrix<T, Eigen::Dynamic, 1> w(2001);
  std::mt19937_64 g(8), ref(8);
  const double sigma = 0.25;
  activ::init::variance_scaling(w, g, Fans{16, 16}, 1.0, activ::init::FanMode::in, activ::init::Distribution::normal);
  const long double pi = 3.141592653589793238462643383279502884L;
  for (Eigen::Index i = 0; i + 1 < w.size(); i += 2) {
    const long double j1 = static_cast<long double>(ref() >> (64 - N));
    const long double j2 = static_cast<long double>(ref() >> (64 - N));
    const long double u = (j1 + 1) * std::ldexp(1.0L, -N);
    const long double v = ((j2 - std::ldexp(1.0L, N - 1)) + 0.5L) * std::ldexp(1.0L, 1 - N);
    const long double rho = sigma * std::sqrt(-2 * std::log(u));
    // A few ULP of the largest weight: the kernels are ≈1 ULP, ρ and the products add three roundings.
    const long double tol = 8 * std::numeric_limits<T>::epsilon() * std::max<long double>(rho, 1e-3L);
    REQUIRE(std::abs(w[i] - rho * std::cos(pi * v)) <= tol);
    REQUIRE(std::abs(w[i + 1] - rho * std::sin(pi * v)) <= tol);
  }
  ref();  // the odd last weight still draws its whole pair
  ref();
  CHECK(g == ref);
}

TEST_CASE("Engines with other ranges give the right distributions", "[init][bits][stats]") {
  constexpr std::size_t n = 1000000;
  const double crit = activ::testing::ks_critical(n);
  Eigen::MatrixXf w(1000, 1000);
  const float bound = static_cast<float>(std::sqrt(3.0 / 1000));
  const double sigma = 1.0 / std::sqrt(1000.0);
  auto run = [&](auto& g, const char* name) {
    INFO(name);
    activ::init::lecun_uniform(w, g);
    const double du = activ::testing::ks_statistic(w.data(), n, activ::testing::uniform_cdf{bound});
    CHECK(du < crit);
    CHECK(w.cwiseAbs().maxCoeff() <= bound);
    activ::init::lecun_normal(w, g);
    const double dn = activ::testing::ks_statistic(w.data(), n, activ::testing::gauss_cdf{sigma});
    CHECK(dn < crit);
    INFO("KS uniform " << du << ", normal " << dn << ", critical " << crit);
    SUCCEED();
  };
  std::minstd_rand minstd(17);
  run(minstd, "minstd_rand [1, 2^31-2]");
  odd_range_engine<0, 10> decimal(18);
  run(decimal, "range 10");
  odd_range_engine<5, 3 << 20> triple(19);
  run(triple, "range 3*2^20");
  std::ranlux24_base ranlux(20);
  run(ranlux, "ranlux24_base, 24 bits");
}
