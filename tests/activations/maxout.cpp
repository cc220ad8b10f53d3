// Maxout: hand-computed values, every axis of rank-4 tensors in both layouts against a scalar
// reference (values bitwise, winners exactly), dense containers of every kind, ties, NaN and
// infinities, the argmax round trip, central differences and every error.
#include <activ/activations/maxout.hpp>

#include <Eigen/Core>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <unsupported/Eigen/CXX11/Tensor>
#include <vector>

using Catch::Matchers::Contains;
using Eigen::Index;

namespace {

template <class T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// The scalar reference: the first NaN, else the first maximum.
template <class T, class Get>
Index ref_winner(Index k, Get piece) {
  Index best = 0;
  for (Index i = 0; i < k; ++i) {
    if (std::isnan(piece(i))) return i;
    if (piece(i) > piece(best)) best = i;
  }
  return best;
}

template <int L, std::size_t R>
std::array<Index, R> maxout_unravel(Index i, const std::array<Index, R>& dims) {
  std::array<Index, R> at{};
  for (std::size_t n = 0; n < R; ++n) {
    const std::size_t k = L == Eigen::ColMajor ? n : R - 1 - n;
    at[k] = i % dims[k];
    i /= dims[k];
  }
  return at;
}

template <int L, std::size_t R>
Index ravel(const std::array<Index, R>& at, const std::array<Index, R>& dims) {
  Index i = 0;
  for (std::size_t n = 0; n < R; ++n) {
    const std::size_t k = L == Eigen::ColMajor ? R - 1 - n : n;
    i = i * dims[k] + at[k];
  }
  return i;
}

// Values from a small set so that ties are frequent, with NaN and infinities when `special`.
// Ties whose bits differ tell the first piece from a later one: +0 and −0, and NaNs of either
// sign (the winner's bits are compared).
template <class T>
void fill_ties(T* p, Index n, std::mt19937& g, bool special) {
  std::uniform_int_distribution<int> pick(0, special ? 11 : 6);
  for (Index i = 0; i < n; ++i) {
    const int v = pick(g);
    p[i] = v <= 6    ? T(v - 3) / T(2)
           : v == 7  ? std::numeric_limits<T>::quiet_NaN()
           : v == 8  ? -std::numeric_limits<T>::quiet_NaN()
           : v == 9  ? std::numeric_limits<T>::infinity()
           : v == 10 ? -std::numeric_limits<T>::infinity()
                     : T(-0.0);
  }
}

template <class T>
void fill_distinct(T* p, Index n, std::mt19937& g) {
  std::uniform_real_distribution<double> u(-4, 4);
  for (Index i = 0; i < n; ++i) p[i] = static_cast<T>(u(g));
}

// forward, forward with argmax, backward and backward_from_argmax on one rank-R tensor of
// layout L against the reference; the argmax round trip gives backward's dx bitwise.
template <class T, int L, std::size_t R>
void check_tensor(const std::array<Index, R>& dims, Index axis, Index k, bool special, std::mt19937& g) {
  constexpr int r = static_cast<int>(R);
  auto ydims = dims;
  ydims[static_cast<std::size_t>(axis)] /= k;
  Eigen::Tensor<T, r, L> x(dims), dx(dims), dx2(dims), y(ydims), y2(ydims), dy(ydims);
  Eigen::Tensor<Index, r, L> argmax(ydims);
  fill_ties(x.data(), x.size(), g, special);
  fill_distinct(dy.data(), dy.size(), g);
  const activ::Maxout<T> m(k, axis);
  activ::forward(m, x, y);
  activ::forward(m, x, y2, argmax);
  activ::backward(m, x, dy, dx);
  activ::backward_from_argmax(m, argmax, dy, dx2);

  std::vector<char> winner(static_cast<std::size_t>(x.size()), 0);
  for (Index f = 0; f < y.size(); ++f) {
    const auto at = maxout_unravel<L>(f, ydims);
    const auto piece = [&](Index i) {
      auto xa = at;
      xa[static_cast<std::size_t>(axis)] = at[static_cast<std::size_t>(axis)] * k + i;
      return ravel<L>(xa, dims);
    };
    const Index w = ref_winner<T>(k, [&](Index i) { return x.data()[piece(i)]; });
    INFO("output " << f << " of " << y.size() << ", winner " << w);
    REQUIRE(same_bits(y.data()[f], x.data()[piece(w)]));
    REQUIRE(same_bits(y2.data()[f], y.data()[f]));
    REQUIRE(argmax.data()[f] == w);
    winner[static_cast<std::size_t>(piece(w))] = 1;
  }
  for (Index i = 0; i < x.size(); ++i) {
    if (winner[static_cast<std::size_t>(i)]) {
      auto at = maxout_unravel<L>(i, dims);
      at[static_cast<std::size_t>(axis)] /= k;
      REQUIRE(same_bits(dx.data()[i], dy.data()[ravel<L>(at, ydims)]));
    } else {
      REQUIRE(same_bits(dx.data()[i], T(0)));
    }
    REQUIRE(same_bits(dx2.data()[i], dx.data()[i]));
  }
}

template <class T, int L>
void check_maxout_rank4_all_axes(std::mt19937& g) {
  // Runs of 1 (a gather per piece), shorter than a batch (gathers spanning groups), and long
  // runs with a remainder (loads, then a gather for the end of each run), in either layout.
  const std::array<Index, 4> dims{6, 5, 12, 9};
  for (Index axis = 0; axis < 4; ++axis) {
    for (Index k = 1; k <= dims[static_cast<std::size_t>(axis)]; ++k) {
      if (dims[static_cast<std::size_t>(axis)] % k != 0) continue;
      INFO("axis " << axis << ", pieces " << k << ", layout " << (L == Eigen::RowMajor ? "row" : "col") << "-major");
      check_tensor<T, L>(dims, axis, k, false, g);
      check_tensor<T, L>(dims, axis, k, true, g);
    }
  }
}

}  // namespace

