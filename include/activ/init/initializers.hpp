// activ — weight initializers: He, Xavier (Glorot), LeCun and Keras' variance scaling,
// bitwise reproducible with any standard library.
//
//   he_uniform(w, g, mode = in, gain = √2)  U(−b, b),  b = gain·√(3/fan)
//   he_normal(w, g, mode = in, gain = √2)   N(0, σ²),  σ = gain/√fan          (untruncated)
//   xavier_uniform(w, g, gain = 1)          U(−b, b),  b = gain·√(6/(fan_in + fan_out))
//   xavier_normal(w, g, gain = 1)           N(0, σ²),  σ = gain·√(2/(fan_in + fan_out))
//   lecun_uniform(w, g)                     U(−b, b),  b = √(3/fan_in)
//   lecun_normal(w, g)                      N(0, σ²),  σ = √(1/fan_in)          (untruncated)
//   variance_scaling(w, g, scale = 1, mode = in, distribution = truncated_normal)
//       uniform:           b  = √(3·scale/fan)
//       normal:            σ  = √(scale/fan)
//       truncated_normal:  σ0 = √(scale/fan) / 0.87962566103423978, keeping |w| <= 2·σ0
//                          (0.8796… = the std of N(0, 1) truncated to [−2, 2], so Var = scale/fan)
//   fan = fan_in, fan_out or (fan_in + fan_out)/2 by FanMode; fans: activ/init/fans.hpp.
// Every initializer also takes Fans{fan_in, fan_out} right after g, for layouts the fan
// convention does not fit. The bound or σ is computed in double (only +, ·, /, √: correctly
// rounded everywhere) and rounded once to w's scalar type.
//
// He, Zhang, Ren & Sun, "Delving Deep into Rectifiers", ICCV 2015 (PyTorch kaiming_*_).
// Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural
// networks", AISTATS 2010 (PyTorch xavier_*_, Keras GlorotUniform).
// LeCun, Bottou, Orr & Müller, "Efficient BackProp", 1998 (§4.6: σ = fan_in^−½).
// Keras: tf.keras.initializers.VarianceScaling (He/Glorot/LeCun Normal there are truncated:
// variance_scaling(w, g, 2, FanMode::in, Distribution::truncated_normal) is Keras' HeNormal).
//
// w: any Eigen Matrix, Array (either storage order, Map, Ref, Block, even a temporary such as
// w.block(…)) or Tensor, TensorMap, TensorFixedSize (or a writable tensor expression), of
// float or double. g: any UniformRandomBitGenerator. Random bits and transforms:
// activ/init/detail/bits.hpp and sample.hpp; results are bitwise identical across standard
// libraries and compilers for one target (see kernels.hpp for the FMA caveat of normals).
//
// Errors (std::invalid_argument, or ACTIV_THROW), all raised before w is touched: a fan of 0
// (an empty dimension), a rank-0 tensor without explicit Fans, explicit Fans below 1, a gain
// or scale that is not finite and > 0, a bound or σ that is not finite and > 0 once rounded
// to w's type, a FanMode or Distribution outside its enumerators.
#ifndef ACTIV_INIT_INITIALIZERS_HPP
#define ACTIV_INIT_INITIALIZERS_HPP

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "activ/config.hpp"
#include "activ/core/shape.hpp"
#include "activ/detail/lift.hpp"
#include "activ/init/detail/sample.hpp"
#include "activ/init/fans.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::init {

/// √2, the default gain of he_*: the ReLU gain.
inline constexpr double sqrt2 = 1.41421356237309504880;

