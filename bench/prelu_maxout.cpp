// PReLU and Maxout beside their baselines, float, single thread.
//
// PReLU forward and backward, per position of the channel axis (first and last axis of a
// rank-4 column-major tensor: innermost and outermost in memory; rows and columns of a
// column-major Matrix), against the copy ceiling: a plain xsimd load/store loop over the same
// bytes (forward: read n, write n; backward: read x and dy, write n, storing x + dy so that
// both loads stay), four batches per trip on aligned buffers. Bar (SPEC §6): >= 0.9x
// the ceiling at 64 Ki elements.
// Maxout forward and backward against a naive scalar loop and Eigen's reshape-and-maximum
// tensor expression, with the pieces innermost in memory (rows of a column-major Matrix, the
// usual features × samples layout) and outermost (its columns). Bar: >= 2x the naive loop.
// Beside them, no bar: forward keeping an Eigen::Index argmax, and backward_from_argmax.
// docs/prelu.md and docs/maxout.md quote the medians of
//   bench_prelu_maxout --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <activ/activ.hpp>
#include <map>
#include <random>
#include <unsupported/Eigen/CXX11/Tensor>
#include <vector>
#include <xsimd/xsimd.hpp>

#include "copy_loop.hpp"
#include "page_array.hpp"

namespace {

using B = xsimd::batch<float>;
using Index = Eigen::Index;
constexpr Index width = static_cast<Index>(B::size);

// Every buffer aligned as Eigen aligns its own storage (EIGEN_MAX_ALIGN_BYTES: 32 with AVX), so
// that neither the ceiling nor PReLU pays for stores that split cache lines (malloc: 16 bytes).
using Buffer = std::vector<float, Eigen::aligned_allocator<float>>;

void fill_random(float* v, Index n, unsigned seed) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (Index i = 0; i < n; ++i) v[i] = u(g);
}

Buffer random_values(Index n, unsigned seed) {
  Buffer v(static_cast<std::size_t>(n));
  fill_random(v.data(), n, seed);
  return v;
}

// x, dy and an output of n elements, made once per size and shared by the ceilings and PReLU:
// fresh buffers per benchmark land on other physical pages, and which pages share L2 sets moved
// one case's time by up to a third between runs; the ratios compare the same bytes. Each at a
// fixed offset within its pages (page_array.hpp: the heap's layout moved times between runs).
using SharedBuffer = activ_bench::PageArray<float>;
using Shared = activ_bench::PageArrays<float>;

Shared& shared(Index n) {
  static std::map<Index, Shared> all;
  auto [it, fresh] = all.try_emplace(n, n);
  if (fresh) {
    fill_random(it->second.x.data(), n, 1);
    fill_random(it->second.dy.data(), n, 2);
  }
  return it->second;
}

void finish(benchmark::State& state, Index items, Index bytes) {
  state.SetItemsProcessed(state.iterations() * items);
  state.SetBytesProcessed(state.iterations() * bytes);
}

// ---- ceilings --------------------------------------------------------------------------

