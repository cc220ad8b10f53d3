// The error hook without exceptions (SPEC §7, issue 6). Compiled with -fno-exceptions, twice:
//
//  - test_throw_hook_custom defines ACTIV_THROW before including activ. The hook checks that
//    every output of the failing call is still untouched, reports that and the message through
//    a pipe, and ends the process: each case runs in a child process (fork), so the hook never
//    has to return or unwind (longjmp over C++ frames would skip destructors).
//  - test_throw_hook_default (ACTIV_TEST_DEFAULT_HOOK) keeps activ's own fallback, which prints
//    the message to stderr and calls std::abort: the parent checks the signal and the text.
//
// The expected messages are the exact strings tests/core/bad_input.cpp expects from the
// exception build: the hook receives the same message the exception would carry.
// A plain main(): Catch2 needs exceptions.
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "tests/core/throw_hook.cpp is meant to be compiled with -fno-exceptions"
#endif

#ifndef ACTIV_TEST_DEFAULT_HOOK
namespace hook {
[[noreturn]] void fired(const std::string& message);
}
#define ACTIV_THROW(message) ::hook::fired(message)
#endif

#include <Eigen/Core>
#include <activ/activ.hpp>
#include <activ/init/init.hpp>
#include <random>
#include <unsupported/Eigen/CXX11/Tensor>

namespace {

[[maybe_unused]] constexpr int hook_exit = 42;  // the custom hook ended the child
constexpr int returned_exit = 43;  // the bad call returned: no error was reported

int report_fd = -1;                         // the child's end of the pipe
std::function<bool()> outputs_untouched;    // set by each case before its bad call

}  // namespace

#ifndef ACTIV_TEST_DEFAULT_HOOK
namespace {
void write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t k = ::write(fd, s.data() + done, s.size() - done);
    if (k <= 0) return;
    done += static_cast<std::size_t>(k);
  }
}
}  // namespace

namespace hook {
void fired(const std::string& message) {
  const bool untouched = outputs_untouched ? outputs_untouched() : true;
  write_all(report_fd, std::string(untouched ? "untouched|" : "WRITTEN|") + message);
  ::_exit(hook_exit);
}
}  // namespace hook
#endif

namespace {

struct Case {
  std::string name;
  std::string message;  // the exact expected message; empty for a call that must succeed
  std::function<void()> body;
};

template <class T>
bool all_equal(const T* p, std::size_t n, T v) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!(p[i] == v)) return false;
  }
  return true;
}

