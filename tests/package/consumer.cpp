// What a user of an installed (or vendored) activ writes: the umbrella header, a dense
// forward and backward and a tensor call, built without -march and without activ's flags.
#include <Eigen/Core>
#include <activ/activ.hpp>
#include <cstdio>
#include <cstring>
#include <unsupported/Eigen/CXX11/Tensor>

#define ACTIV_STR2(x) #x
#define ACTIV_STR(x) ACTIV_STR2(x)

int main() {
  Eigen::ArrayXf x(5), y(5), dx(5);
  x << -2.0f, -0.5f, 0.0f, 0.5f, 3.0f;
  activ::forward(activ::Sigmoid<float>{}, x, y);
  activ::backward(activ::ReLU<float>{}, x, Eigen::ArrayXf::Ones(5), dx);
  Eigen::Tensor<double, 2> t(2, 3);
  t.setConstant(-1.0);
  const Eigen::Tensor<double, 2> u = activ::apply(activ::ELU<double>{2.0}, t);

  const char* version = ACTIV_STR(ACTIV_VERSION_MAJOR) "." ACTIV_STR(ACTIV_VERSION_MINOR) "." ACTIV_STR(
      ACTIV_VERSION_PATCH);
  bool ok = y(2) == 0.5f && y(4) > 0.95f && dx(0) == 0.0f && dx(4) == 1.0f && u(1, 2) < -1.26 && u(1, 2) > -1.27;
#ifdef EXPECTED_VERSION
  ok = ok && std::strcmp(version, EXPECTED_VERSION) == 0;
#endif
  std::printf("activ %s consumer: %s\n", version, ok ? "ok" : "WRONG RESULTS");
  return ok ? 0 : 1;
}
