// The elementwise functors as a type list for TEMPLATE_PRODUCT-style tests: every container
// test runs over each of them, so a new activation is one more line here.
#ifndef ACTIV_TESTS_SUPPORT_FUNCTORS_HPP
#define ACTIV_TESTS_SUPPORT_FUNCTORS_HPP

#include <activ/activ.hpp>
#include <random>
#include <vector>

namespace activ::testing {

// Calls visit(name, functor) for each elementwise functor of value type T, with non-default
// parameters where a functor has them.
template <class T, class Visit>
inline void for_each_functor(Visit&& visit) {
  visit("relu", activ::ReLU<T>{});
  visit("leaky_relu", activ::LeakyReLU<T>{T(0.2)});
  visit("elu", activ::ELU<T>{T(1.5)});
  visit("sigmoid", activ::Sigmoid<T>{});
  visit("tanh", activ::Tanh<T>{});
}

// Values that exercise every branch: both signs, the kernels' thresholds, tails, specials.
template <class T>
inline std::vector<T> mixed_values(std::size_t n, unsigned seed = 1) {
  std::mt19937 g(seed);
  std::vector<T> v(n);
  const T specials[] = {T(0), T(-0.0), T(0.625), T(-0.625), T(20), T(-90), T(1e-30),
                        std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity(),
                        std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::denorm_min()};
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<std::uint32_t>(g());
    if (r % 17 == 0) {
      v[i] = specials[(r / 17) % (sizeof specials / sizeof specials[0])];
    } else {
      // Uniform over [−24, 24]: 2^−26 resolution from 32 random bits.
      v[i] = static_cast<T>((static_cast<double>(g()) / 4294967296.0 - 0.5) * 48.0);
    }
  }
  return v;
}

}  // namespace activ::testing

#endif  // ACTIV_TESTS_SUPPORT_FUNCTORS_HPP
