// The thread-pool overloads (core/parallel.hpp): bitwise the results of one thread for 1 to 4
// threads, at lengths that leave the pool idle (0, 1, 7) and one that splits (1000003), on
// raw pointers and containers; streamed runs; shape errors before any write; PReLU's backward
// with its slope gradient.
#include <activ/core/parallel.hpp>  // first: it defines EIGEN_USE_THREADS for Eigen's Tensor header

#include <Eigen/Dense>
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstring>
#include <future>
#include <mutex>
#include <random>
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

// backward's dy·f'(x) where dy and f'(x) are both NaN: IEEE 754 leaves open which NaN the product
// carries, x86 returns its first operand's, and the compiler orders a commutative multiply as it
// likes in each inlined copy (seen: clang++ 14 with the sanitizers, ELU double, +NaN in one
// thread's result and −NaN in the threaded one where x and dy were NaN). There, both must be
// NaN; everywhere else, the same bits.
template <class T>
bool same_bits_but_two_nans(const T* a, const T* b, const T* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const bool two_nans = std::isnan(dy[i]) && std::isnan(a[i]) && std::isnan(b[i]);
    if (!two_nans && std::memcmp(a + i, b + i, sizeof(T)) != 0) return false;
  }
  return true;
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
        CHECK(same_bits_but_two_nans(one.data(), many.data(), dy.data(), std::size_t(n)));
        activ::backward_from_output(f, y.data(), dy.data(), one.data(), n);
        activ::backward_from_output(p.device, f, y.data(), dy.data(), many.data(), n);
        CHECK(same_bits_but_two_nans(one.data(), many.data(), dy.data(), std::size_t(n)));
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
        CHECK(same_bits_but_two_nans(one.data(), many.data(), dy.data(), std::size_t(n)));
        activ::backward_from_output(f, y, dy, one);
        activ::backward_from_output(p.device, f, y, dy, many);
        CHECK(same_bits_but_two_nans(one.data(), many.data(), dy.data(), std::size_t(n)));
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

// Past core/loop.hpp's stream_min_bytes (here: input and output) the output is written with
// streaming stores: the same bits as the in-place run, which never streams, from an unaligned
// output and on threads.
TEMPLATE_TEST_CASE("Streamed runs equal unstreamed ones bitwise", "[parallel][loop][stream]", float, double) {
  using T = TestType;
  const std::ptrdiff_t n = std::ptrdiff_t(activ::detail::stream_min_bytes / (2 * sizeof(T))) + 13;
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

// Sigmoid that notes which threads ran it: lets a test see whether the pool was used. The
// threads take chunks of a run as they come (core/parallel.hpp), so a pool thread that wakes
// after the caller has taken every chunk would do nothing, and a caller that loses its core
// right after queueing the pool's task could find every chunk taken by the pool thread; with
// `wait` each thread's batches wait (up to 10 s) until the other has run one, so that a run
// long enough for the pool shows both threads whatever the machine's load.
struct Witness : activ::Sigmoid<float> {
  std::mutex* lock;
  std::set<std::thread::id>* seen;
  std::atomic<bool>* other_ran;
  std::atomic<bool>* caller_ran;
  std::thread::id caller;
  bool wait;
  template <class V>
  V operator()(const V& x) const noexcept {
    const std::thread::id self = std::this_thread::get_id();
    {
      const std::lock_guard<std::mutex> hold(*lock);
      seen->insert(self);
    }
    const bool mine = self == caller;
    (mine ? caller_ran : other_ran)->store(true);
    if (wait) {
      const std::atomic<bool>& theirs = mine ? *other_ran : *caller_ran;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!theirs.load() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    }
    return activ::Sigmoid<float>::operator()(x);
  }
};

}  // namespace

TEST_CASE("Short runs stay on the calling thread; long ones use the pool", "[parallel]") {
  Pool p(2);
  std::mutex lock;
  std::set<std::thread::id> seen;
  std::atomic<bool> other_ran{false}, caller_ran{false};
  Witness w{{}, &lock, &seen, &other_ran, &caller_ran, std::this_thread::get_id(), false};
  const auto piece = activ::detail::min_piece<activ::detail::forward_op<Witness>>;
  std::vector<float> x(std::size_t(piece), 0.5f), y(x.size());
  activ::forward(p.device, w, x.data(), y.data(), std::ptrdiff_t(x.size()));
  CHECK(seen == std::set<std::thread::id>{std::this_thread::get_id()});
  seen.clear();
  other_ran = false;
  caller_ran = false;
  w.wait = true;
  x.resize(4 * x.size(), 0.5f);
  y.resize(x.size());
  activ::forward(p.device, w, x.data(), y.data(), std::ptrdiff_t(x.size()));
  CHECK(seen.size() == 2);
  CHECK(seen.count(std::this_thread::get_id()) == 1);
}

