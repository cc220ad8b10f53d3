// activ — the gain of each activation, and init_for: the initializer that fits it.
//
//   gain(ReLU)          √2            He et al. 2015: Var(w) = 2/fan_in keeps the variance
//   gain(ELU)           √2            of ReLU-like layers (ELU treated as ReLU, any alpha)
//   gain(LeakyReLU{a})  √(2/(1 + a²)) He et al. 2015, eq. 15 (PyTorch calculate_gain)
//   gain(PReLU(a))      √(2/(1 + a²)) the same, for one shared slope a (a PReLU with a
//                                     slope per channel has no single gain: an error)
//   gain(Sigmoid)       1             Glorot & Bengio 2010's linear regime
//   gain(Tanh)          5/3           PyTorch calculate_gain('tanh')
// Gains are double, computed from the functor's parameter converted to double.
//
//   init_for(w, f, g)   ReLU, LeakyReLU, ELU: he_uniform(w, g, FanMode::in, gain(f))
//                       Sigmoid, Tanh:        xavier_uniform(w, g, gain(f))
// with the same errors as those (named "init_for"), and an overload taking Fans after g.
//                       PReLU joins the He family.
#ifndef ACTIV_INIT_GAIN_HPP
#define ACTIV_INIT_GAIN_HPP

#include <cmath>
#include <string>
#include <type_traits>

#include "activ/config.hpp"
#include "activ/activations/elu.hpp"
#include "activ/activations/leaky_relu.hpp"
#include "activ/activations/prelu.hpp"
#include "activ/activations/relu.hpp"
#include "activ/activations/sigmoid.hpp"
#include "activ/activations/tanh.hpp"
#include "activ/init/initializers.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::init {

template <class T>
inline double gain(const ReLU<T>&) noexcept {
  return sqrt2;
}

template <class T>
inline double gain(const LeakyReLU<T>& f) noexcept {
  const double a = static_cast<double>(f.alpha);
  return std::sqrt(2.0 / (1.0 + a * a));
}

template <class T>
inline double gain(const PReLU<T>& f) {
  if (f.alpha().size() != 1) {
    activ::detail::fail("activ::init::gain: PReLU has " + std::to_string(f.alpha().size()) +
                        " slopes, expected one shared slope");
  }
  const double a = static_cast<double>(f.alpha()(0));
  return std::sqrt(2.0 / (1.0 + a * a));
}

template <class T>
inline double gain(const ELU<T>&) noexcept {
  return sqrt2;
}

template <class T>
inline double gain(const Sigmoid<T>&) noexcept {
  return 1.0;
}

template <class T>
inline double gain(const Tanh<T>&) noexcept {
  return 5.0 / 3.0;
}

namespace detail {

/// The activations init_for fills with He-uniform; the others it knows take Xavier-uniform.
template <class F>
struct he_family : std::false_type {};
template <class T>
struct he_family<ReLU<T>> : std::true_type {};
template <class T>
struct he_family<LeakyReLU<T>> : std::true_type {};
template <class T>
struct he_family<PReLU<T>> : std::true_type {};
template <class T>
struct he_family<ELU<T>> : std::true_type {};

template <class F>
struct xavier_family : std::false_type {};
template <class T>
struct xavier_family<Sigmoid<T>> : std::true_type {};
template <class T>
struct xavier_family<Tanh<T>> : std::true_type {};

template <class W, class F, class G>
inline void init_for(W& w, const F& f, G& g, const Fans& fans) {
  if constexpr (he_family<F>::value) {
    he("init_for", w, g, fans, FanMode::in, gain(f), Distribution::uniform);
  } else {
    static_assert(xavier_family<F>::value,
                  "activ::init::init_for knows ReLU, LeakyReLU, ELU (He) and Sigmoid, Tanh (Xavier).");
    xavier("init_for", w, g, fans, gain(f), Distribution::uniform);
  }
}

}  // namespace detail

/// He-uniform with gain(f) for the ReLU family and ELU, Xavier-uniform with gain(f) for
/// Sigmoid and Tanh.
template <class W, class F, class G>
inline void init_for(W&& w, const F& f, G& g) {
  detail::check_types<W, G>();
  detail::init_for(w, f, g, detail::derived_fans("init_for", w));
}
template <class W, class F, class G>
inline void init_for(W&& w, const F& f, G& g, const Fans& fans) {
  detail::check_types<W, G>();
  detail::init_for(w, f, g, detail::explicit_fans("init_for", fans));
}

}  // namespace activ::init

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_INIT_GAIN_HPP
