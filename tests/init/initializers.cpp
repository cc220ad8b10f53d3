// The initializers' contracts apart from the statistics: each formula's bound or σ, the fan
// modes and explicit fans, every container kind (with the storage-order rule for where the
// k-th draw lands), reproducibility, engine use, gain and init_for.
#include <Eigen/Core>
#include <activ/init/init.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <unsupported/Eigen/CXX11/Tensor>
#include <vector>

using activ::init::Distribution;
using activ::init::FanMode;
using activ::init::Fans;

namespace {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <class T>
bool same_bits(const T* a, const T* b, std::size_t n) {
  return std::memcmp(a, b, n * sizeof(T)) == 0;
}

// 10^5 uniform draws all below 0.9995·b: P = 0.9995^(10^5) = 2e-22.
template <class T>
void check_bound(const Mat<T>& w, double bound) {
  const T b = static_cast<T>(bound);
  INFO("max |w| = " << w.cwiseAbs().maxCoeff() << ", bound " << b);
  CHECK(w.cwiseAbs().maxCoeff() <= b);
  CHECK(w.cwiseAbs().maxCoeff() >= T(0.9995) * b);
}

// With 10^5 draws the mean of w² has sd <= σ²·√(2/n) = 0.0045σ²: 6% is 13 sd.
template <class T>
void check_sigma(const Mat<T>& w, double sigma) {
  const double second = w.template cast<double>().array().square().mean();
  INFO("E[w^2] = " << second << ", sigma^2 = " << sigma * sigma);
  CHECK(std::abs(second / (sigma * sigma) - 1) < 0.06);
}

}  // namespace

TEMPLATE_TEST_CASE("Each initializer's bound or sigma", "[init]", float, double) {
  using T = TestType;
  Mat<T> w(400, 250);  // fan_in 250, fan_out 400
  const double in = 250, out = 400, avg = 325;
  std::mt19937 g(1);
  activ::init::he_uniform(w, g);
  check_bound(w, std::sqrt(2.0) * std::sqrt(3 / in));
  activ::init::he_uniform(w, g, FanMode::out, 0.5);
  check_bound(w, 0.5 * std::sqrt(3 / out));
  activ::init::he_uniform(w, g, FanMode::avg);
  check_bound(w, std::sqrt(2.0) * std::sqrt(3 / avg));
  activ::init::xavier_uniform(w, g);
  check_bound(w, std::sqrt(6 / (in + out)));
  activ::init::xavier_uniform(w, g, 5.0 / 3.0);
  check_bound(w, 5.0 / 3.0 * std::sqrt(6 / (in + out)));
  activ::init::lecun_uniform(w, g);
  check_bound(w, std::sqrt(3 / in));
  activ::init::variance_scaling(w, g, 0.1, FanMode::avg, Distribution::uniform);
  check_bound(w, std::sqrt(0.3 / avg));

  activ::init::he_normal(w, g);
  check_sigma(w, std::sqrt(2.0) / std::sqrt(in));
  activ::init::he_normal(w, g, FanMode::out, 1.0);
  check_sigma(w, 1 / std::sqrt(out));
  activ::init::xavier_normal(w, g, 2.0);
  check_sigma(w, 2.0 * std::sqrt(2 / (in + out)));
  activ::init::lecun_normal(w, g);
  check_sigma(w, std::sqrt(1 / in));
  activ::init::variance_scaling(w, g, 4.0, FanMode::out, Distribution::normal);
  check_sigma(w, std::sqrt(4 / out));
  activ::init::variance_scaling(w, g);  // Keras' defaults: 1, fan_in, truncated_normal
  check_sigma(w, std::sqrt(1 / in));
  CHECK(w.cwiseAbs().maxCoeff() <= static_cast<T>(std::sqrt(1 / in) / 0.87962566103423978) * T(2));
}

TEMPLATE_TEST_CASE("Explicit Fans replace the convention", "[init]", float, double) {
  using T = TestType;
  // A transposed-convolution weight in PyTorch's I, O, K layout: fan_in is d0·K = 320, where
  // the convention would read d1·K = 160. 10240 draws: P(max < 0.998·b) = 1.3e-9.
  Eigen::Tensor<T, 3> t(64, 32, 5);
  std::mt19937 g(2);
  activ::init::he_uniform(t, g, Fans{320, 160});
  const Eigen::Tensor<T, 0> top = t.abs().maximum();
  const T bound = static_cast<T>(std::sqrt(2.0) * std::sqrt(3.0 / 320));
  CHECK(top() <= bound);
  CHECK(top() >= T(0.998) * bound);
  // A rank-0 tensor works once its fans are given.
  Eigen::Tensor<T, 0> s;
  s() = T(7);
  activ::init::xavier_normal(s, g, Fans{3, 3});
  CHECK(s() != T(7));
}

