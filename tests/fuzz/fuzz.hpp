// libFuzzer target for activ's elementwise functors and container functions (issue 6), and for
// Maxout and PReLU: what the parts share. entry.cpp holds LLVMFuzzerTestOneInput; raw.cpp,
// dense.cpp and tensor.cpp (with tensor_double.cpp) the three container families and the error
// cases, layers.cpp (with layers_double.cpp) Maxout and PReLU (split so that they compile in
// parallel).
//
// One input is a 32-byte header followed by a pool of value bytes, read cyclically:
//   [0]  what:     0 raw pointers, 1 Eigen dense, 2 Eigen tensor, 3 an error case, 4 Maxout,
//                  5 PReLU (bytes [12..31] as layers.cpp reads them, [2..3] PReLU's output
//                  aliasing an input; [4..11] unused there)
//   [1]  bit 0:    double instead of float
//   [2]  functor:  0 ReLU, 1 LeakyReLU, 2 ELU, 3 Sigmoid, 4 Tanh
//   [3]  call:     0 forward, 1 derivative, 2 backward, 3 backward_from_output
//   [4]  alpha:    0 the functor's default, 1 from a table, 2 raw bits (NaN, negative, inf…)
//   [5]  alpha table index, [6..13] alpha's raw bits
//   [14..31] per `what`: see run_raw and run_dense (which also pick the thread-pool
//            overloads), run_tensor, run_error.
// Each value takes one control byte c from the pool: c < 64 picks a special value (±0, ±inf,
// NaN, subnormals, the kernels' thresholds), c < 160 a value in [−48, 48) from two more bytes,
// anything else raw bits. tests/fuzz/make_corpus.py writes the committed seeds in this format.
//
// Checks (a failure prints what and where, then aborts):
//  - every output element equals the scalar functor on the same logical input, bitwise
//    (backward: dy·f'(x) from the scalar f'), except that a NaN result only has to be a NaN:
//    its payload depends on which operand order the compiler picked for each inlined copy of
//    a formula (seen: ELU's derivative of a NaN, double, clang -O1), which activ cannot promise;
//  - the scalar results are within SPEC §5's bars of a long double reference, for every
//    finite or infinite input (NaN in ⇒ NaN out);
//  - nothing but the output's own elements changes: every buffer carries guard regions of
//    sentinel values on both sides, the gaps of strided views and the inputs are compared
//    with a snapshot (AddressSanitizer catches reads beyond them);
//  - bad shapes, negative counts and null pointers throw std::invalid_argument naming the
//    call, and nothing is written.
// Dense and tensor containers run through one functor type, AnyFunctor, which switches to
// the concrete functor inside each batch call: the container plumbing sees the same ops, and
// the template instantiations (and build time) drop fivefold. Raw pointers use the concrete
// functors. Maxout and PReLU (layers.cpp) run on Eigen tensors (and Matrix Maps of the same
// buffers) against their own references.
#ifndef ACTIV_TESTS_FUZZ_FUZZ_HPP
#define ACTIV_TESTS_FUZZ_FUZZ_HPP

#include <Eigen/Core>
#include <activ/activ.hpp>
#include <activ/core/parallel.hpp>  // EIGEN_USE_THREADS is defined for the whole target (CMakeLists.txt)
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unsupported/Eigen/CXX11/Tensor>
#include <vector>

#include "support/ulp.hpp"

