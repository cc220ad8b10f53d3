// PReLU: hand-computed values, every axis of rank-4 tensors in both layouts against a scalar
// reference (forward, derivative and dx bitwise; dalpha against a double sum), dense containers
// of every kind, central differences, special values, every error, accumulate mode and the
// accuracy of the float slope gradient over 4 channels of 2^20 elements.
#include <activ/activations/prelu.hpp>

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <unsupported/Eigen/CXX11/Tensor>
#include <vector>

using Catch::Matchers::Contains;
using Eigen::Index;

namespace {

template <class T>
T nan_v() {
  return std::numeric_limits<T>::quiet_NaN();
}
template <class T>
T inf_v() {
  return std::numeric_limits<T>::infinity();
}

// Exact agreement: equal values (either zero for ±0, which SPEC §4 allows) or both NaN.
template <class T>
bool same(T a, T b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

// The scalar reference, written independently of the library's batch formulas.
template <class T>
T ref_f(T x, T a) {
  return x > 0 ? x : a * x;
}
template <class T>
T ref_d(T x, T a) {
  return std::isnan(x) ? x : x > 0 ? T(1) : a;
}
template <class T>
double ref_term(T x, T dy) {
  return x > 0 ? 0.0 : static_cast<double>(x) * static_cast<double>(dy);
}

template <class T>
T uniform(std::mt19937& g, double lo, double hi) {
  return static_cast<T>(std::uniform_real_distribution<double>(lo, hi)(g));
}

// Random values in [-2, 2] with exact zeros sprinkled in (the kink).
template <class T>
void fill_random(T* p, Index n, std::mt19937& g, bool zeros = true) {
  for (Index i = 0; i < n; ++i) p[i] = (zeros && i % 17 == 3) ? T(0) : uniform<T>(g, -2, 2);
}

template <class T>
Eigen::Array<T, Eigen::Dynamic, 1> random_slopes(Index n, std::mt19937& g) {
  Eigen::Array<T, Eigen::Dynamic, 1> a(n);
  for (Index c = 0; c < n; ++c) a[c] = uniform<T>(g, -0.6, 0.9);  // negative slopes too
  return a;
}

// The logical index of storage position i of a tensor of layout L.
template <int L, std::size_t R>
std::array<Index, R> unravel(Index i, const std::array<Index, R>& dims) {
  std::array<Index, R> at{};
  for (std::size_t n = 0; n < R; ++n) {
    const std::size_t k = L == Eigen::ColMajor ? n : R - 1 - n;
    at[k] = i % dims[k];
    i /= dims[k];
  }
  return at;
}

// Every call on one rank-R tensor of layout L against the reference, slope per channel of
// `axis` or shared.
template <class T, int L, std::size_t R>
void check_tensor(const std::array<Index, R>& dims, Index axis, bool shared, std::mt19937& g) {
  using Tensor = Eigen::Tensor<T, static_cast<int>(R), L>;
  Tensor x(dims), dy(dims), y(dims), d(dims), dx(dims), dx2(dims);
  fill_random(x.data(), x.size(), g);
  fill_random(dy.data(), dy.size(), g, false);
  const Index channels = shared ? 1 : dims[static_cast<std::size_t>(axis)];
  const activ::PReLU<T> p(random_slopes<T>(channels, g), axis);
  Eigen::Array<T, Eigen::Dynamic, 1> dalpha = Eigen::Array<T, Eigen::Dynamic, 1>::Constant(channels, T(7));

  activ::forward(p, x, y);
  activ::derivative(p, x, d);
  activ::backward(p, x, dy, dx);
  activ::backward(p, x, dy, dx2, dalpha);

  std::vector<double> sums(static_cast<std::size_t>(channels), 0.0), mass(sums.size(), 0.0);
  for (Index i = 0; i < x.size(); ++i) {
    const Index c = shared ? 0 : unravel<L>(i, dims)[static_cast<std::size_t>(axis)];
    const T a = p.alpha()[c];
    INFO("storage index " << i << ", channel " << c);
    REQUIRE(same(y.data()[i], ref_f(x.data()[i], a)));
    REQUIRE(same(d.data()[i], ref_d(x.data()[i], a)));
    REQUIRE(same(dx.data()[i], T(dy.data()[i] * ref_d(x.data()[i], a))));
    REQUIRE(same(dx2.data()[i], dx.data()[i]));
    sums[static_cast<std::size_t>(c)] += ref_term(x.data()[i], dy.data()[i]);
    mass[static_cast<std::size_t>(c)] += std::fabs(ref_term(x.data()[i], dy.data()[i]));
  }
  for (Index c = 0; c < channels; ++c) {
    const double err = std::fabs(static_cast<double>(dalpha[c]) - sums[static_cast<std::size_t>(c)]);
    REQUIRE(err <= 1e-6 * mass[static_cast<std::size_t>(c)] + 1e-30);
  }
}

template <class T, int L>
void check_rank4_all_axes(std::mt19937& g) {
  // Sizes chosen so that the axes take every kernel path: inner = 1 (a tiled slope pattern),
  // short runs (a pattern of repeated slopes), and long runs (one broadcast slope per run).
  const std::array<Index, 4> dims{5, 3, 7, 37};
  for (Index axis = 0; axis < 4; ++axis) {
    INFO("axis " << axis << ", layout " << (L == Eigen::RowMajor ? "row" : "col") << "-major");
    check_tensor<T, L>(dims, axis, false, g);
  }
  check_tensor<T, L>(dims, 2, true, g);
}

// The L = Σ dy·f(x) of a forward pass, in double.
template <class T, class X>
double loss(const activ::PReLU<T>& p, const X& x, const X& dy) {
  X y(x.dimensions());
  activ::forward(p, x, y);
  double s = 0;
  for (Index i = 0; i < x.size(); ++i) s += static_cast<double>(dy.data()[i]) * static_cast<double>(y.data()[i]);
  return s;
}

}  // namespace

TEMPLATE_TEST_CASE("prelu: hand-computed values", "[prelu]", float, double) {
  using T = TestType;
  using V = Eigen::Array<T, Eigen::Dynamic, 1>;
  SECTION("one shared slope") {
    const activ::PReLU<T> p(T(0.25));
    V x(5), dy(5), y(5), d(5), dx(5), da(1);
    x << -2, -0.5, 0, 1.5, 3;
    dy << 1, 2, 3, 4, 5;
    activ::forward(p, x, y);
    activ::derivative(p, x, d);
    activ::backward(p, x, dy, dx, da);
    V ey(5), ed(5), edx(5);
    ey << -0.5, -0.125, 0, 1.5, 3;
    ed << 0.25, 0.25, 0.25, 1, 1;
    edx << 0.25, 0.5, 0.75, 4, 5;
    CHECK((y == ey).all());
    CHECK((d == ed).all());
    CHECK((dx == edx).all());
    CHECK(da[0] == T(-3));  // -2·1 + -0.5·2 + 0·3
  }
  SECTION("one slope per row (axis 0) and per column (axis 1)") {
    Eigen::Matrix<T, 2, 3> x, dy, y, dx;
    x << -1, 2, -4, -3, 0, 5;
    dy << 1, 1, 2, 3, 4, 1;
    Eigen::Array<T, Eigen::Dynamic, 1> rows(2), cols(3), da2(2), da3(3);
    rows << 0.5, -2;
    cols << 0.25, 1, 0.125;
    activ::backward(activ::PReLU<T>(rows, 0), x, dy, dx, da2);
    activ::forward(activ::PReLU<T>(rows, 0), x, y);
    Eigen::Matrix<T, 2, 3> ey, edx;
    ey << -0.5, 2, -2, 6, 0, 5;
    edx << 0.5, 1, 1, -6, -8, 1;
    CHECK(y == ey);
    CHECK(dx == edx);
    CHECK(da2[0] == T(-9));  // -1·1 + -4·2
    CHECK(da2[1] == T(-9));  // -3·3 + 0·4
    activ::backward(activ::PReLU<T>(cols, 1), x, dy, dx, da3);
    activ::forward(activ::PReLU<T>(cols, 1), x, y);
    ey << -0.25, 2, -0.5, -0.75, 0, 5;
    edx << 0.25, 1, 0.25, 0.75, 4, 1;
    CHECK(y == ey);
    CHECK(dx == edx);
    CHECK(da3[0] == T(-10));  // -1·1 + -3·3
    CHECK(da3[1] == T(0));    // x = 0 contributes 0 (PyTorch's convention)
    CHECK(da3[2] == T(-8));
  }
  SECTION("the scalar and batch forms agree with the containers") {
    Eigen::Array<T, Eigen::Dynamic, 1> a(3);
    a << 0.25, -0.5, 2;
    const activ::PReLU<T> p(a, 0);
    CHECK(p(T(-2), 1) == T(1));
    CHECK(p(T(3), 1) == T(3));
    CHECK(p.derivative(T(-2), 2) == T(2));
    CHECK(p.derivative(T(0), 0) == T(0.25));
    const xsimd::batch<T> b(T(-4));
    CHECK(p(b, 2).get(0) == T(-8));
    CHECK(p.axis() == 0);
    CHECK(activ::PReLU<T>().alpha()[0] == T(0.25));  // the paper's and PyTorch's initial slope
    CHECK(activ::PReLU<T>(4, 1).alpha().size() == 4);
    CHECK((activ::PReLU<T>(4, 1, T(0.1)).alpha() == T(0.1)).all());
    STATIC_REQUIRE_FALSE(activ::is_elementwise_v<activ::PReLU<T>>);
  }
}

TEMPLATE_TEST_CASE("prelu: every axis of rank-4 tensors in both layouts", "[prelu]", float, double) {
  std::mt19937 g(1);
  check_rank4_all_axes<TestType, Eigen::ColMajor>(g);
  check_rank4_all_axes<TestType, Eigen::RowMajor>(g);
}

TEMPLATE_TEST_CASE("prelu: ranks 1 to 5 and the unusual kernel paths", "[prelu]", float, double) {
  using T = TestType;
  std::mt19937 g(2);
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 1>{1001}, 0, false, g);
  check_tensor<T, Eigen::RowMajor>(std::array<Index, 2>{9, 11}, 1, false, g);
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 3>{4, 6, 2}, 2, false, g);
  check_tensor<T, Eigen::RowMajor>(std::array<Index, 5>{2, 3, 2, 4, 3}, 3, false, g);
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 5>{3, 2, 5, 2, 3}, 4, false, g);
  // The axis innermost with at least 1024 channels: the slopes themselves are the pattern.
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 2>{1500, 3}, 0, false, g);
  // Runs of 2 over 40000 channels: too long a period for a pattern, so one slope per run.
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 2>{2, 40000}, 1, false, g);
  // One slope per run, runs reduced w at a time: 63 runs (16 + 16 + 16 + 15 with AVX-512 float)
  // of 245 elements (groups of four batches, three single batches and a part in float on
  // AVX-512); runs of 2100, longer than one block of accumulators (64 batches).
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 3>{245, 21, 3}, 1, false, g);
  check_tensor<T, Eigen::RowMajor>(std::array<Index, 3>{3, 21, 245}, 1, false, g);
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 2>{2100, 5}, 1, false, g);
  // Runs of one slope shorter than 1024 elements and a whole number of four-batch trips on every
  // SIMD width (64 and 192 elements: prelu_trip_runs), the channels repeated (outer 2): the slope
  // index must wrap at the axis.
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 3>{64, 3, 2}, 1, false, g);
  check_tensor<T, Eigen::RowMajor>(std::array<Index, 3>{2, 5, 192}, 1, false, g);
  // Enough elements for the blocked reduction to fold many blocks and patterns.
  check_tensor<T, Eigen::ColMajor>(std::array<Index, 2>{3, 50000}, 0, false, g);
  check_tensor<T, Eigen::RowMajor>(std::array<Index, 2>{3, 50000}, 0, false, g);
}

