// tensor.cpp's functions for double, in a translation unit of their own (see there).
#define ACTIV_FUZZ_TENSOR_T double
#include "tensor.cpp"  // NOLINT(bugprone-suspicious-include)