TEMPLATE_TEST_CASE("maxout: hand-computed values", "[maxout]", float, double) {
  using T = TestType;
  using V = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  const activ::Maxout<T> m(2, 0);
  V x(6), y(3), dy(3), dx(6);
  x << 1, 3, 2, 2, -1, -5;
  dy << 10, 20, 30;
  Eigen::Matrix<Index, Eigen::Dynamic, 1> argmax(3);
  activ::forward(m, x, y, argmax);
  activ::backward(m, x, dy, dx);
  V ey(3), edx(6);
  ey << 3, 2, -1;
  edx << 0, 10, 20, 0, 30, 0;  // the tie (2, 2) sends its gradient to the first piece
  CHECK(y == ey);
  CHECK(argmax == (Eigen::Matrix<Index, Eigen::Dynamic, 1>(3) << 1, 0, 0).finished());
  CHECK(dx == edx);

  Eigen::Matrix<T, 2, 6> xm;
  xm << 1, 5, 2, 0, 7, 7,  //
      -3, -4, 9, 9, 0, -1;
  Eigen::Matrix<T, 2, 2> ym;
  activ::forward(activ::Maxout<T>(3, 1), xm, ym);  // units of 3 along the columns
  CHECK(ym(0, 0) == T(5));
  CHECK(ym(0, 1) == T(7));
  CHECK(ym(1, 0) == T(9));
  CHECK(ym(1, 1) == T(9));
  Eigen::Matrix<T, 1, 6> ya;
  activ::forward(activ::Maxout<T>(2, 0), xm, ya);  // units of 2 along the rows
  CHECK(ya == (Eigen::Matrix<T, 1, 6>() << 1, 5, 9, 9, 7, 7).finished());
  CHECK(activ::Maxout<T>(4, 2).pieces() == 4);
  CHECK(activ::Maxout<T>(4, 2).axis() == 2);
  STATIC_REQUIRE_FALSE(activ::is_elementwise_v<activ::Maxout<T>>);
}

TEMPLATE_TEST_CASE("maxout: every axis and every divisor of rank-4 tensors in both layouts", "[maxout]", float,
                   double) {
  std::mt19937 g(11);
  check_maxout_rank4_all_axes<TestType, Eigen::ColMajor>(g);
  check_maxout_rank4_all_axes<TestType, Eigen::RowMajor>(g);
}