// The transposing sum of the slope gradient's broadcast runs: row r's lanes are r·100 + 0 … w − 1,
// so each total is distinct and a lane out of place shows.
TEMPLATE_TEST_CASE("prelu: lane_sums puts each row's total in its own lane", "[prelu]", float, double) {
  using T = TestType;
  using B = activ::detail::batch<T>;
  constexpr int w = static_cast<int>(B::size);
  std::array<B, w> rows;
  for (int r = 0; r < w; ++r) {
    alignas(64) std::array<T, w> lanes{};
    for (int l = 0; l < w; ++l) lanes[static_cast<std::size_t>(l)] = T(r * 100 + l);
    rows[static_cast<std::size_t>(r)] = B::load_aligned(lanes.data());
  }
  alignas(64) std::array<T, w> totals{};
  activ::detail::lane_sums(rows.data()).store_aligned(totals.data());
  for (int r = 0; r < w; ++r) {
    INFO("row " << r << " of " << w);
    REQUIRE(totals[static_cast<std::size_t>(r)] == T(r * 100 * w + w * (w - 1) / 2));
  }
}

// The short-run walk (tiles of whole periods and batches) starts with the elements before the
// output's first aligned batch: every output offset within a batch, periods that divide the
// batch, straddle it or need a long tile (and one past tile_max), lengths below one tile, a few
// tiles and many, in place and not.
TEMPLATE_TEST_CASE("prelu: every output alignment and period of the tiled walk", "[prelu]", float, double) {
  using T = TestType;
  using Map = Eigen::TensorMap<Eigen::Tensor<T, 3>>;
  std::mt19937 g(11);
  // {inner, channels}. Periods 16 to 256 make tiles of 8 batches (SSE2, AVX2, AVX-512) and of 12
  // and 16 (AVX-512) in float or double, whose slope gradient keeps its accumulators in registers,
  // over more tiles than one fold takes (16). Periods of 2, 4, 8 and 16 innermost divide the
  // batch: forward and backward take one slope batch where the output is aligned or the call
  // short (under 1 Ki elements; outer 70 and 300 make longer ones), the tiled walk otherwise.
  // The slope gradient takes one slope batch for every period dividing the batch, inner 1 or not
  // ({2, 4}, {8, 2}: 8 and 16 elements).
  const std::array<std::array<Index, 2>, 17> shapes{{{1, 2}, {1, 3}, {1, 4}, {1, 5}, {1, 8}, {1, 16}, {2, 3},
                                                     {2, 4}, {8, 2}, {3, 37}, {1, 32}, {1, 64}, {4, 24},
                                                     {1, 128}, {1, 256}, {1, 1001}, {2, 700}}};
  for (const auto& [inner, channels] : shapes) {
    for (const Index outer : {Index(1), Index(3), Index(9), Index(70), Index(300)}) {
      const Index n = inner * channels * outer;
      // Outer 300 only for the short periods; outer 70 also for the periods of 128 and 256
      // elements, whose 70 tiles (with AVX-512: of 16 batches in float, 256, or in double, 128)
      // take more than one fold and a walk's last partial block.
      if (n > (outer == 70 ? 20000 : 8192)) continue;
      // From a 64-byte boundary, so that the offsets below put the output on and off the batch
      // alignment (16 floats or 8 doubles with AVX-512).
      std::vector<T, Eigen::aligned_allocator<T>> xs(static_cast<std::size_t>(n + 16)), dys(xs.size()),
          ys(xs.size()), dxs(xs.size());
      fill_random(xs.data(), Index(xs.size()), g);
      fill_random(dys.data(), Index(dys.size()), g, false);
      const activ::PReLU<T> p(random_slopes<T>(channels, g), 1);
      for (Index offset = 0; offset < 16; offset += (channels <= 16 ? 1 : 3)) {
        INFO("inner " << inner << ", channels " << channels << ", outer " << outer << ", output offset " << offset);
        const Map x(xs.data() + 3, inner, channels, outer), dy(dys.data() + 5, inner, channels, outer);
        Map y(ys.data() + offset, inner, channels, outer), dx(dxs.data() + offset, inner, channels, outer);
        Eigen::Array<T, Eigen::Dynamic, 1> da(channels);
        activ::forward(p, x, y);
        for (Index i = 0; i < n; ++i) REQUIRE(same(y.data()[i], ref_f(x.data()[i], p.alpha()[i / inner % channels])));
        activ::backward(p, x, dy, dx, da);
        std::vector<double> sums(static_cast<std::size_t>(channels), 0.0), mass(sums.size(), 0.0);
        for (Index i = 0; i < n; ++i) {
          const Index c = i / inner % channels;
          REQUIRE(same(dx.data()[i], T(dy.data()[i] * ref_d(x.data()[i], p.alpha()[c]))));
          sums[static_cast<std::size_t>(c)] += ref_term(x.data()[i], dy.data()[i]);
          mass[static_cast<std::size_t>(c)] += std::fabs(ref_term(x.data()[i], dy.data()[i]));
        }
        for (Index c = 0; c < channels; ++c) {
          REQUIRE(std::fabs(static_cast<double>(da[c]) - sums[static_cast<std::size_t>(c)]) <=
                  1e-6 * mass[static_cast<std::size_t>(c)] + 1e-30);
        }
        // In place at the same offset: y = x, dx = dy.
        std::copy_n(x.data(), n, y.data());
        activ::forward(p, y, y);
        for (Index i = 0; i < n; ++i) REQUIRE(same(y.data()[i], ref_f(x.data()[i], p.alpha()[i / inner % channels])));
        std::copy_n(dy.data(), n, dx.data());
        activ::backward(p, x, dx, dx, da);
        for (Index i = 0; i < n; ++i) {
          REQUIRE(same(dx.data()[i], T(dy.data()[i] * ref_d(x.data()[i], p.alpha()[i / inner % channels]))));
        }
      }
    }
  }
}