TEMPLATE_TEST_CASE("lecun_* are variance_scaling(1, in, *) bitwise", "[init]", float, double) {
  using T = TestType;
  Mat<T> a(33, 17), b(33, 17);
  std::mt19937 g(3), h(3);
  activ::init::lecun_uniform(a, g);
  activ::init::variance_scaling(b, h, 1.0, FanMode::in, Distribution::uniform);
  CHECK(a == b);
  activ::init::lecun_normal(a, g);
  activ::init::variance_scaling(b, h, 1.0, FanMode::in, Distribution::normal);
  CHECK(a == b);
}

TEMPLATE_TEST_CASE("Same seed, same weights; the k-th draw lands at the k-th element in storage order", "[init]",
                   float, double) {
  using T = TestType;
  const Fans f{7, 5};
  auto make = [&](auto&& w) {
    std::mt19937 g(123);
    activ::init::he_normal(w, g, f);
  };
  Mat<T> cm(5, 7), again(5, 7);
  make(cm);
  make(again);
  CHECK(same_bits(cm.data(), again.data(), 35));

  RowMat<T> rm(7, 5);  // RowMajor 7×5: same memory order as ColMajor 5×7
  make(rm);
  CHECK(same_bits(cm.data(), rm.data(), 35));
  Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> ar(35, 1);
  make(ar);
  CHECK(same_bits(cm.data(), ar.data(), 35));
  std::vector<T> raw(35);
  make(Eigen::Map<Mat<T>>(raw.data(), 5, 7));
  CHECK(same_bits(cm.data(), raw.data(), 35));
  Eigen::Tensor<T, 3> t(5, 7, 1);
  make(t);
  CHECK(same_bits(cm.data(), t.data(), 35));
  Eigen::Tensor<T, 2, Eigen::RowMajor> tr(7, 5);
  make(tr);
  CHECK(same_bits(cm.data(), tr.data(), 35));
  Eigen::TensorFixedSize<T, Eigen::Sizes<5, 7>> tf;
  make(tf);
  CHECK(same_bits(cm.data(), tf.data(), 35));
  make(Eigen::TensorMap<Eigen::Tensor<T, 2>>(raw.data(), 5, 7));
  CHECK(same_bits(cm.data(), raw.data(), 35));

  // Non-contiguous views: filled in their storage order, the rest untouched.
  Mat<T> big = Mat<T>::Constant(9, 11, T(7));
  make(big.block(2, 3, 5, 7));  // a temporary Block, column-major
  CHECK(big.block(2, 3, 5, 7) == cm);
  CHECK((big.leftCols(3).array() == T(7)).all());
  CHECK((big.topRows(2).array() == T(7)).all());
  CHECK((big.bottomRows(2).array() == T(7)).all());
  CHECK((big.rightCols(1).array() == T(7)).all());
  RowMat<T> bigr = RowMat<T>::Constant(9, 11, T(7));
  make(bigr.block(1, 1, 7, 5));
  CHECK(bigr.block(1, 1, 7, 5) == rm);
  Eigen::Ref<Mat<T>> ref = big.block(2, 3, 5, 7);
  ref.setZero();
  make(ref);
  CHECK(big.block(2, 3, 5, 7) == cm);
  Eigen::Tensor<T, 2> tb(9, 11);
  tb.setConstant(T(7));
  const std::array<Eigen::Index, 2> off{2, 3}, ext{5, 7};
  make(tb.slice(off, ext));
  Eigen::Tensor<T, 2> sl = tb.slice(off, ext);
  CHECK(same_bits(cm.data(), sl.data(), 35));
  CHECK(tb(0, 0) == T(7));
  CHECK(tb(8, 10) == T(7));

  std::mt19937 other(124);
  activ::init::he_normal(again, other, f);
  CHECK(!same_bits(cm.data(), again.data(), 35));
}

