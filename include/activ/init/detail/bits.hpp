// activ — uniform random bits from any UniformRandomBitGenerator, the same with every
// standard library.
//
// The standard fixes the output sequence of every named engine (mt19937, minstd_rand, …)
// but not what std::uniform_real_distribution and friends do with it, so activ reads the
// engine's raw outputs and does the rest itself:
//
// 1. Chunks. An engine returns u = g() − G::min() uniform on [0, R), R = max − min + 1.
//    activ picks at compile time k and m = ⌊R / 2^k⌋ maximizing the expected bits per call,
//    k·(m·2^k)/R (ties go to the larger k), rejects u >= m·2^k and returns u / m: each of
//    the 2^k quotients has exactly m preimages, so the chunk is uniform on [0, 2^k) and takes
//    the high-order information of u (the low bits of power-of-two LCGs are poor).
//      power-of-two range (mt19937: k = 32; mt19937_64: k = 64; ranlux24_base: k = 24):
//        m = 1, nothing rejected, the chunk is u itself;
//      minstd_rand, [1, 2^31 − 2]: k = 27, m = 15, 1/16 of the calls rejected.
//    (The score is compared in double at compile time: deterministic on every compiler.)
// 2. Words. draw<N>(g) concatenates chunks into an N-bit word, N <= 53, taking the high
//    min(k, bits still missing) bits of each chunk, the first chunk most significant:
//      mt19937, N = 24: one call, u >> 8;    mt19937_64, N = 53: one call, u >> 11;
//      mt19937, N = 53: (u1 << 21) | (u2 >> 11);  minstd_rand, N = 24: one chunk, c >> 3.
//
// Nothing here depends on the standard library beyond the engine's own sequence.
#ifndef ACTIV_INIT_DETAIL_BITS_HPP
#define ACTIV_INIT_DETAIL_BITS_HPP

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include "activ/config.hpp"

ACTIV_DIAGNOSTICS_PUSH

namespace activ::init::detail {

struct chunk_plan {
  int k;            ///< bits per chunk
  std::uint64_t m;  ///< divisor: chunk = u / m for u < m·2^k
};

/// The k and m of step 1 for an engine whose outputs span [0, span] (span = R − 1).
constexpr chunk_plan plan_chunks(std::uint64_t span) noexcept {
  if (span == std::numeric_limits<std::uint64_t>::max()) return {64, 1};
  const std::uint64_t range = span + 1;
  chunk_plan best{1, range >> 1};
  double best_score = 0.0;
  for (int k = 1; k < 64 && (std::uint64_t(1) << k) <= range; ++k) {
    const std::uint64_t m = range >> k;
    const double score = double(k) * double(m << k);
    if (score >= best_score) {
      best = {k, m};
      best_score = score;
    }
  }
  return best;
}

template <class G>
struct engine_bits {
  using result_type = typename G::result_type;
  static_assert(std::is_integral_v<result_type> && std::is_unsigned_v<result_type> &&
                    sizeof(result_type) <= sizeof(std::uint64_t),
                "activ::init: g must be a UniformRandomBitGenerator (unsigned result_type of at most 64 bits).");
  static_assert(G::min() < G::max(), "activ::init: g must return at least two distinct values.");

  static constexpr std::uint64_t low = static_cast<std::uint64_t>(G::min());
  static constexpr std::uint64_t span = static_cast<std::uint64_t>(G::max()) - low;
  static constexpr chunk_plan plan = plan_chunks(span);
  static constexpr int k = plan.k;
  static constexpr std::uint64_t m = plan.m;
  // No call is rejected when m·2^k is the whole range (always so for a power-of-two range).
  static constexpr bool exact = k == 64 || (m << k) - 1 == span;
  static constexpr std::uint64_t limit = k == 64 ? 0 : m << k;

  /// One chunk: k uniform bits in the low bits of the result.
  static std::uint64_t chunk(G& g) {
    for (;;) {
      const std::uint64_t u = static_cast<std::uint64_t>(g()) - low;
      if constexpr (exact) {
        return m == 1 ? u : u / m;
      } else {
        if (u < limit) return u / m;
      }
    }
  }
};

/// An N-bit uniform word (step 2), N in [1, 53]: C = ⌈N/k⌉ chunks, unrolled at compile time
/// (a run-time loop over the shifts costs as much as the engine call itself).
template <int N, class G, std::size_t... I>
inline std::uint64_t draw_chunks(G& g, std::index_sequence<I...>) {
  using E = engine_bits<G>;
  constexpr int k = E::k;
  std::uint64_t word = 0;
  // Chunk i contributes its high take_i = min(k, N − i·k) bits; the fold runs in order of i.
  ((word = (word << (k < N - int(I) * k ? k : N - int(I) * k)) |
           (E::chunk(g) >> (k - (k < N - int(I) * k ? k : N - int(I) * k)))),
   ...);
  return word;
}

template <int N, class G>
inline std::uint64_t draw(G& g) {
  static_assert(N >= 1 && N <= 53, "activ::init::detail::draw takes 1 to 53 bits.");
  constexpr int k = engine_bits<G>::k;
  return draw_chunks<N>(g, std::make_index_sequence<static_cast<std::size_t>((N + k - 1) / k)>{});
}

}  // namespace activ::init::detail

ACTIV_DIAGNOSTICS_POP

#endif  // ACTIV_INIT_DETAIL_BITS_HPP
