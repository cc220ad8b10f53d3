// The libstdc++-vs-libc++ initializer test: writes the weights of every initializer, for fixed
// seeds of several engines, to the file named by argv[1], and prints which standard library it
// was built with. tests/CMakeLists.txt builds it twice (the project's compiler with libstdc++,
// clang++ -stdlib=libc++) and tests/crosslib/compare.cmake compares the two files byte for
// byte: SPEC §2's "same seed, same engine ⇒ bitwise the same weights with any standard library".
//
// After each call the engine's next output is written too, so that the number of draws an
// initializer consumes is part of the contract checked.
#include <Eigen/Core>
#include <activ/init/init.hpp>
#include <cstdint>
#include <cstdio>
#include <random>
#include <unsupported/Eigen/CXX11/Tensor>

namespace {

using activ::init::Distribution;
using activ::init::FanMode;
using activ::init::Fans;

struct output {
  std::FILE* file;
  template <class T>
  void write(const T* data, Eigen::Index n) {
    std::fwrite(data, sizeof(T), static_cast<std::size_t>(n), file);
  }
  template <class G>
  void engine_state(G& g) {
    const auto next = static_cast<std::uint64_t>(g());
    std::fwrite(&next, sizeof next, 1, file);
  }
};

template <class T, class G>
void run(output& out, std::uint64_t seed) {
  G g(static_cast<typename G::result_type>(seed));
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> m(37, 23);  // 851: odd, not a multiple of any batch
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r(23, 37);
  Eigen::Tensor<T, 4> t(5, 3, 3, 3);
  auto each = [&](auto&& init) {
    init(m);
    out.write(m.data(), m.size());
    out.engine_state(g);
    init(r);
    out.write(r.data(), r.size());
    out.engine_state(g);
    init(t);
    out.write(t.data(), t.size());
    out.engine_state(g);
  };
  each([&](auto& w) { activ::init::he_uniform(w, g); });
  each([&](auto& w) { activ::init::he_uniform(w, g, FanMode::out, 0.5); });
  each([&](auto& w) { activ::init::he_normal(w, g); });
  each([&](auto& w) { activ::init::he_normal(w, g, Fans{7, 11}, FanMode::avg, 1.25); });
  each([&](auto& w) { activ::init::xavier_uniform(w, g); });
  each([&](auto& w) { activ::init::xavier_normal(w, g, 5.0 / 3.0); });
  each([&](auto& w) { activ::init::lecun_uniform(w, g); });
  each([&](auto& w) { activ::init::lecun_normal(w, g); });
  for (Distribution d : {Distribution::uniform, Distribution::normal, Distribution::truncated_normal}) {
    for (FanMode mode : {FanMode::in, FanMode::out, FanMode::avg}) {
      each([&](auto& w) { activ::init::variance_scaling(w, g, 2.0, mode, d); });
    }
  }
  each([&](auto& w) { activ::init::init_for(w, activ::ReLU<T>{}, g); });
  each([&](auto& w) { activ::init::init_for(w, activ::LeakyReLU<T>{T(0.2)}, g); });
  each([&](auto& w) { activ::init::init_for(w, activ::ELU<T>{}, g); });
  each([&](auto& w) { activ::init::init_for(w, activ::Sigmoid<T>{}, g); });
  each([&](auto& w) { activ::init::init_for(w, activ::Tanh<T>{}, g); });
  // A long run crosses many 256-element chunks and reaches the normal tails.
  Eigen::Matrix<T, Eigen::Dynamic, 1> v(100003);
  activ::init::he_normal(v, g, Fans{100, 100});
  out.write(v.data(), v.size());
  activ::init::variance_scaling(v, g, Fans{100, 100});
  out.write(v.data(), v.size());
  out.engine_state(g);
}

template <class T>
void all_engines(output& out) {
  run<T, std::mt19937>(out, 5489);
  run<T, std::mt19937_64>(out, 42);
  run<T, std::minstd_rand>(out, 2024);  // range [1, 2^31 − 2]: rejection
  run<T, std::ranlux24_base>(out, 7);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <output file>\n", argv[0]);
    return 2;
  }
  output out{std::fopen(argv[1], "wb")};
  if (out.file == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  all_engines<float>(out);
  all_engines<double>(out);
  if (std::fclose(out.file) != 0) return 1;
#if defined(_LIBCPP_VERSION)
  std::printf("libc++ %d\n", _LIBCPP_VERSION);
#elif defined(__GLIBCXX__)
  std::printf("libstdc++ %d\n", __GLIBCXX__);
#else
  std::printf("unknown standard library\n");
#endif
  return 0;
}
