// The kernels of kernels_impl.inc and kernels_f32_impl.inc for the avx512 path (flags in binding.gyp).
#define NNK_ISA avx512
#define NNK_ISA_NAME "avx512"
#include "kernels_impl.inc"
#include "kernels_f32_impl.inc"
