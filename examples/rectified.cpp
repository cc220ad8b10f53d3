// The rectified linear unit tutorial's first demo, with activ: rectified(x) = max(0, x) for a
// few inputs, then over the series −10 … 10 (the tutorial plots it; here it is printed, and
// examples/plot_activations.cpp draws it).
#include <Eigen/Core>
#include <activ/activ.hpp>
#include <cstdio>

int main() {
  const activ::ReLU<double> rectified;
  for (const double x : {1.0, 1000.0, 0.0, -1.0, -1000.0}) {
    std::printf("rectified(%.1f) is %.1f\n", x, rectified(x));
  }

  const Eigen::ArrayXd series_in = Eigen::ArrayXd::LinSpaced(21, -10.0, 10.0);
  const Eigen::ArrayXd series_out = activ::apply(rectified, series_in);
  std::printf("series_in:  [");
  for (Eigen::Index i = 0; i < series_in.size(); ++i) std::printf(i ? ", %g" : "%g", series_in[i]);
  std::printf("]\nseries_out: [");
  for (Eigen::Index i = 0; i < series_out.size(); ++i) std::printf(i ? ", %g" : "%g", series_out[i]);
  std::printf("]\n");
  return 0;
}