TEMPLATE_TEST_CASE("prelu: dense containers of every kind", "[prelu]", float, double) {
  using T = TestType;
  using Col = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  using Row = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  std::mt19937 g(3);
  const Index rows = 37, cols = 45;
  Col x(rows, cols), dy(rows, cols);
  fill_random(x.data(), x.size(), g);
  fill_random(dy.data(), dy.size(), g, false);

  for (Index axis = 0; axis < 2; ++axis) {
    INFO("axis " << axis);
    const Index channels = axis == 0 ? rows : cols;
    const activ::PReLU<T> p(random_slopes<T>(channels, g), axis);
    // The reference, element by element.
    Col ey(rows, cols), edx(rows, cols);
    Eigen::Array<T, Eigen::Dynamic, 1> eda(channels);
    std::vector<double> sums(static_cast<std::size_t>(channels), 0.0);
    for (Index j = 0; j < cols; ++j) {
      for (Index i = 0; i < rows; ++i) {
        const Index c = axis == 0 ? i : j;
        ey(i, j) = ref_f(x(i, j), p.alpha()[c]);
        edx(i, j) = dy(i, j) * ref_d(x(i, j), p.alpha()[c]);
        sums[static_cast<std::size_t>(c)] += ref_term(x(i, j), dy(i, j));
      }
    }
    const auto check_dalpha = [&](const auto& da) {
      for (Index c = 0; c < channels; ++c) {
        REQUIRE(std::fabs(static_cast<double>(da(c)) - sums[static_cast<std::size_t>(c)]) <=
                1e-5 * (1 + std::fabs(sums[static_cast<std::size_t>(c)])));
      }
    };

    {  // column-major and row-major, alike and mixed
      Col yc(rows, cols), dxc(rows, cols);
      Row yr(rows, cols), dxr(rows, cols);
      const Row xr = x, dyr = dy;
      Eigen::Array<T, Eigen::Dynamic, 1> da(channels);
      activ::forward(p, x, yc);
      activ::forward(p, xr, yr);
      CHECK(yc == ey);
      CHECK(yr == ey);
      activ::forward(p, xr, yc);  // x row-major, y column-major
      CHECK(yc == ey);
      activ::backward(p, xr, dy, dxr, da);
      CHECK(dxr == edx);
      check_dalpha(da);
      activ::backward(p, x, dyr, dxc, da);
      CHECK(dxc == edx);
      check_dalpha(da);
    }
    {  // Blocks (contiguous or not), Maps, temporaries as outputs, expressions as inputs
      Col big = Col::Constant(rows + 6, cols + 4, T(9)), ybig = Col::Constant(rows + 6, cols + 4, T(9));
      big.block(2, 1, rows, cols) = x;
      activ::forward(p, big.block(2, 1, rows, cols), ybig.block(3, 2, rows, cols));  // strided both
      CHECK(ybig.block(3, 2, rows, cols) == ey);
      CHECK((ybig.leftCols(2).array() == T(9)).all());  // nothing written outside the block
      CHECK((ybig.topRows(3).array() == T(9)).all());

      Col y(rows, cols);
      activ::forward(p, x * T(1), y);  // an expression
      CHECK(y == ey);
      std::vector<T> raw(static_cast<std::size_t>(rows * cols));
      Eigen::Map<Col> mapped(raw.data(), rows, cols);
      activ::forward(p, Eigen::Map<const Col>(x.data(), rows, cols), mapped);
      CHECK(mapped == ey);
      if (axis == 1) {  // column by column, each a contiguous temporary view with one slope
        Col part(rows, cols);
        for (Index j = 0; j < cols; ++j) activ::forward(activ::PReLU<T>(p.alpha()[j]), x.col(j), part.col(j));
        CHECK(part == ey);
      } else {  // row by row: strided views
        Col part(rows, cols);
        for (Index i = 0; i < rows; ++i) activ::forward(activ::PReLU<T>(p.alpha()[i]), x.row(i), part.row(i));
        CHECK(part == ey);
      }
      Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> dabuf = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>::Zero(channels, 3);
      Col dx(rows, cols);
      activ::backward(p, x.array(), dy.array(), dx.array(), dabuf.col(1));  // dalpha as a Block
      CHECK(dx == edx);
      check_dalpha(dabuf.col(1));
      CHECK((dabuf.col(0) == T(0)).all());
      Eigen::Matrix<T, 1, Eigen::Dynamic> darow(channels);
      activ::backward(p, x, dy, dx, darow);  // or a row vector
      check_dalpha(darow);
    }
    {  // in place
      Col y = x;
      activ::forward(p, y, y);
      CHECK(y == ey);
      Col d = dy;
      activ::backward(p, x, d, d);  // dx overwrites dy
      CHECK(d == edx);
      Col dd = dy;
      Eigen::Array<T, Eigen::Dynamic, 1> da(channels);
      activ::backward(p, x, dd, dd, da);
      CHECK(dd == edx);
      check_dalpha(da);
    }
  }
  SECTION("apply returns the same kind of object") {
    const activ::PReLU<T> p(T(0.5));
    const auto ya = activ::apply(p, x.array());
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(ya)>, Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>>);
    const auto ym = activ::apply(p, Row(x));
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(ym)>, Row>);
    CHECK(ym(3, 4) == ref_f(x(3, 4), T(0.5)));
    Eigen::Tensor<T, 3, Eigen::RowMajor> t(2, 3, 4);
    t.setConstant(T(-2));
    const auto yt = activ::apply(activ::PReLU<T>(3, 1, T(0.5)), t);
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(yt)>, Eigen::Tensor<T, 3, Eigen::RowMajor>>);
    CHECK(yt(1, 2, 3) == T(-1));
  }
}

