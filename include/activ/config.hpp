// activ — version and the error hook shared by every header.
#ifndef ACTIV_CONFIG_HPP
#define ACTIV_CONFIG_HPP

#define ACTIV_VERSION_MAJOR 0
#define ACTIV_VERSION_MINOR 1
#define ACTIV_VERSION_PATCH 0

#include <stdexcept>
#include <string>

// ACTIV_THROW(message) reports a shape or parameter error (SPEC §7). By default it throws
// std::invalid_argument(message). A build without exceptions, or a user who wants another
// policy, defines ACTIV_THROW before including activ; the replacement must not return.
#ifndef ACTIV_THROW
#  if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#    define ACTIV_THROW(message) throw std::invalid_argument(message)
#  else
#    include <cstdio>
#    include <cstdlib>
#    define ACTIV_THROW(message)                                   \
       do {                                                        \
         std::fprintf(stderr, "%s\n", std::string(message).c_str()); \
         std::abort();                                             \
       } while (false)
#  endif
#endif

// Code placement, one block per compiler:
//  - ACTIV_ALWAYS_INLINE puts a short function's body at every call: core/loop.hpp's transform,
//    whose path for a few whole batches is then compiled with the caller's constants;
//  - ACTIV_NOINLINE keeps a function out of line: core/loop.hpp's transform_run, the long loop,
//    one copy per op however many places call it;
//  - ACTIV_COLD marks the functions that report errors: the compiler moves the code that calls
//    them off the straight line of the caller, so that a check on every call costs a compare and
//    a branch not taken.
#if defined(__GNUC__) || defined(__clang__)
#  define ACTIV_ALWAYS_INLINE __attribute__((always_inline)) inline
#  define ACTIV_NOINLINE __attribute__((noinline))
#  define ACTIV_COLD __attribute__((cold))
#elif defined(_MSC_VER)
#  define ACTIV_ALWAYS_INLINE __forceinline
#  define ACTIV_NOINLINE __declspec(noinline)
#  define ACTIV_COLD
#else
#  define ACTIV_ALWAYS_INLINE inline
#  define ACTIV_NOINLINE
#  define ACTIV_COLD
#endif

// ACTIV_DIAGNOSTICS_PUSH / _POP bracket the code of every activ header. GCC 12 compiling for
// AVX-512 warns inside its own avx512fintrin.h wherever an intrinsic's result starts from
// _mm512_undefined_*() (`__m512 __Y = __Y;`, GCC bug 105593, fixed in GCC 13):
// -Wmaybe-uninitialized / -Wuninitialized on any code that inlines _mm512_sqrt_ps,
// _mm512_srli_epi32, … — activ's every kernel, in the user's build. The same compiler also
// reports -Warray-bounds on the full-batch loop of a call whose length it sees to be shorter
// than a 16-float batch (the loop does not run). GCC 12 checks a middle-end warning against the
// pragmas in force at each call site of its inlining chain, so turning these three off inside
// activ's headers silences exactly the reports that pass through activ's code; elsewhere (other
// compilers, other targets, the user's own code) nothing changes.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13 && defined(__AVX512F__)
#  define ACTIV_DIAGNOSTICS_PUSH                                \
     _Pragma("GCC diagnostic push")                             \
     _Pragma("GCC diagnostic ignored \"-Wuninitialized\"")      \
     _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"") \
     _Pragma("GCC diagnostic ignored \"-Warray-bounds\"")
#  define ACTIV_DIAGNOSTICS_POP _Pragma("GCC diagnostic pop")
#else
#  define ACTIV_DIAGNOSTICS_PUSH
#  define ACTIV_DIAGNOSTICS_POP
#endif

namespace activ::detail {

// Out of line so that the happy path of every checked call stays small.
[[noreturn]] ACTIV_COLD inline void fail(const std::string& message) { ACTIV_THROW(message); }

}  // namespace activ::detail

#endif  // ACTIV_CONFIG_HPP
