// The float32 kernels of kernels_f32.h: each call goes to the instruction-set
// variant kernels.cc chose for the float64 kernels (isa.h; the code is
// kernels_f32_impl.inc, compiled once per variant).
#include "kernels_f32.h"

#include "isa.h"

namespace nnk {
namespace f32 {
namespace {

const IsaKernelsF32* const kTables[] = {
    &baseline::tableF32,
#ifdef NNK_HAVE_AVX2
    &avx2::tableF32,
#endif
#ifdef NNK_HAVE_AVX512
    &avx512::tableF32,
#endif
};

const IsaKernelsF32& active() {
  static const IsaKernelsF32& table = *kTables[isaLevel()];
  return table;
}

}  // namespace

const char* isa() { return active().name; }

void gemm(const float* a, const float* b, float* out, int64_t m, int64_t k, int64_t n, bool transA, bool transB) {
  active().gemm(a, b, out, m, k, n, transA, transB);
}

void csrGemm(const int32_t* ptr, const int32_t* idx, const float* val, int64_t m, const float* b, float* out, int64_t n) {
  active().csrGemm(ptr, idx, val, m, b, out, n);
}

void unary(int op, const float* a, float* out, int64_t size, float alpha) { active().unary(op, a, out, size, alpha); }

void binary(int op, int modeA, int modeB, const float* a, const float* b, float* out, int64_t rows, int64_t cols) {
  active().binary(op, modeA, modeB, a, b, out, rows, cols);
}

void sum(const float* a, float* out, int64_t rows, int64_t cols, int axis) { active().sum(a, out, rows, cols, axis); }

void softmax(const float* a, float* out, int64_t rows, int64_t cols) { active().softmax(a, out, rows, cols); }

}  // namespace f32
}  // namespace nnk
