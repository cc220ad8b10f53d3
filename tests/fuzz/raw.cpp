// Fuzzing activ's calls on raw pointers, with the concrete functors (see fuzz.hpp), one call in
// four through the thread-pool overloads (core/parallel.hpp).
#include "fuzz/fuzz.hpp"

namespace activ_fuzz {

// ---------------------------------------------------------------- raw pointers

// [14..15] n (mod 1031; [16] == 0xA5 makes it a 16 MiB+ run, the streaming-store path),
// [17..19] offsets of x, dy, y, [20] aliasing: 0 none, 1 y = x, 2 y = dy, [21] % 4 == 3: the
// call takes an Eigen::ThreadPoolDevice of 1 to 3 threads ([22] % 3 + 1; runs shorter than
// parallel.hpp's min_piece stay on the calling thread, the 16 MiB ones are split).
template <class T, class F>
void run_raw_with(const F& f, const Header& h, Pool& pool, Call c, const char* name) {
  std::ptrdiff_t n = h.u16(14) % 1031;
  if (h.b[16] == 0xA5) n = static_cast<std::ptrdiff_t>((std::size_t(16) << 20) / sizeof(T)) + h.b[15] % 67;
  const std::ptrdiff_t ox = h.b[17] % 16, ody = h.b[18] % 16, oy = h.b[19] % 16;
  const bool two = c == Call::backward || c == Call::from_output;
  const int alias = h.b[20] % 3;
  Arena<T> a;
  const int bx = a.add(ox + n, pool);
  const int bdy = two ? a.add(ody + n, pool) : bx;
  int by;
  std::ptrdiff_t oout;
  if (alias == 1 || (alias == 2 && !two)) {
    by = bx, oout = ox;
  } else if (alias == 2) {
    by = bdy, oout = ody;
  } else {
    by = a.add(oy + n, pool), oout = oy;
  }
  a.snapshot();
  const bool sample_accuracy = n > 4096;  // the 16 MiB runs check every 251st element's accuracy
  for (std::ptrdiff_t k = 0; k < n; ++k) {
    const T x = a.at(bx, ox + k), dy = two ? a.at(bdy, ody + k) : T(1);
    a.expect_at(by, oout + k, scalar_result(f, c, x, dy), x, dy);
    if (!sample_accuracy || k % 251 == 0) check_accuracy(f, c, x, name);
  }
  const T* px = a.data(bx) + ox;
  const T* pdy = a.data(bdy) + ody;
  T* py = a.data(by) + oout;
  // The call, with the device first (the thread-pool overloads) or without one.
  const auto call = [&](const auto&... device) {
    switch (c) {
      case Call::forward: activ::forward(device..., f, px, py, n); break;
      case Call::derivative: activ::derivative(device..., f, px, py, n); break;
      case Call::backward: activ::backward(device..., f, px, pdy, py, n); break;
      case Call::from_output: activ::backward_from_output(device..., f, px, pdy, py, n); break;
    }
  };
  const int threads = threads_from(h.b[21], h.b[22]);
  with_device(threads, call);
  std::ostringstream what;
  what << "raw " << name << " " << call_name(c) << " n=" << n << " offsets " << ox << "," << ody << ","
       << oy << " alias " << alias << " threads " << threads;
  a.verify(what.str());
}

template <class T>
void run_raw(const Header& h, Pool& pool, Call c, int id, T alpha) {
  with_functor<T>(id, alpha, [&](const auto& f) { run_raw_with<T>(f, h, pool, c, functor_name(id)); });
}

template void run_raw<float>(const Header&, Pool&, Call, int, float);
template void run_raw<double>(const Header&, Pool&, Call, int, double);

}  // namespace activ_fuzz