TEMPLATE_TEST_CASE("maxout: ranks 1 to 5 and long groups", "[maxout]", float, double) {
  using T = TestType;
  std::mt19937 g(12);
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 1>{1002}, 0, 3, true, g);
  check_tensor<T, Eigen::RowMajor>(std::array<Index, 2>{7, 40}, 1, 5, true, g);
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 3>{3, 4, 10}, 1, 2, true, g);
  check_tensor<T, Eigen::RowMajor>(std::array<Index, 5>{2, 3, 4, 3, 5}, 2, 2, true, g);
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 5>{3, 2, 2, 5, 4}, 4, 4, true, g);
  // The largest k the in-register permutes take with pieces innermost (16), and the first that
  // goes back to the gathers (17).
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 2>{16 * 19, 3}, 0, 16, true, g);
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 2>{17 * 19, 3}, 0, 17, true, g);
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 2>{300, 3}, 0, 100, true, g);  // 100 pieces
  check_tensor<T, Eigen::RowMajor>(std::array<Index, 2>{3, 300}, 1, 300, true, g);  // one unit
}

TEMPLATE_TEST_CASE("maxout: dense containers of every kind", "[maxout]", float, double) {
  using T = TestType;
  using Col = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  using Row = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using IndexCol = Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic>;
  std::mt19937 g(13);
  const Index rows = 24, cols = 33, k = 3;
  Col x(rows, cols);
  fill_ties(x.data(), x.size(), g, true);

  for (Index axis = 0; axis < 2; ++axis) {
    INFO("axis " << axis);
    const activ::Maxout<T> m(k, axis);
    const Index yr = axis == 0 ? rows / k : rows, yc = axis == 0 ? cols : cols / k;
    // The reference.
    Col ey(yr, yc), dy(yr, yc), edx = Col::Zero(rows, cols);
    IndexCol earg(yr, yc);
    fill_distinct(dy.data(), dy.size(), g);
    for (Index j = 0; j < yc; ++j) {
      for (Index i = 0; i < yr; ++i) {
        const auto piece = [&](Index p) -> T { return axis == 0 ? x(i * k + p, j) : x(i, j * k + p); };
        const Index w = ref_winner<T>(k, piece);
        ey(i, j) = piece(w);
        earg(i, j) = w;
        (axis == 0 ? edx(i * k + w, j) : edx(i, j * k + w)) = dy(i, j);
      }
    }
    const auto same_matrix = [](const auto& a, const auto& b) {
      if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
      for (Index j = 0; j < a.cols(); ++j)
        for (Index i = 0; i < a.rows(); ++i)
          if (!same_bits<T>(a(i, j), b(i, j))) return false;
      return true;
    };

    Col yc1(yr, yc), dx1(rows, cols);
    Row yr1(yr, yc), dx2(rows, cols);
    const Row xr = x;
    IndexCol arg1(yr, yc);
    Eigen::Array<int, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> arg2(yr, yc);  // another type and order
    activ::forward(m, x, yc1, arg1);
    CHECK(same_matrix(yc1, ey));
    CHECK(arg1 == earg);
    activ::forward(m, xr, yr1, arg2);
    CHECK(same_matrix(yr1, ey));
    CHECK((arg2.template cast<Index>() == earg.array()).all());
    activ::forward(m, xr, yc1);  // x row-major, y column-major
    CHECK(same_matrix(yc1, ey));
    activ::backward(m, x, dy, dx1);
    CHECK(same_matrix(dx1, edx));
    activ::backward(m, xr, dy, dx2);
    CHECK(same_matrix(dx2, edx));
    activ::backward_from_argmax(m, arg2, dy, dx1);
    CHECK(same_matrix(dx1, edx));

    // Strided Blocks in and out, Maps, expressions, temporaries as outputs.
    Col big = Col::Constant(rows + 5, cols + 2, T(9)), ybig = Col::Constant(yr + 4, yc + 3, T(9));
    big.block(3, 1, rows, cols) = x;
    activ::forward(m, big.block(3, 1, rows, cols), ybig.block(2, 1, yr, yc));
    CHECK(same_matrix(Col(ybig.block(2, 1, yr, yc)), ey));
    CHECK((ybig.topRows(2).array() == T(9)).all());
    CHECK((ybig.leftCols(1).array() == T(9)).all());
    Col y(yr, yc);
    activ::forward(m, x.array() * T(1), y);
    CHECK(same_matrix(y, ey));
    std::vector<T> raw(static_cast<std::size_t>(yr * yc));
    Eigen::Map<Col> mapped(raw.data(), yr, yc);
    activ::forward(m, Eigen::Map<const Col>(x.data(), rows, cols), mapped);
    CHECK(same_matrix(mapped, ey));
    Col dxbig = Col::Constant(rows + 2, cols + 2, T(9));
    activ::backward(m, x, dy, dxbig.block(1, 1, rows, cols));
    CHECK(same_matrix(Col(dxbig.block(1, 1, rows, cols)), edx));
    CHECK(dxbig(0, 0) == T(9));

    const auto ya = activ::apply(m, x.array());
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(ya)>, Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>>);
    CHECK(same_matrix(ya, ey));
    const auto ym = activ::apply(m, xr);
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(ym)>, Row>);
    CHECK(same_matrix(ym, ey));
  }
  SECTION("apply keeps vectors vectors") {
    Eigen::Matrix<T, 6, 1> v;
    v << 1, 2, 3, 4, 6, 5;
    const auto r = activ::apply(activ::Maxout<T>(2, 0), v);
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(r)>, Eigen::Matrix<T, Eigen::Dynamic, 1>>);
    CHECK(r == (Eigen::Matrix<T, 3, 1>() << 2, 4, 6).finished());
    Eigen::Array<T, 1, Eigen::Dynamic> w(4);
    w << 1, -2, 3, -4;
    const auto rw = activ::apply(activ::Maxout<T>(4, 1), w);
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(rw)>, Eigen::Array<T, 1, Eigen::Dynamic>>);
    CHECK(rw(0) == T(3));
  }
}