TEMPLATE_TEST_CASE("prelu: tensor views, expressions and other layouts", "[prelu]", float, double) {
  using T = TestType;
  std::mt19937 g(4);
  Eigen::Tensor<T, 3> x(6, 5, 40), dy(6, 5, 40), y(6, 5, 40), ey(6, 5, 40), edx(6, 5, 40);
  fill_random(x.data(), x.size(), g);
  fill_random(dy.data(), dy.size(), g, false);
  const activ::PReLU<T> p(random_slopes<T>(5, g), 1);
  for (Index i = 0; i < x.size(); ++i) {
    const Index c = unravel<Eigen::ColMajor>(i, std::array<Index, 3>{6, 5, 40})[1];
    ey.data()[i] = ref_f(x.data()[i], p.alpha()[c]);
    edx.data()[i] = dy.data()[i] * ref_d(x.data()[i], p.alpha()[c]);
  }
  const auto equal = [](const auto& a, const auto& b) {
    for (Index i = 0; i < a.dimension(0); ++i)
      for (Index j = 0; j < a.dimension(1); ++j)
        for (Index k = 0; k < a.dimension(2); ++k)
          if (!same(a(i, j, k), b(i, j, k))) return false;
    return true;
  };
  SECTION("TensorMap output, expression input") {
    std::vector<T> raw(static_cast<std::size_t>(x.size()));
    Eigen::TensorMap<Eigen::Tensor<T, 3>> out(raw.data(), 6, 5, 40);
    activ::forward(p, x * T(1), out);
    CHECK(equal(out, ey));
  }
  SECTION("row-major input, column-major output, and back") {
    const Eigen::Tensor<T, 3, Eigen::RowMajor> xr = x.swap_layout().shuffle(std::array<Index, 3>{2, 1, 0});
    activ::forward(p, xr, y);
    CHECK(equal(y, ey));
    Eigen::Tensor<T, 3, Eigen::RowMajor> yr(6, 5, 40), dxr(6, 5, 40);
    activ::forward(p, x, yr);
    CHECK(equal(yr, ey));
    activ::backward(p, xr, dy, dxr);
    CHECK(equal(dxr, edx));
  }
  SECTION("a slice as the output (a writable expression)") {
    Eigen::Tensor<T, 3> big(8, 5, 40);
    big.setConstant(T(9));
    activ::forward(p, x, big.slice(std::array<Index, 3>{1, 0, 0}, std::array<Index, 3>{6, 5, 40}));
    const Eigen::Tensor<T, 3> inner = big.slice(std::array<Index, 3>{1, 0, 0}, std::array<Index, 3>{6, 5, 40});
    CHECK(equal(inner, ey));
    CHECK(big(0, 2, 3) == T(9));
    CHECK(big(7, 4, 39) == T(9));
  }
  SECTION("TensorFixedSize") {
    Eigen::TensorFixedSize<T, Eigen::Sizes<2, 3>> xf, yf;
    xf.setValues({{-1, 2, -3}, {4, -5, 0}});
    activ::forward(activ::PReLU<T>(3, 1, T(0.5)), xf, yf);
    CHECK(yf(0, 0) == T(-0.5));
    CHECK(yf(1, 1) == T(-2.5));
    CHECK(yf(1, 0) == T(4));
  }
  SECTION("in place on a tensor") {
    Eigen::Tensor<T, 3> z = x;
    activ::forward(p, z, z);
    CHECK(equal(z, ey));
  }
}

