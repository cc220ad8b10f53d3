// Writes every activation and its derivative over −10 … 10 as CSV for plot_activations.gp,
// which draws docs/img/*.svg:
//   plot_activations <dir>            → <dir>/activations.csv
//   gnuplot -e "dir='<dir>'" examples/plot_activations.gp
// (scripts/plots.sh does both for docs/img.)
#include <Eigen/Core>
#include <activ/activ.hpp>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  const std::string path = dir + "/activations.csv";
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) {
    std::fprintf(stderr, "plot_activations: cannot write %s\n", path.c_str());
    return 1;
  }

  const Eigen::ArrayXd x = Eigen::ArrayXd::LinSpaced(2001, -10.0, 10.0);
  const activ::ReLU<double> relu;
  const activ::LeakyReLU<double> leaky{0.1};  // 0.1 rather than 0.01 so the slope is visible
  const activ::ELU<double> elu;
  const activ::Sigmoid<double> sigmoid;
  const activ::Tanh<double> tanh;

  // One column per function and derivative, filled by the container calls.
  Eigen::ArrayXXd table(x.size(), 11);
  table.col(0) = x;
  activ::forward(relu, x, table.col(1));
  activ::derivative(relu, x, table.col(2));
  activ::forward(leaky, x, table.col(3));
  activ::derivative(leaky, x, table.col(4));
  activ::forward(elu, x, table.col(5));
  activ::derivative(elu, x, table.col(6));
  activ::forward(sigmoid, x, table.col(7));
  activ::derivative(sigmoid, x, table.col(8));
  activ::forward(tanh, x, table.col(9));
  activ::derivative(tanh, x, table.col(10));

  std::fprintf(out, "x,relu,drelu,leaky_relu,dleaky_relu,elu,delu,sigmoid,dsigmoid,tanh,dtanh\n");
  for (Eigen::Index i = 0; i < table.rows(); ++i) {
    for (Eigen::Index j = 0; j < table.cols(); ++j) {
      std::fprintf(out, j + 1 < table.cols() ? "%.9g," : "%.9g\n", table(i, j));
    }
  }
  std::fclose(out);
  std::printf("wrote %s (%ld rows)\n", path.c_str(), static_cast<long>(table.rows()));
  return 0;
}
