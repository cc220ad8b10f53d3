// Fuzzing activ's calls on Eigen tensors, and the error cases of every family.
// This file instantiates them for ACTIV_FUZZ_TENSOR_T, float unless tensor_double.cpp sets
// double: one translation unit for both took 100 of the fuzz stage's 160 s of build on its own
// core while the other TUs had finished, split in two the halves build side by side.
#include "fuzz/fuzz.hpp"

#ifndef ACTIV_FUZZ_TENSOR_T
#define ACTIV_FUZZ_TENSOR_T float
#endif

namespace activ_fuzz {

// ---------------------------------------------------------------- tensor

// Calls fn(idx) for every logical index of dims.
template <int R, class Fn>
void for_each_index(const Dims<R>& dims, Fn&& fn) {
  if (product<R>(dims) == 0) return;
  Dims<R> idx{};
  for (;;) {
    fn(idx);
    int d = 0;
    while (d < R && ++idx[d] == dims[d]) idx[d++] = 0;
    if (d == R) return;
  }
}

// Where logical index idx of an operand lives: a plain map of either layout, or a slice at
// `offset` of a column-major map of `outer` dims.
template <int R>
struct TView {
  int buf = 0, layout = Eigen::ColMajor;
  std::ptrdiff_t base = 0;
  bool slice = false;
  Dims<R> outer{}, offset{};
  std::ptrdiff_t at(Dims<R> idx, const Dims<R>& dims) const {
    if (!slice) return base + linear<R>(idx, dims, layout);
    for (int d = 0; d < R; ++d) idx[d] += offset[d];
    return base + linear<R>(idx, outer, Eigen::ColMajor);
  }
  std::ptrdiff_t span(const Dims<R>& dims) const { return slice ? product<R>(outer) : product<R>(dims); }
};

template <class T, int R, int L>
using TMap = Eigen::TensorMap<Eigen::Tensor<T, R, L>>;

template <class T, int R, class Fn>
void with_tensor_input(int kind, T* base, const Dims<R>& dims, Fn&& fn) {
  switch (kind) {
    case 0: fn(TMap<T, R, Eigen::ColMajor>(base, dims)); break;
    case 1: fn(TMap<T, R, Eigen::RowMajor>(base, dims)); break;
    default: fn(TMap<T, R, Eigen::ColMajor>(base, dims).unaryExpr(Same<T>{})); break;
  }
}
template <class T, int R, class Fn>
void with_tensor_plain(int layout, T* base, const Dims<R>& dims, Fn&& fn) {
  if (layout == Eigen::RowMajor) {
    fn(TMap<T, R, Eigen::RowMajor>(base, dims));
  } else {
    fn(TMap<T, R, Eigen::ColMajor>(base, dims));
  }
}
template <class T, int R, class Fn>
void with_tensor_output(int kind, T* base, const Dims<R>& dims, const TView<R>& v, Fn&& fn) {
  switch (kind) {
    case 0: fn(TMap<T, R, Eigen::ColMajor>(base, dims)); break;
    case 1: fn(TMap<T, R, Eigen::RowMajor>(base, dims)); break;
    default: fn(TMap<T, R, Eigen::ColMajor>(base, v.outer).slice(v.offset, dims)); break;
  }
}

// [14] rank (1 + mod 3), [15..17] dims (mod 6), [18] x kind (ColMajor map, RowMajor map,
// expression), [19] dy layout, [20] y kind (ColMajor map, RowMajor map, slice of a larger
// map), [21..23] the slice's margins, [24] aliasing: 0 none, 1 y on x's buffer, 2 y on dy's
// buffer; [25] shift of an aliased y; [26] also check apply (forward); [27] % 4 == 3: the
// thread-pool overload, on [28] % 3 + 1 threads; [29] == 0xA5 with it: no dimension 0, and
// dimension [30] % rank stretched (+ [31] % 5) to 2^19 elements or more, which core/parallel.hpp
// splits between the threads where there are two or three.
template <class T, int R>
void run_tensor_rank(const AnyFunctor<T>& f, const Header& h, Pool& pool, Call c) {
  Dims<R> dims{};
  for (int d = 0; d < R; ++d) dims[d] = h.b[15 + d] % 6;
  const int threads = threads_from(h.b[27], h.b[28]);
  if (threads > 0 && h.b[29] == 0xA5) stretch<R>(dims, static_cast<std::size_t>(h.b[30] % R), Index(1) << 19, h.b[31] % 5);
  const bool two = c == Call::backward || c == Call::from_output;
  const int kx = h.b[18] % 3, ky = h.b[20] % 3;
  int alias = h.b[24] % 3;
  if (!two && alias == 2) alias = 1;
  const std::ptrdiff_t shift = alias ? static_cast<std::int8_t>(h.b[25]) % 5 : 0;
  TView<R> vx, vdy, vy;
  vx.layout = kx == 1 ? Eigen::RowMajor : Eigen::ColMajor;
  vdy.layout = h.b[19] % 2 ? Eigen::RowMajor : Eigen::ColMajor;
  vy.layout = ky == 1 ? Eigen::RowMajor : Eigen::ColMajor;
  if (ky == 2) {
    vy.slice = true;
    for (int d = 0; d < R; ++d) {
      vy.outer[d] = dims[d] + h.b[21 + d] % 3;
      vy.offset[d] = (h.b[21 + d] / 3) % (vy.outer[d] - dims[d] + 1);
    }
  }
  const std::ptrdiff_t n = product<R>(dims);
  Arena<T> a;
  std::ptrdiff_t len_x = n, len_dy = n;
  const std::ptrdiff_t ylen = vy.span(dims);
  if (alias) {
    vy.base = std::max<std::ptrdiff_t>(0, shift);
    const std::ptrdiff_t host_shift = std::max<std::ptrdiff_t>(0, -shift);
    (alias == 1 ? vx : vdy).base = host_shift;
    std::ptrdiff_t& len = alias == 1 ? len_x : len_dy;
    len = std::max(host_shift + n, vy.base + ylen);
  }
  vx.buf = a.add(len_x, pool);
  vdy.buf = two ? a.add(len_dy, pool) : vx.buf;
  vy.buf = alias == 1 ? vx.buf : alias == 2 ? vdy.buf : a.add(ylen, pool);

  a.snapshot();
  std::vector<T> want(static_cast<std::size_t>(n)), xs(want.size()), dys(want.size());
  for_each_index<R>(dims, [&](const Dims<R>& idx) {
    const T x = a.at(vx.buf, vx.at(idx, dims)), dy = two ? a.at(vdy.buf, vdy.at(idx, dims)) : T(1);
    const auto k = static_cast<std::size_t>(linear<R>(idx, dims, Eigen::ColMajor));
    xs[k] = x;
    dys[k] = dy;
    want[k] =
        with_functor<T>(f.id, f.alpha, [&](const auto& g) {
          check_accuracy(g, c, x, functor_name(f.id));
          return scalar_result(g, c, x, dy);
        });
  });
  for_each_index<R>(dims, [&](const Dims<R>& idx) {
    const auto k = static_cast<std::size_t>(linear<R>(idx, dims, Eigen::ColMajor));
    a.expect_at(vy.buf, vy.at(idx, dims), want[k], xs[k], dys[k]);
  });

  T* px = a.data(vx.buf) + vx.base;
  T* pdy = a.data(vdy.buf) + vdy.base;
  T* py = a.data(vy.buf) + vy.base;
  with_tensor_input<T, R>(kx, px, dims, [&](const auto& x) {
    if (!two) {
      with_tensor_output<T, R>(ky, py, dims, vy, [&](auto&& y) { call_elementwise(threads, f, c, x, y); });
      if (c == Call::forward && h.b[26] % 2 == 1 && alias == 0) {
        const auto z = activ::apply(f, x);
        using Z = std::decay_t<decltype(z)>;
        for_each_index<R>(dims, [&](const Dims<R>& idx) {
          const T got = z.data()[linear<R>(idx, dims, Z::Layout)];
          const T w = want[static_cast<std::size_t>(linear<R>(idx, dims, Eigen::ColMajor))];
          FZ_CHECK(same_result(got, w), "tensor apply " << functor_name(f.id) << " rank " << R << " is bits "
                                                        << bits_of(got) << ", expected " << bits_of(w));
        });
      }
      return;
    }
    with_tensor_plain<T, R>(vdy.layout, pdy, dims, [&](const auto& dy) {
      with_tensor_output<T, R>(ky, py, dims, vy, [&](auto&& dx) { call_elementwise(threads, f, c, x, dy, dx); });
    });
  });
  std::ostringstream what;
  what << "tensor " << functor_name(f.id) << " " << call_name(c) << " rank " << R << " dims";
  for (Index d : dims) what << " " << d;
  what << " kinds " << kx << "," << (vdy.layout == Eigen::RowMajor) << "," << ky << " alias " << alias << " shift "
       << shift << " threads " << threads;
  a.verify(what.str());
}

template <class T>
void run_tensor(const AnyFunctor<T>& f, const Header& h, Pool& pool, Call c) {
  switch (h.b[14] % 3) {
    case 0: run_tensor_rank<T, 1>(f, h, pool, c); break;
    case 1: run_tensor_rank<T, 2>(f, h, pool, c); break;
    default: run_tensor_rank<T, 3>(f, h, pool, c); break;
  }
}

// ---------------------------------------------------------------- errors

// Expects fn() to throw std::invalid_argument naming activ::<call>, with nothing written.
template <class T, class Fn>
void expect_throw(Arena<T>& a, Call c, const std::string& what, Fn&& fn) {
  a.snapshot();
  bool threw = false;
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    threw = true;
    const std::string m = e.what();
    FZ_CHECK(m.find(std::string("activ::") + call_name(c) + ":") != std::string::npos,
             what << ": message does not name the call: " << m);
  }
  FZ_CHECK(threw, what << ": no exception");
  a.verify(what + " (after the error)");
}

