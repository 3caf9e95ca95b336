// The kernels of kernels_impl.inc for the avx512 path (flags in binding.gyp).
#define NNK_ISA avx512
#define NNK_ISA_NAME "avx512"
#include "kernels_impl.inc"