namespace detail {

/// x in the fewest of 15…17 significant digits that read back as x: "0.1", not "0.10000000000000001".
inline std::string number(double x) {
  char buf[32];
  for (int digits = 15; digits < 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, x);
    if (std::strtod(buf, nullptr) == x) return buf;
  }
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

inline std::string prefix(const char* fn) { return std::string("activ::init::") + fn + ": "; }

template <class W, class G>
inline void check_types() {
  static_assert(is_weight_v<W>, "activ::init: w must be an Eigen Matrix, Array or Tensor (or a view of one).");
  static_assert(activ::detail::is_real_v<weight_scalar_t<W>>, "activ::init: w must hold float or double.");
  static_assert(std::is_unsigned_v<typename G::result_type>,
                "activ::init: g must be a UniformRandomBitGenerator such as std::mt19937.");
}

/// fans(w), rejecting a 0 fan (an empty dimension) and rank-0 tensors.
template <class W>
inline Fans derived_fans(const char* fn, const W& w) {
  const Fans f = fans_of(fn, w);
  if (f.fan_in < 1 || f.fan_out < 1) {
    fail(prefix(fn) + "w has shape " + activ::detail::shape_string(dims_of(w)) + ", so fan_in = " +
         std::to_string(f.fan_in) + " and fan_out = " + std::to_string(f.fan_out) +
         "; expected both >= 1 (an empty dimension has no fan)");
  }
  return f;
}

inline Fans explicit_fans(const char* fn, const Fans& f) {
  if (f.fan_in < 1 || f.fan_out < 1) {
    fail(prefix(fn) + "Fans{fan_in = " + std::to_string(f.fan_in) + ", fan_out = " + std::to_string(f.fan_out) +
         "}: expected both >= 1");
  }
  return f;
}

inline void check_positive(const char* fn, const char* name, double x) {
  if (!(std::isfinite(x) && x > 0)) fail(prefix(fn) + name + " = " + number(x) + ", expected a finite value > 0");
}

inline double fan_for(const char* fn, const Fans& f, FanMode mode) {
  switch (mode) {
    case FanMode::in: return static_cast<double>(f.fan_in);
    case FanMode::out: return static_cast<double>(f.fan_out);
    case FanMode::avg: return (static_cast<double>(f.fan_in) + static_cast<double>(f.fan_out)) / 2.0;
  }
  fail(prefix(fn) + "mode = " + std::to_string(static_cast<int>(mode)) + ", expected FanMode::in, out or avg");
}

/// Rounds the bound or σ to w's type, checks it, then fills w. `what` names the formula.
template <class W, class G>
inline void sample(const char* fn, W& w, G& g, Distribution d, double param, const char* what) {
  using T = weight_scalar_t<W>;
  const T p = static_cast<T>(param);
  if (!(std::isfinite(p) && p > 0)) {
    fail(prefix(fn) + what + " = " + number(param) + ", which is not a finite value > 0 as " +
         (std::is_same_v<T, float> ? "float" : "double"));
  }
  write_weights(w, [&](T* out, std::ptrdiff_t n) { fill(d, g, p, out, n); });
}

template <class W, class G>
inline void he(const char* fn, W& w, G& g, const Fans& f, FanMode mode, double gain, Distribution d) {
  check_positive(fn, "gain", gain);
  const double fan = fan_for(fn, f, mode);
  if (d == Distribution::uniform) {
    sample(fn, w, g, d, gain * std::sqrt(3.0 / fan), "the bound gain*sqrt(3/fan)");
  } else {
    sample(fn, w, g, d, gain / std::sqrt(fan), "sigma = gain/sqrt(fan)");
  }
}

template <class W, class G>
inline void xavier(const char* fn, W& w, G& g, const Fans& f, double gain, Distribution d) {
  check_positive(fn, "gain", gain);
  const double sum = static_cast<double>(f.fan_in) + static_cast<double>(f.fan_out);
  if (d == Distribution::uniform) {
    sample(fn, w, g, d, gain * std::sqrt(6.0 / sum), "the bound gain*sqrt(6/(fan_in+fan_out))");
  } else {
    sample(fn, w, g, d, gain * std::sqrt(2.0 / sum), "sigma = gain*sqrt(2/(fan_in+fan_out))");
  }
}

template <class W, class G>
inline void scaled(const char* fn, W& w, G& g, const Fans& f, double scale, FanMode mode, Distribution d) {
  check_positive(fn, "scale", scale);
  const double fan = fan_for(fn, f, mode);
  switch (d) {
    case Distribution::uniform:
      return sample(fn, w, g, d, std::sqrt(3.0 * scale / fan), "the bound sqrt(3*scale/fan)");
    case Distribution::normal:
      return sample(fn, w, g, d, std::sqrt(scale / fan), "sigma = sqrt(scale/fan)");
    case Distribution::truncated_normal:
      return sample(fn, w, g, d, std::sqrt(scale / fan) / 0.87962566103423978,
                    "sigma0 = sqrt(scale/fan)/0.87962566103423978");
  }
  fail(prefix(fn) + "distribution = " + std::to_string(static_cast<int>(d)) +
       ", expected Distribution::uniform, normal or truncated_normal");
}

}  // namespace detail

/// He uniform: U(−b, b), b = gain·√(3/fan) (PyTorch kaiming_uniform_).
template <class W, class G>
inline void he_uniform(W&& w, G& g, FanMode mode = FanMode::in, double gain = sqrt2) {
  detail::check_types<W, G>();
  detail::he("he_uniform", w, g, detail::derived_fans("he_uniform", w), mode, gain, Distribution::uniform);
}
template <class W, class G>
inline void he_uniform(W&& w, G& g, const Fans& fans, FanMode mode = FanMode::in, double gain = sqrt2) {
  detail::check_types<W, G>();
  detail::he("he_uniform", w, g, detail::explicit_fans("he_uniform", fans), mode, gain, Distribution::uniform);
}

