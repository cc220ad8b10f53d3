// Bad input (issue 6): what each call does with NaN/±inf/subnormal values, empty containers,
// mismatched shapes and storage orders, aliasing, negative or overflowing sizes and
// non-finite parameters. One test per row of docs/reliability.md's table, asserting what the
// library does today; rows whose behaviour is questionable say so in the table.
#include <Eigen/Dense>
#include <activ/activ.hpp>
#include <activ/init/init.hpp>
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <unsupported/Eigen/CXX11/Tensor>
#include <vector>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include "support/check.hpp"
#include "support/functors.hpp"
#include "support/ulp.hpp"

namespace {

using activ::testing::lim;
using activ::testing::same_bits;

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <class T>
bool all_nan(const std::vector<T>& v) {
  return std::all_of(v.begin(), v.end(), [](T e) { return std::isnan(e); });
}

// Runs all four calls on raw arrays: returns {forward, derivative, backward, from_output}.
template <class F, class T>
std::array<std::vector<T>, 4> all_calls(const F& f, const std::vector<T>& x, const std::vector<T>& dy) {
  const auto n = static_cast<std::ptrdiff_t>(x.size());
  std::array<std::vector<T>, 4> out;
  for (auto& o : out) o.assign(x.size(), T(7));
  activ::forward(f, x.data(), out[0].data(), n);
  activ::derivative(f, x.data(), out[1].data(), n);
  activ::backward(f, x.data(), dy.data(), out[2].data(), n);
  activ::backward_from_output(f, x.data(), dy.data(), out[3].data(), n);
  return out;
}

// Detection of a callable activ::forward(F, X, Y) (no such overload: not a runtime error).
template <class, class F, class X, class Y>
struct forward_callable : std::false_type {};
template <class F, class X, class Y>
struct forward_callable<std::void_t<decltype(activ::forward(std::declval<const F&>(), std::declval<const X&>(),
                                                            std::declval<Y&>()))>,
                        F, X, Y> : std::true_type {};

// p, through a volatile: with a literal null pointer GCC 12 inlines the (unreachable) loop after
// the check and warns -Warray-bounds about "double [0]" at -march=x86-64, which -Werror stops.
template <class T>
T* unknown_to_the_optimizer(T* p) {
  T* volatile v = p;
  return v;
}

template <class T>
std::string expected_message(const char* fn, const char* what, const char* got, const char* want, const char* ref) {
  return std::string("activ::") + fn + ": " + what + " has shape " + got + ", expected " + want + " (the shape of " +
         ref + ")";
}

}  // namespace

// ---------------------------------------------------------------- special values

TEMPLATE_TEST_CASE("bad input: NaN in x, y or dy gives NaN out of every call", "[bad_input][nan]", float, double) {
  using T = TestType;
  const std::vector<T> nans = {lim<T>::nan(), -lim<T>::nan(), std::numeric_limits<T>::signaling_NaN()};
  activ::testing::for_each_functor<T>([&](const char* name, const auto& f) {
    INFO(name);
    // NaN x with dy = 1 and with dy = 0 (0·NaN is NaN: the gradient is not masked to 0).
    for (const T dy : {T(1), T(0)}) {
      const auto out = all_calls(f, nans, std::vector<T>(nans.size(), dy));
      for (const auto& o : out) CHECK(all_nan(o));
    }
    // NaN dy with finite x, on both sides of every kink.
    const std::vector<T> x = {T(-3), T(-0.0), T(0), T(2)};
    const auto out = all_calls(f, x, std::vector<T>(x.size(), lim<T>::nan()));
    CHECK(all_nan(out[2]));
    CHECK(all_nan(out[3]));
    // The same through a dense matrix and a tensor.
    Mat<T> m = Mat<T>::Constant(2, 3, lim<T>::nan()), r(2, 3);
    activ::forward(f, m, r);
    CHECK(r.array().isNaN().all());
    Eigen::Tensor<T, 3> t(2, 1, 2), u(2, 1, 2);
    t.setConstant(lim<T>::nan());
    activ::derivative(f, t, u);
    CHECK(std::all_of(u.data(), u.data() + u.size(), [](T e) { return std::isnan(e); }));
  });
}