// The calling thread waits for the chunks a pool thread has taken, never for a pool thread to
// turn up (core/parallel.hpp, run_chunks): with the pool's only thread held by another task, a
// run long enough to split returns before that task ends, the caller having done every chunk.
TEST_CASE("A threaded call does not wait for a busy pool thread", "[parallel]") {
  std::atomic<bool> started{false}, release{false}, gave_up{false};  // before the pool: they outlive its thread
  Eigen::ThreadPool pool(1);
  const Eigen::ThreadPoolDevice device(&pool, 2);
  pool.Schedule([&] {  // holds the thread until released, or gives up after 10 s
    started = true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!release) {
      if (std::chrono::steady_clock::now() > deadline) {
        gave_up = true;
        return;
      }
      std::this_thread::yield();
    }
  });
  while (!started) std::this_thread::yield();
  const activ::Sigmoid<float> f;
  const auto n = 4 * activ::detail::min_piece<activ::detail::forward_op<activ::Sigmoid<float>>>;
  std::vector<float> x(static_cast<std::size_t>(n)), y(x.size()), expected(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(int(i % 2001) - 1000) / 100.0f;
  activ::forward(f, x.data(), expected.data(), n);
  activ::forward(device, f, x.data(), y.data(), n);
  CHECK_FALSE(gave_up.load());  // returned while the pool's thread was still held
  release = true;
  CHECK(same_bits(y, expected));
}

// A threaded call made from a task of the same pool: its queued helper can only run on the thread
// that is making the call, so the call must not wait for it (with a barrier over the helpers it
// never returned). Elementwise and PReLU's backward with its slope gradient (both run_chunks).
// On failure the pool is leaked rather than joined, so that the test fails instead of hanging.
TEST_CASE("A threaded call from a task of its own pool returns", "[parallel]") {
  auto* pool = new Eigen::ThreadPool(1);
  const Eigen::ThreadPoolDevice device(pool, 2);
  const activ::Tanh<float> f;
  const auto n = 4 * activ::detail::cheap_min_piece;
  std::vector<float> x(static_cast<std::size_t>(n)), dy(x.size()), y(x.size()), dx(x.size()), y1(x.size()), dx1(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = float(int(i % 2001) - 1000) / 100.0f;
    dy[i] = float(int(i % 37) - 18) / 16.0f;
  }
  const activ::PReLU<float> p(Eigen::ArrayXf::LinSpaced(8, -0.5f, 0.5f), 0);
  const Eigen::TensorMap<const Eigen::Tensor<float, 2>> tx(x.data(), 8, n / 8), tdy(dy.data(), 8, n / 8);
  Eigen::TensorMap<Eigen::Tensor<float, 2>> tdx(dx.data(), 8, n / 8), tdx1(dx1.data(), 8, n / 8);
  Eigen::ArrayXf da(8), da1(8);
  activ::forward(f, x.data(), y1.data(), n);
  activ::backward(p, tx, tdy, tdx1, da1);
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  pool->Schedule([&] {
    activ::forward(device, f, x.data(), y.data(), n);
    activ::backward(device, p, tx, tdy, tdx, da);
    done.set_value();
  });
  if (finished.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    FAIL("the call made from a pool task did not return within 60 s");  // the pool is left running
  }
  delete pool;
  CHECK(same_bits(y, y1));
  CHECK(same_bits(dx, dx1));
  CHECK(same_bits<float>(da, da1));
}

