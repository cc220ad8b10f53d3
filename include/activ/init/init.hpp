// activ — weight initializers (namespace activ::init): He, Xavier, LeCun, variance scaling,
// fans, gains and init_for. Formulas and sources: initializers.hpp and gain.hpp; the fan
// convention: fans.hpp; the random bits and transforms: detail/bits.hpp, detail/sample.hpp;
// reproducibility: detail/kernels.hpp; the whole story: docs/initializers.md.
#ifndef ACTIV_INIT_INIT_HPP
#define ACTIV_INIT_INIT_HPP

#include "activ/init/fans.hpp"
#include "activ/init/gain.hpp"
#include "activ/init/initializers.hpp"

#endif  // ACTIV_INIT_INIT_HPP