TEMPLATE_TEST_CASE("bad input: ±inf gives the limits of SPEC §4", "[bad_input][inf]", float, double) {
  using T = TestType;
  using activ::testing::der;
  using activ::testing::fwd;
  const T inf = lim<T>::inf();
  CHECK(fwd(activ::ReLU<T>{}, inf) == inf);
  CHECK(fwd(activ::ReLU<T>{}, -inf) == T(0));
  CHECK(fwd(activ::LeakyReLU<T>{T(0.2)}, -inf) == -inf);
  CHECK(fwd(activ::ELU<T>{T(1.5)}, -inf) == T(-1.5));
  CHECK(fwd(activ::ELU<T>{}, inf) == inf);
  CHECK(fwd(activ::Sigmoid<T>{}, inf) == T(1));
  CHECK(fwd(activ::Sigmoid<T>{}, -inf) == T(0));
  CHECK(fwd(activ::Tanh<T>{}, inf) == T(1));
  CHECK(fwd(activ::Tanh<T>{}, -inf) == T(-1));
  CHECK(der(activ::ReLU<T>{}, inf) == T(1));
  CHECK(der(activ::ReLU<T>{}, -inf) == T(0));
  CHECK(der(activ::LeakyReLU<T>{T(0.2)}, -inf) == T(0.2));
  CHECK(der(activ::ELU<T>{T(1.5)}, -inf) == T(0));
  CHECK(der(activ::ELU<T>{T(1.5)}, inf) == T(1));
  CHECK(der(activ::Sigmoid<T>{}, inf) == T(0));
  CHECK(der(activ::Sigmoid<T>{}, -inf) == T(0));
  CHECK(der(activ::Tanh<T>{}, inf) == T(0));
  CHECK(der(activ::Tanh<T>{}, -inf) == T(0));
}

TEMPLATE_TEST_CASE("bad input: an infinite dy where f' is 0 gives NaN, not 0", "[bad_input][inf]", float, double) {
  // dx = dy·f'(x) as written: inf·0 is NaN. PyTorch's threshold_backward (ReLU) selects
  // instead and gives 0 there; activ does not (docs/reliability.md).
  using T = TestType;
  const T inf = lim<T>::inf();
  CHECK(std::isnan(activ::testing::back(activ::ReLU<T>{}, T(-1), inf)));
  CHECK(std::isnan(activ::testing::back(activ::Sigmoid<T>{}, T(-1e4), inf)));
  CHECK(std::isnan(activ::testing::back(activ::Tanh<T>{}, T(400), -inf)));  // tanh'(400) underflows to 0
  CHECK(activ::testing::back(activ::ReLU<T>{}, T(1), inf) == inf);
}

TEMPLATE_TEST_CASE("bad input: subnormal inputs are computed, not flushed", "[bad_input][subnormal]", float,
                   double) {
  using T = TestType;
  using activ::testing::der;
  using activ::testing::fwd;
  for (const T d : {lim<T>::denorm(), -lim<T>::denorm(), lim<T>::min() / T(3), -lim<T>::min() / T(3)}) {
    INFO("x = " << d);
    if (d > 0) {
      CHECK(same_bits(fwd(activ::ReLU<T>{}, d), d));
    } else {
      CHECK(fwd(activ::ReLU<T>{}, d) == T(0));
    }
    CHECK(same_bits(fwd(activ::LeakyReLU<T>{T(0.5)}, d), d > 0 ? d : T(T(0.5) * d)));
    CHECK(same_bits(fwd(activ::Tanh<T>{}, d), d));    // tanh(x) = x below 2^-13 (float)
    CHECK(same_bits(fwd(activ::ELU<T>{}, d), d));     // expm1(x) = x there too, sign kept
    CHECK(fwd(activ::Sigmoid<T>{}, d) == T(0.5));
    CHECK(der(activ::Sigmoid<T>{}, d) == T(0.25));
    CHECK(der(activ::Tanh<T>{}, d) == T(1));
    CHECK(der(activ::ReLU<T>{}, d) == (d > 0 ? T(1) : T(0)));
  }
}

#if defined(__SSE__)
TEST_CASE("bad input: activ leaves the floating-point control register as it found it", "[bad_input][subnormal]") {
  const unsigned before = _mm_getcsr();
  std::vector<float> x = activ::testing::mixed_values<float>(1000), y(x.size());
  activ::forward(activ::Sigmoid<float>{}, x.data(), y.data(), static_cast<std::ptrdiff_t>(x.size()));
  activ::backward(activ::ELU<float>{}, x.data(), y.data(), y.data(), static_cast<std::ptrdiff_t>(x.size()));
  // Exception flags (the low 6 bits) may be raised; the modes (FTZ, DAZ, rounding) may not change.
  CHECK((_mm_getcsr() & ~0x3Fu) == (before & ~0x3Fu));
}
#endif

// ---------------------------------------------------------------- empty containers

