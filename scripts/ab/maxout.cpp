// One side of a same-process A/B of activ (scripts/ab/ab.sh), see elementwise.cpp. Maxout on
// Matrix Maps with k = 2 and 4: forward, forward keeping an Eigen::Index argmax, backward and
// backward_from_argmax, the pieces along the rows (innermost in memory) or the columns
// (outermost), on 64 Ki floats, on a 255 × 255 Matrix with k = 3 (no shuffle path: the pieces
// are gathered) and on a 4 × 4 Matrix (the calls' fixed cost).
#include "side.hpp"
namespace {
template <int Call>
void mx(benchmark::State& st, bool rows) {
  const long n = st.range(0), k = st.range(1);
  auto& s = ab_buffers(n, 4);
  long d = 1;
  while (d * d < n) ++d;
  const long yr = rows ? d / k : d, yc = rows ? d : d / k;
  const Eigen::Map<const Eigen::MatrixXf> x(s.x.data(), d, d), dy(s.dy.data(), yr, yc);
  Eigen::Map<Eigen::MatrixXf> y(s.out.data(), yr, yc), dx(s.out.data(), d, d);
  Eigen::Matrix<Eigen::Index, Eigen::Dynamic, Eigen::Dynamic> argmax(yr, yc);
  const VNS::Maxout<float> m(k, rows ? 0 : 1);
  VNS::forward(m, x, y, argmax);
  for (auto _ : st) {
    if constexpr (Call == 0) VNS::forward(m, x, y);
    else if constexpr (Call == 1) VNS::forward(m, x, y, argmax);
    else if constexpr (Call == 2) VNS::backward(m, x, dy, dx);
    else VNS::backward_from_argmax(m, argmax, dy, dx);
    benchmark::ClobberMemory();
  }
}
template <int Call>
void mx_rows(benchmark::State& st) { mx<Call>(st, true); }
template <int Call>
void mx_cols(benchmark::State& st) { mx<Call>(st, false); }
#define AB_MAXOUT(CALL, name)                                                                                     \
  BENCHMARK_TEMPLATE(mx_rows, CALL)->Name(std::string(name "/rows/") + STR(VNS))->Args({16, 2})->Args({65536, 2})->Args({65536, 4})->Args({65025, 3}); \
  BENCHMARK_TEMPLATE(mx_cols, CALL)->Name(std::string(name "/cols/") + STR(VNS))->Args({16, 2})->Args({65536, 2})->Args({65536, 4})->Args({65025, 3});
AB_MAXOUT(0, "forward")
AB_MAXOUT(1, "forward_argmax")
AB_MAXOUT(2, "backward")
AB_MAXOUT(3, "from_argmax")
}
