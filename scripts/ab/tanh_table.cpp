// A probe, not part of the library: float tanh as a table of polynomials, one per interval of
// |x|, against activ's kernel (activ/math/tanh.hpp) and Eigen's tanh(), for docs/tanh.md.
// The idea is oneDNN's (its AArch64 SVE tanh: 32 intervals, the coefficients gathered per lane,
// a degree-6 polynomial in |x| minus the interval's start); the intervals, the fit and the code
// here are this file's own:
//   interval 0       [0, 1/16)              x + c3·x³ + c5·x⁵ (fitted for relative error)
//   intervals 1-29   quarter binades of [1/16, 10): [m·2^e, (m + 1/4)·2^e), m = 1, 5/4, 3/2, 7/4
//   intervals 30-31  [10, 14)                1 (tanh rounds to 1 from 9.01 on)
// index = max(bits(|x|) >> 21 − bias, 0) (exponent and two mantissa bits, one saturating 16-bit
// subtract); |x| clamped to 12 first (inf → 1, a NaN stays NaN); t = |x| − start[index]; a
// degree-5 polynomial in t, its six coefficients and the start taken from 32-entry tables by
// vpermt2ps (seven permutes); the sign of x or-ed back. No division: 18 operations per batch
// against activ's 18 and a division. Coefficients: least squares on 3000 points per interval,
// relative error, fitted one coefficient at a time and each rounded to float before the next
// are refitted, so the rounding of c0 (≈ tanh(start)) is absorbed by the others.
//
//   g++ -O3 -march=native -std=c++17 -DNDEBUG -Iinclude -isystem /usr/include/eigen3
//     scripts/ab/tanh_table.cpp -o /tmp/tanh_table -pthread && /tmp/tanh_table
//
// Prints the largest error over every non-negative float (against double tanh, in ULP of the
// float result), a few special values, and the best of 30 × N calls over 4 Ki and 64 Ki floats
// for the three kernels in one process.
#if !defined(__AVX512F__)
#error "tanh_table.cpp needs AVX-512 (vpermt2ps): build with -march=native on such a machine."
#endif
// GCC 12 warns inside its own AVX-512 intrinsics (their _mm512_undefined_ps operand), as in
// activ's headers (config.hpp's ACTIV_DIAGNOSTICS_PUSH).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <Eigen/Core>
#include <activ/math/tanh.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