TEMPLATE_TEST_CASE("bad input: empty containers are a no-op, and their shapes still must match", "[bad_input][empty]",
                   float, double) {
  using T = TestType;
  const activ::Tanh<T> f;
  for (const auto& shape : {std::array<Eigen::Index, 2>{0, 0}, {0, 3}, {3, 0}}) {
    const Mat<T> x(shape[0], shape[1]), dy(shape[0], shape[1]);
    Mat<T> y(shape[0], shape[1]);
    CHECK_NOTHROW(activ::forward(f, x, y));
    CHECK_NOTHROW(activ::derivative(f, x, y));
    CHECK_NOTHROW(activ::backward(f, x, dy, y));
    CHECK_NOTHROW(activ::backward_from_output(f, x, dy, y));
    const Mat<T> z = activ::apply(f, x);
    CHECK(z.rows() == shape[0]);
    CHECK(z.cols() == shape[1]);
  }
  // 0 x 3 and 3 x 0 both hold no element, but they are different shapes.
  const Mat<T> x(0, 3);
  Mat<T> y(3, 0);
  CHECK_THROWS_WITH(activ::forward(f, x, y), expected_message<T>("forward", "y", "[3 x 0]", "[0 x 3]", "x"));

  Eigen::Tensor<T, 3> t(2, 0, 3), u(2, 0, 3), v(2, 3, 0);
  CHECK_NOTHROW(activ::forward(f, t, u));
  CHECK_NOTHROW(activ::backward(f, t, u, u));
  const Eigen::Tensor<T, 3> w = activ::apply(f, t);
  CHECK(w.dimension(1) == 0);
  CHECK_THROWS_WITH(activ::forward(f, t, v), expected_message<T>("forward", "y", "[2 x 3 x 0]", "[2 x 0 x 3]", "x"));

  // Raw memory: n = 0 accepts null pointers.
  T* const none = unknown_to_the_optimizer<T>(nullptr);
  CHECK_NOTHROW(activ::forward(f, none, none, 0));
  CHECK_NOTHROW(activ::backward(f, none, none, none, 0));
}

// ---------------------------------------------------------------- shapes and storage orders

TEMPLATE_TEST_CASE("bad input: mismatched shapes throw, with the exact message", "[bad_input][shape]", float, double) {
  using T = TestType;
  const activ::Sigmoid<T> f;
  const Mat<T> x = Mat<T>::Constant(3, 4, T(1));
  Mat<T> y = Mat<T>::Constant(4, 3, T(7));
  CHECK_THROWS_WITH(activ::forward(f, x, y), expected_message<T>("forward", "y", "[4 x 3]", "[3 x 4]", "x"));
  CHECK_THROWS_WITH(activ::derivative(f, x, y), expected_message<T>("derivative", "d", "[4 x 3]", "[3 x 4]", "x"));
  Mat<T> dx = Mat<T>::Constant(3, 4, T(7));
  // Initialised, though never read: GCC 12 (-Wmaybe-uninitialized, SSE2 double) cannot see that
  // the shape check throws before the loop would read it.
  const Mat<T> dy = Mat<T>::Zero(3, 5);
  CHECK_THROWS_WITH(activ::backward(f, x, dy, dx), expected_message<T>("backward", "dy", "[3 x 5]", "[3 x 4]", "x"));
  CHECK_THROWS_WITH(activ::backward_from_output(f, x, x, y),
                    expected_message<T>("backward_from_output", "dx", "[4 x 3]", "[3 x 4]", "y"));
  CHECK((y.array() == T(7)).all());
  CHECK((dx.array() == T(7)).all());

  // Unlike Eigen's own vector assignment, a row vector does not stand in for a column vector.
  const Eigen::Matrix<T, Eigen::Dynamic, 1> col = Eigen::Matrix<T, Eigen::Dynamic, 1>::Ones(5);
  Eigen::Matrix<T, 1, Eigen::Dynamic> row(5);
  CHECK_THROWS_WITH(activ::forward(f, col, row), expected_message<T>("forward", "y", "[1 x 5]", "[5 x 1]", "x"));

  // Tensors: every dimension counts, in logical order.
  Eigen::Tensor<T, 2> a(2, 3), b(3, 2);
  a.setZero();
  CHECK_THROWS_WITH(activ::forward(f, a, b), expected_message<T>("forward", "y", "[3 x 2]", "[2 x 3]", "x"));
}

TEMPLATE_TEST_CASE("bad input: storage orders may differ; only the logical shape counts", "[bad_input][shape]", float,
                   double) {
  using T = TestType;
  const activ::ELU<T> f{T(0.7)};
  const Mat<T> x = Mat<T>::Random(5, 3) * T(4);
  RowMat<T> y(5, 3);
  activ::forward(f, x, y);
  for (Eigen::Index i = 0; i < 5; ++i) {
    for (Eigen::Index j = 0; j < 3; ++j) CHECK(same_bits(y(i, j), f(x(i, j))));
  }
  // A row-major 5 x 3 is not a column-major 3 x 5, even though the bytes would line up.
  Mat<T> wrong(3, 5);
  CHECK_THROWS_AS(activ::forward(f, y, wrong), std::invalid_argument);

  Eigen::Tensor<T, 3, Eigen::RowMajor> t(2, 3, 4);
  t.setRandom();
  Eigen::Tensor<T, 3, Eigen::ColMajor> u(2, 3, 4);
  activ::forward(f, t, u);
  CHECK(same_bits(u(1, 2, 3), f(t(1, 2, 3))));
  CHECK(same_bits(u(0, 1, 2), f(t(0, 1, 2))));
}

