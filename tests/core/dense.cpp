// Every dense container kind of SPEC §3 gives, per logical element, the scalar functor's bits.
#include <Eigen/Dense>
#include <activ/activ.hpp>
#include <catch2/catch.hpp>

#include "support/check.hpp"
#include "support/functors.hpp"

using namespace activ::testing;

namespace {

template <class T, int Order = Eigen::ColMajor>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Order>;

template <class T>
Mat<T> random_matrix(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  const std::vector<T> v = mixed_values<T>(static_cast<std::size_t>(rows * cols), seed);
  return Eigen::Map<const Mat<T>>(v.data(), rows, cols);
}

// y(i, j) has the bits of g(x(i, j)) for every logical element.
template <class X, class Y, class G>
bool elementwise_equal(const X& x, const Y& y, G g) {
  if (x.rows() != y.rows() || x.cols() != y.cols()) return false;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      if (!same_bits(y(i, j), g(x(i, j)))) return false;
    }
  }
  return true;
}

}  // namespace

TEMPLATE_TEST_CASE("Dense containers: Matrix, Array, both orders, Map, Ref, Block, expressions",
                   "[dense]", float, double) {
  using T = TestType;
  const Eigen::Index R = 13, C = 7;
  const Mat<T> x = random_matrix<T>(R, C, 3);
  const Mat<T, Eigen::RowMajor> xr = x;
  for_each_functor<T>([&](const char* name, const auto& f) {
    INFO(name);
    const auto fx = [&](T v) { return f(v); };
    const auto dfx = [&](T v) { return f.derivative(v); };
    {  // Matrix, same order
      Mat<T> y(R, C);
      activ::forward(f, x, y);
      CHECK(elementwise_equal(x, y, fx));
      activ::derivative(f, xr, y);  // row-major in, column-major out
      CHECK(elementwise_equal(x, y, dfx));
    }
    {  // Array, row-major out of column-major in
      Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> y(R, C);
      activ::forward(f, x.array(), y);
      CHECK(elementwise_equal(x, y, fx));
    }
    {  // Map with an outer stride, into a Ref
      std::vector<T> storage(static_cast<std::size_t>((R + 3) * C));
      Eigen::Map<Mat<T>, 0, Eigen::OuterStride<>> m(storage.data(), R, C, Eigen::OuterStride<>(R + 3));
      m = x;
      Mat<T> y(R, C);
      Eigen::Ref<Mat<T>> ry(y);
      activ::forward(f, m, ry);
      CHECK(elementwise_equal(x, y, fx));
    }
    {  // Map with an inner stride (every second element) as input and output
      std::vector<T> in(static_cast<std::size_t>(2 * R * C)), out(in.size(), T(9));
      using S = Eigen::Stride<Eigen::Dynamic, 2>;
      Eigen::Map<Mat<T>, 0, S> mi(in.data(), R, C, S(2 * R, 2));
      Eigen::Map<Mat<T>, 0, S> mo(out.data(), R, C, S(2 * R, 2));
      mi = x;
      activ::forward(f, mi, mo);
      CHECK(elementwise_equal(x, mo, fx));
      bool gaps_untouched = true;
      for (std::size_t k = 1; k < out.size(); k += 2) gaps_untouched = gaps_untouched && out[k] == T(9);
      CHECK(gaps_untouched);
    }
    {  // non-contiguous Blocks, outputs as temporaries
      Mat<T> y = Mat<T>::Constant(R, C, T(5));
      activ::forward(f, x.block(2, 1, 5, 4), y.block(3, 2, 5, 4));
      CHECK(elementwise_equal(x.block(2, 1, 5, 4), y.block(3, 2, 5, 4), fx));
      CHECK(y(0, 0) == T(5));
      CHECK(y(R - 1, C - 1) == T(5));
      activ::forward(f, x.col(3), y.col(0));
      CHECK(elementwise_equal(x.col(3), y.col(0), fx));
      Mat<T, Eigen::RowMajor> yr = Mat<T, Eigen::RowMajor>::Zero(R, C);
      activ::forward(f, x.row(4), yr.row(1));  // strided row in, contiguous row out
      CHECK(elementwise_equal(x.row(4), yr.row(1), fx));
      activ::forward(f, x.col(2), yr.col(5));  // contiguous column in, strided column out
      CHECK(elementwise_equal(x.col(2), yr.col(5), fx));
    }
    {  // expressions as input are evaluated first
      Mat<T> y(C, R);
      activ::forward(f, (x * T(0.5)).transpose(), y);
      CHECK(elementwise_equal(Mat<T>((x * T(0.5)).transpose()), y, fx));
    }
    {  // backward and backward_from_output with mixed orders and an expression
      const Mat<T> dy = random_matrix<T>(R, C, 11);
      Mat<T, Eigen::RowMajor> dx(R, C);
      activ::backward(f, x, dy, dx);
      bool ok = true;
      for (Eigen::Index j = 0; j < C; ++j)
        for (Eigen::Index i = 0; i < R; ++i) ok = ok && same_bits(dx(i, j), T(dy(i, j) * f.derivative(x(i, j))));
      CHECK(ok);
      const Mat<T> y = activ::apply(f, x);
      activ::backward_from_output(f, y, dy.array() * T(2), dx);
      ok = true;
      for (Eigen::Index j = 0; j < C; ++j)
        for (Eigen::Index i = 0; i < R; ++i)
          ok = ok && same_bits(dx(i, j), T(T(dy(i, j) * T(2)) * f.derivative_from_output(y(i, j))));
      CHECK(ok);
    }
    {  // fixed-size and vectors
      const Eigen::Matrix<T, 4, 4> x4 = x.template topLeftCorner<4, 4>();
      Eigen::Matrix<T, 4, 4> y4;
      activ::forward(f, x4, y4);
      CHECK(elementwise_equal(x4, y4, fx));
      const Eigen::Matrix<T, Eigen::Dynamic, 1> v = x.col(1);
      Eigen::Matrix<T, 1, Eigen::Dynamic> w(v.size());
      activ::forward(f, v.transpose(), w);
      CHECK(elementwise_equal(v.transpose(), w, fx));
    }
  });
}

TEMPLATE_TEST_CASE("Dense: in place, aliasing and apply", "[dense][alias]", float, double) {
  using T = TestType;
  const Mat<T> x = random_matrix<T>(9, 9, 5);
  for_each_functor<T>([&](const char* name, const auto& f) {
    INFO(name);
    const auto fx = [&](T v) { return f(v); };
    Mat<T> y = x;
    activ::forward(f, y, y);
    CHECK(elementwise_equal(x, y, fx));
    // In place through a transposed view: the adaptor must not read what it already wrote.
    y = x;
    activ::forward(f, y, y.transpose());
    CHECK(elementwise_equal(Mat<T>(x.transpose()), y, fx));
    // Overlapping shifted views of one buffer.
    y = x;
    activ::forward(f, y.topRows(8), y.bottomRows(8));
    CHECK(elementwise_equal(Mat<T>(x.topRows(8)), y.bottomRows(8), fx));
    // apply returns a plain object of x's kind.
    const auto a = activ::apply(f, x.array());
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(a)>, Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>>);
    CHECK(elementwise_equal(x, a, fx));
    const auto m = activ::apply(f, x.block(1, 1, 3, 4));
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(m)>, Mat<T>>);
    CHECK(elementwise_equal(x.block(1, 1, 3, 4), m, fx));
    // Empty containers are fine and write nothing.
    Mat<T> e0(0, 3), e1(0, 3);
    activ::forward(f, e0, e1);
    CHECK(activ::apply(f, e0).size() == 0);
  });
}
