// oneDNN 2.x eltwise forward/backward on float buffers of a fixed length: the baseline that
// bench/accuracy.cpp and the speed benchmarks compare activ against. Built only when
// find_package(dnnl) succeeds (ACTIV_HAVE_DNNL).
#ifndef ACTIV_BENCH_DNNL_ELTWISE_HPP
#define ACTIV_BENCH_DNNL_ELTWISE_HPP

#include <oneapi/dnnl/dnnl.hpp>

namespace activ::bench {

class DnnlEltwise {
 public:
  // n elements; alpha as oneDNN's eltwise alpha (the ELU / leaky slope), beta unused.
  DnnlEltwise(dnnl::algorithm algorithm, dnnl::memory::dim n, float alpha = 0.0f)
      : engine_(dnnl::engine::kind::cpu, 0),
        stream_(engine_),
        md_({n}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::a),
        forward_pd_(dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_training, algorithm, md_, alpha, 0.0f),
                    engine_),
        backward_pd_(dnnl::eltwise_backward::desc(algorithm, md_, md_, alpha, 0.0f), engine_, forward_pd_),
        forward_(forward_pd_),
        backward_(backward_pd_) {}

  // y ← f(x)
  void forward(const float* x, float* y) {
    dnnl::memory src(md_, engine_, const_cast<float*>(x)), dst(md_, engine_, y);
    forward_.execute(stream_, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    stream_.wait();
  }

  // dx ← dy · f'(x)
  void backward(const float* x, const float* dy, float* dx) {
    dnnl::memory src(md_, engine_, const_cast<float*>(x)), diff_dst(md_, engine_, const_cast<float*>(dy)),
        diff_src(md_, engine_, dx);
    backward_.execute(stream_, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diff_dst}, {DNNL_ARG_DIFF_SRC, diff_src}});
    stream_.wait();
  }

 private:
  dnnl::engine engine_;
  dnnl::stream stream_;
  dnnl::memory::desc md_;
  dnnl::eltwise_forward::primitive_desc forward_pd_;
  dnnl::eltwise_backward::primitive_desc backward_pd_;
  dnnl::eltwise_forward forward_;
  dnnl::eltwise_backward backward_;
};

}  // namespace activ::bench

#endif  // ACTIV_BENCH_DNNL_ELTWISE_HPP