TEST_CASE("bad input: mixing a dense object and a tensor is no overload at all", "[bad_input][shape]") {
  // Rejected at compile time (no overload); so are ranks that differ and a value type other
  // than the functor's (static_assert, see docs/reliability.md).
  using F = activ::ReLU<float>;
  STATIC_REQUIRE_FALSE(forward_callable<void, F, Eigen::MatrixXf, Eigen::Tensor<float, 2>>::value);
  STATIC_REQUIRE_FALSE(forward_callable<void, F, Eigen::Tensor<float, 2>, Eigen::MatrixXf>::value);
  STATIC_REQUIRE(forward_callable<void, F, Eigen::MatrixXf, Eigen::ArrayXXf>::value);
}

// ---------------------------------------------------------------- aliasing

TEMPLATE_TEST_CASE("bad input: x may alias dy or dx exactly, on raw memory", "[bad_input][alias]", float, double) {
  using T = TestType;
  activ::testing::for_each_functor<T>([&](const char* name, const auto& f) {
    INFO(name);
    const std::vector<T> x0 = activ::testing::mixed_values<T>(37, 5), dy0 = activ::testing::mixed_values<T>(37, 6);
    const auto n = static_cast<std::ptrdiff_t>(x0.size());
    std::vector<T> want(x0.size()), want_same(x0.size());
    activ::backward(f, x0.data(), dy0.data(), want.data(), n);
    activ::backward(f, x0.data(), x0.data(), want_same.data(), n);
    std::vector<T> x = x0, dy = dy0;
    activ::backward(f, x.data(), dy.data(), x.data(), n);  // dx is x
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(same_bits(x[i], want[i]));
    x = x0;
    activ::backward(f, x.data(), dy.data(), dy.data(), n);  // dx is dy
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(same_bits(dy[i], want[i]));
    std::vector<T> s = x0;
    activ::backward(f, s.data(), s.data(), s.data(), n);  // x, dy and dx all one array
    for (std::size_t i = 0; i < s.size(); ++i) CHECK(same_bits(s[i], want_same[i]));
  });
}

TEMPLATE_TEST_CASE("bad input: overlapping dense views are computed as if x were copied first", "[bad_input][alias]",
                   float, double) {
  using T = TestType;
  const activ::Tanh<T> f;
  const Mat<T> m0 = Mat<T>::Random(6, 6) * T(3);

  // y = x.transpose(): the same memory with the other strides.
  Mat<T> m = m0;
  activ::forward(f, m, m.transpose());
  for (Eigen::Index i = 0; i < 6; ++i) {
    for (Eigen::Index j = 0; j < 6; ++j) CHECK(same_bits(m(j, i), f(m0(i, j))));
  }
  // y a block of x shifted by one row and one column.
  m = m0;
  activ::forward(f, m.block(0, 0, 4, 4), m.block(1, 1, 4, 4));
  for (Eigen::Index i = 0; i < 4; ++i) {
    for (Eigen::Index j = 0; j < 4; ++j) CHECK(same_bits(m(i + 1, j + 1), f(m0(i, j))));
  }
  CHECK(m.row(0) == m0.row(0));
  // dx overlapping dy but for one element of a column, x elsewhere.
  m = m0;
  const Mat<T> x = Mat<T>::Random(5, 1);
  activ::backward(f, x, m.block(0, 0, 5, 1), m.block(1, 0, 5, 1));
  for (Eigen::Index i = 0; i < 5; ++i) CHECK(same_bits(m(i + 1, 0), T(m0(i, 0) * f.derivative(x(i, 0)))));
}

TEMPLATE_TEST_CASE("bad input: overlapping tensors are computed as if x were copied first", "[bad_input][alias]",
                   float, double) {
  using T = TestType;
  const activ::Sigmoid<T> f;
  std::vector<T> buf = activ::testing::mixed_values<T>(25, 9);
  const std::vector<T> buf0 = buf;
  const Eigen::TensorMap<Eigen::Tensor<T, 2>> x(buf.data(), 4, 6);
  Eigen::TensorMap<Eigen::Tensor<T, 2>> y(buf.data() + 1, 4, 6);
  activ::forward(f, x, y);
  for (std::size_t k = 0; k < 24; ++k) CHECK(same_bits(buf[k + 1], f(buf0[k])));
  CHECK(same_bits(buf[0], buf0[0]));
}

TEMPLATE_TEST_CASE("bad input: raw arrays that overlap partially stay in bounds", "[bad_input][alias]", float, double) {
  // Not supported (core/raw.hpp): the values are unspecified, but every access stays inside
  // the two arrays (the sanitizer build checks this one).
  using T = TestType;
  std::vector<T> buf = activ::testing::mixed_values<T>(64, 3);
  activ::forward(activ::ELU<T>{}, buf.data(), buf.data() + 3, 61);
  activ::forward(activ::ELU<T>{}, buf.data() + 3, buf.data(), 61);
  SUCCEED();
}

// ---------------------------------------------------------------- sizes

