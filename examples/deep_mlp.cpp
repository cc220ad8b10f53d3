// A deep MLP trained with Eigen + activ only: the rectifier tutorial's claims, measured.
//
// Two interleaved spirals (a non-linear problem made here, inputs standardized) are learned
// by a network of 10 hidden layers of 32 units and a logistic output, by mini-batch SGD with
// activ's forward/backward, once per configuration:
//   sigmoid + Xavier, tanh + Xavier, ReLU + He (bias 0 and bias 0.1), Leaky ReLU + He,
//   PReLU + He (a slope per unit, learned), ELU + He, Maxout (2 pieces) + He.
// For each it prints the gradient norm of every layer before training (vanishing gradients
// made visible), loss and accuracy over the epochs, and the fraction of hidden units that
// never activate (z <= 0 on every training sample: "dead" for ReLU). It writes
// deep_mlp_loss.csv and deep_mlp_gradients.csv into the output directory; deep_mlp.gp draws
// them (scripts/experiments.sh regenerates docs/experiments.md's charts).
//
// Usage: deep_mlp [--short] [output-dir]
//   --short  fewer epochs and configurations (ctest); exits 1 unless ReLU + He ends with a
//            lower loss than sigmoid + Xavier on the 10-layer net.
#include <Eigen/Dense>
#include <activ/activ.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using Mat = Eigen::MatrixXf;  // one column per sample
using Vec = Eigen::VectorXf;

constexpr int hidden_layers = 10;
constexpr int width = 32;
constexpr int batch_size = 64;
constexpr float learning_rate = 0.05f;
constexpr std::uint32_t seed = 20131;

// Uniform [0, 1) from the top 24 bits of one mt19937 draw: the same numbers with any standard
// library (std::uniform_real_distribution's algorithm is not specified).
float uniform01(std::mt19937& g) { return static_cast<float>(g() >> 8) * (1.0f / 16777216.0f); }

// N(0, 1) by Box–Muller on two of those draws.
float normal01(std::mt19937& g) {
  const float u1 = 1.0f - uniform01(g), u2 = uniform01(g);
  return std::sqrt(-2.0f * std::log(u1)) * std::cos(6.2831853f * u2);
}

struct Data {
  Mat x;               // 2 × n
  Eigen::RowVectorXf y;  // 0 or 1
};

// Two spirals of 1.5 turns each, class 1 rotated by π, with Gaussian noise; then every input
// feature standardized to mean 0 and variance 1 (the tutorial's "scale the inputs").
Data two_spirals(int per_class, std::mt19937& g) {
  Data d{Mat(2, 2 * per_class), Eigen::RowVectorXf(2 * per_class)};
  for (int c = 0; c < 2; ++c) {
    for (int i = 0; i < per_class; ++i) {
      const float t = 0.25f + 1.5f * 6.2831853f * static_cast<float>(i) / static_cast<float>(per_class);
      const float angle = t + 3.14159265f * static_cast<float>(c);
      const int k = c * per_class + i;
      d.x(0, k) = t * std::cos(angle) + 0.25f * normal01(g);
      d.x(1, k) = t * std::sin(angle) + 0.25f * normal01(g);
      d.y(k) = static_cast<float>(c);
    }
  }
  const Vec mean = d.x.rowwise().mean();
  d.x.colwise() -= mean;
  const Vec sd = (d.x.array().square().rowwise().mean()).sqrt();
  d.x = sd.cwiseInverse().asDiagonal() * d.x;
  return d;
}

// One hidden layer's activation, behind a small interface so that the network code is the
// same for elementwise functors, PReLU (learned slopes) and Maxout (more rows than outputs).
struct Activation {
  virtual ~Activation() = default;
  virtual int pieces() const { return 1; }
  virtual void forward(const Mat& z, Mat& a) = 0;
  virtual void backward(const Mat& z, const Mat& da, Mat& dz) = 0;
  virtual void step(float) {}
};