TEMPLATE_TEST_CASE("prelu: an output overlapping an input is computed as if the input were copied first", "[prelu]",
                   float, double) {
  // The output one element past x (or dy) in the same buffer: read where it stands, later
  // batches would see elements the call has already overwritten. 4 channels innermost (one
  // slope batch) and 12 outermost (runs of 4), both forms of the forward (slopes in and out of
  // 0 < a <= 1), dense and tensor, every call that writes one output.
  using T = TestType;
  std::mt19937 g(21);
  for (const Index axis : {Index(0), Index(1)}) {
    for (const bool max_form : {true, false}) {
      const Index channels = axis == 0 ? 4 : 12;
      typename activ::PReLU<T>::slopes_type a(channels);
      for (Index c = 0; c < channels; ++c) a(c) = max_form ? T(0.125) * T(c % 4 + 1) : T(c % 3) - T(0.75);
      const activ::PReLU<T> p(a, axis);
      const auto channel = [&](std::size_t k) { return axis == 0 ? Index(k % 4) : Index(k / 4); };
      std::vector<T> buf0(49), dy(48);
      fill_random(buf0.data(), 49, g);
      fill_random(dy.data(), 48, g);

      std::vector<T> buf = buf0;
      Eigen::TensorMap<Eigen::Tensor<T, 2>> y(buf.data() + 1, 4, 12);
      activ::forward(p, Eigen::TensorMap<const Eigen::Tensor<T, 2>>(buf.data(), 4, 12), y);
      for (std::size_t k = 0; k < 48; ++k) CHECK(same(buf[k + 1], ref_f(buf0[k], a(channel(k)))));
      CHECK(buf[0] == buf0[0]);

      buf = buf0;
      Eigen::Map<Eigen::Matrix<T, 4, 12>> d(buf.data() + 1);
      activ::derivative(p, Eigen::Map<const Eigen::Matrix<T, 4, 12>>(buf.data()), d);
      for (std::size_t k = 0; k < 48; ++k) CHECK(same(buf[k + 1], ref_d(buf0[k], a(channel(k)))));

      // dx one element past dy, x elsewhere; then past x, dy elsewhere.
      buf = buf0;
      const Eigen::Map<const Eigen::Matrix<T, 4, 12>> x_apart(dy.data());
      Eigen::Map<Eigen::Matrix<T, 4, 12>> dx(buf.data() + 1);
      activ::backward(p, x_apart, Eigen::Map<const Eigen::Matrix<T, 4, 12>>(buf.data()), dx);
      for (std::size_t k = 0; k < 48; ++k) CHECK(same(buf[k + 1], T(buf0[k] * ref_d(dy[k], a(channel(k))))));
      buf = buf0;
      activ::backward(p, Eigen::Map<const Eigen::Matrix<T, 4, 12>>(buf.data()), x_apart, dx);
      for (std::size_t k = 0; k < 48; ++k) CHECK(same(buf[k + 1], T(dy[k] * ref_d(buf0[k], a(channel(k))))));
    }
  }
}

