// activ — neural-network activation functions for Eigen, vectorized with xsimd.
// The umbrella header: every public name of activ.
#ifndef ACTIV_ACTIV_HPP
#define ACTIV_ACTIV_HPP

#include "activ/config.hpp"
#include "activ/activations/elu.hpp"
#include "activ/activations/leaky_relu.hpp"
#include "activ/activations/maxout.hpp"
#include "activ/activations/prelu.hpp"
#include "activ/activations/relu.hpp"
#include "activ/activations/sigmoid.hpp"
#include "activ/activations/tanh.hpp"
#include "activ/core/functions.hpp"
#include "activ/init/init.hpp"

#endif  // ACTIV_ACTIV_HPP
