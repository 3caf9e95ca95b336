// The float64 kernels behind lib/array/kernels.ts, in C++ so the compiler
// vectorises the row updates and both cores share the work. Every kernel
// skips the zeros of its left operand: MNIST is ~84 % zeros. The hot ones
// exist in several instruction-set variants (isa.h), one chosen at load.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

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

// The byte form of a CSR whose values are integers 1..255 / divisor (MNIST
// pixels k/255), column indices < 65 536: 3 bytes per non-zero instead of
// 12. csrFillU8 returns false (idx, val partly written) when a value is not
// such a quotient bit for bit. The products sum k·b and divide once per
// output value.
bool csrFillU8(const double* a, int64_t m, int64_t k, const int32_t* ptr, uint16_t* idx, uint8_t* val, double divisor);
void csrGemmU8(const int32_t* ptr, const uint16_t* idx, const uint8_t* val, double divisor, int64_t m, const double* b, double* out, int64_t n);
void csrGemmU8T(const int32_t* ptr, const uint16_t* idx, const uint8_t* val, double divisor, int64_t m, int64_t k, const double* b, double* out,
                int64_t n);

// out[i] = f(a[i]) for op 0 tanh, 1 exp, 2 log. out may be a.
void unary(int op, const double* a, double* out, int64_t size);

// out (rows, cols) = a op b, b broadcast: 0 same shape, 1 a (1, cols) row,
// 2 a (rows, 1) column, 3 a scalar b[0]. op: 0 +, 1 -, 2 *, 3 /, 4 a·(1 − b²)
// (the tanh derivative of backpropagation, b = tanh(z)). out may be a.
void binary(int op, int mode, const double* a, const double* b, double* out, int64_t rows, int64_t cols);

// Threads used for large products (default: the cores, at most 8).
void setThreads(int threads);
int threads();

// The instruction-set variants, lowest first ("baseline", "avx2", "avx512"),
// those this CPU runs, and the one in use: the best the CPU supports, capped
// by the environment variable NN_WORKBOOK_ISA (one of the names).
std::vector<std::string> isaNames();
std::vector<std::string> supportedIsas();
std::string isa();

}  // namespace nnk
