// float32 kernels behind the TensorFlow.js backend `native` (lib/autograd/
// native-backend.ts): tfjs tensors are float32, parts 1–2's kernels float64.
// Products skip the zeros of their left operand, like kernels.h's (MNIST
// pixels are ~84 % zeros); the transcendental functions are polynomial
// approximations written so the compiler vectorises them (no libmvec).
// Each exists per instruction-set variant (isa.h), the float64 kernels' one.
#pragma once
#include <cstdint>

namespace nnk {
namespace f32 {

// out (m, n) = op(a) · op(b); a is (m, k) or, with transA, stored (k, m);
// b is (k, n) or, with transB, stored (n, k). out is overwritten.
void gemm(const float* a, const float* b, float* out, int64_t m, int64_t k, int64_t n, bool transA, bool transB);

// out (m, n) = A · b with A (m, k) in compressed sparse rows (ptr has m + 1
// entries; idx, val the column and value of each non-zero, idx < k).
void csrGemm(const int32_t* ptr, const int32_t* idx, const float* val, int64_t m, const float* b, float* out, int64_t n);

// out[i] = f(a[i]). out may be a. alpha is Step's value for x ≤ 0.
enum Unary { kTanh = 0, kExp, kLog, kRelu, kNeg, kSquare, kStep, kSigmoid, kUnaryCount };
void unary(int op, const float* a, float* out, int64_t size, float alpha);

// out (rows, cols) = a op b, each operand laid out by its mode: 0 full
// (rows, cols), 1 a row (1, cols) repeated, 2 a column (rows, 1) repeated,
// 3 a scalar. out may be a full operand.
enum Binary { kAdd = 0, kSub, kMul, kDiv, kBinaryCount };
void binary(int op, int modeA, int modeB, const float* a, const float* b, float* out, int64_t rows, int64_t cols);

// Sums of a (rows, cols) in double: axis 1 gives rows values (one per row),
// axis 0 gives cols values (one per column).
void sum(const float* a, float* out, int64_t rows, int64_t cols, int axis);

// Row-wise softmax of a (rows, cols).
void softmax(const float* a, float* out, int64_t rows, int64_t cols);

// The instruction-set variant these kernels run ("baseline", "avx2", "avx512").
const char* isa();

}  // namespace f32
}  // namespace nnk