template <class F>
struct Elementwise final : Activation {
  F f;
  explicit Elementwise(F fn) : f(fn) {}
  void forward(const Mat& z, Mat& a) override { activ::forward(f, z, a); }
  void backward(const Mat& z, const Mat& da, Mat& dz) override { activ::backward(f, z, da, dz); }
};

struct PReLULayer final : Activation {
  activ::PReLU<float> p{width, 0, 0.25f};  // one slope per unit: units are rows (axis 0)
  Eigen::ArrayXf dalpha = Eigen::ArrayXf::Zero(width);
  void forward(const Mat& z, Mat& a) override { activ::forward(p, z, a); }
  void backward(const Mat& z, const Mat& da, Mat& dz) override { activ::backward(p, z, da, dz, dalpha); }
  void step(float lr) override { p.alpha() -= lr * dalpha; }
};

struct MaxoutLayer final : Activation {
  activ::Maxout<float> m{2, 0};  // 2 pieces per unit, grouped along the rows
  int pieces() const override { return 2; }
  void forward(const Mat& z, Mat& a) override { activ::forward(m, z, a); }
  void backward(const Mat& z, const Mat& da, Mat& dz) override { activ::backward(m, z, da, dz); }
};

enum class Init { he, xavier };

struct Config {
  std::string name;
  std::function<std::unique_ptr<Activation>()> make;
  Init init;
  double gain;
  float bias;
  bool relu_like;  // report dead units
};

struct Layer {
  Mat w, dw;
  Vec b, db;
  Mat z, a, dz;
  std::unique_ptr<Activation> act;  // null for the output layer
};

class Network {
 public:
  Network(const Config& c, std::mt19937& g) {
    int in = 2;
    for (int l = 0; l <= hidden_layers; ++l) {
      Layer layer;
      const bool output = l == hidden_layers;
      if (!output) layer.act = c.make();
      const int rows = output ? 1 : width * layer.act->pieces();
      layer.w.resize(rows, in);
      if (output || c.init == Init::xavier) {
        activ::init::xavier_uniform(layer.w, g, output ? 1.0 : c.gain);
      } else {
        activ::init::he_uniform(layer.w, g, activ::init::FanMode::in, c.gain);
      }
      layer.b = Vec::Constant(rows, output ? 0.0f : c.bias);
      layers_.push_back(std::move(layer));
      in = width;
    }
  }

  // Forward over the columns of x; returns the output logits (1 × n).
  const Mat& forward(const Mat& x) {
    const Mat* in = &x;
    for (Layer& l : layers_) {
      l.z.noalias() = l.w * *in;
      l.z.colwise() += l.b;
      if (l.act) {
        l.a.resize(width, l.z.cols());
        l.act->forward(l.z, l.a);
        in = &l.a;
      } else {
        in = &l.z;
      }
    }
    return layers_.back().z;
  }

  // Mean binary cross-entropy of the logits against y; fills every layer's dw, db.
  float backward(const Mat& x, const Eigen::RowVectorXf& y) {
    const Mat& logits = layers_.back().z;
    const float n = static_cast<float>(x.cols());
    const activ::Sigmoid<float> sigmoid;
    Mat p(1, logits.cols());
    activ::forward(sigmoid, logits, p);
    // loss = softplus(z) − y·z, written without overflow; dL/dz = σ(z) − y.
    const Eigen::ArrayXXf z = logits.array();
    const float loss = ((z.max(0.0f) + (-z.abs()).exp().log1p()) - y.array() * z).sum() / n;
    Mat upstream = (p - y) / n;  // dL/dz of the output layer
    for (int l = hidden_layers; l >= 0; --l) {
      Layer& layer = layers_[static_cast<std::size_t>(l)];
      if (layer.act) {
        layer.dz.resize(layer.z.rows(), layer.z.cols());
        layer.act->backward(layer.z, upstream, layer.dz);
      } else {
        layer.dz = upstream;
      }
      const Mat& in = l == 0 ? x : layers_[static_cast<std::size_t>(l - 1)].a;
      layer.dw.noalias() = layer.dz * in.transpose();
      layer.db = layer.dz.rowwise().sum();
      if (l > 0) upstream.noalias() = layer.w.transpose() * layer.dz;
    }
    return loss;
  }

