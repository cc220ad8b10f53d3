// activ — one formula for scalars and batches.
//
// Every activation writes its formula once, over xsimd batches. A scalar call broadcasts the
// value into a batch of the default architecture, runs the same formula and reads lane 0.
// This costs a few cycles per scalar call and buys SPEC §5's reproducibility: f(x) is the
// very instruction sequence the array loops run, so the two agree bitwise whatever the
// compiler decides about contracting a·b + c into an FMA.
#ifndef ACTIV_DETAIL_LIFT_HPP
#define ACTIV_DETAIL_LIFT_HPP

#include <type_traits>
#include <xsimd/xsimd.hpp>

namespace activ::detail {

template <class T>
using batch = xsimd::batch<T, xsimd::default_arch>;

template <class V, class T>
struct is_batch_of : std::false_type {};
template <class T, class A>
struct is_batch_of<xsimd::batch<T, A>, T> : std::true_type {};

template <class T>
inline constexpr bool is_real_v = std::is_same_v<T, float> || std::is_same_v<T, double>;

// Runs formula(b) on V = T (through a broadcast batch) or V = xsimd::batch<T, A>.
template <class T, class V, class Formula>
inline V lift(const V& x, Formula formula) noexcept {
  if constexpr (std::is_same_v<V, T>) {
    return formula(batch<T>(x)).get(0);
  } else {
    static_assert(is_batch_of<V, T>::value,
                  "an activ functor over T accepts T or xsimd::batch<T, A> (same T).");
    return formula(x);
  }
}

// x > 0 ? above : (x <= 0 ? below : x): a step that lets NaN through.
template <class B>
inline B step(const B& x, const B& above, const B& below) noexcept {
  const B zero(typename B::value_type(0));
  return xsimd::select(x > zero, above, xsimd::select(x <= zero, below, x));
}

}  // namespace activ::detail

#endif  // ACTIV_DETAIL_LIFT_HPP