namespace activ_fuzz {

using ld = long double;
using Index = Eigen::Index;

[[noreturn]] inline void die(const std::string& what) {
  std::fprintf(stderr, "activ fuzz: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

#define FZ_CHECK(cond, ...)                                      \
  do {                                                           \
    if (!(cond)) {                                               \
      std::ostringstream fz_os;                                  \
      fz_os << std::hexfloat << __VA_ARGS__;                     \
      die(fz_os.str() + "  [" #cond "]");                        \
    }                                                            \
  } while (false)

// ---------------------------------------------------------------- input

struct Header {
  std::array<std::uint8_t, 32> b{};
  std::uint16_t u16(std::size_t i) const { return static_cast<std::uint16_t>(b[i] | (b[i + 1] << 8)); }
};

template <class T>
T from_bytes(const std::uint8_t* p) {
  if constexpr (std::is_same_v<T, float>) {
    std::uint32_t u;
    std::memcpy(&u, p, 4);
    T v;
    std::memcpy(&v, &u, 4);
    return v;
  } else {
    std::uint64_t u;
    std::memcpy(&u, p, 8);
    T v;
    std::memcpy(&v, &u, 8);
    return v;
  }
}

template <class T>
const std::vector<T>& specials() {
  using L = std::numeric_limits<T>;
  static const std::vector<T> s = [] {
    std::vector<T> v = {T(0), -T(0), L::infinity(), -L::infinity(), L::quiet_NaN(), -L::quiet_NaN(),
                        L::signaling_NaN(), L::denorm_min(), -L::denorm_min(), L::min(), -L::min(),
                        L::max(), -L::max(), T(1), T(-1), T(0.5), T(-0.5), T(0.625), T(-0.625),
                        T(1e-30), T(-1e-30), T(1e30), T(-1e30), T(9), T(-9), T(18), T(-18),
                        T(19.0625), T(-19.0625), T(20), T(-20), T(36.75), T(-36.75), T(-38),
                        T(-8.7), T(8.7), T(-87.3), T(-88.72), T(-103.97), T(-104), T(88.72),
                        T(-708.4), T(-745.13), T(-746), T(709.78), T(3e-8), T(-3e-8), T(1e-7),
                        std::nextafter(T(1), T(0)), std::nextafter(T(-1), T(0)),
                        std::nextafter(T(0), T(1)) * T(3), L::min() / T(2), -L::min() / T(2)};
    return v;
  }();
  return s;
}

// The value pool: the bytes after the header, read cyclically.
class Pool {
 public:
  Pool(const std::uint8_t* p, std::size_t n) : p_(p), n_(n) {
    static const std::uint8_t fallback[] = {3, 70, 12, 200, 99, 180, 11, 34, 250, 1, 7, 140, 160, 8, 255, 90};
    if (n_ == 0) {
      p_ = fallback;
      n_ = sizeof fallback;
    }
  }
  std::uint8_t byte() { return p_[i_++ % n_]; }

  template <class T>
  T value() {
    const std::uint8_t c = byte();
    if (c < 64) return specials<T>()[c % specials<T>().size()];
    if (c < 160) {
      const unsigned u = static_cast<unsigned>(byte()) | (static_cast<unsigned>(byte()) << 8);
      return static_cast<T>((static_cast<double>(u) + static_cast<double>(c - 64) / 96.0) / 65536.0 * 96.0 - 48.0);
    }
    std::uint8_t raw[8];
    for (auto& r : raw) r = byte();
    return from_bytes<T>(raw);
  }

 private:
  const std::uint8_t* p_;
  std::size_t n_;
  std::size_t i_ = 0;
};

// ---------------------------------------------------------------- functors and references

enum class Call { forward, derivative, backward, from_output };
inline const char* call_name(Call c) {
  switch (c) {
    case Call::forward: return "forward";
    case Call::derivative: return "derivative";
    case Call::backward: return "backward";
    default: return "backward_from_output";
  }
}

template <class T>
T alpha_of(const Header& h, T fallback) {
  static const T table[] = {T(0.01), T(0.2), T(1), T(1.5), T(0.5), T(3), T(1e-3), T(100), T(0), T(1e-30)};
  switch (h.b[4] % 3) {
    case 0: return fallback;
    case 1: return table[h.b[5] % (sizeof table / sizeof table[0])];
    default: return from_bytes<T>(&h.b[6]);
  }
}

// Calls visit(functor) with the concrete functor the header names.
template <class T, class Visit>
decltype(auto) with_functor(int id, T alpha, Visit&& visit) {
  switch (id) {
    case 0: return visit(activ::ReLU<T>{});
    case 1: return visit(activ::LeakyReLU<T>{alpha});
    case 2: return visit(activ::ELU<T>{alpha});
    case 3: return visit(activ::Sigmoid<T>{});
    default: return visit(activ::Tanh<T>{});
  }
}

// One type for all five functors (see the file comment).
template <class T>
struct AnyFunctor {
  using value_type = T;
  int id;
  T alpha;

  template <class V>
  V operator()(const V& x) const noexcept {
    return with_functor<T>(id, alpha, [&](const auto& f) -> V { return f(x); });
  }
  template <class V>
  V derivative(const V& x) const noexcept {
    return with_functor<T>(id, alpha, [&](const auto& f) -> V { return f.derivative(x); });
  }
  template <class V>
  V derivative_from_output(const V& y) const noexcept {
    return with_functor<T>(id, alpha, [&](const auto& f) -> V { return f.derivative_from_output(y); });
  }
};

// What output element k must be, from the scalar functor.
template <class F, class T>
T scalar_result(const F& f, Call c, T x, T dy) {
  switch (c) {
    case Call::forward: return f(x);
    case Call::derivative: return f.derivative(x);
    case Call::backward: return dy * f.derivative(x);
    default: return dy * f.derivative_from_output(x);
  }
}

template <class T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// What an output element must match: the same bits, or a NaN where a NaN is expected (which
// NaN's payload a formula passes on depends on operand order, see the file comment; seen here:
// ELU forward, double, a NaN alpha and a NaN x, apply's fresh output against the scalar call).
template <class T>
bool same_result(T got, T want) {
  return same_bits(got, want) || (std::isnan(got) && std::isnan(want));
}

template <class T>
std::string bits_of(T v) {
  std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t> u;
  std::memcpy(&u, &v, sizeof u);
  std::ostringstream os;
  os << std::hex << "0x" << u;
  return os.str();
}

// SPEC §5: the exact value in long double and the bar, for each functor and call. A negative
// bar means "no bound" (a parameter or an output value outside the functor's contract).
struct Exact {
  ld value;
  double bar;
};

inline ld sigmoid_exact(ld x) { return 1.0L / (1.0L + std::exp(-x)); }

template <class T>
Exact exact(const activ::ReLU<T>&, Call c, ld x) {
  if (c == Call::forward) return {x > 0 ? x : 0.0L, 0};
  return {x > 0 ? 1.0L : 0.0L, 0};
}
template <class T>
Exact exact(const activ::LeakyReLU<T>& f, Call c, ld x) {
  const ld a = f.alpha;
  // Exact: the correctly rounded a·x (for double, a long double product is itself rounded).
  if (c == Call::forward) return {x > 0 ? x : a * x, std::is_same_v<T, float> ? 0.5 : 0.501};
  return {x > 0 ? 1.0L : a, 0};
}
template <class T>
Exact exact(const activ::ELU<T>& f, Call c, ld x) {
  const ld a = f.alpha;
  if (!(f.alpha > 0) || !std::isfinite(f.alpha)) return {0, -1};
  switch (c) {
    case Call::forward: return {x > 0 ? x : a * std::expm1(x), f.alpha == T(1) ? 2.0 : 3.0};
    case Call::derivative:
    case Call::backward:
      return {x > 0 ? 1.0L : a * std::exp(x), 4};
    default:
      if (x < -a) return {0, -1};
      return {x > 0 ? 1.0L : x + a, 2};
  }
}
template <class T>
Exact exact(const activ::Sigmoid<T>&, Call c, ld x) {
  switch (c) {
    case Call::forward: return {sigmoid_exact(x), 3};
    case Call::derivative:
    case Call::backward: {
      const ld e = std::exp(-std::fabs(x));
      return {e / ((1 + e) * (1 + e)), 4};
    }
    default:
      if (!(x >= 0 && x <= 1)) return {0, -1};
      return {x * (1 - x), 2};
  }
}
template <class T>
Exact exact(const activ::Tanh<T>&, Call c, ld x) {
  switch (c) {
    case Call::forward: return {std::tanh(x), 2};
    case Call::derivative:
    case Call::backward: {
      const ld e = std::exp(-2 * std::fabs(x));
      return {4 * e / ((1 + e) * (1 + e)), 4};
    }
    default:
      if (!(x >= -1 && x <= 1)) return {0, -1};
      return {(1 - x) * (1 + x), 2};
  }
}

// The scalar f, f' or f'(from y) of one input against its bar, and NaN in ⇒ NaN out.
template <class F, class T>
void check_accuracy(const F& f, Call c, T x, const char* name) {
  const T r = c == Call::forward       ? f(x)
              : c == Call::from_output ? f.derivative_from_output(x)
                                       : f.derivative(x);
  if (std::isnan(x)) {
    FZ_CHECK(std::isnan(r), name << " " << call_name(c) << ": NaN in gave " << r);
    return;
  }
  const Exact e = exact(f, c, static_cast<ld>(x));
  if (e.bar < 0) return;
  const double u = activ::testing::ulp_error<T, ld>(r, e.value);
  FZ_CHECK(u <= e.bar, name << " " << call_name(c) << "(" << x << ") = " << r << ", exact "
                             << static_cast<double>(e.value) << ": " << std::defaultfloat << u
                             << " ULP, bar " << e.bar);
}

inline const char* functor_name(int id) {
  static const char* names[] = {"relu", "leaky_relu", "elu", "sigmoid", "tanh"};
  return names[id];
}

// ---------------------------------------------------------------- tensor indices

template <int R>
using Dims = std::array<Index, R>;

// The position of logical index idx in a buffer of dims in the given layout.
template <int R>
std::ptrdiff_t linear(const Dims<R>& idx, const Dims<R>& dims, int layout) {
  std::ptrdiff_t k = 0;
  if (layout == Eigen::ColMajor) {
    for (int d = R - 1; d >= 0; --d) k = k * dims[d] + idx[d];
  } else {
    for (int d = 0; d < R; ++d) k = k * dims[d] + idx[d];
  }
  return k;
}

template <int R>
Index product(const Dims<R>& d) {
  Index n = 1;
  for (Index v : d) n *= v;
  return n;
}

// Makes dims long enough for the thread-pool overloads to split: no dimension 0, and dims[q]
// the least that brings the element count to `target` or more, plus `extra`.
template <int R>
void stretch(Dims<R>& dims, std::size_t q, Index target, Index extra) {
  for (Index& d : dims) d = std::max<Index>(1, d);
  const Index rest = product<R>(dims) / dims[q];
  dims[q] = (target + rest - 1) / rest + extra;
}

// ---------------------------------------------------------------- guarded buffers

// Buffers with guard regions; every element's expected final bits are tracked, so one pass
// checks the outputs, the inputs, the strided gaps and the guards together.
template <class T>
struct Arena {
  static constexpr std::ptrdiff_t guard = 48;
  std::vector<std::vector<T>> bufs;
  std::vector<std::vector<T>> expect;
  std::vector<std::vector<std::uint8_t>> is_output;
  std::vector<std::vector<std::pair<T, T>>> from;  // the (x, dy) an output position came from

  static T sentinel() {
    return std::is_same_v<T, float> ? from_bytes<T>(reinterpret_cast<const std::uint8_t*>("\xa5\xa5\xa5\x7f\0\0\0\0"))
                                    : from_bytes<T>(reinterpret_cast<const std::uint8_t*>("\xa5\xa5\xa5\xa5\xa5\xa5\xf5\x7f"));
  }
  int add(std::ptrdiff_t len, Pool& pool) {
    std::vector<T> v(static_cast<std::size_t>(len + 2 * guard), sentinel());
    for (std::ptrdiff_t k = 0; k < len; ++k) v[static_cast<std::size_t>(guard + k)] = pool.value<T>();
    bufs.push_back(std::move(v));
    return static_cast<int>(bufs.size()) - 1;
  }
  T* data(int b) { return bufs[static_cast<std::size_t>(b)].data() + guard; }
  T at(int b, std::ptrdiff_t k) const { return bufs[static_cast<std::size_t>(b)][static_cast<std::size_t>(guard + k)]; }
  void snapshot() {
    expect = bufs;
    is_output.clear();
    from.clear();
    for (const auto& v : bufs) {
      is_output.emplace_back(v.size(), 0);
      from.emplace_back(v.size(), std::pair<T, T>(T(0), T(0)));
    }
  }
  void expect_at(int b, std::ptrdiff_t k, T value, T x, T dy) {
    const auto i = static_cast<std::size_t>(b), j = static_cast<std::size_t>(guard + k);
    expect[i][j] = value;
    is_output[i][j] = 1;
    from[i][j] = {x, dy};
  }
  void verify(const std::string& what) const {
    for (std::size_t b = 0; b < bufs.size(); ++b) {
      for (std::size_t k = 0; k < bufs[b].size(); ++k) {
        const T got = bufs[b][k], want = expect[b][k];
        // Outside the outputs even NaN bits must survive; at an output NaN-ness is what counts.
        const bool ok = is_output[b][k] ? same_result(got, want) : same_bits(got, want);
        FZ_CHECK(ok, what << ": buffer " << b << " position " << static_cast<std::ptrdiff_t>(k) - guard
                          << " (guard " << guard << ", size " << bufs[b].size() - 2 * guard << ") is " << got
                          << " (bits " << bits_of(got) << "), expected " << want << " (bits " << bits_of(want)
                          << ") from x = " << from[b][k].first << " (bits " << bits_of(from[b][k].first)
                          << "), dy = " << from[b][k].second);
      }
    }
  }
};

// The identity, as an Eigen expression without direct access (an input that is evaluated).
template <class T>
struct Same {
  T operator()(T v) const { return v; }
};

// One thread pool for every input of the process (the thread-pool overloads: raw, dense and
// PReLU's backward), so that its threads start once.
inline Eigen::ThreadPool& shared_pool() {
  static Eigen::ThreadPool pool(3);
  return pool;
}

// The threads a call takes from header bytes (on, count): 1 to 3 where on % 4 == 3, else 0
// (the overload without a device).
inline int threads_from(std::uint8_t on, std::uint8_t count) { return on % 4 == 3 ? 1 + count % 3 : 0; }

// fn(device), device an Eigen::ThreadPoolDevice of `threads` threads of shared_pool(), or fn()
// for threads = 0: fn calls the thread-pool overload or the plain one with the same arguments.
template <class Fn>
void with_device(int threads, Fn&& fn) {
  if (threads > 0) {
    fn(Eigen::ThreadPoolDevice(&shared_pool(), threads));
  } else {
    fn();
  }
}

// The elementwise call c of f on (x, y) or (x, dy, dx), through the thread-pool overload on
// `threads` threads (0: the overload without a device).
template <class F, class... Args>
void call_elementwise(int threads, const F& f, Call c, Args&&... args) {
  with_device(threads, [&](const auto&... dev) {
    if constexpr (sizeof...(Args) == 2) {
      if (c == Call::forward) {
        activ::forward(dev..., f, args...);
      } else {
        activ::derivative(dev..., f, args...);
      }
    } else if (c == Call::backward) {
      activ::backward(dev..., f, args...);
    } else {
      activ::backward_from_output(dev..., f, args...);
    }
  });
}

// The four families, each in its own file.
template <class T>
void run_raw(const Header& h, Pool& pool, Call c, int id, T alpha);
template <class T>
void run_dense(const AnyFunctor<T>& f, const Header& h, Pool& pool, Call c);
template <class T>
void run_tensor(const AnyFunctor<T>& f, const Header& h, Pool& pool, Call c);
template <class T>
void run_error(const AnyFunctor<T>& f, const Header& h, Pool& pool, Call c);
template <class T>
void run_layers(const Header& h, Pool& pool, bool maxout);

}  // namespace activ_fuzz

#endif  // ACTIV_TESTS_FUZZ_FUZZ_HPP