TEMPLATE_TEST_CASE("bad input: negative counts and null pointers throw", "[bad_input][size]", float, double) {
  using T = TestType;
  const activ::ReLU<T> f;
  std::vector<T> x(4, T(1)), y(4, T(7));
  CHECK_THROWS_WITH(activ::forward(f, x.data(), y.data(), -1),
                    "activ::forward: element count must be >= 0, got -1");
  const std::ptrdiff_t most_negative = std::numeric_limits<std::ptrdiff_t>::min();
  CHECK_THROWS_WITH(activ::backward(f, x.data(), x.data(), y.data(), most_negative),
                    "activ::backward: element count must be >= 0, got " + std::to_string(most_negative));
  CHECK_THROWS_WITH(activ::derivative(f, x.data(), unknown_to_the_optimizer<T>(nullptr), 4),
                    "activ::derivative: null pointer for 4 elements");
  // A count converted from an unsigned size that wrapped is negative too.
  const std::size_t wrapped = std::size_t(0) - 8;
  CHECK_THROWS_AS(activ::forward(f, x.data(), y.data(), static_cast<std::ptrdiff_t>(wrapped)), std::invalid_argument);
  CHECK(std::all_of(y.begin(), y.end(), [](T v) { return v == T(7); }));
}

TEMPLATE_TEST_CASE("bad input: shapes whose element count overflows are compared, not multiplied",
                   "[bad_input][size]", float, double) {
  // Maps that claim 2^62 x 4 elements (more than any memory) over a small buffer: the shape
  // check compares dimensions, so the mismatch is reported before any product is formed and
  // before any element is touched. With matching shapes such a Map breaks Eigen's own
  // contract (it must describe real memory) and activ does not check it.
  using T = TestType;
  const activ::ReLU<T> f;
  std::vector<T> buf(8, T(1));
  const Eigen::Index huge = Eigen::Index(1) << 62;
  const Eigen::Map<const Mat<T>> x(buf.data(), huge, 4);
  Eigen::Map<Mat<T>> y(buf.data(), 4, huge);
  CHECK_THROWS_WITH(activ::forward(f, x, y),
                    expected_message<T>("forward", "y", ("[4 x " + std::to_string(huge) + "]").c_str(),
                                        ("[" + std::to_string(huge) + " x 4]").c_str(), "x"));
  const Eigen::TensorMap<const Eigen::Tensor<T, 3>> t(buf.data(), huge, huge, 2);
  Eigen::TensorMap<Eigen::Tensor<T, 3>> u(buf.data(), huge, 2, huge);
  CHECK_THROWS_AS(activ::forward(f, t, u), std::invalid_argument);
  CHECK(std::all_of(buf.begin(), buf.end(), [](T v) { return v == T(1); }));
}

// ---------------------------------------------------------------- parameters

TEMPLATE_TEST_CASE("bad input: non-finite and negative alpha are not checked, and propagate", "[bad_input][param]",
                   float, double) {
  // The functors are plain aggregates with noexcept calls (SPEC §7): alpha is used as given.
  using T = TestType;
  using activ::testing::der;
  using activ::testing::fwd;
  const T nan = lim<T>::nan(), inf = lim<T>::inf();

  const activ::LeakyReLU<T> leaky_nan{nan};
  CHECK(std::isnan(fwd(leaky_nan, T(-1))));
  CHECK(fwd(leaky_nan, T(2)) == T(2));
  CHECK(std::isnan(der(leaky_nan, T(-1))));
  CHECK(der(leaky_nan, T(2)) == T(1));

  const activ::LeakyReLU<T> leaky_inf{inf};
  CHECK(fwd(leaky_inf, T(-1)) == -inf);
  CHECK(std::isnan(fwd(leaky_inf, T(0))));  // inf·0
  const activ::LeakyReLU<T> leaky_negative{T(-0.5)};
  CHECK(fwd(leaky_negative, T(-2)) == T(1));  // a valid (non-monotone) choice, not an error

  const activ::ELU<T> elu_nan{nan};
  CHECK(std::isnan(fwd(elu_nan, T(-1))));
  CHECK(fwd(elu_nan, T(3)) == T(3));
  CHECK(std::isnan(der(elu_nan, T(-1))));
  CHECK(std::isnan(activ::testing::der_y(elu_nan, T(-0.5))));

  const activ::ELU<T> elu_inf{inf};
  CHECK(fwd(elu_inf, T(-1)) == -inf);
  CHECK(std::isnan(fwd(elu_inf, T(-0.0))));  // inf·expm1(−0) = inf·−0: the sign of zero is lost
  CHECK(fwd(elu_inf, T(1)) == T(1));

  const activ::ELU<T> elu_zero{T(0)};
  CHECK(fwd(elu_zero, T(-5)) == T(0));
  CHECK(der(elu_zero, T(-5)) == T(0));
}

// ---------------------------------------------------------------- PReLU, Maxout, initializers