/// He normal: N(0, (gain/√fan)²), untruncated (PyTorch kaiming_normal_).
template <class W, class G>
inline void he_normal(W&& w, G& g, FanMode mode = FanMode::in, double gain = sqrt2) {
  detail::check_types<W, G>();
  detail::he("he_normal", w, g, detail::derived_fans("he_normal", w), mode, gain, Distribution::normal);
}
template <class W, class G>
inline void he_normal(W&& w, G& g, const Fans& fans, FanMode mode = FanMode::in, double gain = sqrt2) {
  detail::check_types<W, G>();
  detail::he("he_normal", w, g, detail::explicit_fans("he_normal", fans), mode, gain, Distribution::normal);
}

/// Xavier/Glorot uniform: U(−b, b), b = gain·√(6/(fan_in + fan_out)).
template <class W, class G>
inline void xavier_uniform(W&& w, G& g, double gain = 1.0) {
  detail::check_types<W, G>();
  detail::xavier("xavier_uniform", w, g, detail::derived_fans("xavier_uniform", w), gain, Distribution::uniform);
}
template <class W, class G>
inline void xavier_uniform(W&& w, G& g, const Fans& fans, double gain = 1.0) {
  detail::check_types<W, G>();
  detail::xavier("xavier_uniform", w, g, detail::explicit_fans("xavier_uniform", fans), gain, Distribution::uniform);
}

/// Xavier/Glorot normal: N(0, gain²·2/(fan_in + fan_out)), untruncated (PyTorch xavier_normal_).
template <class W, class G>
inline void xavier_normal(W&& w, G& g, double gain = 1.0) {
  detail::check_types<W, G>();
  detail::xavier("xavier_normal", w, g, detail::derived_fans("xavier_normal", w), gain, Distribution::normal);
}
template <class W, class G>
inline void xavier_normal(W&& w, G& g, const Fans& fans, double gain = 1.0) {
  detail::check_types<W, G>();
  detail::xavier("xavier_normal", w, g, detail::explicit_fans("xavier_normal", fans), gain, Distribution::normal);
}

/// LeCun uniform: U(−b, b), b = √(3/fan_in); bitwise variance_scaling(w, g, 1, in, uniform).
template <class W, class G>
inline void lecun_uniform(W&& w, G& g) {
  detail::check_types<W, G>();
  detail::scaled("lecun_uniform", w, g, detail::derived_fans("lecun_uniform", w), 1.0, FanMode::in,
                 Distribution::uniform);
}
template <class W, class G>
inline void lecun_uniform(W&& w, G& g, const Fans& fans) {
  detail::check_types<W, G>();
  detail::scaled("lecun_uniform", w, g, detail::explicit_fans("lecun_uniform", fans), 1.0, FanMode::in,
                 Distribution::uniform);
}

/// LeCun normal: N(0, 1/fan_in), untruncated; bitwise variance_scaling(w, g, 1, in, normal).
/// (Keras' LecunNormal is truncated: variance_scaling(w, g) with its defaults.)
template <class W, class G>
inline void lecun_normal(W&& w, G& g) {
  detail::check_types<W, G>();
  detail::scaled("lecun_normal", w, g, detail::derived_fans("lecun_normal", w), 1.0, FanMode::in,
                 Distribution::normal);
}
template <class W, class G>
inline void lecun_normal(W&& w, G& g, const Fans& fans) {
  detail::check_types<W, G>();
  detail::scaled("lecun_normal", w, g, detail::explicit_fans("lecun_normal", fans), 1.0, FanMode::in,
                 Distribution::normal);
}

/// Keras' VarianceScaling: variance scale/fan; defaults as Keras (1, fan_in, truncated_normal).
template <class W, class G>
inline void variance_scaling(W&& w, G& g, double scale = 1.0, FanMode mode = FanMode::in,
                             Distribution distribution = Distribution::truncated_normal) {
  detail::check_types<W, G>();
  detail::scaled("variance_scaling", w, g, detail::derived_fans("variance_scaling", w), scale, mode, distribution);
}
template <class W, class G>
inline void variance_scaling(W&& w, G& g, const Fans& fans, double scale = 1.0, FanMode mode = FanMode::in,
                             Distribution distribution = Distribution::truncated_normal) {
  detail::check_types<W, G>();
  detail::scaled("variance_scaling", w, g, detail::explicit_fans("variance_scaling", fans), scale, mode,
                 distribution);
}

}  // namespace activ::init

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_INIT_INITIALIZERS_HPP
