// activ quick start: each activation and its derivative on the integers −10 … 10, the series of
// the rectified-linear-unit tutorial activ comes from.
#include <Eigen/Core>
#include <activ/activ.hpp>
#include <cstdio>

int main() {
  // The series [-10, -9, ..., 10] as an Eigen array.
  const Eigen::ArrayXf x = Eigen::ArrayXf::LinSpaced(21, -10.0f, 10.0f);

  const activ::ReLU<float> relu;
  const activ::LeakyReLU<float> leaky{0.01f};  // slope 0.01 for x <= 0 (PyTorch's default)
  const activ::ELU<float> elu{1.0f};
  const activ::Sigmoid<float> sigmoid;
  const activ::Tanh<float> tanh;

  // apply() returns a new array; forward()/derivative() write into one you own.
  const Eigen::ArrayXf y_relu = activ::apply(relu, x);
  Eigen::ArrayXf d_relu(x.size());
  activ::derivative(relu, x, d_relu);

  std::printf("%6s %9s %6s %9s %7s %9s %7s %9s %7s %9s %7s\n", "x", "relu", "d", "leaky", "d",
              "elu", "d", "sigmoid", "d", "tanh", "d");
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const float v = x[i];
    std::printf("%6.1f %9.4f %6.1f %9.4f %7.2f %9.4f %7.4f %9.6f %7.4f %9.6f %7.4f\n", v, y_relu[i],
                d_relu[i], leaky(v), leaky.derivative(v), elu(v), elu.derivative(v), sigmoid(v),
                sigmoid.derivative(v), tanh(v), tanh.derivative(v));
  }
  return 0;
}