TEMPLATE_TEST_CASE("maxout: tensor views, expressions and other layouts", "[maxout]", float, double) {
  using T = TestType;
  std::mt19937 g(14);
  Eigen::Tensor<T, 3> x(4, 6, 5), y(4, 3, 5);
  fill_ties(x.data(), x.size(), g, true);
  const activ::Maxout<T> m(2, 1);
  activ::forward(m, x, y);
  const auto same_tensor = [](const auto& a, const auto& b) {
    for (Index i = 0; i < a.dimension(0); ++i)
      for (Index j = 0; j < a.dimension(1); ++j)
        for (Index k = 0; k < a.dimension(2); ++k)
          if (!same_bits<T>(a(i, j, k), b(i, j, k))) return false;
    return true;
  };
  SECTION("row-major input and argmax, column-major output") {
    const Eigen::Tensor<T, 3, Eigen::RowMajor> xr = x.swap_layout().shuffle(std::array<Index, 3>{2, 1, 0});
    Eigen::Tensor<T, 3> y2(4, 3, 5);
    Eigen::Tensor<std::int32_t, 3, Eigen::RowMajor> arg(4, 3, 5);
    activ::forward(m, xr, y2, arg);
    CHECK(same_tensor(y2, y));
    Eigen::Tensor<T, 3, Eigen::RowMajor> yr(4, 3, 5);
    activ::forward(m, x, yr);
    CHECK(same_tensor(yr, y));
    for (Index i = 0; i < 4; ++i)
      for (Index u = 0; u < 3; ++u)
        for (Index j = 0; j < 5; ++j) CHECK(same_bits(x(i, 2 * u + arg(i, u, j), j), y(i, u, j)));
  }
  SECTION("TensorMap output, expression input, slice output") {
    std::vector<T> raw(60);
    Eigen::TensorMap<Eigen::Tensor<T, 3>> out(raw.data(), 4, 3, 5);
    activ::forward(m, x * T(1), out);
    CHECK(same_tensor(out, y));
    Eigen::Tensor<T, 3> big(4, 5, 5);
    big.setConstant(T(9));
    activ::forward(m, x, big.slice(std::array<Index, 3>{0, 1, 0}, std::array<Index, 3>{4, 3, 5}));
    const Eigen::Tensor<T, 3> inner = big.slice(std::array<Index, 3>{0, 1, 0}, std::array<Index, 3>{4, 3, 5});
    CHECK(same_tensor(inner, y));
    CHECK(big(0, 0, 0) == T(9));
    CHECK(big(3, 4, 4) == T(9));
  }
  SECTION("TensorFixedSize and apply") {
    Eigen::TensorFixedSize<T, Eigen::Sizes<2, 4>> xf;
    xf.setValues({{1, 2, 4, 3}, {-1, -1, 0, -2}});
    Eigen::TensorFixedSize<T, Eigen::Sizes<2, 2>> yf;
    activ::forward(activ::Maxout<T>(2, 1), xf, yf);
    CHECK(yf(0, 0) == T(2));
    CHECK(yf(0, 1) == T(4));
    CHECK(yf(1, 0) == T(-1));
    const auto t = activ::apply(m, x);
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(t)>, Eigen::Tensor<T, 3>>);
    CHECK(t.dimension(1) == 3);
    CHECK(same_tensor(t, y));
  }
}

