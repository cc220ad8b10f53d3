// What each side of scripts/ab's A/B includes first: activ with its namespace renamed to VNS
// (activ_a, activ_b: the compiler flag of the side), Google Benchmark, and the inputs and output,
// shared by both sides: ab_buffers is an inline function outside the renamed namespace, one
// definition in both objects, which the linker merges. With a buffer set per side, the pages
// each side happened to get showed as a 10 % difference on identical code at 4 Ki.
#ifndef ACTIV_SCRIPTS_AB_SIDE_HPP
#define ACTIV_SCRIPTS_AB_SIDE_HPP
#define activ VNS
#include <activ/activ.hpp>
#include <benchmark/benchmark.h>
#include <map>
#include <random>
#include <vector>
#include <unsupported/Eigen/CXX11/Tensor>
#include <xsimd/xsimd.hpp>

#define STR2(x) #x
#define STR(x) STR2(x)  // the side's name: STR(VNS)

// BM<F, Call> (Call 0 forward, 1 derivative, 2 backward) for the five elementwise functors
// of element type T, at 4 Ki and 64 Ki, named call/function/side (elementwise.cpp: float and
// double, maps.cpp: float).
#define AB_REGISTER_CALLS(BM, F, T, name)                                                                      \
  BENCHMARK_TEMPLATE(BM, VNS::F<T>, 0)->Name(std::string("forward/" name "/" #T "/") + STR(VNS))->Arg(4096)->Arg(65536);    \
  BENCHMARK_TEMPLATE(BM, VNS::F<T>, 1)->Name(std::string("derivative/" name "/" #T "/") + STR(VNS))->Arg(4096)->Arg(65536); \
  BENCHMARK_TEMPLATE(BM, VNS::F<T>, 2)->Name(std::string("backward/" name "/" #T "/") + STR(VNS))->Arg(4096)->Arg(65536);
#define AB_REGISTER_ELEMENTWISE(BM, T)                                                                     \
  AB_REGISTER_CALLS(BM, ReLU, T, "relu") AB_REGISTER_CALLS(BM, LeakyReLU, T, "leaky_relu")                \
  AB_REGISTER_CALLS(BM, ELU, T, "elu") AB_REGISTER_CALLS(BM, Sigmoid, T, "sigmoid")                       \
  AB_REGISTER_CALLS(BM, Tanh, T, "tanh")

template <class T>
struct AbBuffers {
  std::vector<T, xsimd::aligned_allocator<T, 64>> x, dy, out;
};

// n elements of T (float unless named): x uniform in [−x_range, x_range], dy in [−1, 1], made
// once per size.
template <class T = float>
inline AbBuffers<T>& ab_buffers(long n, double x_range) {
  static std::map<long, AbBuffers<T>> all;
  auto [it, fresh] = all.try_emplace(n);
  if (fresh) {
    std::mt19937 g(42);
    std::uniform_real_distribution<T> u(T(-x_range), T(x_range)), v(-1, 1);
    AbBuffers<T>& b = it->second;
    b.x.resize(static_cast<std::size_t>(n));
    b.dy.resize(static_cast<std::size_t>(n));
    b.out.resize(static_cast<std::size_t>(n));
    for (auto& e : b.x) e = u(g);
    for (auto& e : b.dy) e = v(g);
  }
  return it->second;
}

#endif
