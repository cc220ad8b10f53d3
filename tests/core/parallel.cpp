// The thread-pool overloads (core/parallel.hpp): bitwise the results of one thread for 1 to 4
// threads, at lengths that leave the pool idle (0, 1, 7) and one that splits (1000003), on
// raw pointers and containers; streamed runs; shape errors before any write.
#include <activ/core/parallel.hpp>  // first: it defines EIGEN_USE_THREADS for Eigen's Tensor header

#include <Eigen/Dense>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>
#include <unsupported/Eigen/CXX11/Tensor>
#include <vector>

#include "support/functors.hpp"

using namespace activ::testing;

namespace {

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

template <class T, class Eigen1, class Eigen2>
bool same_bits(const Eigen1& a, const Eigen2& b) {
  return a.size() == b.size() && (a.size() == 0 || std::memcmp(a.data(), b.data(), std::size_t(a.size()) * sizeof(T)) == 0);
}

// A pool of k threads and its device, as a user sets them up.
struct Pool {
  explicit Pool(int k) : pool(k), device(&pool, k) {}
  Eigen::ThreadPool pool;
  Eigen::ThreadPoolDevice device;
};

const std::ptrdiff_t lengths[] = {0, 1, 7, 1000003};

}  // namespace

TEMPLATE_TEST_CASE("Threaded raw-pointer calls equal one thread bitwise", "[parallel][raw]", float, double) {
  using T = TestType;
  for (int k = 1; k <= 4; ++k) {
    Pool p(k);
    for (const std::ptrdiff_t n : lengths) {
      const std::vector<T> x = mixed_values<T>(std::size_t(n), 3), dy = mixed_values<T>(std::size_t(n), 4);
      for_each_functor<T>([&](const char* name, const auto& f) {
        INFO(name << ", " << k << " threads, n = " << n);
        std::vector<T> one(std::size_t(n), T(7)), many(one);
        activ::forward(f, x.data(), one.data(), n);
        activ::forward(p.device, f, x.data(), many.data(), n);
        CHECK(same_bits(one, many));
        const std::vector<T> y = one;
        activ::derivative(f, x.data(), one.data(), n);
        activ::derivative(p.device, f, x.data(), many.data(), n);
        CHECK(same_bits(one, many));
        activ::backward(f, x.data(), dy.data(), one.data(), n);
        activ::backward(p.device, f, x.data(), dy.data(), many.data(), n);
        CHECK(same_bits(one, many));
        activ::backward_from_output(f, y.data(), dy.data(), one.data(), n);
        activ::backward_from_output(p.device, f, y.data(), dy.data(), many.data(), n);
        CHECK(same_bits(one, many));
        // In place, and from an output start that is not aligned.
        many = x;
        activ::forward(p.device, f, many.data(), many.data(), n);
        CHECK(same_bits(y, many));
        if (n > 1) {
          std::vector<T> shifted(std::size_t(n) + 1, T(7));
          activ::forward(p.device, f, x.data() + 1, shifted.data() + 1, n - 1);
          CHECK(std::memcmp(shifted.data() + 1, y.data() + 1, std::size_t(n - 1) * sizeof(T)) == 0);
          CHECK(shifted[0] == T(7));
        }
      });
    }
  }
}

TEMPLATE_TEST_CASE("Threaded container calls equal one thread bitwise", "[parallel][containers]", float, double) {
  using T = TestType;
  using A = Eigen::Array<T, Eigen::Dynamic, 1>;
  for (int k = 1; k <= 4; ++k) {
    Pool p(k);
    for (const std::ptrdiff_t n : lengths) {
      const std::vector<T> xv = mixed_values<T>(std::size_t(n), 5), dyv = mixed_values<T>(std::size_t(n), 6);
      const Eigen::Map<const A> x(xv.data(), n), dy(dyv.data(), n);
      for_each_functor<T>([&](const char* name, const auto& f) {
        INFO(name << ", " << k << " threads, n = " << n);
        A one(n), many(n);
        activ::forward(f, x, one);
        activ::forward(p.device, f, x, many);
        CHECK(same_bits<T>(one, many));
        const A y = one;
        activ::derivative(f, x, one);
        activ::derivative(p.device, f, x, many);
        CHECK(same_bits<T>(one, many));
        activ::backward(f, x, dy, one);
        activ::backward(p.device, f, x, dy, many);
        CHECK(same_bits<T>(one, many));
        activ::backward_from_output(f, y, dy, one);
        activ::backward_from_output(p.device, f, y, dy, many);
        CHECK(same_bits<T>(one, many));
        // Tensors, and an expression as input.
        Eigen::TensorMap<const Eigen::Tensor<T, 1>> tx(xv.data(), n);
        Eigen::Tensor<T, 1> t1(n), tk(n);
        activ::forward(f, tx * T(0.5), t1);
        activ::forward(p.device, f, tx * T(0.5), tk);
        CHECK(same_bits<T>(t1, tk));
      });
    }
  }
}