TEMPLATE_TEST_CASE("maxout: ties, NaN and infinities", "[maxout]", float, double) {
  using T = TestType;
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  Eigen::Array<T, 4, 6> x;  // one group of 4 pieces per column
  x << 1, 1, nan, -inf, 2, 0,  //
      5, nan, 1, -inf, inf, -0.0,   //
      5, 3, nan, -inf, inf, 0,   //
      4, 2, 7, -inf, 1, -0.0;
  Eigen::Array<T, 1, 6> y, dy;
  Eigen::Array<Index, 1, 6> argmax;
  dy << 1, 2, 3, 4, 5, 6;
  const activ::Maxout<T> m(4, 0);
  activ::forward(m, x, y, argmax);
  CHECK(argmax(0) == 1);  // 5 = 5: the first
  CHECK(y(0) == T(5));
  CHECK(argmax(1) == 1);  // the NaN wins
  CHECK(std::isnan(y(1)));
  CHECK(argmax(2) == 0);  // the first NaN wins
  CHECK(std::isnan(y(2)));
  CHECK(argmax(3) == 0);  // all −inf: the first
  CHECK(y(3) == -inf);
  CHECK(argmax(4) == 1);  // +inf = +inf: the first
  CHECK(y(4) == inf);
  CHECK(argmax(5) == 0);  // 0 = −0 = 0: the first, with its sign
  CHECK(same_bits(y(5), T(0)));
  Eigen::Array<T, 4, 6> dx, dx2;
  activ::backward(m, x, dy, dx);
  activ::backward_from_argmax(m, argmax, dy, dx2);
  Eigen::Array<T, 4, 6> edx = Eigen::Array<T, 4, 6>::Zero();
  edx(1, 0) = 1;
  edx(1, 1) = 2;
  edx(0, 2) = 3;
  edx(0, 3) = 4;
  edx(1, 4) = 5;
  edx(0, 5) = 6;
  CHECK((dx == edx).all());
  CHECK((dx2 == edx).all());
}

TEMPLATE_TEST_CASE("maxout: dx against central differences", "[maxout]", float, double) {
  using T = TestType;
  std::mt19937 g(15);
  Eigen::Tensor<T, 3> x(3, 6, 4), dy(3, 2, 4), dx(3, 6, 4), y(3, 2, 4);
  fill_distinct(x.data(), x.size(), g);  // distinct pieces: no kink within the step
  fill_distinct(dy.data(), dy.size(), g);
  const activ::Maxout<T> m(3, 1);
  activ::backward(m, x, dy, dx);
  const auto loss = [&](const Eigen::Tensor<T, 3>& v) {
    activ::forward(m, v, y);
    double s = 0;
    for (Index i = 0; i < y.size(); ++i) s += static_cast<double>(dy.data()[i]) * static_cast<double>(y.data()[i]);
    return s;
  };
  const T h = std::is_same_v<T, float> ? T(1e-3) : T(1e-7);
  for (Index i = 0; i < x.size(); ++i) {
    Eigen::Tensor<T, 3> xp = x, xm = x;
    xp.data()[i] += h;
    xm.data()[i] -= h;
    const double fd = (loss(xp) - loss(xm)) / (static_cast<double>(xp.data()[i]) - static_cast<double>(xm.data()[i]));
    REQUIRE(std::fabs(fd - static_cast<double>(dx.data()[i])) <= 1e-3 * (1 + std::fabs(fd)));
  }
}

