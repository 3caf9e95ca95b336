// The kernels of kernels_impl.inc for the baseline path (flags in binding.gyp).
#define NNK_ISA baseline
#define NNK_ISA_NAME "baseline"
#include "kernels_impl.inc"