TEMPLATE_TEST_CASE("Threaded calls on views that are not one run", "[parallel][containers]", float, double) {
  using T = TestType;
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using R = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const std::vector<T> v = mixed_values<T>(700 * 1500, 8);
  const Eigen::Map<const M> x(v.data(), 700, 1500);
  Pool p(3);
  for_each_functor<T>([&](const char* name, const auto& f) {
    INFO(name);
    // Mixed storage orders go through contiguous temporaries, then one threaded run.
    R one(700, 1500), many(700, 1500);
    activ::forward(f, x, one);
    activ::forward(p.device, f, x, many);
    CHECK(same_bits<T>(one, many));
    // A block: column by column.
    M b1 = M::Constant(700, 1500, T(7)), bk = b1;
    activ::forward(f, x.block(1, 2, 698, 1497), b1.block(1, 2, 698, 1497));
    activ::forward(p.device, f, x.block(1, 2, 698, 1497), bk.block(1, 2, 698, 1497));
    CHECK(same_bits<T>(b1, bk));
  });
}

// Past core/loop.hpp's stream_min_bytes the output is written with streaming stores: the same
// bits as the in-place run, which never streams, from an unaligned output and on threads.
TEMPLATE_TEST_CASE("Streamed runs equal unstreamed ones bitwise", "[parallel][loop][stream]", float, double) {
  using T = TestType;
  const std::ptrdiff_t n = std::ptrdiff_t(activ::detail::stream_min_bytes / sizeof(T)) + 13;
  const std::vector<T> x = mixed_values<T>(std::size_t(n), 9);
  Pool p(2);
  for_each_functor<T>([&](const char* name, const auto& f) {
    INFO(name);
    std::vector<T> in_place = x;
    activ::forward(f, in_place.data(), in_place.data(), n);
    std::vector<T> streamed(std::size_t(n) + 1, T(7));
    activ::forward(f, x.data(), streamed.data() + 1, n);
    CHECK(std::memcmp(streamed.data() + 1, in_place.data(), std::size_t(n) * sizeof(T)) == 0);
    CHECK(streamed[0] == T(7));
    std::vector<T> threaded(std::size_t(n), T(7));
    activ::forward(p.device, f, x.data(), threaded.data(), n);
    CHECK(same_bits(threaded, in_place));
  });
}

namespace {

// Sigmoid that notes which threads ran it: lets a test see whether the pool was used.
struct Witness : activ::Sigmoid<float> {
  std::mutex* lock;
  std::set<std::thread::id>* seen;
  template <class V>
  V operator()(const V& x) const noexcept {
    const std::lock_guard<std::mutex> hold(*lock);
    seen->insert(std::this_thread::get_id());
    return activ::Sigmoid<float>::operator()(x);
  }
};

}  // namespace

TEST_CASE("Short runs stay on the calling thread; long ones use the pool", "[parallel]") {
  Pool p(2);
  std::mutex lock;
  std::set<std::thread::id> seen;
  const Witness w{{}, &lock, &seen};
  const auto piece = activ::detail::min_piece<activ::detail::forward_op<Witness>>;
  std::vector<float> x(std::size_t(piece), 0.5f), y(x.size());
  activ::forward(p.device, w, x.data(), y.data(), std::ptrdiff_t(x.size()));
  CHECK(seen == std::set<std::thread::id>{std::this_thread::get_id()});
  seen.clear();
  x.resize(4 * x.size(), 0.5f);
  y.resize(x.size());
  activ::forward(p.device, w, x.data(), y.data(), std::ptrdiff_t(x.size()));
  CHECK(seen.size() == 2);
  CHECK(seen.count(std::this_thread::get_id()) == 1);
}

TEMPLATE_TEST_CASE("Threaded calls check shapes and pointers before writing", "[parallel][errors]", float, double) {
  using T = TestType;
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  Pool p(2);
  const activ::Tanh<T> f;
  const M x = M::Random(300, 400);
  M y = M::Constant(400, 300, T(7));
  CHECK_THROWS_AS(activ::forward(p.device, f, x, y), std::invalid_argument);
  CHECK_THROWS_WITH(activ::forward(p.device, f, x, y), Catch::Contains("activ::forward") &&
                                                             Catch::Contains("[400 x 300]") &&
                                                             Catch::Contains("[300 x 400]"));
  M dx = M::Constant(300, 400, T(7));
  const M dy = M::Random(300, 401);
  CHECK_THROWS_WITH(activ::backward(p.device, f, x, dy, dx), Catch::Contains("activ::backward") && Catch::Contains("dy"));
  CHECK_THROWS_AS(activ::backward_from_output(p.device, f, x, dy, dx), std::invalid_argument);
  CHECK_THROWS_AS(activ::derivative(p.device, f, x, y), std::invalid_argument);
  CHECK((y.array() == T(7)).all());
  CHECK((dx.array() == T(7)).all());
  Eigen::Tensor<T, 2> tx(3, 4), ty(4, 3);
  tx.setRandom();
  ty.setConstant(T(7));
  CHECK_THROWS_AS(activ::forward(p.device, f, tx, ty), std::invalid_argument);
  CHECK(std::all_of(ty.data(), ty.data() + ty.size(), [](T v) { return v == T(7); }));
  std::vector<T> out(4, T(7));
  CHECK_THROWS_WITH(activ::forward(p.device, f, x.data(), out.data(), -1), Catch::Contains("activ::forward"));
  CHECK_THROWS_WITH(activ::backward(p.device, f, x.data(), static_cast<const T*>(nullptr), out.data(), 4),
                    Catch::Contains("activ::backward") && Catch::Contains("null"));
  CHECK(out == std::vector<T>(4, T(7)));
}
