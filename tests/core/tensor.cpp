// Every tensor container kind of SPEC §3 gives, per logical element, the scalar functor's bits.
#include <activ/activ.hpp>
#include <catch2/catch.hpp>
#include <unsupported/Eigen/CXX11/Tensor>

#include "support/check.hpp"
#include "support/functors.hpp"

using namespace activ::testing;

namespace {

template <class T, int R, int L>
Eigen::Tensor<T, R, L> random_tensor(const std::array<Eigen::Index, R>& dims, unsigned seed) {
  Eigen::Tensor<T, R, L> t(dims);
  const std::vector<T> v = mixed_values<T>(static_cast<std::size_t>(t.size()), seed);
  std::copy(v.begin(), v.end(), t.data());
  return t;
}

// Visits every logical index of dims, in order, as an std::array.
template <int R, class Visit>
void for_each_index(const std::array<Eigen::Index, R>& dims, Visit visit) {
  std::array<Eigen::Index, R> idx{};
  Eigen::Index total = 1;
  for (const Eigen::Index d : dims) total *= d;
  for (Eigen::Index k = 0; k < total; ++k) {
    visit(idx);
    for (int r = 0; r < R; ++r) {
      if (++idx[r] < dims[r]) break;
      idx[r] = 0;
    }
  }
}

template <class X, class Y, class G, int R>
bool logical_equal(const X& x, const Y& y, G g, const std::array<Eigen::Index, R>& dims) {
  bool ok = true;
  for_each_index<R>(dims, [&](const auto& i) { ok = ok && same_bits(y(i), g(x(i))); });
  return ok;
}

template <class T, int R>
void check_rank(const std::array<Eigen::Index, R>& dims) {
  using ColT = Eigen::Tensor<T, R, Eigen::ColMajor>;
  using RowT = Eigen::Tensor<T, R, Eigen::RowMajor>;
  const ColT x = random_tensor<T, R, Eigen::ColMajor>(dims, 17 + R);
  RowT xr(dims);
  for_each_index<R>(dims, [&](const auto& i) { xr(i) = x(i); });
  for_each_functor<T>([&](const char* name, const auto& f) {
    INFO(name << ", rank " << R);
    const auto fx = [&](T v) { return f(v); };
    const auto dfx = [&](T v) { return f.derivative(v); };
    ColT y(dims);
    activ::forward(f, x, y);
    CHECK(logical_equal<ColT, ColT, decltype(fx), R>(x, y, fx, dims));
    RowT yr(dims);
    activ::forward(f, x, yr);  // layouts differ: logical indices still match
    CHECK(logical_equal<ColT, RowT, decltype(fx), R>(x, yr, fx, dims));
    activ::derivative(f, xr, y);
    CHECK(logical_equal<ColT, ColT, decltype(dfx), R>(x, y, dfx, dims));
    // TensorMap output over raw storage, expression input.
    std::vector<T> storage(static_cast<std::size_t>(x.size()));
    activ::forward(f, x * x.constant(T(1)), Eigen::TensorMap<ColT>(storage.data(), dims));
    const Eigen::TensorMap<const ColT> ym(storage.data(), dims);
    CHECK(logical_equal<ColT, decltype(ym), decltype(fx), R>(x, ym, fx, dims));
    // backward with mixed layouts, and apply.
    const RowT dy = random_tensor<T, R, Eigen::RowMajor>(dims, 99);
    ColT dx(dims);
    activ::backward(f, xr, dy, dx);
    bool ok = true;
    for_each_index<R>(dims, [&](const auto& i) { ok = ok && same_bits(dx(i), T(dy(i) * f.derivative(x(i)))); });
    CHECK(ok);
    const auto a = activ::apply(f, xr);
    STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(a)>, RowT>);
    CHECK(logical_equal<RowT, RowT, decltype(fx), R>(xr, a, fx, dims));
    // In place.
    ColT z = x;
    activ::forward(f, z, z);
    CHECK(logical_equal<ColT, ColT, decltype(fx), R>(x, z, fx, dims));
  });
}

}  // namespace

TEMPLATE_TEST_CASE("Tensors of rank 1 to 5, both layouts, maps and expressions", "[tensor]", float, double) {
  using T = TestType;
  check_rank<T, 1>({37});
  check_rank<T, 2>({5, 9});
  check_rank<T, 3>({3, 4, 7});
  check_rank<T, 4>({2, 3, 5, 3});
  check_rank<T, 5>({2, 2, 3, 2, 5});
}

TEMPLATE_TEST_CASE("TensorFixedSize and writable tensor expressions as outputs", "[tensor]", float, double) {
  using T = TestType;
  Eigen::TensorFixedSize<T, Eigen::Sizes<3, 4>> x;
  const std::vector<T> v = mixed_values<T>(12, 4);
  std::copy(v.begin(), v.end(), x.data());
  activ::Tanh<T> f;
  Eigen::TensorFixedSize<T, Eigen::Sizes<3, 4>> y;
  activ::forward(f, x, y);
  bool ok = true;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) ok = ok && same_bits(y(i, j), f(x(i, j)));
  CHECK(ok);
  // A chip of a bigger tensor as the output: computed, then assigned through the expression.
  Eigen::Tensor<T, 3> big(2, 3, 4);
  big.setConstant(T(8));
  activ::forward(f, x, big.chip(1, 0));
  ok = true;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) ok = ok && same_bits(big(1, i, j), f(x(i, j))) && big(0, i, j) == T(8);
  CHECK(ok);
}