TEMPLATE_TEST_CASE("maxout: errors name the call, the expected and the actual, and write nothing", "[maxout]",
                   float, double) {
  using T = TestType;
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using IM = Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic>;
  const M x = M::Ones(6, 4);
  M y = M::Constant(3, 4, T(7)), dx = M::Constant(6, 4, T(7));
  IM arg = IM::Constant(3, 4, 7);
  const M dy = M::Ones(3, 4);
  const activ::Maxout<T> m(2, 0);
  const auto untouched = [&] {
    CHECK((y.array() == T(7)).all());
    CHECK((dx.array() == T(7)).all());
    CHECK((arg.array() == 7).all());
  };
  SECTION("constructor: pieces < 1, too many pieces, negative axis") {
    CHECK_THROWS_AS(activ::Maxout<T>(0, 0), std::invalid_argument);
    CHECK_THROWS_WITH(activ::Maxout<T>(0, 1), Contains("activ::Maxout") && Contains("pieces must be in 1") &&
                                                  Contains("got 0"));
    if constexpr (std::is_same_v<T, float>) {  // piece indices travel in 32-bit lanes
      CHECK(activ::Maxout<T>::max_pieces == 2147483647);
      CHECK_THROWS_WITH(activ::Maxout<T>(activ::Maxout<T>::max_pieces + 1, 0), Contains("pieces must be in 1"));
    }
    CHECK_THROWS_WITH(activ::Maxout<T>(2, -1), Contains("axis must be >= 0, got -1"));
  }
  SECTION("axis out of range") {
    const activ::Maxout<T> bad(2, 2);
    CHECK_THROWS_WITH(activ::forward(bad, x, y), Contains("activ::forward") && Contains("axis 2 is out of range") &&
                                                     Contains("[6 x 4]") && Contains("expected 0 … 1"));
    CHECK_THROWS_WITH(activ::backward(bad, x, dy, dx), Contains("activ::backward") && Contains("axis 2"));
    CHECK_THROWS_WITH(activ::backward_from_argmax(bad, arg, dy, dx),
                      Contains("activ::backward_from_argmax") && Contains("axis 2"));
    CHECK_THROWS_WITH(activ::apply(bad, x), Contains("activ::apply") && Contains("axis 2"));
    untouched();
  }
  SECTION("axis size not divisible by pieces") {
    const activ::Maxout<T> three(3, 1);
    CHECK_THROWS_WITH(activ::forward(three, x, y), Contains("activ::forward") &&
                                                       Contains("x has 4 elements along axis 1 (shape [6 x 4])") &&
                                                       Contains("expected a multiple of pieces = 3"));
    CHECK_THROWS_WITH(activ::backward_from_argmax(three, arg, dy, dx), Contains("dx has 4 elements along axis 1"));
    untouched();
  }
  SECTION("outputs and inputs of the wrong shape") {
    M y44 = M::Constant(4, 4, T(7));
    CHECK_THROWS_WITH(activ::forward(m, x, y44), Contains("activ::forward") && Contains("y has shape [4 x 4]") &&
                                                     Contains("expected [3 x 4]") &&
                                                     Contains("x [6 x 4] with axis 0 divided by pieces = 2"));
    IM arg2 = IM::Constant(3, 2, 7);
    CHECK_THROWS_WITH(activ::forward(m, x, y, arg2), Contains("argmax has shape [3 x 2]"));
    CHECK_THROWS_WITH(activ::backward(m, x, dy, y44), Contains("activ::backward") && Contains("dx has shape [4 x 4]") &&
                                                          Contains("expected [6 x 4]"));
    CHECK_THROWS_WITH(activ::backward(m, x, M::Ones(6, 4), dx), Contains("dy has shape [6 x 4], expected [3 x 4]"));
    CHECK_THROWS_WITH(activ::backward_from_argmax(m, arg2, dy, dx), Contains("argmax has shape [3 x 2]"));
    CHECK_THROWS_WITH(activ::backward_from_argmax(m, arg, M::Ones(3, 3), dx), Contains("dy has shape [3 x 3]"));
    Eigen::Tensor<T, 3> t(2, 4, 3), u(2, 2, 2);
    u.setConstant(T(7));
    CHECK_THROWS_WITH(activ::forward(activ::Maxout<T>(2, 1), t, u), Contains("y has shape [2 x 2 x 2], expected [2 x 2 x 3]"));
    CHECK(u(1, 1, 1) == T(7));
    CHECK((y44.array() == T(7)).all());
    CHECK((arg2.array() == 7).all());
    untouched();
  }
  SECTION("an argmax type too small, an argmax value out of range") {
    Eigen::Matrix<std::int8_t, Eigen::Dynamic, Eigen::Dynamic> small = Eigen::Matrix<std::int8_t, Eigen::Dynamic, Eigen::Dynamic>::Constant(1, 4, 7);
    M y1 = M::Constant(1, 4, T(7));
    CHECK_THROWS_WITH(activ::forward(activ::Maxout<T>(300, 0), M::Ones(300, 4), y1, small),
                      Contains("argmax's integer type holds at most 127") && Contains("up to 299"));
    CHECK((small.array() == 7).all());
    CHECK((y1.array() == T(7)).all());
    IM bad = IM::Zero(3, 4);
    bad(2, 1) = 2;
    CHECK_THROWS_WITH(activ::backward_from_argmax(m, bad, dy, dx),
                      Contains("activ::backward_from_argmax") && Contains("argmax holds 2 at (2, 1)") &&
                          Contains("expected a piece index 0 … 1"));
    bad(2, 1) = -1;
    CHECK_THROWS_WITH(activ::backward_from_argmax(m, bad, dy, dx), Contains("argmax holds -1 at (2, 1)"));
    Eigen::Matrix<unsigned, Eigen::Dynamic, Eigen::Dynamic> ubad = Eigen::Matrix<unsigned, Eigen::Dynamic, Eigen::Dynamic>::Zero(3, 4);
    ubad(0, 3) = 5;
    CHECK_THROWS_WITH(activ::backward_from_argmax(m, ubad, dy, dx), Contains("argmax holds 5 at (0, 3)"));
    untouched();
  }
}

