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

  std::printf("%5s %6s %3s %7s %5s %8s %9s %9s %9s %10s %9s\n", "x", "relu", "d", "leaky", "d", "elu",
              "d", "sigmoid", "d", "tanh", "d");
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const float v = x[i];
    // %.3g for the smooth derivatives: their tails are accurate, not rounded to 0.
    std::printf("%5.0f %6.1f %3.0f %7.2f %5.2f %8.4f %9.3g %9.3g %9.3g %10.6f %9.3g\n", v, y_relu[i],
                d_relu[i], leaky(v), leaky.derivative(v), elu(v), elu.derivative(v), sigmoid(v),
                sigmoid.derivative(v), tanh(v), tanh.derivative(v));
  }
  return 0;
}