TEMPLATE_TEST_CASE("prelu: dx and dalpha against central differences", "[prelu]", float, double) {
  using T = TestType;
  using Tensor = Eigen::Tensor<T, 3, Eigen::RowMajor>;
  std::mt19937 g(5);
  Tensor x(3, 4, 5), dy(3, 4, 5), dx(3, 4, 5);
  // Away from the kink by more than the step, where f is linear and the difference exact up
  // to rounding.
  const double h = std::is_same_v<T, float> ? 1e-2 : 1e-5;
  for (Index i = 0; i < x.size(); ++i) {
    const T v = uniform<T>(g, 0.1, 2);
    x.data()[i] = i % 2 ? v : -v;
  }
  fill_random(dy.data(), dy.size(), g, false);
  for (Index axis = 0; axis < 3; ++axis) {
    activ::PReLU<T> p(random_slopes<T>(x.dimension(axis), g), axis);
    Eigen::Array<T, Eigen::Dynamic, 1> da(p.alpha().size());
    activ::backward(p, x, dy, dx, da);
    const double tol = std::is_same_v<T, float> ? 2e-3 : 1e-7;
    for (Index i = 0; i < x.size(); ++i) {
      Tensor xp = x, xm = x;
      xp.data()[i] += static_cast<T>(h);
      xm.data()[i] -= static_cast<T>(h);
      const double fd = (loss(p, xp, dy) - loss(p, xm, dy)) /
                        (static_cast<double>(xp.data()[i]) - static_cast<double>(xm.data()[i]));
      REQUIRE(std::fabs(fd - static_cast<double>(dx.data()[i])) <= tol * (1 + std::fabs(fd)));
    }
    for (Index c = 0; c < p.alpha().size(); ++c) {
      activ::PReLU<T> pp = p, pm = p;
      pp.alpha()[c] += static_cast<T>(h);
      pm.alpha()[c] -= static_cast<T>(h);
      const double fd = (loss(pp, x, dy) - loss(pm, x, dy)) /
                        (static_cast<double>(pp.alpha()[c]) - static_cast<double>(pm.alpha()[c]));
      REQUIRE(std::fabs(fd - static_cast<double>(da[c])) <= tol * (1 + std::fabs(fd)));
    }
  }
}

TEMPLATE_TEST_CASE("prelu: NaN, infinities, zeros and negative slopes", "[prelu]", float, double) {
  using T = TestType;
  using V = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  const T nan = nan_v<T>(), inf = inf_v<T>();
  Eigen::Array<T, Eigen::Dynamic, 1> a(4);
  a << T(0.25), T(-0.5), T(0), T(0.25);
  const activ::PReLU<T> p(a, 1);  // one slope per column
  V x(3, 4), dy = V::Constant(3, 4, T(2)), y(3, 4), d(3, 4), dx(3, 4);
  x << -inf, -inf, -inf, nan,  //
      inf, inf, T(0), T(-1),   //
      T(-0.0), T(3), T(-2), T(1);
  Eigen::Array<T, Eigen::Dynamic, 1> da(4);
  activ::forward(p, x, y);
  activ::derivative(p, x, d);
  activ::backward(p, x, dy, dx, da);
  CHECK(y(0, 0) == -inf);         // a > 0
  CHECK(y(0, 1) == inf);          // a < 0
  CHECK(std::isnan(y(0, 2)));     // a = 0: the IEEE product 0·inf
  CHECK(std::isnan(y(0, 3)));     // NaN in, NaN out
  CHECK(y(1, 0) == inf);
  CHECK(y(2, 0) == T(0));         // either zero
  CHECK(y(2, 1) == T(3));
  CHECK(y(2, 2) == T(0));         // slope 0: f(-2) = 0·(-2)
  CHECK(y(1, 3) == T(-0.25));
  CHECK(d(0, 0) == T(0.25));      // f'(-inf) = a
  CHECK(d(0, 1) == T(-0.5));
  CHECK(d(1, 0) == T(1));         // f'(+inf) = 1
  CHECK(d(1, 2) == T(0));         // f'(0) = a = 0 here
  CHECK(d(2, 0) == T(0.25));      // f'(-0) = a
  CHECK(std::isnan(d(0, 3)));
  CHECK(std::isnan(dx(0, 3)));
  CHECK(dx(2, 0) == T(0.5));      // at x = 0: dx = a·dy
  CHECK(dx(1, 1) == T(2));
  CHECK(dx(0, 1) == T(-1));
  CHECK(da[0] == -inf);           // -inf·2
  CHECK(da[1] == -inf);           // -inf·2 (+0 from x = 3)
  CHECK(da[2] == -inf);           // -inf·2 + 0·2 + -2·2
  CHECK(std::isnan(da[3]));       // the NaN's channel, and only it
}

