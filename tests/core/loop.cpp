// The raw loop: lengths around the batch width, unaligned starts, and SPEC §5's
// reproducibility (a value's result does not depend on where it sits).
#include <activ/activ.hpp>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "support/check.hpp"
#include "support/functors.hpp"

using namespace activ::testing;

TEMPLATE_TEST_CASE("Array results equal the scalar functor bitwise at every length and offset",
                   "[loop][reproducible]", float, double) {
  using T = TestType;
  constexpr std::ptrdiff_t w = static_cast<std::ptrdiff_t>(xsimd::batch<T>::size);
  // w, 2w and 4w take transform's inlined path for a few whole batches; 4w + 1 is the shortest
  // call past it.
  const std::vector<std::ptrdiff_t> lengths{0, 1, w - 1, w, w + 1, 2 * w, 2 * w + 3, 4 * w, 4 * w + 1, 1000003};
  const std::vector<T> pool = mixed_values<T>(1000003 + 2 * w);
  for_each_functor<T>([&](const char* name, const auto& f) {
    for (const std::ptrdiff_t n : lengths) {
      for (std::ptrdiff_t offset = 0; offset < (n > 1000 ? 2 : w + 1); ++offset) {
        INFO(name << ": n = " << n << ", offset = " << offset);
        // offset shifts the start away from the allocation's alignment.
        std::vector<T> buffer(pool.begin(), pool.begin() + n + offset + 1);
        const T* x = buffer.data() + offset;
        std::vector<T> y(static_cast<std::size_t>(n) + 2, T(42)), d(y), dx(y);
        std::vector<T> dy(static_cast<std::size_t>(n) + 1, T(-1.5));
        activ::forward(f, x, y.data() + 1, n);
        activ::derivative(f, x, d.data() + 1, n);
        activ::backward(f, x, dy.data(), dx.data() + 1, n);
        std::ptrdiff_t first_difference = n;
        for (std::ptrdiff_t i = 0; i < n; ++i) {
          if (!same_bits(y[i + 1], f(x[i])) || !same_bits(d[i + 1], f.derivative(x[i])) ||
              !same_bits(dx[i + 1], T(T(-1.5) * f.derivative(x[i])))) {
            first_difference = i;
            break;
          }
        }
        CHECK(first_difference == n);
        // Nothing written outside [0, n).
        CHECK(y.front() == T(42));
        CHECK(y.back() == T(42));
        CHECK(dx.back() == T(42));
      }
    }
  });
}

TEMPLATE_TEST_CASE("In place: y may be x", "[loop][alias]", float, double) {
  using T = TestType;
  constexpr std::size_t w = xsimd::batch<T>::size;
  // 1001 elements: the long path; 2w: the inlined path for a few whole batches.
  for (const std::size_t n : {std::size_t(1001), 2 * w}) {
    for_each_functor<T>([&](const char* name, const auto& f) {
      INFO(name << ", n = " << n);
      const std::vector<T> x = mixed_values<T>(n, 7);
      std::vector<T> y = x;
      activ::forward(f, y.data(), y.data(), static_cast<std::ptrdiff_t>(y.size()));
      bool ok = true;
      for (std::size_t i = 0; i < x.size(); ++i) ok = ok && same_bits(y[i], f(x[i]));
      CHECK(ok);
      // backward_from_output in place over dy.
      std::vector<T> fy = y, dy(x.size(), T(0.5));
      activ::backward_from_output(f, fy.data(), dy.data(), dy.data(), static_cast<std::ptrdiff_t>(dy.size()));
      ok = true;
      for (std::size_t i = 0; i < x.size(); ++i) {
        ok = ok && same_bits(dy[i], T(T(0.5) * f.derivative_from_output(fy[i])));
      }
      CHECK(ok);
    });
  }
}

TEMPLATE_TEST_CASE("Runs whose output sits a little above their inputs modulo 4 KiB, walked from the end, give the same bits",
                   "[loop][reproducible]", float, double) {
  using T = TestType;
  constexpr std::size_t page = 4096;
  // Consecutive heap allocations put x, dy and the output a cache line or two apart modulo
  // 4 KiB; core/loop.hpp then walks the run down (4K aliasing). Lengths around the batch width
  // and the four-batch trip, starts off the output's alignment (the head) and every tail.
  const std::vector<std::ptrdiff_t> lengths{20000, 20001, 20003, 20007, 20015, 65536 + 13};
  const std::vector<std::ptrdiff_t> output_above{64, 128, 4 * static_cast<std::ptrdiff_t>(sizeof(T)), 512};
  const std::vector<T> values = mixed_values<T>(70000, 11);
  std::vector<char> memory(3 * (70000 * sizeof(T) + 2 * page));
  char* base = memory.data() + (page - reinterpret_cast<std::uintptr_t>(memory.data()) % page);
  const std::size_t region = (70000 * sizeof(T) + page) / page * page;
  for_each_functor<T>([&](const char* name, const auto& f) {
    for (const std::ptrdiff_t n : lengths) {
      for (const std::ptrdiff_t above : output_above) {
        INFO(name << ": n = " << n << ", output " << above << " bytes above x and dy modulo 4 KiB");
        T* x = reinterpret_cast<T*>(base + sizeof(T));  // one element off a page: unaligned
        T* dy = reinterpret_cast<T*>(base + region + sizeof(T));
        T* out = reinterpret_cast<T*>(base + 2 * region + sizeof(T) + static_cast<std::size_t>(above));
        std::copy(values.begin(), values.begin() + n, x);
        std::fill(dy, dy + n, T(-1.5));
        out[-1] = T(42);
        out[n] = T(42);
        REQUIRE(activ::detail::descending(out, x));
        REQUIRE(activ::detail::descending(out, x, dy));
        activ::forward(f, x, out, n);
        std::ptrdiff_t first_difference = n;
        for (std::ptrdiff_t i = 0; i < n && first_difference == n; ++i) {
          if (!same_bits(out[i], f(x[i]))) first_difference = i;
        }
        CHECK(first_difference == n);
        activ::backward(f, x, dy, out, n);
        first_difference = n;
        for (std::ptrdiff_t i = 0; i < n && first_difference == n; ++i) {
          if (!same_bits(out[i], T(T(-1.5) * f.derivative(x[i])))) first_difference = i;
        }
        CHECK(first_difference == n);
        CHECK(out[-1] == T(42));
        CHECK(out[n] == T(42));
      }
    }
  });
}