TEMPLATE_TEST_CASE("Contiguous weights of every length, including the chunk edges", "[init]", float, double) {
  using T = TestType;
  // Weights depend only on their index: a prefix of a longer fill is the shorter fill.
  for (Distribution d : {Distribution::uniform, Distribution::normal, Distribution::truncated_normal}) {
    Eigen::Matrix<T, Eigen::Dynamic, 1> longer(1200);
    std::mt19937 g(9);
    activ::init::variance_scaling(longer, g, Fans{4, 4}, 1.0, FanMode::in, d);
    for (Eigen::Index n : {1, 2, 3, 15, 16, 17, 255, 256, 257, 511, 512, 513, 1025}) {
      Eigen::Matrix<T, Eigen::Dynamic, 1> w(n);
      std::mt19937 h(9);
      activ::init::variance_scaling(w, h, Fans{4, 4}, 1.0, FanMode::in, d);
      INFO("distribution " << int(d) << ", n = " << n);
      CHECK(same_bits(w.data(), longer.data(), std::size_t(n)));
    }
  }
}

TEMPLATE_TEST_CASE("Engine use: one word per uniform weight, one pair per two normal weights", "[init]", float,
                   double) {
  using T = TestType;
  const unsigned long long calls_per_word = sizeof(T) == 4 ? 1 : 2;  // mt19937: 32 bits a call
  Eigen::Matrix<T, Eigen::Dynamic, 1> w(1001);
  std::mt19937 g(4), ref(4);
  activ::init::xavier_uniform(w, g);
  ref.discard(1001 * calls_per_word);
  CHECK(g == ref);
  activ::init::xavier_normal(w, g);
  ref.discard(1002 * calls_per_word);
  CHECK(g == ref);
}

TEST_CASE("gain values", "[init][gain]") {
  CHECK(activ::init::gain(activ::ReLU<float>{}) == std::sqrt(2.0));
  CHECK(activ::init::gain(activ::ReLU<double>{}) == std::sqrt(2.0));
  CHECK(activ::init::gain(activ::LeakyReLU<double>{0.2}) == std::sqrt(2.0 / (1.0 + 0.2 * 0.2)));
  const float a = 0.01f;
  CHECK(activ::init::gain(activ::LeakyReLU<float>{}) == std::sqrt(2.0 / (1.0 + double(a) * double(a))));
  CHECK(activ::init::gain(activ::LeakyReLU<float>{0.0f}) == std::sqrt(2.0));
  CHECK(activ::init::gain(activ::ELU<float>{}) == std::sqrt(2.0));
  CHECK(activ::init::gain(activ::ELU<double>{0.5}) == std::sqrt(2.0));
  CHECK(activ::init::gain(activ::Sigmoid<float>{}) == 1.0);
  CHECK(activ::init::gain(activ::Tanh<double>{}) == 5.0 / 3.0);
  // PReLU with one shared slope: as LeakyReLU with that slope.
  CHECK(activ::init::gain(activ::PReLU<double>(0.25)) == std::sqrt(2.0 / (1.0 + 0.25 * 0.25)));
  // A slope per channel has no single gain.
  CHECK_THROWS_WITH(activ::init::gain(activ::PReLU<float>(4, 0)),
                    Catch::Contains("activ::init::gain") && Catch::Contains("4 slopes"));
}

TEMPLATE_TEST_CASE("init_for: He-uniform for ReLU, LeakyReLU, ELU; Xavier-uniform for Sigmoid, Tanh", "[init][gain]",
                   float, double) {
  using T = TestType;
  const double in = 250, out = 400;
  auto check = [&](const auto& f, bool he) {
    Mat<T> w(400, 250), expected(400, 250);
    std::mt19937 g(6), h(6);
    activ::init::init_for(w, f, g);
    const double gain = activ::init::gain(f);
    if (he) {
      activ::init::he_uniform(expected, h, FanMode::in, gain);
      check_bound(w, gain * std::sqrt(3 / in));
    } else {
      activ::init::xavier_uniform(expected, h, gain);
      check_bound(w, gain * std::sqrt(6 / (in + out)));
    }
    CHECK(w == expected);
    // The explicit-fans overload.
    Mat<T> v(400, 250);
    std::mt19937 k(6);
    activ::init::init_for(v, f, k, Fans{250, 400});
    CHECK(v == w);
  };
  check(activ::ReLU<T>{}, true);
  check(activ::LeakyReLU<T>{T(0.3)}, true);
  check(activ::ELU<T>{}, true);
  check(activ::PReLU<T>(T(0.1)), true);
  check(activ::Sigmoid<T>{}, false);
  check(activ::Tanh<T>{}, false);
}
