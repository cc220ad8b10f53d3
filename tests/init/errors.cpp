// SPEC §7 for the initializers: every error throws std::invalid_argument naming the function
// and the offending value, before anything is written (w keeps its values, g its state).
#include <Eigen/Core>
#include <activ/init/init.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <unsupported/Eigen/CXX11/Tensor>
#include <utility>
#include <vector>

using activ::init::Distribution;
using activ::init::FanMode;
using activ::init::Fans;

namespace {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

/// Runs call(w, g) on a w of 7s and a fresh engine; it must throw a message holding every
/// piece, and leave both untouched.
template <class W>
void expect_error(W w, const std::function<void(W&, std::mt19937&)>& call, std::initializer_list<std::string> pieces) {
  const W before = w;
  std::mt19937 g(1);
  const std::mt19937 g0 = g;
  std::string message;
  try {
    call(w, g);
  } catch (const std::invalid_argument& e) {
    message = e.what();
  }
  INFO("message: " << message);
  CHECK(!message.empty());
  for (const auto& p : pieces) CHECK_THAT(message, Catch::Contains(p));
  if constexpr (activ::detail::is_dense_v<W>) {
    CHECK(w.cwiseEqual(before).all());
  } else {
    const Eigen::Tensor<bool, 0> same = (w == before).all();
    CHECK(same());
  }
  CHECK(g == g0);
}

}  // namespace

TEMPLATE_TEST_CASE("An empty dimension is a 0 fan: every initializer refuses it", "[init][errors]", float, double) {
  using T = TestType;
  using M = Mat<T>;
  using Call = std::function<void(M&, std::mt19937&)>;
  const M empty_cols(3, 0), empty_rows(0, 4);
  const std::vector<std::pair<const char*, Call>> calls{
      {"he_uniform", [](M& w, std::mt19937& g) { activ::init::he_uniform(w, g); }},
      {"he_normal", [](M& w, std::mt19937& g) { activ::init::he_normal(w, g, FanMode::out); }},
      {"xavier_uniform", [](M& w, std::mt19937& g) { activ::init::xavier_uniform(w, g); }},
      {"xavier_normal", [](M& w, std::mt19937& g) { activ::init::xavier_normal(w, g); }},
      {"lecun_uniform", [](M& w, std::mt19937& g) { activ::init::lecun_uniform(w, g); }},
      {"lecun_normal", [](M& w, std::mt19937& g) { activ::init::lecun_normal(w, g); }},
      {"variance_scaling", [](M& w, std::mt19937& g) { activ::init::variance_scaling(w, g); }},
      {"init_for", [](M& w, std::mt19937& g) { activ::init::init_for(w, activ::ReLU<T>{}, g); }},
  };
  for (const auto& [name, call] : calls) {
    expect_error<M>(empty_cols, call, {std::string("activ::init::") + name, "[3 x 0]", "fan_in = 0"});
    expect_error<M>(empty_rows, call, {std::string("activ::init::") + name, "[0 x 4]", "fan_out = 0"});
  }
  Eigen::Tensor<T, 4> conv(8, 3, 0, 3);
  conv.setConstant(T(7));
  expect_error<Eigen::Tensor<T, 4>>(
      conv, [](auto& w, std::mt19937& g) { activ::init::he_normal(w, g); },
      {"activ::init::he_normal", "[8 x 3 x 0 x 3]", "fan_in = 0"});
}

TEMPLATE_TEST_CASE("Explicit Fans below 1 are refused", "[init][errors]", float, double) {
  using T = TestType;
  using M = Mat<T>;
  const M w = M::Constant(3, 4, T(7));
  expect_error<M>(w, [](M& x, std::mt19937& g) { activ::init::he_uniform(x, g, Fans{0, 4}); },
                  {"activ::init::he_uniform", "fan_in = 0"});
  expect_error<M>(w, [](M& x, std::mt19937& g) { activ::init::xavier_normal(x, g, Fans{3, -2}); },
                  {"activ::init::xavier_normal", "fan_out = -2"});
  expect_error<M>(w, [](M& x, std::mt19937& g) { activ::init::variance_scaling(x, g, Fans{0, 0}); },
                  {"activ::init::variance_scaling", "fan_in = 0"});
  expect_error<M>(w, [](M& x, std::mt19937& g) { activ::init::init_for(x, activ::Tanh<T>{}, g, Fans{0, 1}); },
                  {"activ::init::init_for", "fan_in = 0"});
}

