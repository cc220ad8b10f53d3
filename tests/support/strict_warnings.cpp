// Users build with stricter warnings than our own -Wall -Wextra; activ's headers must stay
// silent under them (tests/CMakeLists.txt compiles this file with -Wconversion and friends).
// It instantiates every container function for every elementwise functor, dense and tensor.
#include <Eigen/Dense>
#include <activ/activ.hpp>
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

template void instantiate<float>();
template void instantiate<double>();