  void step(float lr) {
    for (Layer& l : layers_) {
      l.w -= lr * l.dw;
      l.b -= lr * l.db;
      if (l.act) l.act->step(lr);
    }
  }

  std::vector<float> gradient_norms() const {
    std::vector<float> norms;
    for (const Layer& l : layers_) norms.push_back(l.dw.norm());
    return norms;
  }

  // Fraction of hidden units whose pre-activation is <= 0 on every column of the last forward
  // (for Maxout: every piece of the unit).
  float never_active() const {
    int dead = 0, total = 0;
    for (const Layer& l : layers_) {
      if (!l.act) continue;
      const int k = l.act->pieces();
      for (int u = 0; u < width; ++u) {
        dead += (l.z.middleRows(u * k, k).array() <= 0.0f).all() ? 1 : 0;
        ++total;
      }
    }
    return static_cast<float>(dead) / static_cast<float>(total);
  }

 private:
  std::vector<Layer> layers_;
};

float accuracy(const Mat& logits, const Eigen::RowVectorXf& y) {
  const Eigen::Array<bool, 1, Eigen::Dynamic> predicted = logits.array() > 0.0f;
  const Eigen::Array<bool, 1, Eigen::Dynamic> truth = y.array() > 0.5f;
  return static_cast<float>((predicted == truth).count()) / static_cast<float>(y.size());
}

struct Result {
  float loss = 0, accuracy = 0;
};

Result train(const Config& c, const Data& data, int epochs, std::FILE* loss_csv, std::FILE* grad_csv) {
  std::mt19937 g(seed);  // the same weights' randomness and batch order for every configuration
  Network net(c, g);
  const Eigen::Index n = data.x.cols();

  net.forward(data.x);
  net.backward(data.x, data.y);
  const std::vector<float> norms = net.gradient_norms();
  std::printf("\n== %s\ngradient norm per layer at the start (layer 1 = input side):\n  ", c.name.c_str());
  for (std::size_t l = 0; l < norms.size(); ++l) {
    std::printf("%s%.2e", l ? " " : "", static_cast<double>(norms[l]));
    std::fprintf(grad_csv, "%s,%zu,%.6g\n", c.name.c_str(), l + 1, static_cast<double>(norms[l]));
  }
  std::printf("\n%6s %10s %9s\n", "epoch", "loss", "accuracy");

  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  Mat xb(2, batch_size);
  Eigen::RowVectorXf yb(batch_size);
  Result r;
  for (int epoch = 0; epoch <= epochs; ++epoch) {
    if (epoch > 0) {
      // Fisher–Yates with the top bits of mt19937 draws (reproducible across libraries).
      for (std::size_t i = order.size() - 1; i > 0; --i) {
        const auto j = static_cast<std::size_t>((static_cast<std::uint64_t>(g()) * (i + 1)) >> 32);
        std::swap(order[i], order[j]);
      }
      for (Eigen::Index start = 0; start + batch_size <= n; start += batch_size) {
        for (int k = 0; k < batch_size; ++k) {
          const Eigen::Index s = order[static_cast<std::size_t>(start + k)];
          xb.col(k) = data.x.col(s);
          yb(k) = data.y(s);
        }
        net.forward(xb);
        net.backward(xb, yb);
        net.step(learning_rate);
      }
    }
    const Mat& logits = net.forward(data.x);
    r.loss = net.backward(data.x, data.y);
    r.accuracy = accuracy(logits, data.y);
    std::fprintf(loss_csv, "%s,%d,%.6g,%.4f\n", c.name.c_str(), epoch, static_cast<double>(r.loss),
                 static_cast<double>(r.accuracy));
    if (epoch % (epochs / 10 > 0 ? epochs / 10 : 1) == 0) {
      std::printf("%6d %10.4f %8.1f%%\n", epoch, static_cast<double>(r.loss), 100.0 * static_cast<double>(r.accuracy));
    }
  }
  net.forward(data.x);
  std::printf("hidden units never active (z <= 0 on every sample): %.1f%%%s\n",
              100.0 * static_cast<double>(net.never_active()), c.relu_like ? "  (dead ReLUs)" : "");
  return r;
}

