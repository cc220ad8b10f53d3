// Users build with stricter warnings than our own -Wall -Wextra; activ's headers must stay
// silent under them (tests/CMakeLists.txt compiles this file with -Wconversion and friends).
// It instantiates every container function for every elementwise functor, dense and tensor, and
// Maxout's and PReLU's calls (argmax of several integer types, the slope gradient).
#include <Eigen/Dense>
#include <activ/activ.hpp>
#include <cstdint>
#include <unsupported/Eigen/CXX11/Tensor>

#include "support/functors.hpp"

template <class T>
void instantiate() {
  activ::testing::for_each_functor<T>([](const char*, const auto& f) {
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> x(3, 3), y(3, 3);
    x.setZero();
    Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> a = x.array();
    activ::forward(f, x, y);
    activ::derivative(f, x.block(0, 0, 2, 2), y.block(1, 1, 2, 2));
    activ::backward(f, x, a, y);
    activ::backward_from_output(f, x * T(2), y, y.transpose());
    y = activ::apply(f, x);
    Eigen::Tensor<T, 3> t(2, 3, 4);
    Eigen::Tensor<T, 3, Eigen::RowMajor> u(2, 3, 4);
    t.setZero();
    activ::forward(f, t, u);
    activ::backward(f, t, u, t);
    Eigen::Tensor<T, 3> r = activ::apply(f, t * t);
    activ::forward(f, r.data(), r.data(), r.size());
    (void)f(T(1));
  });
}

template <class T>
void instantiate_maxout_prelu() {
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> x(8, 3), y(4, 3), dx(8, 3), dy(4, 3);
  x.setZero();
  dy.setZero();
  Eigen::Matrix<Eigen::Index, Eigen::Dynamic, Eigen::Dynamic> a(4, 3);
  Eigen::Matrix<std::int8_t, Eigen::Dynamic, Eigen::Dynamic> b(4, 3);
  Eigen::Matrix<unsigned, Eigen::Dynamic, Eigen::Dynamic> c(4, 3);
  const activ::Maxout<T> m(2, 0), m4(4, 0);
  activ::forward(m, x, y);
  activ::forward(m, x, y, a);
  activ::forward(m, x, y, b);
  activ::forward(m, x, y, c);
  activ::backward(m, x, dy, dx);
  activ::backward_from_argmax(m, a, dy, dx);
  activ::backward_from_argmax(m, b, dy, dx);
  activ::backward_from_argmax(m4, c.topRows(2), dy.topRows(2), dx);
  Eigen::Tensor<T, 3> t(4, 3, 2), u(2, 3, 2);
  t.setZero();
  activ::forward(m, t, u);
  const activ::PReLU<T> p(3, 1);
  Eigen::Matrix<T, Eigen::Dynamic, 1> da(3);
  activ::forward(p, x, dx);
  activ::derivative(p, x, dx);
  activ::backward(p, x, x, dx);
  activ::backward(p, x, x, dx, da);
  activ::backward(p, x, x, dx, da, activ::accumulate);
  Eigen::Tensor<T, 3> r = activ::apply(p, t);
  (void)r;
}

template void instantiate<float>();
template void instantiate<double>();
template void instantiate_maxout_prelu<float>();
template void instantiate_maxout_prelu<double>();
