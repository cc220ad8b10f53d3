// activ — fans of a weight container, and the enums every initializer shares.
//
// fan_in and fan_out count the inputs and the outputs one weight tensor connects: the n of
// the variance formulas of LeCun et al. 1998 ("Efficient BackProp", Var = 1/fan_in),
// Glorot & Bengio 2010 (Var = 2/(fan_in + fan_out)) and He et al. 2015 (Var = 2/fan_in).
//
//   Matrix / Array (y = W·x)           fan_out = rows,        fan_in = cols
//   Tensor of rank r >= 2 (O, I, K…)   fan_out = d0 · rf,     fan_in = d1 · rf,
//                                      rf = d2 · … · d(r−1)   (the receptive field)
//   Tensor of rank 1                   fan_in = fan_out = d0
//   Tensor of rank 0                   no fans: an error; pass Fans explicitly
//
// The tensor rule is PyTorch's (torch.nn.init._calculate_fan_in_and_fan_out, OIHW weights);
// dimensions are logical, whatever the layout. The dense rule applies to vectors too: an n×1
// VectorXf has fan_in 1 and fan_out n. Layouts the rule does not fit (transposed-convolution
// weights, which PyTorch stores I, O, K…; Keras' H, W, I, O kernels) pass Fans explicitly.
// Fans are integer counts (Eigen::Index, as the dimensions they come from); FanMode::avg
// averages them in double, so an odd sum is not truncated.
#ifndef ACTIV_INIT_FANS_HPP
#define ACTIV_INIT_FANS_HPP

#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <string>
#include <unsupported/Eigen/CXX11/Tensor>

#include "activ/config.hpp"
#include "activ/core/dense.hpp"
#include "activ/core/shape.hpp"
#include "activ/core/tensor.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::init {

/// Which fan sets the variance: fan_in (keeps the forward signal), fan_out (the backward
/// one), or avg = (fan_in + fan_out)/2.
enum class FanMode { in, out, avg };

/// The shape of the distribution of variance_scaling (Keras' VarianceScaling).
enum class Distribution { uniform, normal, truncated_normal };

struct Fans {
  Eigen::Index fan_in = 0;
  Eigen::Index fan_out = 0;

  friend bool operator==(const Fans& a, const Fans& b) noexcept {
    return a.fan_in == b.fan_in && a.fan_out == b.fan_out;
  }
  friend bool operator!=(const Fans& a, const Fans& b) noexcept { return !(a == b); }
};

namespace detail {

using activ::detail::fail;

template <class W>
inline constexpr bool is_weight_v = activ::detail::is_dense_v<W> || activ::detail::is_tensor_v<W>;

/// The logical dimensions of w: {rows, cols} for dense objects, the tensor's dims otherwise.
template <class W>
inline auto dims_of(const W& w) {
  if constexpr (activ::detail::is_dense_v<W>) {
    return std::array<Eigen::Index, 2>{w.rows(), w.cols()};
  } else {
    return activ::detail::tensor_dims(w);
  }
}

/// fans(w), with errors naming fn (the public function the user called).
template <class W>
inline Fans fans_of(const char* fn, const W& w) {
  static_assert(is_weight_v<W>, "activ::init: w must be an Eigen Matrix, Array or Tensor (or a view of one).");
  if constexpr (activ::detail::is_dense_v<W>) {
    return Fans{w.cols(), w.rows()};
  } else {
    constexpr int rank = activ::detail::tensor_rank_v<W>;
    if constexpr (rank == 0) {
      fail(std::string("activ::init::") + fn +
           ": w is a rank-0 tensor, which has no fans; pass Fans{fan_in, fan_out} explicitly");
    } else {
      const auto d = activ::detail::tensor_dims(w);
      if constexpr (rank == 1) {
        return Fans{d[0], d[0]};
      } else {
        Eigen::Index field = 1;
        for (std::size_t k = 2; k < d.size(); ++k) field *= d[k];
        return Fans{d[1] * field, d[0] * field};
      }
    }
  }
}

}  // namespace detail

/// The fans of w by the convention above. An empty dimension gives a 0 fan (the initializers
/// reject it); a rank-0 tensor throws std::invalid_argument.
template <class W>
inline Fans fans(const W& w) {
  return detail::fans_of("fans", w);
}

}  // namespace activ::init

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_INIT_FANS_HPP