// copy_loop.hpp: four batches per trip, as activ's own loop.
void copy_ceiling(benchmark::State& state) {
  const Index n = state.range(0);
  const SharedBuffer& x = shared(n).x;
  SharedBuffer& y = shared(n).out;
  for (auto _ : state) {
    activ_bench::copy_loop(x.data(), y.data(), n);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  finish(state, n, 2 * n * Index(sizeof(float)));
}

void copy2_ceiling(benchmark::State& state) {
  const Index n = state.range(0);
  const SharedBuffer &x = shared(n).x, &dy = shared(n).dy;
  SharedBuffer& dx = shared(n).out;
  for (auto _ : state) {
    const float *xp = x.data(), *dyp = dy.data();
    float* dxp = dx.data();
    Index i = 0;
    for (; i + 4 * width <= n; i += 4 * width) {
      const B a = B::load_aligned(xp + i) + B::load_aligned(dyp + i);
      const B b = B::load_aligned(xp + i + width) + B::load_aligned(dyp + i + width);
      const B c = B::load_aligned(xp + i + 2 * width) + B::load_aligned(dyp + i + 2 * width);
      const B d = B::load_aligned(xp + i + 3 * width) + B::load_aligned(dyp + i + 3 * width);
      a.store_aligned(dxp + i);
      b.store_aligned(dxp + i + width);
      c.store_aligned(dxp + i + 2 * width);
      d.store_aligned(dxp + i + 3 * width);
    }
    for (; i < n; ++i) dxp[i] = xp[i] + dyp[i];
    benchmark::DoNotOptimize(dx.data());
    benchmark::ClobberMemory();
  }
  finish(state, n, 3 * n * Index(sizeof(float)));
}

// ---- PReLU -----------------------------------------------------------------------------

enum class Where { tensor_first, tensor_last, matrix_rows, matrix_cols };
enum class Call { forward, backward, backward_dalpha };

// A rank-4 column-major tensor of n elements, d0 = d1 = d2 = d3 (n = 4 Ki: 8 x 8 x 8 x 8,
// 64 Ki: 16^4, 1 Mi: 32^4), or a square column-major Matrix.
template <Where where, Call call>
void prelu(benchmark::State& state) {
  const Index n = state.range(0);
  const SharedBuffer &xv = shared(n).x, &dyv = shared(n).dy;
  SharedBuffer& out = shared(n).out;
  Eigen::ArrayXf dalpha;
  const auto run = [&](const auto& x, const auto& dy, auto&& y, const activ::PReLU<float>& p) {
    dalpha.resize(p.alpha().size());
    for (auto _ : state) {
      if constexpr (call == Call::forward) {
        activ::forward(p, x, y);
      } else if constexpr (call == Call::backward) {
        activ::backward(p, x, dy, y);
      } else {
        activ::backward(p, x, dy, y, dalpha);
        benchmark::DoNotOptimize(dalpha.data());
      }
      benchmark::DoNotOptimize(out.data());
      benchmark::ClobberMemory();
    }
  };
  if constexpr (where == Where::tensor_first || where == Where::tensor_last) {
    Index d = 1;
    while (d * d * d * d < n) ++d;
    using TMap = Eigen::TensorMap<Eigen::Tensor<float, 4>>;
    using CMap = Eigen::TensorMap<const Eigen::Tensor<float, 4>>;
    const Index axis = where == Where::tensor_first ? 0 : 3;
    run(CMap(xv.data(), d, d, d, d), CMap(dyv.data(), d, d, d, d), TMap(out.data(), d, d, d, d),
        activ::PReLU<float>(d, axis));
  } else {
    Index d = 1;
    while (d * d < n) ++d;
    using MMap = Eigen::Map<Eigen::MatrixXf>;
    using CMap = Eigen::Map<const Eigen::MatrixXf>;
    const Index axis = where == Where::matrix_rows ? 0 : 1;
    run(CMap(xv.data(), d, d), CMap(dyv.data(), d, d), MMap(out.data(), d, d), activ::PReLU<float>(d, axis));
  }
  finish(state, n, (call == Call::forward ? 2 : 3) * n * Index(sizeof(float)));
}

// ---- Maxout ----------------------------------------------------------------------------

// x: a column-major rows x cols Matrix of n = 64 Ki floats (256 x 256), groups of k pieces
// along the rows (innermost) or the columns (outermost).
struct MaxoutData {
  Index rows = 256, cols = 256, k;
  bool along_rows;
  Buffer x, y, dy, dx;
  MaxoutData(Index pieces, bool rows_axis) : k(pieces), along_rows(rows_axis) {
    x = random_values(rows * cols, 1);
    y.resize(static_cast<std::size_t>(rows * cols / k));
    dy = random_values(rows * cols / k, 2);
    dx.resize(x.size());
  }
  Index yrows() const { return along_rows ? rows / k : rows; }
  Index ycols() const { return along_rows ? cols : cols / k; }
};

void maxout_forward(benchmark::State& state, bool rows_axis) {
  MaxoutData m(state.range(0), rows_axis);
  const activ::Maxout<float> f(m.k, rows_axis ? 0 : 1);
  const Eigen::Map<const Eigen::MatrixXf> x(m.x.data(), m.rows, m.cols);
  Eigen::Map<Eigen::MatrixXf> y(m.y.data(), m.yrows(), m.ycols());
  for (auto _ : state) {
    activ::forward(f, x, y);
    benchmark::DoNotOptimize(m.y.data());
    benchmark::ClobberMemory();
  }
  finish(state, m.rows * m.cols, (m.rows * m.cols + Index(m.y.size())) * Index(sizeof(float)));
}

void maxout_backward(benchmark::State& state, bool rows_axis) {
  MaxoutData m(state.range(0), rows_axis);
  const activ::Maxout<float> f(m.k, rows_axis ? 0 : 1);
  const Eigen::Map<const Eigen::MatrixXf> x(m.x.data(), m.rows, m.cols), dy(m.dy.data(), m.yrows(), m.ycols());
  Eigen::Map<Eigen::MatrixXf> dx(m.dx.data(), m.rows, m.cols);
  for (auto _ : state) {
    activ::backward(f, x, dy, dx);
    benchmark::DoNotOptimize(m.dx.data());
    benchmark::ClobberMemory();
  }
  finish(state, m.rows * m.cols, (2 * m.rows * m.cols + Index(m.dy.size())) * Index(sizeof(float)));
}

// The argmax calls of a training loop: forward keeping the winners (Eigen::Index, the type of
// the docs' examples) and backward_from_argmax from them.
void maxout_forward_argmax(benchmark::State& state, bool rows_axis) {
  MaxoutData m(state.range(0), rows_axis);
  const activ::Maxout<float> f(m.k, rows_axis ? 0 : 1);
  const Eigen::Map<const Eigen::MatrixXf> x(m.x.data(), m.rows, m.cols);
  Eigen::Map<Eigen::MatrixXf> y(m.y.data(), m.yrows(), m.ycols());
  Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic> argmax(m.yrows(), m.ycols());
  for (auto _ : state) {
    activ::forward(f, x, y, argmax);
    benchmark::DoNotOptimize(argmax.data());
    benchmark::ClobberMemory();
  }
  finish(state, m.rows * m.cols,
         (m.rows * m.cols + Index(m.y.size())) * Index(sizeof(float)) + argmax.size() * Index(sizeof(Index)));
}

void maxout_backward_from_argmax(benchmark::State& state, bool rows_axis) {
  MaxoutData m(state.range(0), rows_axis);
  const activ::Maxout<float> f(m.k, rows_axis ? 0 : 1);
  const Eigen::Map<const Eigen::MatrixXf> x(m.x.data(), m.rows, m.cols), dy(m.dy.data(), m.yrows(), m.ycols());
  Eigen::Map<Eigen::MatrixXf> y(m.y.data(), m.yrows(), m.ycols()), dx(m.dx.data(), m.rows, m.cols);
  Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic> argmax(m.yrows(), m.ycols());
  activ::forward(f, x, y, argmax);
  for (auto _ : state) {
    activ::backward_from_argmax(f, argmax, dy, dx);
    benchmark::DoNotOptimize(m.dx.data());
    benchmark::ClobberMemory();
  }
  finish(state, m.rows * m.cols,
         (m.rows * m.cols + Index(m.dy.size())) * Index(sizeof(float)) + argmax.size() * Index(sizeof(Index)));
}

// The loops a user would write, pieces being a run-time parameter: pieces of unit u of column
// j at x[j·rows + u·k + i] (rows axis) or x[(u·k + i)·rows + r] (columns axis).
void naive_forward(benchmark::State& state, bool rows_axis) {
  MaxoutData m(state.range(0), rows_axis);
  const float* x = m.x.data();
  float* y = m.y.data();
  const Index k = m.k, rows = m.rows, cols = m.cols;
  for (auto _ : state) {
    if (rows_axis) {
      for (Index j = 0; j < cols; ++j) {
        for (Index u = 0; u < rows / k; ++u) {
          const float* p = x + j * rows + u * k;
          float best = p[0];
          for (Index i = 1; i < k; ++i) {
            if (p[i] > best) best = p[i];
          }
          y[j * (rows / k) + u] = best;
        }
      }
    } else {
      for (Index u = 0; u < cols / k; ++u) {
        for (Index r = 0; r < rows; ++r) {
          const float* p = x + u * k * rows + r;
          float best = p[0];
          for (Index i = 1; i < k; ++i) {
            if (p[i * rows] > best) best = p[i * rows];
          }
          y[u * rows + r] = best;
        }
      }
    }
    benchmark::DoNotOptimize(m.y.data());
    benchmark::ClobberMemory();
  }
  finish(state, m.rows * m.cols, (m.rows * m.cols + Index(m.y.size())) * Index(sizeof(float)));
}

void naive_backward(benchmark::State& state, bool rows_axis) {
  MaxoutData m(state.range(0), rows_axis);
  const float *x = m.x.data(), *dy = m.dy.data();
  float* dx = m.dx.data();
  const Index k = m.k, rows = m.rows, cols = m.cols;
  for (auto _ : state) {
    if (rows_axis) {
      for (Index j = 0; j < cols; ++j) {
        for (Index u = 0; u < rows / k; ++u) {
          const Index at = j * rows + u * k;
          Index arg = 0;
          for (Index i = 1; i < k; ++i) {
            if (x[at + i] > x[at + arg]) arg = i;
          }
          for (Index i = 0; i < k; ++i) dx[at + i] = 0.0f;
          dx[at + arg] = dy[j * (rows / k) + u];
        }
      }
    } else {
      for (Index u = 0; u < cols / k; ++u) {
        for (Index r = 0; r < rows; ++r) {
          const Index at = u * k * rows + r;
          Index arg = 0;
          for (Index i = 1; i < k; ++i) {
            if (x[at + i * rows] > x[at + arg * rows]) arg = i;
          }
          for (Index i = 0; i < k; ++i) dx[at + i * rows] = 0.0f;
          dx[at + arg * rows] = dy[u * rows + r];
        }
      }
    }
    benchmark::DoNotOptimize(m.dx.data());
    benchmark::ClobberMemory();
  }
  finish(state, m.rows * m.cols, (2 * m.rows * m.cols + Index(m.dy.size())) * Index(sizeof(float)));
}

// Eigen's expression: reshape x so that the pieces get a dimension of their own, reduce it.
void eigen_forward(benchmark::State& state, bool rows_axis) {
  MaxoutData m(state.range(0), rows_axis);
  const Index k = m.k;
  for (auto _ : state) {
    if (rows_axis) {
      Eigen::TensorMap<const Eigen::Tensor<float, 2>> x(m.x.data(), k, m.rows * m.cols / k);
      Eigen::TensorMap<Eigen::Tensor<float, 1>> y(m.y.data(), m.rows * m.cols / k);
      y = x.maximum(Eigen::array<Index, 1>{0});
    } else {
      Eigen::TensorMap<const Eigen::Tensor<float, 3>> x(m.x.data(), m.rows, k, m.cols / k);
      Eigen::TensorMap<Eigen::Tensor<float, 2>> y(m.y.data(), m.rows, m.cols / k);
      y = x.maximum(Eigen::array<Index, 1>{1});
    }
    benchmark::DoNotOptimize(m.y.data());
    benchmark::ClobberMemory();
  }
  finish(state, m.rows * m.cols, (m.rows * m.cols + Index(m.y.size())) * Index(sizeof(float)));
}

}  // namespace