template <class F>
std::function<std::unique_ptr<Activation>()> elementwise(F f) {
  return [f] { return std::make_unique<Elementwise<F>>(f); };
}

}  // namespace

int main(int argc, char** argv) {
  bool short_mode = false;
  std::string dir = ".";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--short") == 0) {
      short_mode = true;
    } else {
      dir = argv[i];
    }
  }
  const int epochs = short_mode ? 40 : 300;

  std::mt19937 data_rng(seed + 1);
  const Data data = two_spirals(500, data_rng);

  using activ::init::gain;
  const std::vector<Config> all = {
      {"sigmoid+Xavier", elementwise(activ::Sigmoid<float>{}), Init::xavier, gain(activ::Sigmoid<float>{}), 0.0f, false},
      {"tanh+Xavier", elementwise(activ::Tanh<float>{}), Init::xavier, gain(activ::Tanh<float>{}), 0.0f, false},
      {"ReLU+He", elementwise(activ::ReLU<float>{}), Init::he, gain(activ::ReLU<float>{}), 0.0f, true},
      {"ReLU+He bias 0.1", elementwise(activ::ReLU<float>{}), Init::he, gain(activ::ReLU<float>{}), 0.1f, true},
      {"LeakyReLU+He", elementwise(activ::LeakyReLU<float>{}), Init::he, gain(activ::LeakyReLU<float>{}), 0.0f, false},
      {"PReLU+He", [] { return std::make_unique<PReLULayer>(); }, Init::he, gain(activ::LeakyReLU<float>{0.25f}), 0.0f, false},
      {"ELU+He", elementwise(activ::ELU<float>{}), Init::he, gain(activ::ELU<float>{}), 0.0f, false},
      {"Maxout+He", [] { return std::make_unique<MaxoutLayer>(); }, Init::he, 1.0, 0.0f, false},
  };

  const std::string loss_path = dir + "/deep_mlp_loss.csv", grad_path = dir + "/deep_mlp_gradients.csv";
  std::FILE* loss_csv = std::fopen(loss_path.c_str(), "w");
  std::FILE* grad_csv = std::fopen(grad_path.c_str(), "w");
  if (loss_csv == nullptr || grad_csv == nullptr) {
    std::fprintf(stderr, "deep_mlp: cannot write into %s\n", dir.c_str());
    return 1;
  }
  std::fprintf(loss_csv, "config,epoch,loss,accuracy\n");
  std::fprintf(grad_csv, "config,layer,gradient_norm\n");

  std::printf("two spirals, %ld points; MLP 2-%dx%d-1, SGD lr %.2f, batch %d, %d epochs, seed %u\n",
              static_cast<long>(data.x.cols()), hidden_layers, width, static_cast<double>(learning_rate), batch_size,
              epochs, seed);
  std::vector<Result> results;
  for (const Config& c : all) {
    if (short_mode && c.name != "sigmoid+Xavier" && c.name != "ReLU+He") continue;
    results.push_back(train(c, data, epochs, loss_csv, grad_csv));
  }
  std::fclose(loss_csv);
  std::fclose(grad_csv);
  std::printf("\nwrote %s and %s\n", loss_path.c_str(), grad_path.c_str());

  if (short_mode) {
    const bool relu_wins = results[1].loss < results[0].loss;
    std::printf("ReLU+He final loss %.4f %s sigmoid+Xavier %.4f\n", static_cast<double>(results[1].loss),
                relu_wins ? "<" : ">=", static_cast<double>(results[0].loss));
    return relu_wins ? 0 : 1;
  }
  return 0;
}
