// Fuzzing activ's calls on Eigen dense objects: strides, storage orders, expressions, aliasing.
#include "fuzz/fuzz.hpp"

namespace activ_fuzz {

// ---------------------------------------------------------------- dense

// A logical rows × cols view into a buffer: element (i, j) at base + i·rs + j·cs.
struct DView {
  int buf = 0;
  std::ptrdiff_t base = 0, rs = 1, cs = 1;
  Index rows = 0, cols = 0;
  std::ptrdiff_t lo() const { return std::min<std::ptrdiff_t>(0, (rows - 1) * rs) + std::min<std::ptrdiff_t>(0, (cols - 1) * cs); }
  std::ptrdiff_t hi() const { return std::max<std::ptrdiff_t>(0, (rows - 1) * rs) + std::max<std::ptrdiff_t>(0, (cols - 1) * cs); }
  std::ptrdiff_t at(Index i, Index j) const { return base + i * rs + j * cs; }
};

// Strides for an r × c view from two bytes. Outputs only get layouts where distinct elements
// have distinct addresses; inputs may also repeat elements (stride 0).
DView dense_layout(Index r, Index c, std::uint8_t m, std::uint8_t e, bool output) {
  DView v;
  v.rows = r, v.cols = c;
  const std::ptrdiff_t extra = e % 4, step = 1 + e % 3;
  switch (m % (output ? 8 : 11)) {
    case 0: v.rs = 1, v.cs = r; break;                        // column-major, contiguous
    case 1: v.rs = c, v.cs = 1; break;                        // row-major, contiguous
    case 2: v.rs = 1, v.cs = r + extra; break;                // a block of a taller matrix
    case 3: v.rs = c + extra, v.cs = 1; break;                // a block of a wider row-major one
    case 4: v.rs = step, v.cs = r * step + extra; break;      // inner stride > 1
    case 5: v.rs = -1, v.cs = -r; break;                      // every element reversed
    case 6: v.rs = -(c + extra), v.cs = 1; break;             // rows reversed
    case 7: v.rs = step, v.cs = -(r * step + extra); break;   // columns reversed
    case 8: v.rs = 0, v.cs = 1; break;                        // one row repeated
    case 9: v.rs = 0, v.cs = 0; break;                        // one element repeated
    default: v.rs = static_cast<std::int8_t>(e) % 5, v.cs = static_cast<std::int8_t>(m) % 7; break;
  }
  return v;
}

template <class T, int Order>
using DMap = Eigen::Map<std::conditional_t<Order == Eigen::ColMajor, Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>,
                                           Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>,
                        Eigen::Unaligned, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;

template <class T, int Order>
DMap<T, Order> dmap(T* base, const DView& v) {
  using S = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;
  return Order == Eigen::ColMajor ? DMap<T, Order>(base, v.rows, v.cols, S(v.cs, v.rs))
                                  : DMap<T, Order>(base, v.rows, v.cols, S(v.rs, v.cs));
}

// Calls fn with the input as kind 0: Map of a column-major Array, 1: Map of a row-major
// Matrix, 2: an expression without direct access over kind 0.
template <class T, class Fn>
void with_dense_input(int kind, T* base, const DView& v, Fn&& fn) {
  switch (kind) {
    case 0: fn(dmap<T, Eigen::ColMajor>(base, v)); break;
    case 1: fn(dmap<T, Eigen::RowMajor>(base, v)); break;
    default: fn(dmap<T, Eigen::ColMajor>(base, v).unaryExpr(Same<T>{})); break;
  }
}
template <class T, class Fn>
void with_dense_output(int kind, T* base, const DView& v, Fn&& fn) {
  if (kind == 0) {
    fn(dmap<T, Eigen::ColMajor>(base, v));
  } else {
    fn(dmap<T, Eigen::RowMajor>(base, v));
  }
}

// [14] rows mod 13, [15] cols mod 13; x: [16] kind, [17] layout, [18] layout byte 2;
// dy: [19..21] likewise; y: [22] kind, [23..24] layout; [25] aliasing: 0 none, 1 y is x's
// view, 2 y elsewhere in x's buffer (overlapping), 3 y is dy's view, 4 y elsewhere in dy's
// buffer; [26] shift for 2 and 4; [27] also check apply (forward); [28] % 4 == 3: the
// thread-pool overload, on 1 to 3 threads ([29] % 3 + 1; these views are far shorter than a
// piece worth a thread, so the call runs the threaded op's plumbing on the calling thread,
// unless [30] == 0xA5: then the view is 725 … 737 × 725 … 737, 2^19 elements or more, which
// core/parallel.hpp splits between the threads where there are two or three).
template <class T>
void run_dense(const AnyFunctor<T>& f, const Header& h, Pool& pool, Call c) {
  const int threads = threads_from(h.b[28], h.b[29]);
  const Index large = threads > 0 && h.b[30] == 0xA5 ? 725 : 0;
  const Index r = large + h.b[14] % 13, cl = large + h.b[15] % 13;
  const bool two = c == Call::backward || c == Call::from_output;
  int alias = h.b[25] % 5;
  if (!two && alias >= 3) alias -= 2;
  const int kx = h.b[16] % 3, kdy = h.b[19] % 2, ky = h.b[22] % 2;
  DView vx = dense_layout(r, cl, h.b[17], h.b[18], alias == 1);
  DView vdy = dense_layout(r, cl, h.b[20], h.b[21], alias == 3);
  DView vy = dense_layout(r, cl, h.b[23], h.b[24], true);
  if (alias == 1) vy = vx;
  if (alias == 3) vy = vdy;
  const std::ptrdiff_t shift = static_cast<std::int8_t>(h.b[26]) % 9;

  // Place each view: x and dy in their own buffers, y in its own or in the one it aliases.
  Arena<T> a;
  auto place = [&](DView& v, std::ptrdiff_t slack) { v.base = -v.lo() + slack; };
  place(vx, h.b[17] % 3);
  place(vdy, h.b[20] % 3);
  std::ptrdiff_t len_x = vx.base + vx.hi() + 1, len_dy = vdy.base + vdy.hi() + 1;
  if (alias == 1) vy.base = vx.base;
  if (alias == 3) vy.base = vdy.base;
  if (alias == 2 || alias == 4) {
    const DView& host = alias == 2 ? vx : vdy;
    vy.base = std::max(host.base + shift, -vy.lo());
    (alias == 2 ? len_x : len_dy) = std::max(alias == 2 ? len_x : len_dy, vy.base + vy.hi() + 1);
  } else if (alias == 0) {
    place(vy, h.b[23] % 3);
  }
  vx.buf = a.add(len_x, pool);
  vdy.buf = two ? a.add(len_dy, pool) : vx.buf;
  if (alias == 0) vy.buf = a.add(vy.base + vy.hi() + 1, pool);
  if (alias == 1 || alias == 2) vy.buf = vx.buf;
  if (alias == 3 || alias == 4) vy.buf = vdy.buf;

  a.snapshot();
  // Logical inputs, read before the call; the output's elements get the scalar results.
  std::vector<T> want(static_cast<std::size_t>(r * cl)), xs(want.size()), dys(want.size());
  for (Index j = 0; j < cl; ++j) {
    for (Index i = 0; i < r; ++i) {
      const T x = a.at(vx.buf, vx.at(i, j)), dy = two ? a.at(vdy.buf, vdy.at(i, j)) : T(1);
      xs[static_cast<std::size_t>(i + j * r)] = x;
      dys[static_cast<std::size_t>(i + j * r)] = dy;
      want[static_cast<std::size_t>(i + j * r)] = with_functor<T>(f.id, f.alpha, [&](const auto& g) {
        check_accuracy(g, c, x, functor_name(f.id));
        return scalar_result(g, c, x, dy);
      });
    }
  }
  for (Index j = 0; j < cl; ++j) {
    for (Index i = 0; i < r; ++i) {
      const auto k = static_cast<std::size_t>(i + j * r);
      a.expect_at(vy.buf, vy.at(i, j), want[k], xs[k], dys[k]);
    }
  }

  T* px = a.data(vx.buf) + vx.base;
  T* pdy = a.data(vdy.buf) + vdy.base;
  T* py = a.data(vy.buf) + vy.base;
  with_dense_input<T>(kx, px, vx, [&](const auto& x) {
    if (!two) {
      with_dense_output<T>(ky, py, vy, [&](auto&& y) { call_elementwise(threads, f, c, x, y); });
      if (c == Call::forward && h.b[27] % 2 == 1 && alias == 0) {
        const auto z = activ::apply(f, x);
        FZ_CHECK(z.rows() == r && z.cols() == cl, "dense apply: shape " << z.rows() << "x" << z.cols());
        for (Index j = 0; j < cl; ++j) {
          for (Index i = 0; i < r; ++i) {
            const T w = want[static_cast<std::size_t>(i + j * r)];
            FZ_CHECK(same_result<T>(z(i, j), w), "dense apply " << functor_name(f.id) << " at (" << i << "," << j
                                                                << ") is bits " << bits_of(z(i, j)) << ", expected "
                                                                << bits_of(w));
          }
        }
      }
      return;
    }
    with_dense_output<T>(kdy, pdy, vdy, [&](const auto& dy) {
      with_dense_output<T>(ky, py, vy, [&](auto&& dx) { call_elementwise(threads, f, c, x, dy, dx); });
    });
  });
  std::ostringstream what;
  what << "dense " << functor_name(f.id) << " " << call_name(c) << " " << r << "x" << cl << " kinds " << kx << ","
       << kdy << "," << ky << " strides x(" << vx.rs << "," << vx.cs << ") dy(" << vdy.rs << "," << vdy.cs
       << ") y(" << vy.rs << "," << vy.cs << ") alias " << alias << " shift " << shift << " threads " << threads;
  a.verify(what.str());
}

template void run_dense<float>(const AnyFunctor<float>&, const Header&, Pool&, Call);
template void run_dense<double>(const AnyFunctor<double>&, const Header&, Pool&, Call);

}  // namespace activ_fuzz
