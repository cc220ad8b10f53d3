// Test helpers: run one value through every path activ offers (scalar call, a batch of the
// default architecture, the raw-array loop at several positions) and check they agree
// bitwise, so a special-value test of one path is a test of all of them.
#ifndef ACTIV_TESTS_SUPPORT_CHECK_HPP
#define ACTIV_TESTS_SUPPORT_CHECK_HPP

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <activ/activ.hpp>

namespace activ::testing {

template <class T>
inline bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <class T>
struct lim {
  static T nan() { return std::numeric_limits<T>::quiet_NaN(); }
  static T inf() { return std::numeric_limits<T>::infinity(); }
  static T max() { return std::numeric_limits<T>::max(); }
  static T min() { return std::numeric_limits<T>::min(); }
  static T denorm() { return std::numeric_limits<T>::denorm_min(); }
};

enum class path { forward, derivative, from_output };

// What `which` gives for x through the scalar call; REQUIREs that the batch call and the
// array loop (at offsets 0 … 2·width, inside arrays of other values) give the same bits.
template <class F, class T>
inline T eval_all(const F& f, path which, T x) {
  using B = xsimd::batch<T>;
  const auto scalar = [&](T v) {
    switch (which) {
      case path::forward: return f(v);
      case path::derivative: return f.derivative(v);
      default: return f.derivative_from_output(v);
    }
  };
  const T s = scalar(x);
  const B b(x);
  const B rb = which == path::forward ? f(b) : which == path::derivative ? f.derivative(b)
                                                                          : f.derivative_from_output(b);
  for (std::size_t lane = 0; lane < B::size; ++lane) REQUIRE(same_bits(rb.get(lane), s));
  constexpr std::size_t width = B::size;
  for (std::size_t offset = 0; offset <= 2 * width; ++offset) {
    const std::size_t n = offset + 1 + (offset % 3);
    std::vector<T> in(n, T(0.5)), out(n, T(7)), ones(n, T(1));
    in[offset] = x;
    if (which == path::forward) {
      activ::forward(f, in.data(), out.data(), static_cast<std::ptrdiff_t>(n));
    } else if (which == path::derivative) {
      activ::derivative(f, in.data(), out.data(), static_cast<std::ptrdiff_t>(n));
    } else {
      activ::backward_from_output(f, in.data(), ones.data(), out.data(), static_cast<std::ptrdiff_t>(n));
    }
    INFO("array offset " << offset << " of " << n);
    REQUIRE(same_bits(out[offset], s));
  }
  return s;
}

template <class F, class T>
inline T fwd(const F& f, T x) { return eval_all(f, path::forward, x); }
template <class F, class T>
inline T der(const F& f, T x) { return eval_all(f, path::derivative, x); }
template <class F, class T>
inline T der_y(const F& f, T y) { return eval_all(f, path::from_output, y); }

// dx from backward on a one-element array.
template <class F, class T>
inline T back(const F& f, T x, T dy) {
  T dx = T(7);
  activ::backward(f, &x, &dy, &dx, 1);
  return dx;
}

// Central difference of f at x in long double around T evaluations: (f(x+h) − f(x−h)) / 2h.
template <class F, class T>
inline double central_difference(const F& f, T x) {
  const T h = std::is_same_v<T, float> ? T(1e-2) * std::max(T(1), std::abs(x))
                                       : T(1e-5) * std::max(T(1), std::abs(x));
  const T xp = x + h, xm = x - h;
  return (static_cast<double>(f(xp)) - static_cast<double>(f(xm))) /
         (static_cast<double>(xp) - static_cast<double>(xm));
}

// f'(x) against a central difference of f, at points away from kinks and tails.
template <class F, class T>
inline void check_central_differences(const F& f, std::initializer_list<T> points) {
  // float: h ~ 1e-2 leaves O(h²) ≈ 1e-4 relative; double: h ~ 1e-5, rounding noise ≈ 1e-11.
  const double tolerance = std::is_same_v<T, float> ? 2e-3 : 1e-7;
  for (const T x : points) {
    INFO("x = " << x);
    const double d = static_cast<double>(der(f, x));
    const double cd = central_difference(f, x);
    CHECK(d == Approx(cd).epsilon(tolerance).margin(tolerance * 1e-3));
    // backward multiplies by dy and nothing else.
    CHECK(same_bits(back(f, x, T(-2.5)), T(T(-2.5) * der(f, x))));
  }
}

// A long array through the raw-pointer forward, out of place and in place: x holds n elements
// cycling through `values` (n = 1000: many four-batch trips, then a tail), y and in_place f(x).
template <class T>
struct long_forward {
  std::vector<T> x, y, in_place;
};

template <class F, class T, std::size_t N>
inline long_forward<T> forward_long(const F& f, const T (&values)[N], std::size_t n = 1000) {
  long_forward<T> r;
  r.x.resize(n);
  for (std::size_t i = 0; i < n; ++i) r.x[i] = values[i % N];
  r.y.assign(n, T(7));
  r.in_place = r.x;
  activ::forward(f, r.x.data(), r.y.data(), static_cast<std::ptrdiff_t>(n));
  activ::forward(f, r.in_place.data(), r.in_place.data(), static_cast<std::ptrdiff_t>(n));
  return r;
}

}  // namespace activ::testing

#endif  // ACTIV_TESTS_SUPPORT_CHECK_HPP
