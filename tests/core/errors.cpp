// SPEC §7: shape mismatches throw std::invalid_argument naming the call and both shapes, and
// leave every output untouched.
#include <Eigen/Dense>
#include <algorithm>
#include <activ/activ.hpp>
#include <catch2/catch.hpp>
#include <unsupported/Eigen/CXX11/Tensor>

TEMPLATE_TEST_CASE("Dense shape mismatch throws before writing", "[errors][dense]", float, double) {
  using T = TestType;
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  const activ::ELU<T> f;
  const M x = M::Random(3, 4);
  M y = M::Constant(4, 3, T(7));
  CHECK_THROWS_AS(activ::forward(f, x, y), std::invalid_argument);
  CHECK_THROWS_WITH(activ::forward(f, x, y), Catch::Contains("activ::forward") && Catch::Contains("[4 x 3]") &&
                                                 Catch::Contains("[3 x 4]"));
  CHECK((y.array() == T(7)).all());
  M dx = M::Constant(3, 4, T(7));
  const M dy = M::Random(3, 5);
  CHECK_THROWS_WITH(activ::backward(f, x, dy, dx), Catch::Contains("activ::backward") &&
                                                       Catch::Contains("dy") && Catch::Contains("[3 x 5]"));
  CHECK_THROWS_WITH(activ::backward_from_output(f, x, dy, dx), Catch::Contains("activ::backward_from_output"));
  CHECK_THROWS_WITH(activ::derivative(f, x, y.block(0, 0, 2, 2)), Catch::Contains("activ::derivative") &&
                                                                       Catch::Contains("[2 x 2]"));
  CHECK((dx.array() == T(7)).all());
  CHECK((y.array() == T(7)).all());
}

TEMPLATE_TEST_CASE("Tensor shape mismatch throws before writing", "[errors][tensor]", float, double) {
  using T = TestType;
  const activ::Tanh<T> f;
  Eigen::Tensor<T, 3> x(2, 3, 4), y(2, 4, 3);
  x.setRandom();
  y.setConstant(T(7));
  CHECK_THROWS_WITH(activ::forward(f, x, y), Catch::Contains("activ::forward") &&
                                                 Catch::Contains("[2 x 4 x 3]") && Catch::Contains("[2 x 3 x 4]"));
  Eigen::Tensor<T, 3, Eigen::RowMajor> dx(2, 3, 4);
  dx.setConstant(T(7));
  CHECK_THROWS_AS(activ::backward(f, x, y, dx), std::invalid_argument);
  CHECK(std::all_of(y.data(), y.data() + y.size(), [](T v) { return v == T(7); }));
  CHECK(std::all_of(dx.data(), dx.data() + dx.size(), [](T v) { return v == T(7); }));
}
