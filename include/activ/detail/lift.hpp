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

// x > 0 ? 0 : x, keeping NaN and −0, in one instruction where a compare and a blend were two
// (and GCC 12 added an integer compare when that compare also fed another blend): x86's minps
// returns its second operand when either is NaN or both are zeros, ARM's fmin returns NaN and
// orders −0 below +0.
template <class B>
inline B min_zero(const B& x) noexcept {
  return xsimd::min(B(typename B::value_type(0)), x);
}

// x > 0 ? x : a·x, exactly, for one slope a shared by every lane. a·x rounds monotonically, so
// for a <= 1 (a != 0) it is >= x where x < 0 and <= x where x > 0: the answer is the larger of
// x and a·x; for a > 1 it is the smaller. One multiply and one max/min instead of a multiply, a
// compare and a blend: the ReLU family's forward on 4 Ki elements (in L1) is bound by those
// operations, not by memory. NaN x: a·x is NaN, and max/min return it on every xsimd
// architecture (x86 returns the second operand when either is NaN, ARM returns NaN).
// a = 0 keeps the select: max(+inf, 0·inf) would be NaN where f(+inf) = +inf. For x = ±0, x86
// returns the second operand of two zeros, a·x as the select does (elsewhere either zero may
// come back, as SPEC §4 allows for this family).
template <class T>
inline bool leaky_takes_max(T a) noexcept {
  return a != T(0) && a <= T(1);
}

template <class B>
inline B leaky(const B& x, typename B::value_type a) noexcept {
  using T = typename B::value_type;
  if (leaky_takes_max(a)) return xsimd::max(x, B(a) * x);
  if (a > T(1)) return xsimd::min(x, B(a) * x);
  return xsimd::select(x > B(T(0)), x, B(a) * x);
}

}  // namespace activ::detail

#endif  // ACTIV_DETAIL_LIFT_HPP