// forward takes max(x, a·x) when every slope is <= 1 and not 0, and the select otherwise; both
// must give x > 0 ? x : a·x on every special value, on each kernel path (the tiled walk for
// short periods, short and long broadcast runs), and the functor's scalar call the same.
TEMPLATE_TEST_CASE("prelu: forward's two formulas on special values and every slope kind", "[prelu]", float,
                   double) {
  using T = TestType;
  using L = std::numeric_limits<T>;
  using V = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  const T specials[] = {T(0),         T(-0.0),      L::denorm_min(), -L::denorm_min(), L::min(), -L::min(),
                        T(1),         T(-1),        T(0.3),          T(-0.3),          L::max(), -L::max(),
                        L::infinity(), -L::infinity(), L::quiet_NaN()};
  const std::vector<std::vector<T>> slope_sets = {
      {T(0.25), T(-0.5), T(1), T(1e-3), T(-3)},  // the max formula
      {T(0), T(2.5), T(-1), T(0.5), T(-0.0)},    // the select: zero slopes
      {T(3), T(1.5), T(1e30), T(1.0001), T(2)},   // the select: slopes above 1
  };
  std::mt19937 g(11);
  for (const auto& set : slope_sets) {
    // (rows, cols, axis): channels along rows with 5 rows (a tiled walk of period 5), along the
    // columns with runs of 45 and of 1500 (short and long broadcast runs).
    for (const auto& [rows, cols, axis] : {std::array<Index, 3>{5, 60, 0}, std::array<Index, 3>{45, 5, 1},
                                           std::array<Index, 3>{1500, 5, 1}}) {
      const Index channels = axis == 0 ? rows : cols;
      Eigen::Array<T, Eigen::Dynamic, 1> a(channels);
      for (Index c = 0; c < channels; ++c) a[c] = set[static_cast<std::size_t>(c) % set.size()];
      const activ::PReLU<T> p(a, axis);
      V x(rows, cols), y(rows, cols);
      fill_random(x.data(), x.size(), g);
      for (Index i = 0; i < x.size(); i += 3) x.data()[i] = specials[static_cast<std::size_t>(i / 3) % std::size(specials)];
      activ::forward(p, x, y);
      for (Index j = 0; j < cols; ++j) {
        for (Index i = 0; i < rows; ++i) {
          const Index c = axis == 0 ? i : j;
          INFO("slope " << a[c] << ", x " << x(i, j));
          REQUIRE(same(y(i, j), ref_f(x(i, j), a[c])));
          const T scalar = p(x(i, j), c);
          REQUIRE((std::isnan(scalar) ? std::isnan(y(i, j)) : scalar == y(i, j)));
        }
      }
    }
  }
}

// forward takes max(x, a·x) only when every slope is in (0, 1] (detail::slopes_take_max, by
// batches): one slope of another kind, at any position of up to 40 (a partial last batch, or
// fewer slopes than a batch), must send the call to the select. Each kind fails the max
// formula on one of the inputs: a slope of 1.5 on x = 1, 0 on x = +inf (max(inf, NaN)), NaN
// on x = 1.
TEMPLATE_TEST_CASE("prelu: one slope outside 0 < a <= 1 at any position selects forward's general formula", "[prelu]",
                   float, double) {
  using T = TestType;
  const T kinds[] = {T(1.5), T(0), T(-0.0), nan_v<T>(), inf_v<T>()};
  const T inputs[] = {T(1), inf_v<T>(), T(-2), T(0.5)};
  for (Index n = 1; n <= 40; ++n) {
    for (const T bad : kinds) {
      for (Index at = 0; at < n; ++at) {
        Eigen::Array<T, Eigen::Dynamic, 1> a = Eigen::Array<T, Eigen::Dynamic, 1>::Constant(n, T(0.25));
        a[at] = bad;
        const activ::PReLU<T> p(a, 0);
        Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> x(n, 4), y(n, 4);
        for (Index j = 0; j < 4; ++j) x.col(j).setConstant(inputs[j]);
        activ::forward(p, x, y);
        for (Index j = 0; j < 4; ++j) {
          for (Index i = 0; i < n; ++i) {
            INFO(n << " slopes, slope " << a[i] << " at " << i << ", x " << x(i, j));
            REQUIRE(same(y(i, j), ref_f(x(i, j), a[i])));
          }
        }
      }
    }
  }
}

TEMPLATE_TEST_CASE("prelu: accumulate mode", "[prelu]", float, double) {
  using T = TestType;
  std::mt19937 g(6);
  Eigen::Tensor<T, 2> x(300, 4), dy(300, 4), dx(300, 4);
  fill_random(x.data(), x.size(), g);
  fill_random(dy.data(), dy.size(), g, false);
  const activ::PReLU<T> p(random_slopes<T>(4, g), 1);
  Eigen::Array<T, Eigen::Dynamic, 1> once(4), acc(4), start(4);
  start << 1, -2, 0.5, 100;
  activ::backward(p, x, dy, dx, once);
  acc = start;
  activ::backward(p, x, dy, dx, acc, activ::accumulate);
  for (Index c = 0; c < 4; ++c) CHECK(acc[c] == Approx(start[c] + once[c]).epsilon(1e-6));
  activ::backward(p, x, dy, dx, acc, activ::accumulate);
  for (Index c = 0; c < 4; ++c) CHECK(acc[c] == Approx(start[c] + 2 * once[c]).epsilon(1e-6));
  // Overwrite mode ignores what was there, also for an empty input.
  Eigen::Tensor<T, 2> none(0, 4);
  activ::backward(p, none, none, none, acc);
  CHECK((acc == T(0)).all());
  acc = start;
  activ::backward(p, none, none, none, acc, activ::accumulate);
  CHECK((acc == start).all());
}