TEMPLATE_TEST_CASE("bad input: PReLU axes and slope counts are checked, slopes are not", "[bad_input][prelu]", float,
                   double) {
  using T = TestType;
  const Mat<T> x = Mat<T>::Ones(4, 6);
  Mat<T> y = Mat<T>::Constant(4, 6, T(7));
  CHECK_THROWS_WITH(activ::forward(activ::PReLU<T>(6, 2), x, y),
                    "activ::forward: axis 2 is out of range for x of shape [4 x 6], expected 0 … 1");
  CHECK_THROWS_WITH(activ::PReLU<T>(6, -1), "activ::PReLU: axis must be >= 0, got -1");
  CHECK_THROWS_WITH(activ::PReLU<T>(-2, 0), "activ::PReLU: channels must be >= 0, got -2");
  CHECK_THROWS_WITH(activ::forward(activ::PReLU<T>(5, 1), x, y),
                    "activ::forward: PReLU has 5 slopes, expected 1 or 6 (the size of x [4 x 6] along axis 1)");
  Eigen::Tensor<T, 3> t(2, 3, 4), u(2, 3, 4);
  t.setConstant(T(1));
  u.setConstant(T(7));
  CHECK_THROWS_WITH(activ::forward(activ::PReLU<T>(4, 3), t, u),
                    "activ::forward: axis 3 is out of range for x of shape [2 x 3 x 4], expected 0 … 2");
  CHECK((y.array() == T(7)).all());
  CHECK(std::all_of(u.data(), u.data() + u.size(), [](T v) { return v == T(7); }));

  // A NaN slope is used as given: NaN on the negative side and at ±0 (NaN·0).
  const activ::PReLU<T> p(lim<T>::nan());
  Mat<T> a(1, 4), b(1, 4);
  a << T(-1), T(0), T(1), T(-0.0);
  activ::forward(p, a, b);
  CHECK(std::isnan(b(0)));
  CHECK(std::isnan(b(1)));
  CHECK(b(2) == T(1));
  CHECK(std::isnan(b(3)));
  // Empty input: nothing to do, the axis is still checked against the rank.
  const Mat<T> e(0, 6);
  Mat<T> f(0, 6);
  CHECK_NOTHROW(activ::forward(activ::PReLU<T>(6, 1), e, f));
}

TEMPLATE_TEST_CASE("bad input: PReLU's backward may write dx over x or dy", "[bad_input][prelu][alias]", float,
                   double) {
  using T = TestType;
  const Mat<T> x0 = Mat<T>::Random(5, 8) * T(3), dy0 = Mat<T>::Random(5, 8);
  const activ::PReLU<T> p(8, 1, T(0.3));
  Mat<T> dx(5, 8);
  Eigen::Matrix<T, Eigen::Dynamic, 1> da(8), da2(8);
  activ::backward(p, x0, dy0, dx, da);
  Mat<T> x = x0;
  activ::backward(p, x, dy0, x, da2);
  CHECK(x == dx);
  CHECK(da2 == da);
  Mat<T> dy = dy0;
  activ::backward(p, x0, dy, dy, da2);
  CHECK(dy == dx);
  CHECK(da2 == da);
}

TEMPLATE_TEST_CASE("bad input: Maxout pieces, axes, divisibility and argmax are checked", "[bad_input][maxout]", float,
                   double) {
  using T = TestType;
  using A = Eigen::Matrix<Eigen::Index, Eigen::Dynamic, Eigen::Dynamic>;
  const Mat<T> x = Mat<T>::Ones(4, 6);
  Mat<T> y3 = Mat<T>::Constant(4, 3, T(7)), y2(4, 2);
  const std::string max_pieces = std::to_string(activ::Maxout<T>::max_pieces);
  CHECK_THROWS_WITH(activ::Maxout<T>(0, 1), "activ::Maxout: pieces must be in 1 … " + max_pieces + ", got 0");
  CHECK_THROWS_WITH(activ::Maxout<T>(2, -1), "activ::Maxout: axis must be >= 0, got -1");
  CHECK_THROWS_WITH(activ::forward(activ::Maxout<T>(2, 2), x, y3),
                    "activ::forward: axis 2 is out of range for x of shape [4 x 6], expected 0 … 1");
  CHECK_THROWS_WITH(activ::forward(activ::Maxout<T>(4, 1), x, y2),
                    "activ::forward: x has 6 elements along axis 1 (shape [4 x 6]), expected a multiple of pieces = 4");
  const A bad = A::Constant(4, 3, 5);
  Mat<T> dx = Mat<T>::Constant(4, 6, T(7));
  CHECK_THROWS_WITH(activ::backward_from_argmax(activ::Maxout<T>(2, 1), bad, Mat<T>::Ones(4, 3), dx),
                    "activ::backward_from_argmax: argmax holds 5 at (0, 0), expected a piece index 0 … 1");
  const Mat<T> wide = Mat<T>::Ones(2, 600);
  Mat<T> narrow(2, 2);
  Eigen::Matrix<signed char, Eigen::Dynamic, Eigen::Dynamic> small(2, 2);
  CHECK_THROWS_WITH(activ::forward(activ::Maxout<T>(300, 1), wide, narrow, small),
                    "activ::forward: argmax's integer type holds at most 127, expected room for piece indices up to 299");
  CHECK((y3.array() == T(7)).all());
  CHECK((dx.array() == T(7)).all());

  // A NaN piece wins its group (SPEC §4), and the argmax names it.
  Mat<T> xn = Mat<T>::Ones(1, 4), yn(1, 2);
  xn(0, 1) = lim<T>::nan();
  A an(1, 2);
  activ::forward(activ::Maxout<T>(2, 1), xn, yn, an);
  CHECK(std::isnan(yn(0, 0)));
  CHECK(an(0, 0) == 1);
  CHECK(yn(0, 1) == T(1));
}