namespace {

using L = long double;
constexpr int degree = 5;
constexpr std::uint32_t bits_sixteenth = 0x3D800000u;  // 1/16
constexpr int bias = int(bits_sixteenth >> 21) - 1;    // index 1 at 1/16

float from_bits(std::uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// Solves the n × n system in a[][0..n−1] = a[][n] in place (Gauss-Jordan, partial pivoting).
void solve(int n, L a[degree + 1][degree + 2]) {
  for (int c = 0; c < n; ++c) {
    int p = c;
    for (int r = c + 1; r < n; ++r) {
      if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
    }
    for (int k = 0; k <= n; ++k) std::swap(a[c][k], a[p][k]);
    for (int r = 0; r < n; ++r) {
      if (r == c) continue;
      const L m = a[r][c] / a[c][c];
      for (int k = c; k <= n; ++k) a[r][k] -= m * a[c][k];
    }
  }
  for (int c = 0; c < n; ++c) a[c][n] /= a[c][c];
}

struct Table {
  alignas(64) float start[32] = {};
  alignas(64) float c[degree + 1][32] = {};
};

Table fit() {
  Table t;
  // Interval 0: x + c3·x³ + c5·x⁵, relative least squares over (0, 1/16).
  constexpr int n0 = 2000;
  const auto x_at = [](int i) { return L(i) / n0 / 16; };
  L a[degree + 1][degree + 2] = {};
  for (int i = 1; i <= n0; ++i) {
    const L x = x_at(i), f = std::tanh(x), w = 1 / f, b[2] = {x * x * x * w, x * x * x * x * x * w};
    for (int p = 0; p < 2; ++p) {
      for (int q = 0; q < 2; ++q) a[p][q] += b[p] * b[q];
      a[p][2] += b[p] * (f - x) * w;
    }
  }
  solve(2, a);
  t.c[1][0] = 1;
  t.c[3][0] = float(a[0][2]);
  L s11 = 0, s1r = 0;  // c5 refitted with c3 rounded
  for (int i = 1; i <= n0; ++i) {
    const L x = x_at(i), f = std::tanh(x), w = 1 / f, b = x * x * x * x * x * w;
    s11 += b * b;
    s1r += b * (f - x - L(t.c[3][0]) * x * x * x) * w;
  }
  t.c[5][0] = float(s1r / s11);
  // Intervals 1-29: in u = t / width (a power of two, so c_k = d_k / width^k exactly).
  constexpr int n = 3000;
  for (int i = 1; i < 32; ++i) {
    const std::uint32_t sb = bits_sixteenth + (std::uint32_t(i - 1) << 21);
    t.start[i] = from_bits(sb);
    if (i >= 30) {
      t.c[0][i] = 1;
      continue;
    }
    const L s = t.start[i], width = L(from_bits(sb + (1u << 21))) - s;
    std::vector<L> u(n), f(n);
    for (int q = 0; q < n; ++q) {
      u[q] = (q + L(0.5)) / n;
      f[q] = std::tanh(s + u[q] * width);
    }
    L fixed[degree + 1] = {};
    for (int j = 0; j <= degree; ++j) {  // c_j … c_degree free, c_0 … c_{j−1} rounded already
      const int m = degree - j + 1;
      L sys[degree + 1][degree + 2] = {};
      for (int q = 0; q < n; ++q) {
        L known = 0;
        for (int k = 0; k < j; ++k) known += fixed[k] * std::pow(u[q], L(k));
        const L w = 1 / f[q];
        L b[degree + 1];
        for (int k = 0; k < m; ++k) b[k] = std::pow(u[q], L(j + k)) * w;
        for (int p = 0; p < m; ++p) {
          for (int r = 0; r < m; ++r) sys[p][r] += b[p] * b[r];
          sys[p][m] += b[p] * (f[q] - known) * w;
        }
      }
      solve(m, sys);
      t.c[j][i] = float(sys[0][m] / std::pow(width, L(j)));
      fixed[j] = L(t.c[j][i]) * std::pow(width, L(j));
    }
  }
  return t;
}

const Table table = fit();

inline __m512 tanh_table(__m512 x) {
  const __m512 sign = _mm512_set1_ps(-0.0f);
  const __m512 a = _mm512_min_ps(_mm512_set1_ps(12.0f), _mm512_andnot_ps(sign, x));
  const __m512i index = _mm512_subs_epu16(_mm512_srli_epi32(_mm512_castps_si512(a), 21), _mm512_set1_epi32(bias));
  const auto pick = [&](const float* entries) {
    return _mm512_permutex2var_ps(_mm512_load_ps(entries), index, _mm512_load_ps(entries + 16));
  };
  const __m512 t = _mm512_sub_ps(a, pick(table.start));
  __m512 p = pick(table.c[degree]);
  for (int k = degree - 1; k >= 0; --k) p = _mm512_fmadd_ps(p, t, pick(table.c[k]));
  // p | (x & sign)
  return _mm512_castsi512_ps(
      _mm512_ternarylogic_epi32(_mm512_castps_si512(p), _mm512_castps_si512(x), _mm512_castps_si512(sign), 0xF8));
}

// The largest error over every non-negative float and +inf, two threads.
void accuracy() {
  constexpr std::uint64_t end = 0x7F800001u;
  double worst[2] = {0, 0};
  std::uint32_t at[2] = {0, 0};
  const auto work = [&](int id) {
    alignas(64) float in[16], out[16];
    for (std::uint64_t b = std::uint64_t(id) * 16; b < end; b += 32) {
      for (int i = 0; i < 16; ++i) in[i] = from_bits(std::uint32_t(std::min(b + i, end - 1)));
      _mm512_store_ps(out, tanh_table(_mm512_load_ps(in)));
      for (int i = 0; i < 16; ++i) {
        const double r = std::tanh(double(in[i]));
        int e;
        std::frexp(float(r) == 0 ? 1e-45f : float(r), &e);
        const double err = std::fabs(out[i] - r) / std::ldexp(1.0, std::max(e - 24, -149));
        if (err > worst[id]) {
          worst[id] = err;
          std::memcpy(&at[id], &in[i], 4);
        }
      }
    }
  };
  std::thread t0(work, 0), t1(work, 1);
  t0.join();
  t1.join();
  const int w = worst[1] > worst[0];
  std::printf("every float >= 0: largest error %.4f ULP at %.9g\n", worst[w], double(from_bits(at[w])));
  alignas(64) const float special[16] = {NAN,    -INFINITY, INFINITY, -0.0f,  0.0f,   1e-45f, -1e-45f, 1e-20f,
                                         0.0625f, 0.5f,     -1.0f,    8.99f, 9.02f, 11.99f, 12.0f,   -1e30f};
  alignas(64) float out[16];
  _mm512_store_ps(out, tanh_table(_mm512_load_ps(special)));
  for (int i = 0; i < 16; ++i) std::printf("  tanh(%g) = %a\n", double(special[i]), double(out[i]));
}

template <class F>
double best_ns(F&& f, int calls) {
  double best = 1e30;
  for (int r = 0; r < 30; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / calls);
  }
  return best * 1e9;
}

void speed() {
  using B = xsimd::batch<float, xsimd::avx512bw>;
  for (const int n : {4096, 65536}) {
    std::vector<float, Eigen::aligned_allocator<float>> x(n), y(n);
    std::mt19937 g(1);
    std::uniform_real_distribution<float> d(-5, 5);
    for (auto& v : x) v = d(g);
    const int calls = n == 4096 ? 2000 : 200;
    const auto by_table = [&] {
      for (int i = 0; i < n; i += 16) _mm512_store_ps(&y[i], tanh_table(_mm512_load_ps(&x[i])));
      asm volatile("" ::: "memory");
    };
    const auto by_activ = [&] {
      for (int i = 0; i < n; i += 16) activ::math::tanh(B::load_aligned(&x[i])).store_aligned(&y[i]);
      asm volatile("" ::: "memory");
    };
    Eigen::Map<Eigen::ArrayXf> xm(x.data(), n), ym(y.data(), n);
    const auto by_eigen = [&] {
      ym = xm.tanh();
      asm volatile("" ::: "memory");
    };
    for (int k = 0; k < 3; ++k) {
      std::printf("%6d floats: table %.0f ns, activ %.0f ns, Eigen %.0f ns\n", n, best_ns(by_table, calls),
                  best_ns(by_activ, calls), best_ns(by_eigen, calls));
    }
  }
}

}  // namespace

int main() {
  accuracy();
  speed();
}
