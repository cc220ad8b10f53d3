// A convolution-style block on Eigen::Tensor<float, 4>, forward and backward:
//   1×1 convolution (He-initialized weights, bias) → PReLU per channel → 2× Maxout over channels
// in PyTorch's NCHW index order (a RowMajor tensor, so memory matches PyTorch too). It shows
// the axis conventions — axes are logical dimension indices, whatever the layout — and checks
// one weight gradient against a central difference of the loss.
#include <activ/activ.hpp>
#include <cmath>
#include <cstdio>
#include <random>
#include <unsupported/Eigen/CXX11/Tensor>

namespace {

using Tensor4 = Eigen::Tensor<float, 4, Eigen::RowMajor>;  // [N, C, H, W]
using Index = Eigen::Index;
constexpr Index N = 2, C_in = 3, C_out = 8, H = 5, W = 4;
constexpr Index channel_axis = 1;  // NCHW

struct Block {
  Eigen::Tensor<float, 4, Eigen::RowMajor> weight{C_out, C_in, 1, 1};  // PyTorch's OIHW
  Eigen::Tensor<float, 1, Eigen::RowMajor> bias{C_out};
  activ::PReLU<float> prelu{C_out, channel_axis, 0.25f};  // one slope per output channel
  activ::Maxout<float> maxout{2, channel_axis};           // channels {0,1} → 0, {2,3} → 1, …

  // Intermediate results kept for backward.
  Tensor4 z, a, y;
  Eigen::Tensor<Index, 4, Eigen::RowMajor> winner;

  // The 1×1 convolution: z[n, o, h, w] = Σ_c weight[o, c]·x[n, c, h, w] + bias[o].
  Tensor4 convolve(const Tensor4& x) const {
    const Eigen::array<Eigen::IndexPair<Index>, 1> over_c{Eigen::IndexPair<Index>(1, 1)};
    const Eigen::Tensor<float, 2, Eigen::RowMajor> w2 = weight.reshape(Eigen::array<Index, 2>{C_out, C_in});
    // contract gives [N, H, W, O]; shuffle back to [N, O, H, W].
    Tensor4 out = x.contract(w2, over_c).shuffle(Eigen::array<Index, 4>{0, 3, 1, 2});
    out += bias.reshape(Eigen::array<Index, 4>{1, C_out, 1, 1}).broadcast(Eigen::array<Index, 4>{N, 1, H, W});
    return out;
  }

  const Tensor4& forward(const Tensor4& x) {
    z = convolve(x);
    a.resize(z.dimensions());
    activ::forward(prelu, z, a);
    y.resize(N, C_out / 2, H, W);  // Maxout halves the channel axis
    winner.resize(y.dimensions());
    activ::forward(maxout, a, y, winner);
    return y;
  }

  // Given dL/dy, fills dL/dweight, dL/dbias, dL/dslopes.
  void backward(const Tensor4& x, const Tensor4& dy, Eigen::Tensor<float, 4, Eigen::RowMajor>& dweight,
                Eigen::Tensor<float, 1, Eigen::RowMajor>& dbias, Eigen::ArrayXf& dslopes) {
    Tensor4 da(a.dimensions()), dz(z.dimensions());
    activ::backward_from_argmax(maxout, winner, dy, da);  // dy to each group's winning piece
    activ::backward(prelu, z, da, dz, dslopes);            // dz and the slopes' gradient
    const Eigen::array<Eigen::IndexPair<Index>, 3> over_nhw{
        Eigen::IndexPair<Index>(0, 0), Eigen::IndexPair<Index>(2, 2), Eigen::IndexPair<Index>(3, 3)};
    dweight = dz.contract(x, over_nhw).reshape(Eigen::array<Index, 4>{C_out, C_in, 1, 1});
    dbias = dz.sum(Eigen::array<Index, 3>{0, 2, 3});
  }
};

// L = ½·Σ y², so dL/dy = y.
float loss(const Tensor4& y) {
  const Eigen::Tensor<float, 0, Eigen::RowMajor> s = y.square().sum();
  return 0.5f * s();
}

}  // namespace

int main() {
  std::mt19937 g(7);
  Block block;
  activ::init::he_normal(block.weight, g);  // fans from OIHW: fan_in = C_in·1·1
  block.bias.setConstant(0.1f);
  const activ::init::Fans fans = activ::init::fans(block.weight);
  std::printf("weight [O=%ld, I=%ld, 1, 1]: fan_in %ld, fan_out %ld, He-normal std %.4f\n",
              static_cast<long>(C_out), static_cast<long>(C_in), static_cast<long>(fans.fan_in),
              static_cast<long>(fans.fan_out), std::sqrt(2.0 / static_cast<double>(fans.fan_in)));

  Tensor4 x(N, C_in, H, W);
  x.setRandom();
  x = x * x.constant(2.0f) - x.constant(1.0f);

  const Tensor4& y = block.forward(x);
  std::printf("x [N=%ld, C=%ld, H=%ld, W=%ld] -> conv [%ld, %ld, %ld, %ld] -> PReLU (axis %ld) -> Maxout(2, axis %ld) "
              "[%ld, %ld, %ld, %ld]\n",
              static_cast<long>(N), static_cast<long>(C_in), static_cast<long>(H), static_cast<long>(W),
              static_cast<long>(block.z.dimension(0)), static_cast<long>(block.z.dimension(1)),
              static_cast<long>(block.z.dimension(2)), static_cast<long>(block.z.dimension(3)),
              static_cast<long>(channel_axis), static_cast<long>(channel_axis), static_cast<long>(y.dimension(0)),
              static_cast<long>(y.dimension(1)), static_cast<long>(y.dimension(2)), static_cast<long>(y.dimension(3)));
  std::printf("y[0, 1, 2, 3] = %.5f = max(a[0, 2, 2, 3] = %.5f, a[0, 3, 2, 3] = %.5f), winning piece %ld\n",
              static_cast<double>(y(0, 1, 2, 3)), static_cast<double>(block.a(0, 2, 2, 3)),
              static_cast<double>(block.a(0, 3, 2, 3)), static_cast<long>(block.winner(0, 1, 2, 3)));

  Eigen::Tensor<float, 4, Eigen::RowMajor> dweight;
  Eigen::Tensor<float, 1, Eigen::RowMajor> dbias;
  Eigen::ArrayXf dslopes(C_out);
  block.backward(x, y, dweight, dbias, dslopes);
  std::printf("loss %.6f; dL/dslope per channel:", static_cast<double>(loss(y)));
  for (Index c = 0; c < C_out; ++c) std::printf(" %.4f", static_cast<double>(dslopes[c]));
  std::printf("\n");

  // Central difference of the loss in one weight, in double steps of the float weight.
  const float h = 1e-2f, w0 = block.weight(5, 1, 0, 0);
  block.weight(5, 1, 0, 0) = w0 + h;
  const double up = loss(block.forward(x));
  block.weight(5, 1, 0, 0) = w0 - h;
  const double down = loss(block.forward(x));
  block.weight(5, 1, 0, 0) = w0;
  const double numeric = (up - down) / (2.0 * static_cast<double>(h));
  const double analytic = dweight(5, 1, 0, 0);
  std::printf("dL/dweight[5, 1, 0, 0]: backward %.6f, central difference %.6f\n", analytic, numeric);
  const bool agree = std::abs(analytic - numeric) <= 2e-2 * std::max(1.0, std::abs(numeric));
  std::printf("%s\n", agree ? "gradients agree" : "GRADIENTS DISAGREE");
  return agree ? 0 : 1;
}
