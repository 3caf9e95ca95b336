// The kernels of kernels_impl.inc and kernels_f32_impl.inc for the baseline path (flags in binding.gyp).
#define NNK_ISA baseline
#define NNK_ISA_NAME "baseline"
#include "kernels_impl.inc"
#include "kernels_f32_impl.inc"
