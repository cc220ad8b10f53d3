// fans(w): Matrix/Array rows = fan_out, cols = fan_in whatever the storage order or view;
// tensors of rank r >= 2: d0 = out, d1 = in, times the receptive field; rank 1: both d0.
#include <Eigen/Core>
#include <activ/init/init.hpp>
#include <catch2/catch.hpp>
#include <unsupported/Eigen/CXX11/Tensor>
#include <vector>

using activ::init::Fans;
using activ::init::fans;

TEMPLATE_TEST_CASE("fans of dense objects", "[init][fans]", float, double) {
  using T = TestType;
  const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> cm(3, 5);
  const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rm(3, 5);
  const Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> ar(3, 5);
  const Eigen::Matrix<T, 4, 7> fixed;
  CHECK(fans(cm) == Fans{5, 3});
  CHECK(fans(rm) == Fans{5, 3});
  CHECK(fans(ar) == Fans{5, 3});
  CHECK(fans(fixed) == Fans{7, 4});
  CHECK(fans(cm.block(0, 1, 2, 4)) == Fans{4, 2});
  CHECK(fans(cm.transpose()) == Fans{3, 5});
  std::vector<T> data(12);
  CHECK(fans(Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>(data.data(), 4, 3)) == Fans{3, 4});
  CHECK(fans(Eigen::Matrix<T, Eigen::Dynamic, 1>(6)) == Fans{1, 6});  // a vector is n×1
  CHECK(fans(Eigen::Matrix<T, 1, Eigen::Dynamic>(6)) == Fans{6, 1});
  CHECK(fans(Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>(0, 4)) == Fans{4, 0});  // a query: no error
}

TEMPLATE_TEST_CASE("fans of tensors of rank 1 to 5, either layout", "[init][fans]", float, double) {
  using T = TestType;
  CHECK(fans(Eigen::Tensor<T, 1>(7)) == Fans{7, 7});
  CHECK(fans(Eigen::Tensor<T, 2>(3, 5)) == Fans{5, 3});
  CHECK(fans(Eigen::Tensor<T, 3>(4, 6, 5)) == Fans{30, 20});  // Conv1d: O, I, K
  CHECK(fans(Eigen::Tensor<T, 4>(64, 32, 3, 3)) == Fans{288, 576});  // Conv2d: O, I, H, W
  CHECK(fans(Eigen::Tensor<T, 5>(8, 4, 3, 2, 5)) == Fans{120, 240});  // Conv3d
  CHECK(fans(Eigen::Tensor<T, 4, Eigen::RowMajor>(64, 32, 3, 3)) == Fans{288, 576});
  CHECK(fans(Eigen::Tensor<T, 3, Eigen::RowMajor>(4, 6, 5)) == Fans{30, 20});
  CHECK(fans(Eigen::TensorFixedSize<T, Eigen::Sizes<2, 3, 4>>()) == Fans{12, 8});
  std::vector<T> data(2 * 3 * 4 * 5);
  CHECK(fans(Eigen::TensorMap<Eigen::Tensor<T, 4>>(data.data(), 2, 3, 4, 5)) == Fans{60, 40});
  Eigen::Tensor<T, 4> t(6, 5, 4, 3);
  const std::array<Eigen::Index, 4> offsets{1, 1, 0, 0}, extents{2, 3, 4, 3};
  CHECK(fans(t.slice(offsets, extents)) == Fans{36, 24});
}

TEST_CASE("fans of a rank-0 tensor throws", "[init][fans][errors]") {
  Eigen::Tensor<float, 0> t;
  CHECK_THROWS_AS(fans(t), std::invalid_argument);
  CHECK_THROWS_WITH(fans(t), Catch::Contains("activ::init::fans") && Catch::Contains("rank-0"));
}