// PReLU at 4 Ki, 64 Ki (the bar) and 1 Mi elements.
#define ACTIV_SIZES ->Arg(1 << 12)->Arg(1 << 16)->Arg(1 << 20)
BENCHMARK(copy_ceiling) ACTIV_SIZES;
BENCHMARK(copy2_ceiling) ACTIV_SIZES;
BENCHMARK_TEMPLATE(prelu, Where::tensor_first, Call::forward) ACTIV_SIZES;
BENCHMARK_TEMPLATE(prelu, Where::tensor_last, Call::forward) ACTIV_SIZES;
BENCHMARK_TEMPLATE(prelu, Where::matrix_rows, Call::forward)->Arg(1 << 16);
BENCHMARK_TEMPLATE(prelu, Where::matrix_cols, Call::forward)->Arg(1 << 16);
BENCHMARK_TEMPLATE(prelu, Where::tensor_first, Call::backward) ACTIV_SIZES;
BENCHMARK_TEMPLATE(prelu, Where::tensor_last, Call::backward) ACTIV_SIZES;
BENCHMARK_TEMPLATE(prelu, Where::matrix_rows, Call::backward)->Arg(1 << 16);
BENCHMARK_TEMPLATE(prelu, Where::matrix_cols, Call::backward)->Arg(1 << 16);
BENCHMARK_TEMPLATE(prelu, Where::tensor_first, Call::backward_dalpha)->Arg(1 << 16);
BENCHMARK_TEMPLATE(prelu, Where::tensor_last, Call::backward_dalpha)->Arg(1 << 16);
BENCHMARK_TEMPLATE(prelu, Where::matrix_rows, Call::backward_dalpha)->Arg(1 << 16);
BENCHMARK_TEMPLATE(prelu, Where::matrix_cols, Call::backward_dalpha)->Arg(1 << 16);

// Maxout at 64 Ki input elements; the argument is the number of pieces.
BENCHMARK_CAPTURE(maxout_forward, rows, true)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(naive_forward, rows, true)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(eigen_forward, rows, true)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(maxout_forward, cols, false)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(naive_forward, cols, false)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(eigen_forward, cols, false)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(maxout_backward, rows, true)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(naive_backward, rows, true)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(maxout_backward, cols, false)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(naive_backward, cols, false)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(maxout_forward_argmax, rows, true)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(maxout_forward_argmax, cols, false)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(maxout_backward_from_argmax, rows, true)->Arg(2)->Arg(4);
BENCHMARK_CAPTURE(maxout_backward_from_argmax, cols, false)->Arg(2)->Arg(4);

BENCHMARK_MAIN();
