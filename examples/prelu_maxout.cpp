// PReLU and Maxout on a mini-batch kept as columns (features × samples), with their gradients.
#include <Eigen/Core>
#include <activ/activ.hpp>
#include <cstdio>

int main() {
  // 4 features × 3 samples. One PReLU slope per feature: the features are axis 0 (the rows).
  Eigen::MatrixXf x(4, 3);
  x << -2.0f, 1.0f, 0.5f,  //
      3.0f, -1.0f, -4.0f,  //
      -0.5f, 2.0f, 1.0f,   //
      1.0f, -3.0f, 0.0f;
  activ::PReLU<float> prelu(4, /*axis=*/0, /*init=*/0.25f);
  prelu.alpha()[1] = -0.5f;  // the slopes are plain data, for an optimizer to update
  const Eigen::MatrixXf y = activ::apply(prelu, x);

  // Backward: dx for the layer below, and the slope gradient summed over the samples.
  const Eigen::MatrixXf dy = Eigen::MatrixXf::Ones(4, 3);
  Eigen::MatrixXf dx(4, 3);
  Eigen::ArrayXf dalpha(4);
  activ::backward(prelu, x, dy, dx, dalpha);                     // dalpha  = Σ (x <= 0 ? x·dy : 0)
  activ::backward(prelu, x, dy, dx, dalpha, activ::accumulate);  // dalpha += the same (a 2nd batch)

  // Maxout with units of 2 pieces along the features: 4 rows in, 2 rows out.
  const activ::Maxout<float> maxout(2, /*axis=*/0);
  Eigen::MatrixXf h(2, 3);
  Eigen::Matrix<Eigen::Index, Eigen::Dynamic, Eigen::Dynamic> winner(2, 3);
  activ::forward(maxout, y, h, winner);
  const Eigen::MatrixXf dh = Eigen::MatrixXf::Ones(2, 3);
  Eigen::MatrixXf dh_dy(4, 3);
  activ::backward_from_argmax(maxout, winner, dh, dh_dy);  // dh routed to each unit's winner

  std::printf("prelu(x):\n");
  for (Eigen::Index i = 0; i < 4; ++i) std::printf("  %7.3f %7.3f %7.3f\n", y(i, 0), y(i, 1), y(i, 2));
  std::printf("dalpha (two batches): %g %g %g %g\n", dalpha[0], dalpha[1], dalpha[2], dalpha[3]);
  std::printf("maxout(prelu(x)), winning piece in brackets:\n");
  for (Eigen::Index u = 0; u < 2; ++u) {
    std::printf("  %7.3f [%ld] %7.3f [%ld] %7.3f [%ld]\n", h(u, 0), static_cast<long>(winner(u, 0)), h(u, 1),
                static_cast<long>(winner(u, 1)), h(u, 2), static_cast<long>(winner(u, 2)));
  }
  // y's row 0 is (-0.5, 1, 0.5) and row 1 is (3, 0.5, 2): the winners are pieces 1, 0, 1.
  const bool ok = h(0, 0) == 3.0f && h(0, 1) == 1.0f && h(0, 2) == 2.0f && winner(0, 1) == 0 &&
                  dalpha[1] == 2 * -5.0f && dh_dy(1, 0) == 1.0f && dh_dy(0, 0) == 0.0f;
  return ok ? 0 : 1;
}