TEMPLATE_TEST_CASE("prelu: float slope gradient of 4 channels x 2^20 within 1e-5 of a double sum", "[prelu]",
                   float, double) {
  using T = TestType;
  const Index n = Index(1) << 20;
  std::mt19937 g(7);
  for (Index axis = 0; axis < 2; ++axis) {
    // axis 0 of [4 x n] puts the channel innermost (the slope pattern path); axis 1 of
    // [n x 4] gives each channel one run of 2^20 (the broadcast path).
    const std::array<Index, 2> dims = axis == 0 ? std::array<Index, 2>{4, n} : std::array<Index, 2>{n, 4};
    Eigen::Tensor<T, 2> x(dims), dy(dims), dx(dims);
    for (bool mixed_signs : {false, true}) {
      for (Index i = 0; i < x.size(); ++i) {
        x.data()[i] = uniform<T>(g, -1, 1);
        dy.data()[i] = uniform<T>(g, mixed_signs ? -1 : 0, 1);
      }
      const activ::PReLU<T> p(4, axis, T(0.25));
      Eigen::Array<T, Eigen::Dynamic, 1> da(4);
      activ::backward(p, x, dy, dx, da);
      std::array<double, 4> exact{}, mass{};
      for (Index i = 0; i < x.size(); ++i) {
        const Index c = axis == 0 ? i % 4 : i / n;
        exact[static_cast<std::size_t>(c)] += ref_term(x.data()[i], dy.data()[i]);
        mass[static_cast<std::size_t>(c)] += std::fabs(ref_term(x.data()[i], dy.data()[i]));
      }
      for (std::size_t c = 0; c < 4; ++c) {
        // Same-sign terms: relative to the sum. Mixed signs cancel, so the bar is relative to
        // the sum of magnitudes (the condition of the sum).
        const double scale = mixed_signs ? mass[c] : std::fabs(exact[c]);
        const double rel = std::fabs(static_cast<double>(da[static_cast<Index>(c)]) - exact[c]) / scale;
        INFO("axis " << axis << ", channel " << c << (mixed_signs ? ", mixed signs" : ", one sign")
                     << ": relative error " << rel);
        CHECK(rel <= 1e-5);
      }
    }
  }
}

TEMPLATE_TEST_CASE("prelu: errors name the call, the expected and the actual, and write nothing", "[prelu]",
                   float, double) {
  using T = TestType;
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  const M x = M::Ones(3, 4), dy = M::Ones(3, 4);
  M y = M::Constant(3, 4, T(7));
  Eigen::Array<T, Eigen::Dynamic, 1> da = Eigen::Array<T, Eigen::Dynamic, 1>::Constant(4, T(7));
  const auto untouched = [&] {
    CHECK((y.array() == T(7)).all());
    CHECK((da == T(7)).all());
  };

  SECTION("slope count neither 1 nor the axis size") {
    const activ::PReLU<T> p(5, 1);
    CHECK_THROWS_AS(activ::forward(p, x, y), std::invalid_argument);
    CHECK_THROWS_WITH(activ::forward(p, x, y),
                      Contains("activ::forward") && Contains("5 slopes") && Contains("expected 1 or 4"));
    CHECK_THROWS_WITH(activ::derivative(p, x, y), Contains("activ::derivative") && Contains("5 slopes"));
    CHECK_THROWS_WITH(activ::backward(p, x, dy, y), Contains("activ::backward") && Contains("5 slopes"));
    CHECK_THROWS_WITH(activ::backward(p, x, dy, y, da), Contains("activ::backward") && Contains("5 slopes"));
    untouched();
  }
  SECTION("axis out of range") {
    const activ::PReLU<T> p(4, 2);
    CHECK_THROWS_WITH(activ::forward(p, x, y), Contains("activ::forward") && Contains("axis 2 is out of range") &&
                                                   Contains("[3 x 4]") && Contains("expected 0 … 1"));
    CHECK_THROWS_AS(activ::backward(p, x, dy, y, da), std::invalid_argument);
    Eigen::Tensor<T, 3> t(2, 2, 2), u(2, 2, 2);
    u.setConstant(T(7));
    CHECK_THROWS_WITH(activ::forward(activ::PReLU<T>(2, 3), t, u), Contains("axis 3 is out of range"));
    CHECK(u(1, 1, 1) == T(7));
    untouched();
  }
  SECTION("shapes that do not match") {
    const activ::PReLU<T> p(4, 1);
    M small = M::Constant(3, 3, T(7));
    CHECK_THROWS_WITH(activ::forward(p, x, small),
                      Contains("activ::forward") && Contains("y has shape [3 x 3]") && Contains("expected [3 x 4]"));
    CHECK_THROWS_WITH(activ::backward(p, x, M::Ones(4, 3), y), Contains("dy has shape [4 x 3]"));
    CHECK_THROWS_WITH(activ::backward(p, x, dy, small, da), Contains("dx has shape [3 x 3]"));
    CHECK((small.array() == T(7)).all());
    Eigen::Tensor<T, 2> t(3, 4), u(4, 3);
    u.setConstant(T(7));
    CHECK_THROWS_WITH(activ::forward(p, t, u), Contains("y has shape [4 x 3], expected [3 x 4]"));
    CHECK(u(0, 0) == T(7));
    untouched();
  }
  SECTION("dalpha of the wrong size") {
    const activ::PReLU<T> p(4, 1);
    Eigen::Array<T, Eigen::Dynamic, 1> three = Eigen::Array<T, Eigen::Dynamic, 1>::Constant(3, T(7));
    CHECK_THROWS_WITH(activ::backward(p, x, dy, y, three),
                      Contains("activ::backward") && Contains("dalpha has shape [3 x 1]") &&
                          Contains("expected a vector of 4"));
    Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> square = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>::Constant(2, 2, T(7));
    CHECK_THROWS_WITH(activ::backward(p, x, dy, y, square, activ::accumulate), Contains("dalpha has shape [2 x 2]"));
    CHECK((three == T(7)).all());
    CHECK((square == T(7)).all());
    untouched();
  }
  SECTION("constructors") {
    CHECK_THROWS_WITH(activ::PReLU<T>(-1, 0), Contains("activ::PReLU") && Contains("channels must be >= 0, got -1"));
    CHECK_THROWS_WITH(activ::PReLU<T>(3, -2), Contains("axis must be >= 0, got -2"));
    CHECK_THROWS_AS(activ::PReLU<T>(Eigen::Array<T, Eigen::Dynamic, 1>::Ones(3), -1), std::invalid_argument);
  }
  SECTION("slopes resized through alpha() are checked at the next call") {
    activ::PReLU<T> p(4, 1);
    p.alpha().resize(2);
    CHECK_THROWS_WITH(activ::forward(p, x, y), Contains("2 slopes"));
    p.alpha() = Eigen::Array<T, Eigen::Dynamic, 1>::Constant(1, T(0.5));  // one slope: shared
    activ::forward(p, x, y);
    CHECK((y.array() == T(1)).all());
  }
}
