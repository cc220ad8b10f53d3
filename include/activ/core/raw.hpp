// activ — the container functions on raw contiguous memory: each container is a pointer,
// followed by the element count. y may equal x (in place); partial overlap is not supported.
#ifndef ACTIV_CORE_RAW_HPP
#define ACTIV_CORE_RAW_HPP

#include <cstddef>
#include <initializer_list>
#include <string>
#include <type_traits>

#include "activ/config.hpp"
#include "activ/core/loop.hpp"
#include "activ/core/ops.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ {
namespace detail {

inline void check_raw(const char* fn, std::ptrdiff_t n, std::initializer_list<const void*> ptrs) {
  if (n < 0) fail(std::string("activ::") + fn + ": element count must be >= 0, got " + std::to_string(n));
  if (n == 0) return;
  for (const void* p : ptrs) {
    if (p == nullptr) {
      fail(std::string("activ::") + fn + ": null pointer for " + std::to_string(n) + " elements");
    }
  }
}

template <class F, class T>
using if_raw_t = std::enable_if_t<is_elementwise_v<F> && std::is_same_v<typename F::value_type, T>>;

}  // namespace detail

/// y[i] ← f(x[i]), i < n.
template <class F, class T, class = detail::if_raw_t<F, T>>
inline void forward(const F& f, const T* x, T* y, std::ptrdiff_t n) {
  detail::check_raw("forward", n, {x, y});
  detail::transform(detail::forward_op<F>{f}, n, y, x);
}

/// d[i] ← f'(x[i]).
template <class F, class T, class = detail::if_raw_t<F, T>>
inline void derivative(const F& f, const T* x, T* d, std::ptrdiff_t n) {
  detail::check_raw("derivative", n, {x, d});
  detail::transform(detail::derivative_op<F>{f}, n, d, x);
}

/// dx[i] ← dy[i]·f'(x[i]).
template <class F, class T, class = detail::if_raw_t<F, T>>
inline void backward(const F& f, const T* x, const T* dy, T* dx, std::ptrdiff_t n) {
  detail::check_raw("backward", n, {x, dy, dx});
  detail::transform(detail::backward_op<F>{f}, n, dx, x, dy);
}

/// dx[i] ← dy[i]·f'(x[i]) with f' computed from y[i] = f(x[i]).
template <class F, class T, class = detail::if_raw_t<F, T>>
inline void backward_from_output(const F& f, const T* y, const T* dy, T* dx, std::ptrdiff_t n) {
  detail::check_raw("backward_from_output", n, {y, dy, dx});
  detail::transform(detail::backward_from_output_op<F>{f}, n, dx, y, dy);
}

}  // namespace activ

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_CORE_RAW_HPP