// Pairs and fours with the axis innermost take in-register shuffles on AVX2 for whole batches
// of 8 groups, then the general walk for the rest: every count of groups around the batch
// edges, ties, NaN and infinities, against the reference (check_tensor above).
TEMPLATE_TEST_CASE("maxout: pairs and fours along the innermost axis", "[maxout]", float, double) {
  using T = TestType;
  std::mt19937 g(7);
  for (const Index k : {Index(2), Index(4)}) {
    for (const Index units : {Index(1), Index(3), Index(4), Index(8), Index(9), Index(16), Index(21)}) {
      for (const Index cols : {Index(1), Index(2), Index(5)}) {
        INFO("pieces " << k << ", units " << units << ", columns " << cols);
        check_tensor<T, Eigen::ColMajor>(std::array<Index, 2>{k * units, cols}, 0, k, true, g);
        check_tensor<T, Eigen::ColMajor>(std::array<Index, 2>{k * units, cols}, 0, k, false, g);
        check_tensor<T, Eigen::RowMajor>(std::array<Index, 2>{cols, k * units}, 1, k, true, g);
      }
    }
  }
}

namespace {

// forward with an argmax of integer type S and backward_from_argmax from it, on a features ×
// samples Matrix (axis 0: pieces innermost, the AVX2 shuffles for k = 2 and 4) and its
// transpose (axis 1: pieces outermost): the same winners, y and dx bitwise as with Index.
template <class T, class S>
void check_argmax_type(Index k, Index units, Index samples, std::mt19937& g) {
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  for (const Index axis : {Index(0), Index(1)}) {
    const Index rows = axis == 0 ? k * units : samples, cols = axis == 0 ? samples : k * units;
    const Index yrows = axis == 0 ? units : samples, ycols = axis == 0 ? samples : units;
    M x(rows, cols), y(yrows, ycols), y2(yrows, ycols), dy(yrows, ycols), dx(rows, cols), dx2(rows, cols);
    fill_ties(x.data(), x.size(), g, true);
    fill_distinct(dy.data(), dy.size(), g);
    Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic> ref(yrows, ycols);
    Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> arg(yrows, ycols);
    const activ::Maxout<T> m(k, axis);
    activ::forward(m, x, y, ref);
    activ::forward(m, x, y2, arg);
    activ::backward(m, x, dy, dx);
    activ::backward_from_argmax(m, arg, dy, dx2);
    INFO("axis " << axis << ", pieces " << k << ", units " << units << ", samples " << samples);
    for (Index i = 0; i < y.size(); ++i) {
      REQUIRE(static_cast<Index>(arg.data()[i]) == ref.data()[i]);
      REQUIRE(same_bits(y2.data()[i], y.data()[i]));
    }
    for (Index i = 0; i < dx.size(); ++i) REQUIRE(same_bits(dx2.data()[i], dx.data()[i]));
  }
}

template <class T, class S>
void check_argmax_type_all(std::mt19937& g) {
  for (const Index k : {Index(2), Index(3), Index(4)}) {
    for (const Index units : {Index(1), Index(7), Index(8), Index(9), Index(17), Index(40)}) {
      for (const Index samples : {Index(1), Index(3)}) check_argmax_type<T, S>(k, units, samples, g);
    }
  }
}

// backward_from_argmax checks every value before writing: one bad value (too large, negative,
// the type's largest) at the first, a middle or the last position is reported as such; values
// that are all valid pass, also for pieces not a power of two, whose largest valid indices
// together set bits above the largest piece (1 | 2 = 3 for pieces = 3).
template <class T, class S>
void check_argmax_values(std::mt19937& g) {
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  for (const Index k : {Index(2), Index(3), Index(4)}) {
    const Index units = 19, samples = 3;
    const activ::Maxout<T> m(k, 0);
    Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> arg(units, samples);
    std::uniform_int_distribution<int> piece(0, static_cast<int>(k) - 1);
    for (Index i = 0; i < arg.size(); ++i) arg.data()[i] = static_cast<S>(piece(g));
    arg(0, 0) = static_cast<S>(k - 1);
    arg(1, 0) = static_cast<S>(k - 2);
    const M dy = M::Ones(units, samples);
    M dx = M::Constant(k * units, samples, T(7));
    activ::backward_from_argmax(m, arg, dy, dx);
    CHECK(dx.sum() == T(units * samples));
    std::vector<S> bad_values{static_cast<S>(k), std::numeric_limits<S>::max()};
    if constexpr (std::is_signed_v<S>) bad_values.push_back(static_cast<S>(-1));
    for (const Index at : {Index(0), Index(28), Index(units * samples - 1)}) {
      for (const S bad : bad_values) {
        auto wrong = arg;
        wrong.data()[at] = bad;
        dx.setConstant(T(7));
        const std::string where = "(" + std::to_string(at % units) + ", " + std::to_string(at / units) + ")";
        INFO("pieces " << k << ", value " << +bad << " at " << where);
        CHECK_THROWS_WITH(activ::backward_from_argmax(m, wrong, dy, dx),
                          Contains("argmax holds " + std::to_string(+bad) + " at " + where));
        CHECK((dx.array() == T(7)).all());
      }
    }
  }
}

}  // namespace

// The argmax paths by integer width: 1 byte (lane by lane), 4 (the shuffles' direct stores and
// loads), 8 (widened and narrowed in registers); float, where the shuffles are, and one type of
// each check for double (its general path takes any S alike). Seven types for both float and
// double took this file's build at -O3 from 73 to 113 s, in each of CI's four builds.
TEST_CASE("maxout: argmax of every integer width, and its values checked", "[maxout]") {
  std::mt19937 g(11);
  check_argmax_type_all<float, std::int8_t>(g);
  check_argmax_type_all<float, unsigned>(g);
  check_argmax_type_all<float, std::int64_t>(g);
  check_argmax_type_all<double, int>(g);
  check_argmax_values<float, std::int8_t>(g);
  check_argmax_values<float, unsigned>(g);
  check_argmax_values<float, Index>(g);
  check_argmax_values<double, std::uint16_t>(g);
}