TEMPLATE_TEST_CASE("A rank-0 tensor has no fans", "[init][errors]", float, double) {
  using T = TestType;
  Eigen::Tensor<T, 0> s;
  s.setConstant(T(7));
  expect_error<Eigen::Tensor<T, 0>>(s, [](auto& w, std::mt19937& g) { activ::init::he_uniform(w, g); },
                                    {"activ::init::he_uniform", "rank-0", "Fans"});
  expect_error<Eigen::Tensor<T, 0>>(s, [](auto& w, std::mt19937& g) { activ::init::lecun_normal(w, g); },
                                    {"activ::init::lecun_normal", "rank-0"});
}

TEMPLATE_TEST_CASE("Gains and scales must be finite and > 0", "[init][errors]", float, double) {
  using T = TestType;
  using M = Mat<T>;
  const M w = M::Constant(3, 4, T(7));
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  for (double bad : {0.0, -1.0, nan, inf, -inf}) {
    const std::string value = activ::init::detail::number(bad);
    INFO("value " << value);
    expect_error<M>(w, [bad](M& x, std::mt19937& g) { activ::init::he_uniform(x, g, FanMode::in, bad); },
                    {"activ::init::he_uniform", "gain = " + value});
    expect_error<M>(w, [bad](M& x, std::mt19937& g) { activ::init::he_normal(x, g, Fans{2, 2}, FanMode::in, bad); },
                    {"activ::init::he_normal", "gain = " + value});
    expect_error<M>(w, [bad](M& x, std::mt19937& g) { activ::init::xavier_uniform(x, g, bad); },
                    {"activ::init::xavier_uniform", "gain = " + value});
    expect_error<M>(w, [bad](M& x, std::mt19937& g) { activ::init::xavier_normal(x, g, bad); },
                    {"activ::init::xavier_normal", "gain = " + value});
    expect_error<M>(w, [bad](M& x, std::mt19937& g) { activ::init::variance_scaling(x, g, bad); },
                    {"activ::init::variance_scaling", "scale = " + value});
  }
  // A finite gain whose bound overflows: 1.5e308·√3 > DBL_MAX.
  expect_error<M>(w, [](M& x, std::mt19937& g) { activ::init::he_uniform(x, g, Fans{1, 1}, FanMode::in, 1.5e308); },
                  {"activ::init::he_uniform", "gain*sqrt(3/fan) = inf"});
  // A leaky slope of NaN gives a NaN gain: init_for names itself.
  expect_error<M>(w, [](M& x, std::mt19937& g) {
                    activ::init::init_for(x, activ::LeakyReLU<T>{std::numeric_limits<T>::quiet_NaN()}, g);
                  },
                  {"activ::init::init_for", "gain = "});
}

TEST_CASE("A bound or sigma that overflows or vanishes in float is refused", "[init][errors]") {
  Eigen::MatrixXf w = Eigen::MatrixXf::Constant(3, 4, 7.0f);
  expect_error<Eigen::MatrixXf>(w, [](Eigen::MatrixXf& x, std::mt19937& g) { activ::init::he_normal(x, g, FanMode::in, 1e60); },
                                {"activ::init::he_normal", "sigma = gain/sqrt(fan)", "float"});
  expect_error<Eigen::MatrixXf>(w, [](Eigen::MatrixXf& x, std::mt19937& g) { activ::init::xavier_uniform(x, g, 1e-60); },
                                {"activ::init::xavier_uniform", "not a finite value > 0 as float"});
  Eigen::MatrixXd d = Eigen::MatrixXd::Constant(3, 4, 7.0);
  std::mt19937 g(1);
  activ::init::he_normal(d, g, FanMode::in, 1e60);  // fine in double
  CHECK(d(0, 0) != 7.0);
}

TEMPLATE_TEST_CASE("FanMode and Distribution outside their enumerators are refused", "[init][errors]", float, double) {
  using T = TestType;
  using M = Mat<T>;
  const M w = M::Constant(3, 4, T(7));
  expect_error<M>(w, [](M& x, std::mt19937& g) { activ::init::he_uniform(x, g, static_cast<FanMode>(7)); },
                  {"activ::init::he_uniform", "mode = 7"});
  expect_error<M>(w,
                  [](M& x, std::mt19937& g) {
                    activ::init::variance_scaling(x, g, 1.0, FanMode::in, static_cast<Distribution>(9));
                  },
                  {"activ::init::variance_scaling", "distribution = 9"});
}
