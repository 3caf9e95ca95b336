// The kernels of kernels_impl.inc and kernels_f32_impl.inc for the avx2 path (flags in binding.gyp).
#define NNK_ISA avx2
#define NNK_ISA_NAME "avx2"
#include "kernels_impl.inc"
#include "kernels_f32_impl.inc"
