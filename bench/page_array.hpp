// Benchmark buffers at fixed offsets within their pages.
//
// A load from the same address modulo 4 KiB as a store still in flight waits for that store
// (4K aliasing), so how far apart x, dy and the output sit modulo 4 KiB moves the time of every
// loop over them. Vectors from malloc land wherever the heap's state puts them: consecutive
// allocations a few cache lines apart modulo 4 KiB (small arrays from the heap) or at the same
// offset (large ones from mmap), and which one depended on the order in which random
// interleaving first touched each size. On the Zen 4 of 2026-12-07, ReLU's backward on 4 Ki
// doubles took 840 ns with dy and dx 1.5 and 2 KiB after x modulo 4 KiB and 1,243 ns with them
// 64 and 128 bytes after, for every implementation alike; 4 Ki-element rows moved by up to 4×
// between two runs of one binary. PageArray puts each array in a page-aligned block of its own
// at a given offset, so every run measures the same layout.
#ifndef ACTIV_BENCH_PAGE_ARRAY_HPP
#define ACTIV_BENCH_PAGE_ARRAY_HPP

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace activ_bench {

// The offsets the benchmarks give x, dy and the output: 64-byte aligned and at least 512 bytes
// apart modulo 4 KiB in every pair.
inline constexpr std::size_t x_offset = 0, dy_offset = 1536, out_offset = 2048;

template <class T>
class PageArray {
 public:
  PageArray(std::ptrdiff_t n, std::size_t offset) : n_(static_cast<std::size_t>(n)) {
    const std::size_t bytes = (n_ * sizeof(T) + offset + 4095) / 4096 * 4096;
    block_.reset(static_cast<char*>(std::aligned_alloc(4096, bytes)));
    if (!block_) throw std::bad_alloc();
    data_ = reinterpret_cast<T*>(block_.get() + offset);
    for (std::size_t i = 0; i < n_; ++i) data_[i] = T(0);
  }
  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return n_; }
  T& operator[](std::size_t i) { return data_[i]; }

 private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> block_;
  std::size_t n_;
  T* data_ = nullptr;
};

// x, dy and an output of n elements each, at the given page offsets (by default the benchmarks').
template <class T>
struct PageArrays {
  explicit PageArrays(std::ptrdiff_t n, std::size_t dy_at = dy_offset, std::size_t out_at = out_offset)
      : x(n, x_offset), dy(n, dy_at), out(n, out_at) {}
  PageArray<T> x, dy, out;
};

}  // namespace activ_bench

#endif  // ACTIV_BENCH_PAGE_ARRAY_HPP
