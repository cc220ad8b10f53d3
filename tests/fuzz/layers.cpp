// Fuzzing Maxout and PReLU (header byte [0]: 4 Maxout, 5 PReLU) on rank-4 Eigen tensors (dims
// of 0 to 5: sizes of 1 make the lower ranks, and the axis choice every split of a buffer around
// it that the kernels see), any axis, the input also as an expression, against scalar
// references. The buffers are column-major rank 4; the other views of them (row-major tensors,
// tensor slices, Matrix and Array Maps) keep every element's logical index, so that one
// reference serves them all. (Every rank with run-time layouts took this file's build, clang
// with sanitizers, to 15 minutes.)
//  - Maxout: y and dx bitwise (the first NaN, else the first maximum, wins), argmax exactly as
//    Eigen::Index or int8_t, backward_from_argmax equal to backward;
//  - PReLU: forward, derivative and dx as the scalar PReLU (bitwise; NaN-ness for NaN), the slope
//    gradient against a long double sum of the T products x·dy (x <= 0) within 32 ε of Σ|terms|
//    (skipped when a term is within 64× of T's largest: the float lanes may overflow there);
//  - a wrong output shape, a wrong slope count or an argmax value out of range throws
//    std::invalid_argument and writes nothing;
//  - nothing but the outputs changes (the guard regions and the inputs of fuzz.hpp's Arena).
// Where the axis is the first or the last, [26] % 3 may put the same buffers behind Eigen
// Matrix Maps instead (1 column-major, 2 row-major; Array Maps where [26] / 3 is odd): the axis
// becomes the Matrix's rows or columns and every channel keeps its elements, so the tensor's
// references hold unchanged. A Matrix Map may be strided: padded ([26] / 6 % 4 elements after
// each column of the column-major view, row of the row-major one: the layout of a Block) and
// with an inner stride of 1 + [26] / 24 % 3 (every second or third element): the elements move
// (Place), the gaps between them must keep their values.
// PReLU's backward with the slope gradient may take the thread-pool overload ([27] % 4 == 3, on
// [28] % 3 + 1 threads); its dx and dalpha must then also equal the serial call's bitwise (NaN:
// NaN-ness). Where [29] == 0xA5 the PReLU tensor is stretched along one other dimension to 2 or 3
// times 2^18 elements or more, so that the slope gradient's slabs are split between the threads.
// Where the view is the tensor, [12] == 0xC3 makes it a row-major tensor or a slice of a larger
// one ([13..15], see view_of): its elements keep their places, the larger tensor's others must
// keep their values.
// PReLU's output may share memory with an input ([2] % 5): 1 is x's own place (in place), 2 x's
// buffer [3] % 17 − 8 elements away from x (the same view, overlapping it), 3 and 4 likewise
// with dy for the calls that read it (else 1 and 2); the result must be as if the inputs had
// been copied first.
// Header bytes: [2..3] PReLU's aliasing (above), [12..15] the tensor views, [16..19] dims, [20]
// axis, [21] pieces or the slope count, [22] units along the axis, [23] argmax type or PReLU
// call, [24] x as an expression, [25] an error case when 0 mod 8, [26] the Matrix views,
// [27..31] PReLU's threads and size (above).
// This file instantiates them for ACTIV_FUZZ_LAYERS_T, float unless layers_double.cpp sets
// double (as tensor.cpp: the two halves build side by side).
#include <memory>

#include "fuzz/fuzz.hpp"

#ifndef ACTIV_FUZZ_LAYERS_T
#define ACTIV_FUZZ_LAYERS_T float
#endif

