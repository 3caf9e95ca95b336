// One instruction-set variant of the hot kernels: the same sources
// (kernels_impl.inc, float64; kernels_f32_impl.inc, float32) compiled for
// plain x86-64 / arm64 (baseline) and again for AVX2+FMA and AVX-512 on
// x86-64. kernels.cc picks one at load time from the CPU's features and
// NN_WORKBOOK_ISA, the same for both. Signatures as in kernels.h and
// kernels_f32.h.
#pragma once
#include <cstdint>

namespace nnk {

struct IsaKernels {
  const char* name;
  void (*gemm)(const double* a, const double* b, double* out, int64_t m, int64_t k, int64_t n, bool transA, bool transB);
  void (*csrGemm)(const int32_t* ptr, const int32_t* idx, const double* val, int64_t m, const double* b, double* out, int64_t n);
  void (*csrGemmT)(const int32_t* ptr, const int32_t* idx, const double* val, int64_t m, int64_t k, const double* b, double* out, int64_t n);
  void (*csrGemmU8)(const int32_t* ptr, const uint16_t* idx, const uint8_t* val, double divisor, int64_t m, const double* b, double* out, int64_t n);
  void (*csrGemmU8T)(const int32_t* ptr, const uint16_t* idx, const uint8_t* val, double divisor, int64_t m, int64_t k, const double* b, double* out, int64_t n);
  void (*unary)(int op, const double* a, double* out, int64_t size);
  void (*binary)(int op, int mode, const double* a, const double* b, double* out, int64_t rows, int64_t cols);
};

struct IsaKernelsF32 {
  const char* name;
  void (*gemm)(const float* a, const float* b, float* out, int64_t m, int64_t k, int64_t n, bool transA, bool transB);
  void (*csrGemm)(const int32_t* ptr, const int32_t* idx, const float* val, int64_t m, const float* b, float* out, int64_t n);
  void (*unary)(int op, const float* a, float* out, int64_t size, float alpha);
  void (*binary)(int op, int modeA, int modeB, const float* a, const float* b, float* out, int64_t rows, int64_t cols);
  void (*sum)(const float* a, float* out, int64_t rows, int64_t cols, int axis);
  void (*softmax)(const float* a, float* out, int64_t rows, int64_t cols);
};

namespace baseline { extern const IsaKernels table; extern const IsaKernelsF32 tableF32; }
#ifdef NNK_HAVE_AVX2
namespace avx2 { extern const IsaKernels table; extern const IsaKernelsF32 tableF32; }
#endif
#ifdef NNK_HAVE_AVX512
namespace avx512 { extern const IsaKernels table; extern const IsaKernelsF32 tableF32; }
#endif

// The variant in use: an index into isaNames() (kernels.h), 0 for baseline.
int isaLevel();

}  // namespace nnk
