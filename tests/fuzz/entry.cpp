// The fuzz target's entry point: reads the header and dispatches (format: fuzz.hpp).
#include "fuzz/fuzz.hpp"

namespace activ_fuzz {
namespace {

template <class T>
void run(const Header& h, Pool& pool) {
  const int id = h.b[2] % 5;
  const Call c = static_cast<Call>(h.b[3] % 4);
  const T alpha = alpha_of<T>(h, id == 1 ? T(0.01) : T(1));
  const AnyFunctor<T> any{id, alpha};
  switch (h.b[0] % 6) {
    case 0: run_raw<T>(h, pool, c, id, alpha); break;
    case 1: run_dense<T>(any, h, pool, c); break;
    case 2: run_tensor<T>(any, h, pool, c); break;
    case 3: run_error<T>(any, h, pool, c); break;
    default: run_layers<T>(h, pool, h.b[0] % 6 == 4); break;
  }
}

}  // namespace
}  // namespace activ_fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  activ_fuzz::Header h;
  const std::size_t head = std::min(size, h.b.size());
  std::copy_n(data, head, h.b.begin());
  activ_fuzz::Pool pool(data + head, size - head);
  if (h.b[1] & 1) {
    activ_fuzz::run<double>(h, pool);
  } else {
    activ_fuzz::run<float>(h, pool);
  }
  return 0;
}