TEMPLATE_TEST_CASE("bad input: Maxout's output may overlap its input", "[bad_input][maxout][alias]", float, double) {
  using T = TestType;
  const activ::Maxout<T> m(2, 1);
  const Mat<T> x0 = Mat<T>::Random(5, 8);
  Mat<T> want(5, 4);
  activ::forward(m, x0, want);
  Mat<T> x = x0;
  activ::forward(m, x, x.leftCols(4));
  CHECK(x.leftCols(4) == want);
  x = x0;
  activ::forward(m, x, x.rightCols(4));
  CHECK(x.rightCols(4) == want);
  Mat<T> dx_want(5, 8);
  const Mat<T> dy = Mat<T>::Random(5, 4);
  activ::backward(m, x0, dy, dx_want);
  x = x0;
  activ::backward(m, x, dy, x);
  CHECK(x == dx_want);
}

TEMPLATE_TEST_CASE("bad input: initializers refuse empty weights and non-finite gains", "[bad_input][init]", float,
                   double) {
  using T = TestType;
  std::mt19937 g(1);
  Mat<T> w = Mat<T>::Constant(4, 6, T(7));
  CHECK_THROWS_WITH(activ::init::he_uniform(w, g, activ::init::FanMode::in, lim<double>::nan()),
                    "activ::init::he_uniform: gain = nan, expected a finite value > 0");
  CHECK_THROWS_WITH(activ::init::xavier_normal(w, g, lim<double>::inf()),
                    "activ::init::xavier_normal: gain = inf, expected a finite value > 0");
  CHECK((w.array() == T(7)).all());
  Mat<T> empty(0, 3);
  CHECK_THROWS_WITH(activ::init::xavier_uniform(empty, g),
                    "activ::init::xavier_uniform: w has shape [0 x 3], so fan_in = 3 and fan_out = 0; expected "
                    "both >= 1 (an empty dimension has no fan)");
}

// ---------------------------------------------------------------- known bugs

TEST_CASE("bad input: an output overlapping a negatively strided input is detected", "[bad_input][alias]") {
  // Found by the fuzzer (tests/fuzz, docs/reliability.md): core/dense.hpp's overlap test used to
  // take data() as the lowest address, which is backwards for a negative stride (a reversed
  // Map), so this overlap went unnoticed and y was written while x was still being read.
  float buf[15];
  for (int i = 0; i < 15; ++i) buf[i] = 0.25f * static_cast<float>(i);
  float orig[15];
  std::copy(buf, buf + 15, orig);
  // x reads buf[9], buf[8], …, buf[0]; y is buf[5 … 14]; they share buf[5 … 9].
  const Eigen::Map<const Eigen::VectorXf, 0, Eigen::InnerStride<>> x(buf + 9, 10, Eigen::InnerStride<>(-1));
  Eigen::Map<Eigen::VectorXf> y(buf + 5, 10);
  const activ::Sigmoid<float> f;
  activ::forward(f, x, y);
  for (int i = 0; i < 10; ++i) {
    INFO("y[" << i << "]");
    CHECK(same_bits(y[i], f(orig[9 - i])));
  }
}

TEMPLATE_TEST_CASE("bad input: ELU's derivative does not overflow for a huge alpha", "[bad_input][param]", float,
                   double) {
  // Found by the fuzzer: math::exp_nonpositive_gradual used to compute alpha·(e^x·2^64)·2^−64,
  // which overflowed once alpha·e^x > max/2^64: alpha > 1.8e19 (float), 1e289 (double). SPEC §5
  // bounds the derivative for any alpha > 0.
  using T = TestType;
  const T alpha = std::is_same_v<T, float> ? T(1e20f) : T(1e290);
  const activ::ELU<T> f{alpha};
  const T d = f.derivative(T(-1));
  INFO("ELU{" << alpha << "}.derivative(-1) = " << d);
  CHECK(std::isfinite(d));
  CHECK(d == Approx(static_cast<double>(alpha) * 0.36787944117144233).epsilon(1e-6));
}

