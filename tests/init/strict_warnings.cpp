// The initializer headers stay silent under the stricter warnings users build with: compiled
// into activ_strict_warnings (tests/CMakeLists.txt), it instantiates every initializer for
// float and double, dense and tensor, with power-of-two and other engines.
#include <Eigen/Core>
#include <activ/init/init.hpp>
#include <array>
#include <random>
#include <unsupported/Eigen/CXX11/Tensor>

namespace activ::testing {

template <class T>
void instantiate_init() {
  std::mt19937 g(1);
  std::minstd_rand m(2);
  std::mt19937_64 g64(3);
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> w(3, 4);
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r(3, 4);
  Eigen::Tensor<T, 4> t(2, 3, 2, 2);
  Eigen::Tensor<T, 0> s;
  activ::init::he_uniform(w, g);
  activ::init::he_normal(r, m, activ::init::FanMode::out, 1.0);
  activ::init::xavier_uniform(t, g64);
  activ::init::xavier_normal(w.block(0, 0, 2, 2), g);
  activ::init::lecun_uniform(w, m);
  activ::init::lecun_normal(t, g);
  activ::init::variance_scaling(w, g, 2.0, activ::init::FanMode::avg, activ::init::Distribution::truncated_normal);
  activ::init::variance_scaling(s, g, activ::init::Fans{2, 2});
  activ::init::init_for(w, activ::ReLU<T>{}, g);
  activ::init::init_for(w, activ::LeakyReLU<T>{}, m);
  activ::init::init_for(w, activ::ELU<T>{}, m);
  activ::init::init_for(w, activ::Sigmoid<T>{}, m, activ::init::Fans{1, 2});
  activ::init::init_for(w, activ::Tanh<T>{}, g64);
  const std::array<Eigen::Index, 4> offsets{0, 0, 0, 0}, extents{1, 2, 2, 2};
  activ::init::he_normal(t.slice(offsets, extents), g);
  (void)activ::init::fans(t);
}

template void instantiate_init<float>();
template void instantiate_init<double>();

}  // namespace activ::testing
