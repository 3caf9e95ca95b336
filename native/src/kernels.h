// The float64 kernels behind lib/array/kernels.ts, in C++ so the compiler
// vectorises the row updates (AVX2/FMA on x86-64) and both cores share the
// work. Every kernel skips the zeros of its left operand: MNIST is ~84 % zeros.
#pragma once
#include <cstdint>
#include <functional>

namespace nnk {

// out (m, n) = op(a) · op(b); a is (m, k) or, with transA, stored (k, m);
// b is (k, n) or, with transB, stored (n, k). out is overwritten.
void gemm(const double* a, const double* b, double* out, int64_t m, int64_t k, int64_t n, bool transA, bool transB);

// Compressed sparse rows of a dense (m, k) matrix: ptr has m + 1 entries.
int64_t csrCount(const double* a, int64_t m, int64_t k, int32_t* ptr);
void csrFill(const double* a, int64_t m, int64_t k, const int32_t* ptr, int32_t* idx, double* val);

// out (m, n) = A · b with A (m, k) in CSR.
void csrGemm(const int32_t* ptr, const int32_t* idx, const double* val, int64_t m, const double* b, double* out, int64_t n);
// out (k, n) = Aᵀ · b with A (m, k) in CSR and b (m, n).
void csrGemmT(const int32_t* ptr, const int32_t* idx, const double* val, int64_t m, int64_t k, const double* b, double* out, int64_t n);

// out[i] = f(a[i]) for op 0 tanh, 1 exp, 2 log. out may be a.
void unary(int op, const double* a, double* out, int64_t size);

// out (rows, cols) = a op b, b broadcast: 0 same shape, 1 a (1, cols) row,
// 2 a (rows, 1) column, 3 a scalar b[0]. op: 0 +, 1 -, 2 *, 3 /, 4 a·(1 − b²)
// (the tanh derivative of backpropagation, b = tanh(z)). out may be a.
void binary(int op, int mode, const double* a, const double* b, double* out, int64_t rows, int64_t cols);

// Threads used for large products (default: the cores, at most 8).
void setThreads(int threads);
int threads();

// Runs job(t) for t in [0, parts) on the pool (t = 0 on the caller), so
// other kernel files (kernels_f32.cc) share the threads and their count.
void runParallel(int parts, const std::function<void(int)>& job);

}  // namespace nnk
