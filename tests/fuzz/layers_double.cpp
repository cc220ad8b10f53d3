// layers.cpp's functions for double, in a translation unit of their own (see there).
#define ACTIV_FUZZ_LAYERS_T double
#include "layers.cpp"  // NOLINT(bugprone-suspicious-include)
