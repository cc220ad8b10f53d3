// activ — the four fused multiply-adds of the SIMD kernels, one rounding each wherever the
// architecture has the instruction.
//
//   fma(x, y, z)  =  x·y + z        fms(x, y, z)  =  x·y − z
//   fnma(x, y, z) = −x·y + z        fnms(x, y, z) = −x·y − z
//
// xsimd 8.1 has fused kernels for fma3<sse4_2>, fma3<avx>, fma3<avx2> and fma4, but none for
// avx512f: there xsimd::fma falls back to its generic x·y + z, two roundings unless the compiler
// happens to contract them (GCC in its default GNU mode does; -std=c++17, which sets
// -ffp-contract=off, and clang do not), and its fnma / fnms negate by 0 − x, which turns −0
// into +0 (ELU(−0) came out +0 on AVX-512). The kernels' error bounds and their sign of zero
// assume one rounding of the exact −x·y + z, so on avx512f these call the instructions
// themselves; everywhere else they are xsimd's. Without FMA hardware (SSE2 … AVX) they stay a
// product then a sum, as the kernels expect there (math/exp.hpp, hardware_fma).
#ifndef ACTIV_MATH_FMA_HPP
#define ACTIV_MATH_FMA_HPP

#include <type_traits>
#include <xsimd/xsimd.hpp>

#include "activ/config.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::math {
namespace detail {

// Op's AVX-512 instruction for float (Op::ps) or double (Op::pd) where A is avx512f or newer;
// xsimd's own kernel (Op::generic) elsewhere.
template <class Op, class T, class A>
inline xsimd::batch<T, A> fused_op(const xsimd::batch<T, A>& x, const xsimd::batch<T, A>& y,
                                   const xsimd::batch<T, A>& z) noexcept {
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, A> && std::is_same_v<T, float>) {
    return Op::ps(x, y, z);
  } else if constexpr (std::is_base_of_v<xsimd::avx512f, A> && std::is_same_v<T, double>) {
    return Op::pd(x, y, z);
  } else {
    return Op::generic(x, y, z);
  }
#else
  return Op::generic(x, y, z);
#endif
}

#if XSIMD_WITH_AVX512F
#  define ACTIV_FUSED_OP(name, instruction)                                                      \
    struct name##_op {                                                                           \
      static __m512 ps(__m512 x, __m512 y, __m512 z) noexcept { return _mm512_##instruction##_ps(x, y, z); } \
      static __m512d pd(__m512d x, __m512d y, __m512d z) noexcept { return _mm512_##instruction##_pd(x, y, z); } \
      template <class B>                                                                         \
      static B generic(const B& x, const B& y, const B& z) noexcept { return xsimd::name(x, y, z); } \
    };
#else
#  define ACTIV_FUSED_OP(name, instruction)                                                      \
    struct name##_op {                                                                           \
      template <class B>                                                                         \
      static B generic(const B& x, const B& y, const B& z) noexcept { return xsimd::name(x, y, z); } \
    };
#endif
ACTIV_FUSED_OP(fma, fmadd)
ACTIV_FUSED_OP(fms, fmsub)
ACTIV_FUSED_OP(fnma, fnmadd)
ACTIV_FUSED_OP(fnms, fnmsub)
#undef ACTIV_FUSED_OP

}  // namespace detail

/// x·y + z, rounded once where the architecture has an FMA.
template <class T, class A>
inline xsimd::batch<T, A> fma(const xsimd::batch<T, A>& x, const xsimd::batch<T, A>& y,
                              const xsimd::batch<T, A>& z) noexcept {
  return detail::fused_op<detail::fma_op>(x, y, z);
}

/// x·y − z, rounded once where the architecture has an FMA.
template <class T, class A>
inline xsimd::batch<T, A> fms(const xsimd::batch<T, A>& x, const xsimd::batch<T, A>& y,
                              const xsimd::batch<T, A>& z) noexcept {
  return detail::fused_op<detail::fms_op>(x, y, z);
}

/// −x·y + z, rounded once where the architecture has an FMA.
template <class T, class A>
inline xsimd::batch<T, A> fnma(const xsimd::batch<T, A>& x, const xsimd::batch<T, A>& y,
                               const xsimd::batch<T, A>& z) noexcept {
  return detail::fused_op<detail::fnma_op>(x, y, z);
}

/// −x·y − z, rounded once where the architecture has an FMA.
template <class T, class A>
inline xsimd::batch<T, A> fnms(const xsimd::batch<T, A>& x, const xsimd::batch<T, A>& y,
                               const xsimd::batch<T, A>& z) noexcept {
  return detail::fused_op<detail::fnms_op>(x, y, z);
}

}  // namespace activ::math

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_MATH_FMA_HPP