namespace activ_fuzz {
namespace {

// Rank 4, column-major (see the file comment).
constexpr int R = 4;
constexpr int L = Eigen::ColMajor;

// The logical index of element k of a column-major buffer of dims.
Dims<R> unravel(Index k, const Dims<R>& dims) {
  Dims<R> at{};
  for (std::size_t d = 0; d < R; ++d) {
    at[d] = k % dims[d];
    k /= dims[d];
  }
  return at;
}
Index ravel(const Dims<R>& at, const Dims<R>& dims) { return linear<R>(at, dims, L); }

template <class S>
using Map = Eigen::TensorMap<Eigen::Tensor<S, R, L>>;

// fn(x) with x a TensorMap, or an expression over one (an input without direct access).
template <class T, class Fn>
void with_input(T* p, const Dims<R>& dims, bool as_expression, Fn&& fn) {
  const Map<T> x(p, dims);
  if (as_expression) {
    fn(x.unaryExpr(Same<T>{}));
  } else {
    fn(x);
  }
}

// The view of the buffers ([26], where the axis is the first or the last): [26] % 3 picks the
// tensor (0) or a column-major (1) or row-major (2) Matrix Map; ([26] / 3) % 2 an Array Map
// instead of a Matrix one; for a Matrix Map, ([26] / 6) % 4 its padding: each column of the
// column-major view (row of the row-major one) starts that many elements after the previous
// one's end, and 1 + ([26] / 24) % 3 its inner stride, so the view has gaps that no call may
// write.
// Where the view is the tensor and [12] == 0xC3, 1 + [13] % 3 picks another tensor: 1 a
// row-major TensorMap, 2 a slice of a larger column-major TensorMap, 3 a slice of a row-major
// one. A row-major tensor has the buffer's dims reversed and the axis R − 1 − axis, so every
// element keeps its place; a slice starts ([14] >> 2d) & 3 elements into dimension d of the
// larger tensor and ends ([15] >> 2d) & 3 before its end (no margins for a stretched PReLU
// tensor), and the larger tensor's other elements must keep their values.
struct View {
  int order = 0;  // 0 a tensor, 1 column-major, 2 row-major Matrix
  bool array = false;
  Index pad = 0, step = 1;
  bool row_major = false, slice = false;  // the tensor's (order 0)
  Dims<R> lead{}, trail{};                // a slice's margins
  bool strided() const { return pad != 0 || step != 1; }
};
View view_of(const Header& h, Index axis) {
  const int b = h.b[26], order = b % 3;
  if ((axis == 0 || axis == R - 1) && order != 0) {
    if ((b / 3) % 2 == 1) return {order, true};  // Arrays contiguous (one adaptor for both)
    return {order, false, (b / 6) % 4, 1 + (b / 24) % 3};
  }
  View v;
  if (h.b[12] != 0xC3) return v;
  const int kind = 1 + h.b[13] % 3;
  v.row_major = kind != 2;
  v.slice = kind != 1;
  for (std::size_t d = 0; d < R && v.slice; ++d) {
    v.lead[d] = (h.b[14] >> (2 * d)) & 3;
    v.trail[d] = (h.b[15] >> (2 * d)) & 3;
  }
  return v;
}
std::ostream& operator<<(std::ostream& os, const View& v) {
  static const char* orders[] = {"tensor", "column-major", "row-major"};
  os << orders[v.order] << (v.order == 0 ? "" : v.array ? " Array" : " Matrix");
  if (v.row_major) os << " row-major";
  if (v.slice) {
    os << " slice, margins";
    for (std::size_t d = 0; d < R; ++d) os << " " << v.lead[d] << "+" << v.trail[d];
  }
  if (v.pad != 0) os << " padded by " << v.pad;
  if (v.step != 1) os << " inner stride " << v.step;
  return os;
}

// The column-major view's rows: a column-major rank-4 buffer of dims with `axis` (0 or R − 1)
// seen as a Matrix, (d0, d1·d2·d3) or (d0·d1·d2, d3); the row-major view is its transpose.
Index view_rows(Index axis, const Dims<R>& d) { return axis == 0 ? d[0] : d[0] * d[1] * d[2]; }

// The dims of a slice's larger tensor.
Dims<R> whole(const View& v, const Dims<R>& d) {
  Dims<R> w;
  for (std::size_t k = 0; k < R; ++k) w[k] = d[k] + v.lead[k] + v.trail[k];
  return w;
}

// Where the logical element k (column-major over the buffer's dims) sits in a buffer seen
// through the view: at k, or, strided, `step` elements apart within a column of the
// column-major view (a row of the row-major one) and rows·step + pad apart between them, or, in
// a slice, at its index plus the leading margins in the larger tensor.
struct Place {
  Index rows = 1, pad = 0, step = 1;
  bool slice = false;
  Dims<R> dims{}, lead{}, big{};  // a slice's dims, its start in the larger tensor, that one's dims
  Index outer() const { return rows * step + pad; }
  Index operator()(Index k) const {
    if (!slice) return k % rows * step + k / rows * outer();
    Dims<R> at = unravel(k, dims);
    for (std::size_t d = 0; d < R; ++d) at[d] += lead[d];
    return ravel(at, big);
  }
  Index size(Index n) const {
    if (slice) return product<R>(big);
    return n == 0 ? 0 : n / rows * outer();
  }
};
Place place_of(const View& v, Index axis, const Dims<R>& d) {
  if (v.slice) return Place{1, 0, 1, true, d, v.lead, whole(v, d)};
  return v.strided() ? Place{view_rows(axis, d), v.pad, v.step} : Place{};
}

template <class S, int Order, bool IsArray>
using Plain = std::conditional_t<IsArray, Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic, Order>,
                                 Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Order>>;

// The view's Map of the buffer at p: column-major (rows, rest) or row-major (rest, rows),
// contiguous or with Place's strides.
template <class S, int Order, bool IsArray, bool Strided>
auto matrix_view(S* p, Index axis, const Dims<R>& d, const Place& at) {
  const Index rows = view_rows(axis, d), rest = axis == 0 ? d[1] * d[2] * d[3] : d[3];
  const Index r = Order == Eigen::RowMajor ? rest : rows, c = Order == Eigen::RowMajor ? rows : rest;
  if constexpr (Strided) {
    using Stride = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;
    return Eigen::Map<Plain<S, Order, IsArray>, Eigen::Unaligned, Stride>(p, r, c, Stride(at.outer(), at.step));
  } else {
    return Eigen::Map<Plain<S, Order, IsArray>>(p, r, c);
  }
}

// fn(make, the view's axis), make(p, dims) giving the view's TensorMap or Matrix (Array) Map of
// the buffer at p, for any element type (T or an argmax integer).
template <class Fn>
void with_view(const View& v, Index axis, Fn&& fn) {
  if (v.order == 0 && !v.row_major && !v.slice) {
    fn([](auto* p, const Dims<R>& d) { return Map<std::remove_pointer_t<decltype(p)>>(p, d); }, axis);
    return;
  }
  if (v.order == 0) {
    // A slice holds its TensorMap by reference: the maps live in `kept` until fn returns.
    std::vector<std::shared_ptr<const void>> kept;
    const auto tensor = [&](auto layout, auto sliced) {
      constexpr int Layout = decltype(layout)::value;
      fn([&](auto* p, const Dims<R>& d) {
        constexpr int Own = decltype(layout)::value;
        const auto mine = [](Dims<R> e) {  // dims or offsets in the tensor's own order
          if (Own == Eigen::RowMajor) std::reverse(e.begin(), e.end());
          return e;
        };
        using M = Eigen::TensorMap<Eigen::Tensor<std::remove_pointer_t<decltype(p)>, R, Own>>;
        if constexpr (decltype(sliced)::value) {
          const auto big = std::make_shared<M>(p, mine(whole(v, d)));
          kept.push_back(big);
          return big->slice(mine(v.lead), mine(d));
        } else {
          return M(p, mine(d));
        }
      }, Layout == Eigen::RowMajor ? R - 1 - axis : axis);
    };
    using Col = std::integral_constant<int, Eigen::ColMajor>;
    using Row = std::integral_constant<int, Eigen::RowMajor>;
    if (!v.slice) {
      tensor(Row{}, std::false_type{});
    } else if (v.row_major) {
      tensor(Row{}, std::true_type{});
    } else {
      tensor(Col{}, std::true_type{});
    }
    return;
  }
  const auto matrix = [&](auto order, auto is_array, auto strided) {
    constexpr int Order = decltype(order)::value;
    // The tensor's first axis is the rows of the column-major Matrix, the columns of the other.
    const Index along = (axis == 0) == (Order == Eigen::ColMajor) ? 0 : 1;
    fn([axis, v](auto* p, const Dims<R>& d) {
      return matrix_view<std::remove_pointer_t<decltype(p)>, Order, decltype(is_array)::value,
                         decltype(strided)::value>(p, axis, d, place_of(v, axis, d));
    }, along);
  };
  using Col = std::integral_constant<int, Eigen::ColMajor>;
  using Row = std::integral_constant<int, Eigen::RowMajor>;
  const int kind = (v.order == 1 ? 0 : 1) + (v.array ? 2 : v.strided() ? 4 : 0);
  switch (kind) {
    case 0: matrix(Col{}, std::false_type{}, std::false_type{}); break;
    case 1: matrix(Row{}, std::false_type{}, std::false_type{}); break;
    case 2: matrix(Col{}, std::true_type{}, std::false_type{}); break;
    case 3: matrix(Row{}, std::true_type{}, std::false_type{}); break;
    case 4: matrix(Col{}, std::false_type{}, std::true_type{}); break;
    default: matrix(Row{}, std::false_type{}, std::true_type{}); break;
  }
}

struct Shape {
  Index axis;
  Index k;  // Maxout's pieces (1 for PReLU)
};

Shape read_shape(const Header& h, Dims<R>& dims, bool maxout) {
  for (int d = 0; d < R; ++d) dims[static_cast<std::size_t>(d)] = h.b[16 + static_cast<std::size_t>(d)] % 6;
  // k of 1 to 5 mostly; [21] >= 192 takes 1 to 17 (the AVX-512 permutes for k = 3 … 16, the
  // gathers above).
  Shape s{h.b[20] % R, maxout ? 1 + h.b[21] % (h.b[21] >= 192 ? 17 : 5) : 1};
  // Up to 20 units along the axis: beyond the 8-group batches of the shuffles.
  dims[static_cast<std::size_t>(s.axis)] = s.k * (h.b[22] % 21);
  return s;
}

// A guarded integer buffer for argmax: the guards, and the gaps of a strided view, must keep
// their sentinel.
template <class S>
struct IntBuffer {
  static constexpr std::ptrdiff_t guard = 16;
  static constexpr S sentinel = static_cast<S>(0x5a);
  std::vector<S> v;
  explicit IntBuffer(Index n) : v(static_cast<std::size_t>(n + 2 * guard), sentinel) {}
  S* data() { return v.data() + guard; }
  void check_guards(const std::string& what) const {
    for (std::ptrdiff_t g = 0; g < guard; ++g) {
      FZ_CHECK(v[static_cast<std::size_t>(g)] == sentinel && v[v.size() - 1 - static_cast<std::size_t>(g)] == sentinel,
               what << ": an argmax guard changed");
    }
  }
  // The n elements are at place(0 … n − 1); every other position must hold the sentinel.
  void check_gaps(const Place& place, Index n, const std::string& what) const {
    std::vector<std::uint8_t> element(v.size() - 2 * guard, 0);
    for (Index k = 0; k < n; ++k) element[static_cast<std::size_t>(place(k))] = 1;
    for (std::size_t k = 0; k < element.size(); ++k) {
      FZ_CHECK(element[k] || v[k + guard] == sentinel, what << ": argmax gap " << k << " written");
    }
  }
};

template <class T, class S>
void run_maxout_typed(const Header& h, Pool& pool, const Dims<R>& dims, const Shape& s) {
  Dims<R> ydims = dims;
  ydims[static_cast<std::size_t>(s.axis)] /= s.k;
  const Index n = product<R>(dims), ny = product<R>(ydims);
  const bool expression = h.b[24] % 2 == 1, error = h.b[25] % 8 == 0;
  const View view = view_of(h, s.axis);
  // Positions in the buffers of x's shape and of y's (the error case's tensors ignore them).
  const Place px = place_of(view, s.axis, dims), py = place_of(view, s.axis, ydims);
  Arena<T> a;
  const int bx = a.add(px.size(n), pool), by = a.add(py.size(ny), pool), by2 = a.add(py.size(ny), pool),
            bdy = a.add(py.size(ny), pool), bdx = a.add(px.size(n), pool), bdx2 = a.add(px.size(n), pool);
  IntBuffer<S> arg(py.size(ny));
  a.snapshot();
  std::ostringstream what;
  what << "maxout rank " << R << " dims";
  for (Index d : dims) what << " " << d;
  what << " axis " << s.axis << " pieces " << s.k << " argmax bytes " << sizeof(S)
       << (expression ? " x as an expression" : "") << " view " << view;
  const activ::Maxout<T> m(s.k, s.axis);

  if (error) {
    // y one unit longer along the axis, then an argmax value out of range: both throw, nothing
    // is written.
    Dims<R> wrong = ydims;
    ++wrong[static_cast<std::size_t>(s.axis)];
    std::vector<T> big(static_cast<std::size_t>(product<R>(wrong)), T(7));
    bool threw = false;
    with_input<T>(a.data(bx), dims, expression, [&](const auto& x) {
      Map<T> y(big.data(), wrong);
      try {
        activ::forward(m, x, y);
      } catch (const std::invalid_argument&) {
        threw = true;
      }
    });
    FZ_CHECK(threw, what.str() << ": a y one unit too long did not throw");
    FZ_CHECK(std::all_of(big.begin(), big.end(), [](T v) { return v == T(7); }), what.str() << ": y written on error");
    if (ny > 0) {
      for (Index f = 0; f < ny; ++f) arg.data()[f] = static_cast<S>(f % s.k);
      arg.data()[pool.byte() % ny] = static_cast<S>(s.k);
      threw = false;
      const Map<S> am(arg.data(), ydims);
      const Map<T> dy(a.data(bdy), ydims);
      Map<T> dx(a.data(bdx2), dims);
      try {
        activ::backward_from_argmax(m, am, dy, dx);
      } catch (const std::invalid_argument&) {
        threw = true;
      }
      FZ_CHECK(threw, what.str() << ": an argmax value of " << s.k << " did not throw");
    }
    a.verify(what.str() + " (error case)");
    arg.check_guards(what.str());
    return;
  }

  // The reference: winners from the scalar rule, over logical indices.
  std::vector<Index> winner(static_cast<std::size_t>(ny));
  for (Index f = 0; f < ny; ++f) {
    const Dims<R> at = unravel(f, ydims);
    const auto piece = [&](Index i) {  // the input position of piece i of output f
      Dims<R> xa = at;
      xa[static_cast<std::size_t>(s.axis)] = at[static_cast<std::size_t>(s.axis)] * s.k + i;
      return px(ravel(xa, dims));
    };
    Index best = 0;
    T best_value = T(0);
    for (Index i = 0; i < s.k; ++i) {
      const T v = a.at(bx, piece(i));
      if (i == 0 || (!std::isnan(best_value) && !(v <= best_value))) best = i, best_value = v;
    }
    winner[static_cast<std::size_t>(f)] = best;
    const T dy = a.at(bdy, py(f));
    a.expect_at(by, py(f), best_value, best_value, dy);
    a.expect_at(by2, py(f), best_value, best_value, dy);
    for (Index i = 0; i < s.k; ++i) {
      const Index pk = piece(i);
      a.expect_at(bdx, pk, i == best ? dy : T(0), a.at(bx, pk), dy);
      a.expect_at(bdx2, pk, i == best ? dy : T(0), a.at(bx, pk), dy);
    }
  }

  with_view(view, s.axis, [&](auto make, Index axis) {
    const activ::Maxout<T> mv(s.k, axis);
    auto y = make(a.data(by), ydims), y2 = make(a.data(by2), ydims), dx = make(a.data(bdx), dims),
         dx2 = make(a.data(bdx2), dims);
    auto am = make(arg.data(), ydims);
    const auto dy = make(a.data(bdy), ydims), x = make(a.data(bx), dims);
    // The input as an expression only where it is the one input (the other calls take the same
    // adaptor for x as for dy).
    if (expression) {
      activ::forward(mv, x.unaryExpr(Same<T>{}), y);
    } else {
      activ::forward(mv, x, y);
    }
    activ::forward(mv, x, y2, am);
    activ::backward(mv, x, dy, dx);
    activ::backward_from_argmax(mv, am, dy, dx2);
  });
  for (Index f = 0; f < ny; ++f) {
    const Index got = static_cast<Index>(arg.data()[py(f)]);
    FZ_CHECK(got == winner[static_cast<std::size_t>(f)],
             what.str() << ": argmax " << got << " at output " << f << ", expected " << winner[static_cast<std::size_t>(f)]);
    // y is one of the inputs: bitwise, NaN payloads too (Arena only asks NaN-ness of outputs).
    FZ_CHECK(same_bits(a.at(by, py(f)), a.at(by2, py(f))), what.str() << ": y differs with and without argmax at " << f);
  }
  a.verify(what.str());
  arg.check_guards(what.str());
  arg.check_gaps(py, ny, what.str());
}

template <class T>
void run_maxout(const Header& h, Pool& pool) {
  Dims<R> dims;
  const Shape s = read_shape(h, dims, true);
  if (h.b[23] % 2 == 0) {
    run_maxout_typed<T, Index>(h, pool, dims, s);
  } else {
    run_maxout_typed<T, std::int8_t>(h, pool, dims, s);
  }
}

// The slope gradient of one channel: the T products x·dy where x <= 0 (or NaN), summed exactly.
template <class T>
struct SlopeSum {
  ld sum = 0, magnitude = 0;
  bool unbounded = false;  // a NaN or infinite term, or one within 64x of T's largest
  void add(T term) {
    sum += static_cast<ld>(term);
    magnitude += std::fabs(static_cast<ld>(term));
    if (!(std::fabs(term) <= std::numeric_limits<T>::max() / 64)) unbounded = true;
  }
  // Whether the sum can be held to a bound: no unbounded term, and the terms' magnitudes not
  // adding up to within 64x of T's largest either, where partial sums in any order may overflow
  // (seen: a double channel of 37 000 terms, each below DBL_MAX / 64, whose exact sum was past
  // DBL_MAX: dalpha was inf, correctly).
  bool judged() const { return !unbounded && magnitude <= static_cast<ld>(std::numeric_limits<T>::max() / 64); }
};

template <class T>
void run_prelu(const Header& h, Pool& pool) {
  Dims<R> dims;
  const Shape s = read_shape(h, dims, false);
  const int call = h.b[23] % 5;  // forward, derivative, backward, with dalpha, accumulating
  const bool expression = h.b[24] % 2 == 1, error = h.b[25] % 8 == 0;
  const bool large = !error && h.b[29] == 0xA5;
  if (large) {
    const auto q = static_cast<std::size_t>((s.axis + 1 + h.b[30] % (R - 1)) % R);  // not the axis
    stretch<R>(dims, q, Index(2 + h.b[31] % 2) << 18, h.b[31] % 5);
  }
  const int threads = call >= 3 ? threads_from(h.b[27], h.b[28]) : 0;
  const Index n = product<R>(dims), along = dims[static_cast<std::size_t>(s.axis)];
  const Index slopes = (h.b[21] & 1) ? 1 : along;
  View view = view_of(h, s.axis);
  if (large) view.lead = view.trail = Dims<R>{};  // a slice, but no larger tensor around it
  const Place at = place_of(view, s.axis, dims);  // where element k of x, dy and out sits
  typename activ::PReLU<T>::slopes_type alpha(error ? along + 1 : slopes);
  for (Index c = 0; c < alpha.size(); ++c) alpha[c] = pool.value<T>();
  const activ::PReLU<T> p(alpha, s.axis);
  Arena<T> a;
  // The output in a buffer of its own, or in x's or dy's (alias, above): that input then starts
  // `margin` elements into its buffer, the output `shift` elements from it.
  int alias = error ? 0 : h.b[2] % 5;
  if (call < 2 && alias >= 3) alias -= 2;
  const std::ptrdiff_t margin = 8, shift = alias == 2 || alias == 4 ? std::ptrdiff_t(h.b[3] % 17) - margin : 0;
  const std::ptrdiff_t ox = alias == 1 || alias == 2 ? margin : 0, ody = alias >= 3 ? margin : 0;
  const int bx = a.add(at.size(n) + 2 * ox, pool), bdy = a.add(at.size(n) + 2 * ody, pool);
  const int bout = alias == 0 ? a.add(at.size(n), pool) : alias <= 2 ? bx : bdy;
  const std::ptrdiff_t oout = alias == 0 ? 0 : (alias <= 2 ? ox : ody) + shift;
  const int bda = a.add(alpha.size(), pool);
  a.snapshot();
  std::ostringstream what;
  what << "prelu rank " << R << " dims";
  for (Index d : dims) what << " " << d;
  what << " axis " << s.axis << " slopes " << alpha.size() << " call " << call
       << (expression ? " x as an expression" : "") << " view " << view << " threads " << threads << " alias "
       << alias << " shift " << shift;

  // The call into out_p (and da_p), through the thread-pool overload when `threaded`.
  const auto invoke_into = [&](T* out_p, T* da_p, bool threaded) {
    with_view(view, s.axis, [&](auto make, Index axis) {
      const activ::PReLU<T> pv(alpha, axis);  // p's slopes on the view's axis
      auto out = make(out_p, dims);
      const auto x = make(a.data(bx) + ox, dims), dy = make(a.data(bdy) + ody, dims);
      Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>> dalpha(da_p, alpha.size());
      if (call == 0 && expression) activ::forward(pv, x.unaryExpr(Same<T>{}), out);
      if (call == 0 && !expression) activ::forward(pv, x, out);
      if (call == 1) activ::derivative(pv, x, out);
      if (call == 2 && expression) activ::backward(pv, x.unaryExpr(Same<T>{}), dy, out);
      if (call == 2 && !expression) activ::backward(pv, x, dy, out);
      // The slope gradient, with the device first (the thread-pool overload) or without one.
      with_device(threaded ? threads : 0, [&](const auto&... dev) {
        if (call == 3) activ::backward(dev..., pv, x, dy, out, dalpha);
        if (call == 4) activ::backward(dev..., pv, x, dy, out, dalpha, activ::accumulate);
      });
    });
  };
  const auto invoke = [&] { invoke_into(a.data(bout) + oout, a.data(bda), threads > 0); };
  // A slope count of along + 1 is wrong, except where along + 1 == 1 (an empty axis: one slope).
  if (error && alpha.size() != 1) {
    bool threw = false;
    try {
      invoke();
    } catch (const std::invalid_argument&) {
      threw = true;
    }
    FZ_CHECK(threw, what.str() << ": " << alpha.size() << " slopes for an axis of " << along << " did not throw");
    a.verify(what.str() + " (error case)");
    return;
  }

  std::vector<SlopeSum<T>> sums(static_cast<std::size_t>(alpha.size()));
  for (Index k = 0; k < n; ++k) {
    const Index c = alpha.size() == 1 ? 0 : unravel(k, dims)[static_cast<std::size_t>(s.axis)];
    const T x = a.at(bx, ox + at(k)), dy = a.at(bdy, ody + at(k));
    const T want = call == 0 ? p(x, c) : call == 1 ? p.derivative(x, c) : dy * p.derivative(x, c);
    a.expect_at(bout, oout + at(k), want, x, dy);
    if (call >= 3) sums[static_cast<std::size_t>(c)].add(x > T(0) ? T(0) : x * dy);
  }
  // Threaded: the serial call first, into buffers of its own from the same dalpha; both must
  // give the same bits (NaN: NaN-ness, see fuzz.hpp).
  std::vector<T> out1, da1;
  if (threads > 0) {
    out1.resize(static_cast<std::size_t>(at.size(n)));
    da1.assign(a.data(bda), a.data(bda) + alpha.size());
    invoke_into(out1.data(), da1.data(), false);
  }
  invoke();
  if (threads > 0) {
    for (Index k = 0; k < n; ++k) {
      const auto i = static_cast<std::size_t>(at(k));
      FZ_CHECK(same_result(a.at(bout, oout + at(k)), out1[i]),
               what.str() << ": threaded dx " << a.at(bout, oout + at(k)) << " at " << k << ", one thread " << out1[i]);
    }
    for (Index c = 0; c < alpha.size(); ++c) {
      FZ_CHECK(same_result(a.at(bda, c), da1[static_cast<std::size_t>(c)]),
               what.str() << ": threaded dalpha[" << c << "] " << a.at(bda, c) << ", one thread "
                          << da1[static_cast<std::size_t>(c)]);
    }
  }
  if (call >= 3) {
    for (Index c = 0; c < alpha.size(); ++c) {
      SlopeSum<T> sc = sums[static_cast<std::size_t>(c)];
      const T before = a.expect[static_cast<std::size_t>(bda)][static_cast<std::size_t>(Arena<T>::guard + c)];
      if (call == 4) sc.add(before);
      const T got = a.at(bda, c);
      a.expect_at(bda, c, got, before, T(0));
      if (!sc.judged()) continue;
      const ld exact = sc.sum, bound = 32 * static_cast<ld>(std::numeric_limits<T>::epsilon()) * sc.magnitude +
                                       std::fabs(exact) * static_cast<ld>(std::numeric_limits<T>::epsilon()) +
                                       static_cast<ld>(std::numeric_limits<T>::denorm_min());
      FZ_CHECK(std::fabs(static_cast<ld>(got) - exact) <= bound,
               what.str() << ": dalpha[" << c << "] = " << got << ", exact " << static_cast<double>(exact)
                          << ", bound " << static_cast<double>(bound));
    }
  }
  a.verify(what.str());
}

template <class T>
void run_layer(const Header& h, Pool& pool, bool maxout) {
  if (maxout) {
    run_maxout<T>(h, pool);
  } else {
    run_prelu<T>(h, pool);
  }
}

}  // namespace

template <class T>
void run_layers(const Header& h, Pool& pool, bool maxout) {
  run_layer<T>(h, pool, maxout);
}

template void run_layers<ACTIV_FUZZ_LAYERS_T>(const Header&, Pool&, bool);

}  // namespace activ_fuzz