std::vector<Case> cases() {
  std::vector<Case> c;
  c.push_back({"dense forward, swapped shape", "activ::forward: y has shape [4 x 3], expected [3 x 4] (the shape of x)",
               [] {
                 const Eigen::MatrixXf x = Eigen::MatrixXf::Ones(3, 4);
                 Eigen::MatrixXf y = Eigen::MatrixXf::Constant(4, 3, 7.0f);
                 outputs_untouched = [&] { return all_equal(y.data(), 12, 7.0f); };
                 activ::forward(activ::Sigmoid<float>{}, x, y);
               }});
  c.push_back({"dense backward, dy of another shape",
               "activ::backward: dy has shape [3 x 5], expected [3 x 4] (the shape of x)", [] {
                 const Eigen::MatrixXd x = Eigen::MatrixXd::Ones(3, 4), dy = Eigen::MatrixXd::Ones(3, 5);
                 Eigen::MatrixXd dx = Eigen::MatrixXd::Constant(3, 4, 7.0);
                 outputs_untouched = [&] { return all_equal(dx.data(), 12, 7.0); };
                 activ::backward(activ::ELU<double>{}, x, dy, dx);
               }});
  c.push_back({"dense backward_from_output into a block",
               "activ::backward_from_output: dx has shape [2 x 2], expected [3 x 4] (the shape of y)", [] {
                 const Eigen::MatrixXf y = Eigen::MatrixXf::Ones(3, 4);
                 Eigen::MatrixXf dx = Eigen::MatrixXf::Constant(3, 4, 7.0f);
                 outputs_untouched = [&] { return all_equal(dx.data(), 12, 7.0f); };
                 activ::backward_from_output(activ::Tanh<float>{}, y, y, dx.block(0, 0, 2, 2));
               }});
  c.push_back({"tensor derivative, other dimensions",
               "activ::derivative: d has shape [2 x 4 x 3], expected [2 x 3 x 4] (the shape of x)", [] {
                 Eigen::Tensor<float, 3> x(2, 3, 4), d(2, 4, 3);
                 x.setConstant(1.0f);
                 d.setConstant(7.0f);
                 outputs_untouched = [&] { return all_equal(d.data(), 24, 7.0f); };
                 activ::derivative(activ::ReLU<float>{}, x, d);
               }});
  c.push_back({"raw forward, negative count", "activ::forward: element count must be >= 0, got -3", [] {
                 std::vector<float> x(4, 1.0f), y(4, 7.0f);
                 outputs_untouched = [&] { return all_equal(y.data(), 4, 7.0f); };
                 activ::forward(activ::LeakyReLU<float>{}, x.data(), y.data(), -3);
               }});
  c.push_back({"raw backward, null dx", "activ::backward: null pointer for 4 elements", [] {
                 std::vector<double> x(4, 1.0), dy(4, 1.0);
                 outputs_untouched = [] { return true; };
                 activ::backward(activ::Sigmoid<double>{}, x.data(), dy.data(), static_cast<double*>(nullptr), 4);
               }});
  c.push_back({"PReLU axis out of range", "activ::forward: axis 2 is out of range for x of shape [4 x 6], expected 0 … 1",
               [] {
                 const Eigen::MatrixXf x = Eigen::MatrixXf::Ones(4, 6);
                 Eigen::MatrixXf y = Eigen::MatrixXf::Constant(4, 6, 7.0f);
                 outputs_untouched = [&] { return all_equal(y.data(), 24, 7.0f); };
                 activ::forward(activ::PReLU<float>(6, 2), x, y);
               }});
  c.push_back({"PReLU constructor, negative axis", "activ::PReLU: axis must be >= 0, got -1", [] {
                 outputs_untouched = [] { return true; };
                 activ::PReLU<double> p(3, -1);
               }});
  c.push_back({"Maxout axis not divisible by pieces",
               "activ::forward: x has 6 elements along axis 1 (shape [4 x 6]), expected a multiple of pieces = 4", [] {
                 const Eigen::MatrixXd x = Eigen::MatrixXd::Ones(4, 6);
                 Eigen::MatrixXd y = Eigen::MatrixXd::Constant(4, 2, 7.0);
                 outputs_untouched = [&] { return all_equal(y.data(), 8, 7.0); };
                 activ::forward(activ::Maxout<double>(4, 1), x, y);
               }});
  c.push_back({"Maxout argmax out of range",
               "activ::backward_from_argmax: argmax holds 5 at (0, 0), expected a piece index 0 … 1", [] {
                 const Eigen::Matrix<Eigen::Index, Eigen::Dynamic, Eigen::Dynamic> a =
                     Eigen::Matrix<Eigen::Index, Eigen::Dynamic, Eigen::Dynamic>::Constant(4, 3, 5);
                 const Eigen::MatrixXf dy = Eigen::MatrixXf::Ones(4, 3);
                 Eigen::MatrixXf dx = Eigen::MatrixXf::Constant(4, 6, 7.0f);
                 outputs_untouched = [&] { return all_equal(dx.data(), 24, 7.0f); };
                 activ::backward_from_argmax(activ::Maxout<float>(2, 1), a, dy, dx);
               }});
  c.push_back({"initializer, non-finite gain", "activ::init::he_uniform: gain = nan, expected a finite value > 0", [] {
                 std::mt19937 g(1);
                 Eigen::MatrixXf w = Eigen::MatrixXf::Constant(4, 6, 7.0f);
                 outputs_untouched = [&] { return all_equal(w.data(), 24, 7.0f); };
                 activ::init::he_uniform(w, g, activ::init::FanMode::in, std::numeric_limits<double>::quiet_NaN());
               }});
  c.push_back({"a valid call does not fire the hook", "", [] {
                 const Eigen::MatrixXf x = Eigen::MatrixXf::Zero(3, 4);
                 Eigen::MatrixXf y(3, 4);
                 activ::forward(activ::Sigmoid<float>{}, x, y);
                 if (!all_equal(y.data(), 12, 0.5f)) ::_exit(1);
               }});
  return c;
}

// Runs one case in a child process; returns an empty string on success, else what went wrong.
std::string run(const Case& k) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe() failed";
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return "fork() failed";
  if (pid == 0) {
    ::close(fds[0]);
    report_fd = fds[1];
#ifdef ACTIV_TEST_DEFAULT_HOOK
    ::dup2(fds[1], STDERR_FILENO);  // the fallback prints the message to stderr
#endif
    k.body();
    ::_exit(k.message.empty() ? 0 : returned_exit);
  }
  ::close(fds[1]);
  std::string got;
  char chunk[512];
  for (ssize_t n; (n = ::read(fds[0], chunk, sizeof chunk)) > 0;) got.append(chunk, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);

  if (k.message.empty()) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
    return "a valid call did not complete normally (status " + std::to_string(status) + "): " + got;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == returned_exit) return "the bad call returned; no error reported";
#ifdef ACTIV_TEST_DEFAULT_HOOK
  if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT) {
    return "expected the process to abort (SIGABRT), status " + std::to_string(status);
  }
  if (got.find(k.message) == std::string::npos) return "stderr does not hold the message; it holds: " + got;
#else
  if (!WIFEXITED(status) || WEXITSTATUS(status) != hook_exit) {
    return "expected the hook to end the process, status " + std::to_string(status);
  }
  if (got != "untouched|" + k.message) return "the hook reported: \"" + got + "\"";
#endif
  return "";
}

}  // namespace

int main() {
  int failures = 0;
  for (const Case& k : cases()) {
    const std::string problem = run(k);
    std::printf("%s %s%s%s\n", problem.empty() ? "ok  " : "FAIL", k.name.c_str(), problem.empty() ? "" : ": ",
                problem.c_str());
    failures += !problem.empty();
  }
  std::printf("%d of %zu cases failed (%s hook)\n", failures, cases().size(),
#ifdef ACTIV_TEST_DEFAULT_HOOK
              "activ's default"
#else
              "a custom ACTIV_THROW"
#endif
  );
  return failures == 0 ? 0 : 1;
}
