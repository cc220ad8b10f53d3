// The copy ceiling's loop: y ← x over n elements, four aligned batches per trip as activ's own
// loop (a one-batch loop pays its compare-and-branch per batch and ran slower than PReLU itself
// from L1 and L2), the loads of a trip before its stores, then the elements after the last
// whole trip one by one. Shared by bench_prelu_maxout and bench_layout (bench_elementwise has
// its own, with the streaming variant beside it).
#ifndef ACTIV_BENCH_COPY_LOOP_HPP
#define ACTIV_BENCH_COPY_LOOP_HPP

#include <cstddef>
#include <xsimd/xsimd.hpp>

namespace activ_bench {

template <class T>
inline void copy_loop(const T* x, T* y, std::ptrdiff_t n) {
  using B = xsimd::batch<T>;
  constexpr std::ptrdiff_t w = static_cast<std::ptrdiff_t>(B::size);
  std::ptrdiff_t i = 0;
  for (; i + 4 * w <= n; i += 4 * w) {
    const B a = B::load_aligned(x + i), b = B::load_aligned(x + i + w), c = B::load_aligned(x + i + 2 * w),
            d = B::load_aligned(x + i + 3 * w);
    a.store_aligned(y + i);
    b.store_aligned(y + i + w);
    c.store_aligned(y + i + 2 * w);
    d.store_aligned(y + i + 3 * w);
  }
  for (; i < n; ++i) y[i] = x[i];
}

}  // namespace activ_bench

#endif  // ACTIV_BENCH_COPY_LOOP_HPP
