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

#include "activ/config.hpp"

ACTIV_DIAGNOSTICS_PUSH

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

// x, said to be in a vector register. Where a formula reads x more than once, GCC 12 folds the
// load into every instruction that reads it (vmulps mem, vmaxps mem, ...), and at 4 Ki (in L1)
// the extra loads, not the one store, became the limit of the ReLU family: LeakyReLU forward
// on 4 Ki floats took 337 ns with x loaded twice per batch and 202 ns with it kept (ReLU 194,
// the copy 175; bench_elementwise). The empty asm emits nothing. Only where it was measured to
// help: kept for every op in core/loop.hpp it slowed sigmoid (1.30 -> 1.78 us at 4 Ki), and in
// step() (ReLU's and LeakyReLU's derivative) it changed nothing measurable.
template <class B>
inline B in_register(B x) noexcept {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __asm__("" : "+x"(x.data));
#endif
  return x;
}

// True for batches of xsimd's AVX-512 architectures (avx512f and those built on it), whose
// masks live in mask registers and which have vfixupimm.
template <class B>
inline constexpr bool is_avx512_v = std::is_base_of_v<xsimd::avx512f, typename B::arch_type>;

// x > 0 ? 1 : (x <= 0 ? below : x): the derivative of the ReLU family, a step that lets NaN
// through (a NaN lane comes back quiet on AVX-512, as it is after any arithmetic).
// With AVX-512 this is one vfixupimm (Intel SDM, VFIXUPIMMPS): the instruction sorts each lane
// of x into eight classes (QNaN, SNaN, ±0, +1, −inf, +inf, negative, positive; subnormals by
// sign unless MXCSR.DAZ is set, when the generic compares see them as 0 too) and takes, per class,
// a 4-bit token from the table: 0 keeps the lane of `below`, 2 is x made quiet, 10 is +1. Two
// compares and two blends were the limit of ReLU's backward on 4 Ki floats (in L1) on the Zen 5:
// 0.49 of the two-input copy.
template <class B>
inline B step(const B& x, const B& below) noexcept {
#if defined(__AVX512F__)
  if constexpr (is_avx512_v<B>) {
    // Nibble k answers class k: 7 positive, 5 +inf, 3 +1 → A (+1); 6 negative, 4 −inf, 2 ±0 →
    // 0 (below); 1 SNaN, 0 QNaN → 2 (x, quiet).
    constexpr unsigned table = 0xA0A0A022u;
    if constexpr (std::is_same_v<typename B::value_type, float>) {
      return _mm512_fixupimm_ps(below, x, _mm512_set1_epi32(static_cast<int>(table)), 0);
    } else {
      return _mm512_fixupimm_pd(below, x, _mm512_set1_epi64(static_cast<long long>(table)), 0);
    }
  }
#endif
  using T = typename B::value_type;
  const B zero(T(0));
  return xsimd::select(x > zero, B(T(1)), xsimd::select(x <= zero, below, x));
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

// The three formulas, by the slope's kind: leaky_form_of(a) picks one, leaky_fixed applies it.
enum class leaky_form { max, min, select };

template <class T>
inline leaky_form leaky_form_of(T a) noexcept {
  if (leaky_takes_max(a)) return leaky_form::max;
  return a > T(1) ? leaky_form::min : leaky_form::select;
}

template <leaky_form Form, class B>
inline B leaky_fixed(const B& x_in, typename B::value_type a) noexcept {
  using T = typename B::value_type;
  const B x = in_register(x_in);
  if constexpr (Form == leaky_form::max) {
    return xsimd::max(x, B(a) * x);
  } else if constexpr (Form == leaky_form::min) {
    return xsimd::min(x, B(a) * x);
  } else {
    return xsimd::select(x > B(T(0)), x, B(a) * x);
  }
}

// fn(std::integral_constant<leaky_form, the form of a>{}): the one place that turns a run-time
// slope into a compile-time formula (leaky below, LeakyReLU's fixed_form).
template <class T, class Fn>
inline decltype(auto) with_leaky_form(T a, Fn&& fn) {
  switch (leaky_form_of(a)) {
    case leaky_form::max: return fn(std::integral_constant<leaky_form, leaky_form::max>{});
    case leaky_form::min: return fn(std::integral_constant<leaky_form, leaky_form::min>{});
    default: return fn(std::integral_constant<leaky_form, leaky_form::select>{});
  }
}

template <class B>
inline B leaky(const B& x, typename B::value_type a) noexcept {
  return with_leaky_form(a, [&](auto form) { return leaky_fixed<decltype(form)::value>(x, a); });
}

// A functor whose forward formula branches on a parameter (LeakyReLU: three formulas by the
// slope) may specialise fixed_form: visit(f, fn) calls fn with a functor whose forward call
// gives the same values with the formula chosen once, here, instead of at every batch (only
// core/ops.hpp's forward_op goes through it). core/loop.hpp's transform_run
// goes through it, so a loop tests the parameter once per call: left in the loop, GCC 12 kept
// three scalar compares and branches per batch whenever the slope was not a compile-time
// constant (LeakyReLU forward on 4 Ki floats: 476 ns against ReLU's 301 in bench_elementwise).
// The default hands f itself.
template <class F>
struct fixed_form {
  template <class Fn>
  static void visit(const F& f, Fn&& fn) {
    fn(f);
  }
};

// The same for a derivative that branches on a parameter (ELU: alpha above 2^62 takes another
// exp kernel): visit(f, fn) calls fn with a functor whose derivative gives the same values with
// the branch taken once; core/ops.hpp's derivative_op and backward_op go through it. Left in
// the loop, the branch made ELU's backward 6-10 % slower (float) and 21-24 % (double) in a
// same-process A/B on the Zen 5, its derivative unchanged.
template <class F>
struct fixed_derivative_form {
  template <class Fn>
  static void visit(const F& f, Fn&& fn) {
    fn(f);
  }
};

}  // namespace activ::detail

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_DETAIL_LIFT_HPP