TEMPLATE_TEST_CASE("bad input: ELU's derivative keeps alpha·e^x where it is normal, for any alpha", "[bad_input][param]",
                   float, double) {
  // Found by the fuzzer (2026-12-06): the kernel scaled e^x by 2^64 for every alpha, so e^x
  // below 2^−190 was flushed to 0 while alpha·e^x was still normal for alpha above 2^64:
  // ELU{7e33f}.derivative(−135.2f) was 0 against 1.3e−25. SPEC §5: within 4 ULP over every input
  // whose exact result is normal, for any alpha > 0. Here every 997th x from the lowest such
  // down to −20, for alphas from 1 to T's largest, against a long double reference.
  using T = TestType;
  using L = long double;
  constexpr T big = std::numeric_limits<T>::max();
  const T alphas[] = {T(1), T(3), T(1e10), T(5e18), T(1e20), T(7e33), T(1e37), big / 4, big};
  for (const T alpha : alphas) {
    const activ::ELU<T> f{alpha};
    // The lowest x with a normal alpha·e^x, then upward.
    const T lowest = static_cast<T>(std::log(static_cast<L>(std::numeric_limits<T>::min()) / alpha)) + T(1e-3);
    double worst = 0;
    T worst_at = 0;
    std::vector<T> xs;
    for (T x = lowest; x < T(-20); x = static_cast<T>(x + (T(-20) - lowest) / T(997))) {
      const L exact = static_cast<L>(alpha) * std::exp(static_cast<L>(x));
      if (exact < static_cast<L>(std::numeric_limits<T>::min())) continue;
      const double u = activ::testing::ulp_error<T, L>(f.derivative(x), exact);
      if (u > worst) worst = u, worst_at = x;
      xs.push_back(x);
    }
    INFO("alpha " << alpha << ": worst " << worst << " ULP at x = " << worst_at << " over " << xs.size() << " inputs");
    CHECK(xs.size() > 900);
    CHECK(worst <= 4.0);
    // The loops (which choose the kernel once per call) give the scalar call's bits.
    using A = Eigen::Array<T, Eigen::Dynamic, 1>;
    const Eigen::Map<const A> x(xs.data(), static_cast<Eigen::Index>(xs.size()));
    A d(x.size()), dx(x.size());
    activ::derivative(f, x, d);
    activ::backward(f, x, A::Constant(x.size(), T(1)), dx);
    bool same = true;
    for (Eigen::Index i = 0; i < x.size(); ++i) same = same && d[i] == f.derivative(x[i]) && dx[i] == d[i];
    CHECK(same);
  }
  // The input the fuzzer found, and the array path on it.
  if constexpr (std::is_same_v<T, float>) {
    const activ::ELU<float> f{7e33f};
    const float x = -0x1.0e5292p+7f;
    CHECK(activ::testing::ulp_error<float, L>(f.derivative(x), 7e33L * std::exp(static_cast<L>(x))) <= 4.0);
    Eigen::ArrayXf xs = Eigen::ArrayXf::Constant(37, x), d(37);
    activ::derivative(f, xs, d);
    CHECK((d == f.derivative(x)).all());
  }
}

TEST_CASE("bad input: head(), tail() and segment() of a vector are accepted", "[bad_input][shape]") {
  // Found while writing these tests: detail::is_dense_v<X> used to ask for a DenseBase<X> base,
  // but Eigen's VectorBlock (what head, tail and segment return) derives from
  // DenseBase<Block<…>>, so activ::forward(f, v.head(3), w.head(3)) did not compile.
  using F = activ::ReLU<float>;
  using Segment = decltype(std::declval<Eigen::VectorXf&>().head(3));
  CHECK(forward_callable<void, F, Segment, Segment>::value);
  CHECK(forward_callable<void, F, Eigen::VectorXf, Segment>::value);

  // And they compute: every call on head/tail/segment views, values against the scalar functor.
  const activ::Tanh<float> t;
  Eigen::VectorXf v(8), w = Eigen::VectorXf::Constant(8, 7.0f);
  for (int i = 0; i < 8; ++i) v[i] = 0.5f * static_cast<float>(i) - 2.0f;
  activ::forward(t, v.head(3), w.tail(3));
  activ::derivative(t, v.segment(2, 2), w.segment(1, 2));
  for (int i = 0; i < 3; ++i) CHECK(same_bits(w[5 + i], t(v[i])));
  for (int i = 0; i < 2; ++i) CHECK(same_bits(w[1 + i], t.derivative(v[2 + i])));
  CHECK(w[0] == 7.0f);
  CHECK(w[3] == 7.0f);
  CHECK(w[4] == 7.0f);
  const Eigen::ArrayXf a = v.array();
  const auto y = activ::apply(t, a.segment(1, 4));
  STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(y)>, Eigen::ArrayXf>);
  REQUIRE(y.size() == 4);
  for (int i = 0; i < 4; ++i) CHECK(same_bits(y[i], t(a[1 + i])));
  // Maxout's apply keeps the Array kind of a segment of an Array too.
  const auto m = activ::apply(activ::Maxout<float>{2, 0}, a.segment(0, 6));
  STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(m)>, Eigen::ArrayXf>);
  REQUIRE(m.size() == 3);
  for (int i = 0; i < 3; ++i) CHECK(m[i] == std::max(a[2 * i], a[2 * i + 1]));
}