// [14] case: 0 negative count, 1 a null pointer, 2 dense shapes, 3 tensor shapes;
// [15..20] counts and shapes; [21] which operand is wrong.
template <class T>
void run_error(const AnyFunctor<T>& f, const Header& h, Pool& pool, Call c) {
  const bool two = c == Call::backward || c == Call::from_output;
  Arena<T> a;
  const int b0 = a.add(8, pool), b1 = a.add(8, pool), b2 = a.add(8, pool);
  const auto raw = [&](const T* x, const T* dy, T* y, std::ptrdiff_t n) {
    switch (c) {
      case Call::forward: activ::forward(f, x, y, n); break;
      case Call::derivative: activ::derivative(f, x, y, n); break;
      case Call::backward: activ::backward(f, x, dy, y, n); break;
      case Call::from_output: activ::backward_from_output(f, x, dy, y, n); break;
    }
  };
  switch (h.b[14] % 4) {
    case 0: {
      const std::ptrdiff_t n = h.b[15] == 255 ? std::numeric_limits<std::ptrdiff_t>::min() : -1 - h.b[15];
      expect_throw(a, c, "negative count", [&] { raw(a.data(b0), a.data(b1), a.data(b2), n); });
      break;
    }
    case 1: {
      const int which = h.b[16] % (two ? 3 : 2);
      const T* x = which == 0 ? nullptr : a.data(b0);
      const T* dy = which == 1 && two ? nullptr : a.data(b1);
      T* y = (which == 1 && !two) || which == 2 ? nullptr : a.data(b2);
      expect_throw(a, c, "null pointer", [&] { raw(x, dy, y, 1 + h.b[15] % 8); });
      break;
    }
    case 2: {
      // Shapes of at most 8 elements, so every operand fits its buffer; one differs.
      Index r = h.b[15] % 4, cl = h.b[16] % 3;
      Index r2 = h.b[17] % 4, c2 = h.b[18] % 3;
      if (r2 == r && c2 == cl) r2 = r + 1 > 3 ? 0 : r + 1;
      const int wrong = h.b[21] % (two ? 2 : 1);  // 0 the output, 1 dy
      using M = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>>;
      const M x(a.data(b0), r, cl);
      const M dy(a.data(b1), wrong == 1 ? r2 : r, wrong == 1 ? c2 : cl);
      M y(a.data(b2), wrong == 0 ? r2 : r, wrong == 0 ? c2 : cl);
      std::ostringstream what;
      what << "dense shapes " << r << "x" << cl << " vs " << r2 << "x" << c2 << " (operand " << wrong << ")";
      expect_throw(a, c, what.str(), [&] {
        switch (c) {
          case Call::forward: activ::forward(f, x, y); break;
          case Call::derivative: activ::derivative(f, x, y); break;
          case Call::backward: activ::backward(f, x, dy, y); break;
          case Call::from_output: activ::backward_from_output(f, x, dy, y); break;
        }
      });
      break;
    }
    default: {
      Dims<3> d1{h.b[15] % 3, h.b[16] % 2, h.b[17] % 2}, d2{h.b[18] % 3, h.b[19] % 2, h.b[20] % 2};
      if (d1 == d2) d2[0] = d1[0] == 2 ? 0 : d1[0] + 1;
      const int wrong = h.b[21] % (two ? 2 : 1);
      const TMap<T, 3, Eigen::ColMajor> x(a.data(b0), d1);
      const TMap<T, 3, Eigen::RowMajor> dy(a.data(b1), wrong == 1 ? d2 : d1);
      TMap<T, 3, Eigen::ColMajor> y(a.data(b2), wrong == 0 ? d2 : d1);
      expect_throw(a, c, "tensor shapes", [&] {
        switch (c) {
          case Call::forward: activ::forward(f, x, y); break;
          case Call::derivative: activ::derivative(f, x, y); break;
          case Call::backward: activ::backward(f, x, dy, y); break;
          case Call::from_output: activ::backward_from_output(f, x, dy, y); break;
        }
      });
      break;
    }
  }
}

template void run_tensor<ACTIV_FUZZ_TENSOR_T>(const AnyFunctor<ACTIV_FUZZ_TENSOR_T>&, const Header&, Pool&, Call);
template void run_error<ACTIV_FUZZ_TENSOR_T>(const AnyFunctor<ACTIV_FUZZ_TENSOR_T>&, const Header&, Pool&, Call);

}  // namespace activ_fuzz
