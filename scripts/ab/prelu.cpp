// One side of a same-process A/B of activ (scripts/ab/ab.sh), see elementwise.cpp. PReLU at
// the four channel-axis positions of bench/prelu_maxout.cpp, 64 Ki elements (and 4 Ki: every
// position with the slope gradient, the tensor's two axes without; the Matrix's forward at
// 64 Ki; the Matrix rows' slope gradient also on 192² and 128²), with the one- and two-input
// copies as controls: an unchanged loop shows the drift between the sides.
#include "side.hpp"
namespace {
template <int Where, int Call>
void pr(benchmark::State& st) {
  const long n = st.range(0); auto& s = ab_buffers(n, 1);
  Eigen::ArrayXf da;
  auto run = [&](const auto& x, const auto& dy, auto&& y, const VNS::PReLU<float>& p) {
    da.resize(p.alpha().size());
    for (auto _ : st) {
      if constexpr (Call == 0) VNS::forward(p, x, y);
      else if constexpr (Call == 1) VNS::backward(p, x, dy, y);
      else { VNS::backward(p, x, dy, y, da); benchmark::DoNotOptimize(da.data()); }
      benchmark::ClobberMemory();
    }
  };
  if constexpr (Where < 2) {
    long d = 1; while (d * d * d * d < n) ++d;
    using TMap = Eigen::TensorMap<Eigen::Tensor<float, 4>>; using CMap = Eigen::TensorMap<const Eigen::Tensor<float, 4>>;
    run(CMap(s.x.data(), d, d, d, d), CMap(s.dy.data(), d, d, d, d), TMap(s.out.data(), d, d, d, d), VNS::PReLU<float>(d, Where == 0 ? 0 : 3));
  } else {
    long d = 1; while (d * d < n) ++d;
    run(Eigen::Map<const Eigen::MatrixXf>(s.x.data(), d, d), Eigen::Map<const Eigen::MatrixXf>(s.dy.data(), d, d), Eigen::Map<Eigen::MatrixXf>(s.out.data(), d, d), VNS::PReLU<float>(d, Where == 2 ? 0 : 1));
  }
}
void copy2(benchmark::State& st) {
  using B = xsimd::batch<float>; constexpr long w = B::size;
  const long n = st.range(0); auto& s = ab_buffers(n, 1);
  for (auto _ : st) {
    for (long i = 0; i + 4 * w <= n; i += 4 * w) {
      const B a = B::load_aligned(s.x.data() + i) + B::load_aligned(s.dy.data() + i);
      const B b = B::load_aligned(s.x.data() + i + w) + B::load_aligned(s.dy.data() + i + w);
      const B c = B::load_aligned(s.x.data() + i + 2 * w) + B::load_aligned(s.dy.data() + i + 2 * w);
      const B d = B::load_aligned(s.x.data() + i + 3 * w) + B::load_aligned(s.dy.data() + i + 3 * w);
      a.store_aligned(s.out.data() + i); b.store_aligned(s.out.data() + i + w); c.store_aligned(s.out.data() + i + 2 * w); d.store_aligned(s.out.data() + i + 3 * w);
    }
    benchmark::ClobberMemory();
  }
}
void copy1(benchmark::State& st) {
  using B = xsimd::batch<float>; constexpr long w = B::size;
  const long n = st.range(0); auto& s = ab_buffers(n, 1);
  for (auto _ : st) {
    for (long i = 0; i + 4 * w <= n; i += 4 * w) {
      const B a = B::load_aligned(s.x.data() + i), b = B::load_aligned(s.x.data() + i + w);
      const B c = B::load_aligned(s.x.data() + i + 2 * w), d = B::load_aligned(s.x.data() + i + 3 * w);
      a.store_aligned(s.out.data() + i); b.store_aligned(s.out.data() + i + w); c.store_aligned(s.out.data() + i + 2 * w); d.store_aligned(s.out.data() + i + 3 * w);
    }
    benchmark::ClobberMemory();
  }
}
// LeakyReLU's forward on the same 8^4 tensor: PReLU's with one slope batch minus PReLU's own
// per-call work (the slope check, the axis split, the slope batch), for the 4 Ki forward rows.
void leaky(benchmark::State& st) {
  const long n = st.range(0); auto& s = ab_buffers(n, 1);
  long d = 1; while (d * d * d * d < n) ++d;
  const Eigen::TensorMap<const Eigen::Tensor<float, 4>> x(s.x.data(), d, d, d, d);
  Eigen::TensorMap<Eigen::Tensor<float, 4>> y(s.out.data(), d, d, d, d);
  const VNS::LeakyReLU<float> f{0.25f};
  for (auto _ : st) {
    VNS::forward(f, x, y);
    benchmark::ClobberMemory();
  }
}
const char* wn[] = {"tfirst", "tlast", "mrows", "mcols"};
#define R(W) BENCHMARK_TEMPLATE(pr, W, 2)->Name(std::string("dalpha/") + wn[W] + "/" STR(VNS))->Arg(65536)->Arg(4096); \
             BENCHMARK_TEMPLATE(pr, W, 1)->Name(std::string("backward/") + wn[W] + "/" STR(VNS))->Arg(65536);
R(0) R(1) R(2) R(3)
BENCHMARK_TEMPLATE(pr, 0, 0)->Name("fwd/tfirst/" STR(VNS))->Arg(4096);
BENCHMARK_TEMPLATE(pr, 1, 0)->Name("fwd/tlast/" STR(VNS))->Arg(4096);
BENCHMARK_TEMPLATE(pr, 0, 1)->Name("bwd/tfirst/" STR(VNS))->Arg(4096);
BENCHMARK_TEMPLATE(pr, 1, 1)->Name("bwd/tlast/" STR(VNS))->Arg(4096);
BENCHMARK_TEMPLATE(pr, 2, 0)->Name("fwd/mrows/" STR(VNS))->Arg(65536);
// The Matrix rows' other tile lengths with AVX-512: 192 and 128 rows (12 and 8 batches). Only the
// Matrix: a rank-4 tensor of d⁴ >= n elements would overrun the buffers.
BENCHMARK_TEMPLATE(pr, 2, 2)->Name("dalpha/mrows/" STR(VNS))->Arg(36864)->Arg(16384);
BENCHMARK_TEMPLATE(pr, 3, 0)->Name("fwd/mcols/" STR(VNS))->Arg(65536);
// A call's fixed cost: a 4 × 4 Matrix, one shared slope or one per row or column; forward (0),
// backward (1), backward with the slope gradient (2).
template <int Slopes>
void small(benchmark::State& st) {
  auto& s = ab_buffers(16, 1);
  const Eigen::Map<const Eigen::MatrixXf> x(s.x.data(), 4, 4), dy(s.dy.data(), 4, 4);
  Eigen::Map<Eigen::MatrixXf> y(s.out.data(), 4, 4);
  const VNS::PReLU<float> p = Slopes == 0 ? VNS::PReLU<float>(0.25f) : VNS::PReLU<float>(4, Slopes - 1);
  Eigen::VectorXf da(p.alpha().size());
  for (auto _ : st) {
    if (st.range(0) == 0) VNS::forward(p, x, y);
    else if (st.range(0) == 1) VNS::backward(p, x, dy, y);
    else VNS::backward(p, x, dy, y, da);
    benchmark::ClobberMemory();
  }
}
BENCHMARK_TEMPLATE(small, 0)->Name("small/shared/" STR(VNS))->Arg(0)->Arg(1)->Arg(2);
BENCHMARK_TEMPLATE(small, 1)->Name("small/rows/" STR(VNS))->Arg(0)->Arg(1)->Arg(2);
BENCHMARK_TEMPLATE(small, 2)->Name("small/cols/" STR(VNS))->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(copy1)->Name("copy1/" STR(VNS))->Arg(65536)->Arg(4096);
BENCHMARK(leaky)->Name("leaky/tensor/" STR(VNS))->Arg(4096);
BENCHMARK(copy2)->Name("copy2/" STR(VNS))->Arg(65536)->Arg(36864)->Arg(16384)->Arg(4096);
}