// Two threads of the user's calling into one device at once: each call's chunks sit on its own
// board, the one pool thread helps whichever call's task it reaches, and every result is
// bitwise the one-thread result (the tsan stage runs this under ThreadSanitizer).
TEST_CASE("Threaded calls from two threads at once share the pool", "[parallel]") {
  Eigen::ThreadPool pool(1);
  const Eigen::ThreadPoolDevice device(&pool, 2);
  const activ::ELU<float> f;
  const auto n = 3 * activ::detail::min_piece<activ::detail::forward_op<activ::ELU<float>>> + 5;
  std::vector<float> x(static_cast<std::size_t>(n)), expected(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(int(i % 1999) - 999) / 100.0f;
  activ::forward(f, x.data(), expected.data(), n);
  std::vector<float> y[2] = {std::vector<float>(x.size()), std::vector<float>(x.size())};
  bool same[2] = {true, true};
  const auto caller = [&](int k) {
    for (int round = 0; round < 10; ++round) {
      std::fill(y[k].begin(), y[k].end(), 0.0f);
      activ::forward(device, f, x.data(), y[k].data(), n);
      same[k] = same[k] && same_bits(y[k], expected);
    }
  };
  std::thread other(caller, 1);
  caller(0);
  other.join();
  CHECK(same[0]);
  CHECK(same[1]);
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

// PReLU's backward on the device: dx and dalpha bitwise those of the one-thread call for 1 to 4
// threads, on shapes that take each kernel path (shared slope, long runs cut into pieces, short
// runs in tiles, a period too long for a tile) with odd sizes, and in accumulate mode.
TEMPLATE_TEST_CASE("Threaded PReLU backward equals one thread bitwise", "[parallel][prelu]", float, double) {
  using T = TestType;
  using Tensor = Eigen::Tensor<T, 3>;
  struct Case {
    Eigen::Index d0, d1, d2, axis;
    bool shared;
  };
  // n >= 4 · cheap_min_piece in the large cases, so four threads share their chunks.
  const Case cases[] = {{1, 1000003, 1, 0, true},  {70001, 3, 5, 1, false}, {3, 7, 50021, 0, false},
                        {5, 37, 5711, 1, false},   {1001, 2, 613, 0, false}, {2, 3, 5, 2, false},
                        {300007, 2, 2, 2, false}};
  std::mt19937 g(5);
  std::uniform_real_distribution<double> u(-2, 2);
  for (const Case& c : cases) {
    Tensor x(c.d0, c.d1, c.d2), dy(c.d0, c.d1, c.d2);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      x.data()[i] = i % 13 == 0 ? T(0) : static_cast<T>(u(g));
      dy.data()[i] = static_cast<T>(u(g));
    }
    const Eigen::Index along = c.axis == 0 ? c.d0 : c.axis == 1 ? c.d1 : c.d2;
    const Eigen::Index channels = c.shared ? 1 : along;
    Eigen::Array<T, Eigen::Dynamic, 1> alpha(channels);
    for (Eigen::Index k = 0; k < channels; ++k) alpha[k] = static_cast<T>(u(g) * 0.3);
    const activ::PReLU<T> p(alpha, c.axis);
    Tensor dx1(x.dimensions());
    Eigen::Array<T, Eigen::Dynamic, 1> da1(channels), acc1 = Eigen::Array<T, Eigen::Dynamic, 1>::Constant(channels, T(0.5));
    activ::backward(p, x, dy, dx1, da1);
    activ::backward(p, x, dy, dx1, acc1, activ::accumulate);
    for (int threads = 1; threads <= 4; ++threads) {
      INFO("shape " << c.d0 << " x " << c.d1 << " x " << c.d2 << ", axis " << c.axis << ", " << threads << " threads");
      Pool pool(threads);
      Tensor dx(x.dimensions());
      Eigen::Array<T, Eigen::Dynamic, 1> da(channels), acc = Eigen::Array<T, Eigen::Dynamic, 1>::Constant(channels, T(0.5));
      activ::backward(pool.device, p, x, dy, dx, da);
      CHECK(same_bits<T>(dx, dx1));
      CHECK(same_bits<T>(da, da1));
      activ::backward(pool.device, p, x, dy, dx, acc, activ::accumulate);
      CHECK(same_bits<T>(acc, acc1));
    }
  }
}

TEST_CASE("Threaded PReLU backward sums every term once and checks before writing", "[parallel][prelu]") {
  using M = Eigen::MatrixXf;
  Pool pool(2);
  const activ::PReLU<float> p(64, 0);
  const M x = M::Random(64, 20000), dy = M::Random(64, 20000);
  M dx(64, 20000);
  Eigen::VectorXf da(64);
  // The sums against a double reference: the threaded slabs still add every term once.
  activ::backward(pool.device, p, x, dy, dx, da);
  for (Eigen::Index c = 0; c < 64; ++c) {
    double sum = 0, mass = 0;
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const double t = x(c, j) > 0 ? 0.0 : double(x(c, j)) * double(dy(c, j));
      sum += t;
      mass += std::fabs(t);
    }
    CHECK(std::fabs(double(da[c]) - sum) <= 1e-6 * mass);
  }
  CHECK((dx.array() == (x.array() > 0).select(dy.array(), dy.array() * 0.25f)).all());
  // Errors: the wrong dalpha size, the wrong dx shape; nothing written.
  M out = M::Constant(64, 20000, 7.f);
  Eigen::VectorXf wrong = Eigen::VectorXf::Constant(63, 7.f);
  CHECK_THROWS_WITH(activ::backward(pool.device, p, x, dy, out, wrong),
                    Catch::Contains("activ::backward") && Catch::Contains("dalpha") && Catch::Contains("63"));
  CHECK((out.array() == 7.f).all());
  M bad = M::Constant(64, 19999, 7.f);
  CHECK_THROWS_AS(activ::backward(pool.device, p, x, dy, bad, da), std::invalid_argument);
  CHECK((bad.array() == 7.f).all());
}
