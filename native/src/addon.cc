// N-API bindings of kernels.h. Arguments are checked here (types, lengths)
// so a wrong call from JavaScript throws a TypeError instead of reading
// out of bounds.
#include <node_api.h>

#include <cstdint>
#include <new>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string>
#include <vector>

#include "kernels.h"
#include "kernels_f32.h"

namespace {

struct Fail {
  std::string message;
};

void check(napi_env env, napi_status status) {
  if (status != napi_ok) throw Fail{"N-API call failed"};
}

// The data of a typed array of type `want` with at least minLength elements;
// its length goes to *lengthOut when asked.
template <class T>
T* typed(napi_env env, napi_value v, napi_typedarray_type want, const char* name, int64_t minLength, int64_t* lengthOut = nullptr) {
  bool is = false;
  check(env, napi_is_typedarray(env, v, &is));
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (is) check(env, napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr));
  const char* wantName = want == napi_float64_array ? "Float64Array" : want == napi_float32_array ? "Float32Array" : want == napi_int32_array ? "Int32Array" : want == napi_uint16_array ? "Uint16Array" : "Uint8Array";
  if (!is || type != want) throw Fail{std::string(name) + " must be a " + wantName};
  if (static_cast<int64_t>(length) < minLength)
    throw Fail{std::string(name) + " has " + std::to_string(length) + " elements, needs " + std::to_string(minLength)};
  if (lengthOut) *lengthOut = static_cast<int64_t>(length);
  return static_cast<T*>(data);
}

int64_t integer(napi_env env, napi_value v, const char* name) {
  int64_t out = 0;
  if (napi_get_value_int64(env, v, &out) != napi_ok || out < 0) throw Fail{std::string(name) + " must be a non-negative integer"};
  return out;
}

bool boolean(napi_env env, napi_value v) {
  bool out = false;
  check(env, napi_get_value_bool(env, v, &out));
  return out;
}

template <size_t N>
void args(napi_env env, napi_callback_info info, napi_value (&argv)[N]) {
  size_t argc = N;
  check(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc < N) throw Fail{"expected " + std::to_string(N) + " arguments, got " + std::to_string(argc)};
}

// Runs body, turning a Fail into a JavaScript TypeError.
template <class F>
napi_value guarded(napi_env env, F body) {
  try {
    return body();
  } catch (const Fail& f) {
    napi_throw_type_error(env, nullptr, ("nn_kernels: " + f.message).c_str());
    return nullptr;
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, nullptr, "nn_kernels: out of memory");
    return nullptr;
  }
}

napi_value number(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}

// gemm(a, b, out, m, k, n, transA, transB)
napi_value Gemm(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[8];
    args(env, info, v);
    const int64_t m = integer(env, v[3], "m"), k = integer(env, v[4], "k"), n = integer(env, v[5], "n");
    const double* a = typed<double>(env, v[0], napi_float64_array, "a", m * k);
    const double* b = typed<double>(env, v[1], napi_float64_array, "b", k * n);
    double* out = typed<double>(env, v[2], napi_float64_array, "out", m * n);
    nnk::gemm(a, b, out, m, k, n, boolean(env, v[6]), boolean(env, v[7]));
    return number(env, 0);
  });
}

// csrCount(a, m, k, ptr) -> nnz
napi_value CsrCount(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[4];
    args(env, info, v);
    const int64_t m = integer(env, v[1], "m"), k = integer(env, v[2], "k");
    if (m * k >= INT32_MAX) throw Fail{"matrix too large for 32-bit sparse indices"};
    const double* a = typed<double>(env, v[0], napi_float64_array, "a", m * k);
    int32_t* ptr = typed<int32_t>(env, v[3], napi_int32_array, "ptr", m + 1);
    return number(env, static_cast<double>(nnk::csrCount(a, m, k, ptr)));
  });
}

// csrFill(a, m, k, ptr, idx, val)
napi_value CsrFill(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[6];
    args(env, info, v);
    const int64_t m = integer(env, v[1], "m"), k = integer(env, v[2], "k");
    const double* a = typed<double>(env, v[0], napi_float64_array, "a", m * k);
    const int32_t* ptr = typed<int32_t>(env, v[3], napi_int32_array, "ptr", m + 1);
    int32_t* idx = typed<int32_t>(env, v[4], napi_int32_array, "idx", ptr[m]);
    double* val = typed<double>(env, v[5], napi_float64_array, "val", ptr[m]);
    nnk::csrFill(a, m, k, ptr, idx, val);
    return number(env, 0);
  });
}

// csrGemm(ptr, idx, val, m, k, b, out, n, trans): out = A·b, or Aᵀ·b with trans.
napi_value CsrGemm(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[9];
    args(env, info, v);
    const int64_t m = integer(env, v[3], "m"), k = integer(env, v[4], "k"), n = integer(env, v[7], "n");
    const bool trans = boolean(env, v[8]);
    const int32_t* ptr = typed<int32_t>(env, v[0], napi_int32_array, "ptr", m + 1);
    const int32_t* idx = typed<int32_t>(env, v[1], napi_int32_array, "idx", ptr[m]);
    const double* val = typed<double>(env, v[2], napi_float64_array, "val", ptr[m]);
    const double* b = typed<double>(env, v[5], napi_float64_array, "b", (trans ? m : k) * n);
    double* out = typed<double>(env, v[6], napi_float64_array, "out", (trans ? k : m) * n);
    if (trans) nnk::csrGemmT(ptr, idx, val, m, k, b, out, n);
    else nnk::csrGemm(ptr, idx, val, m, b, out, n);
    return number(env, 0);
  });
}

// unary(op, a, out), see kernels.h
napi_value Unary(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[3];
    args(env, info, v);
    const int64_t op = integer(env, v[0], "op");
    if (op > 2) throw Fail{"op must be 0 to 2"};
    int64_t length = 0;
    const double* a = typed<double>(env, v[1], napi_float64_array, "a", 0, &length);
    double* out = typed<double>(env, v[2], napi_float64_array, "out", length);
    nnk::unary(static_cast<int>(op), a, out, length);
    return number(env, 0);
  });
}

// binary(op, mode, a, b, out, rows, cols), see kernels.h
napi_value Binary(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[7];
    args(env, info, v);
    const int64_t op = integer(env, v[0], "op"), mode = integer(env, v[1], "mode");
    const int64_t rows = integer(env, v[5], "rows"), cols = integer(env, v[6], "cols");
    if (op > 4 || mode > 3) throw Fail{"op must be 0 to 4 and mode 0 to 3"};  // integer() rejects negatives
    const int64_t bSize = mode == 0 ? rows * cols : mode == 1 ? cols : mode == 2 ? rows : 1;
    const double* a = typed<double>(env, v[2], napi_float64_array, "a", rows * cols);
    const double* b = typed<double>(env, v[3], napi_float64_array, "b", bSize);
    double* out = typed<double>(env, v[4], napi_float64_array, "out", rows * cols);
    nnk::binary(static_cast<int>(op), static_cast<int>(mode), a, b, out, rows, cols);
    return number(env, 0);
  });
}

// threads([count]) -> the thread count in use
napi_value Threads(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    size_t argc = 1;
    napi_value v[1];
    check(env, napi_get_cb_info(env, info, &argc, v, nullptr, nullptr));
    napi_valuetype t = napi_undefined;
    if (argc >= 1) check(env, napi_typeof(env, v[0], &t));
    if (t != napi_undefined) nnk::setThreads(static_cast<int>(integer(env, v[0], "threads")));
    return number(env, nnk::threads());
  });
}

// ---- Instruction-set variants and the byte form of sparse inputs (kernels.h) ----

napi_value string(napi_env env, const std::string& s) {
  napi_value out;
  check(env, napi_create_string_utf8(env, s.c_str(), s.size(), &out));
  return out;
}

// isa() -> the variant in use; isas() -> those this CPU supports, lowest first.
napi_value Isa(napi_env env, napi_callback_info) {
  return guarded(env, [&] { return string(env, nnk::isa()); });
}

napi_value Isas(napi_env env, napi_callback_info) {
  return guarded(env, [&] {
    const std::vector<std::string> names = nnk::supportedIsas();
    napi_value out;
    check(env, napi_create_array_with_length(env, names.size(), &out));
    for (size_t i = 0; i < names.size(); i++) check(env, napi_set_element(env, out, static_cast<uint32_t>(i), string(env, names[i])));
    return out;
  });
}

double positive(napi_env env, napi_value v, const char* name) {
  double out = 0;
  if (napi_get_value_double(env, v, &out) != napi_ok || !(out > 0)) throw Fail{std::string(name) + " must be a positive number"};
  return out;
}

// csrFillU8(a, m, k, ptr, idx: Uint16Array, val: Uint8Array, divisor) -> whether every value is k/divisor
napi_value CsrFillU8(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[7];
    args(env, info, v);
    const int64_t m = integer(env, v[1], "m"), k = integer(env, v[2], "k");
    if (k > 65536) throw Fail{"k must be at most 65536 for 16-bit column indices"};
    const double* a = typed<double>(env, v[0], napi_float64_array, "a", m * k);
    const int32_t* ptr = typed<int32_t>(env, v[3], napi_int32_array, "ptr", m + 1);
    uint16_t* idx = typed<uint16_t>(env, v[4], napi_uint16_array, "idx", ptr[m]);
    uint8_t* val = typed<uint8_t>(env, v[5], napi_uint8_array, "val", ptr[m]);
    napi_value out;
    check(env, napi_get_boolean(env, nnk::csrFillU8(a, m, k, ptr, idx, val, positive(env, v[6], "divisor")), &out));
    return out;
  });
}

// csrGemmU8(ptr, idx, val, divisor, m, k, b, out, n, trans): out = A·b, or Aᵀ·b with trans, A's values val/divisor.
napi_value CsrGemmU8(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[10];
    args(env, info, v);
    const int64_t m = integer(env, v[4], "m"), k = integer(env, v[5], "k"), n = integer(env, v[8], "n");
    if (k > 65536) throw Fail{"k must be at most 65536 for 16-bit column indices"};
    const bool trans = boolean(env, v[9]);
    const int32_t* ptr = typed<int32_t>(env, v[0], napi_int32_array, "ptr", m + 1);
    const uint16_t* idx = typed<uint16_t>(env, v[1], napi_uint16_array, "idx", ptr[m]);
    const uint8_t* val = typed<uint8_t>(env, v[2], napi_uint8_array, "val", ptr[m]);
    const double divisor = positive(env, v[3], "divisor");
    const double* b = typed<double>(env, v[6], napi_float64_array, "b", (trans ? m : k) * n);
    double* out = typed<double>(env, v[7], napi_float64_array, "out", (trans ? k : m) * n);
    if (trans) nnk::csrGemmU8T(ptr, idx, val, divisor, m, k, b, out, n);
    else nnk::csrGemmU8(ptr, idx, val, divisor, m, b, out, n);
    return number(env, 0);
  });
}

// float32 kernels of the TensorFlow.js backend (kernels_f32.h).

// isaF32(): the instruction-set variant of the float32 kernels
napi_value IsaF32(napi_env env, napi_callback_info) {
  return guarded(env, [&] { return string(env, nnk::f32::isa()); });
}

// gemmF32(a, b, out, m, k, n, transA, transB)
napi_value GemmF32(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[8];
    args(env, info, v);
    const int64_t m = integer(env, v[3], "m"), k = integer(env, v[4], "k"), n = integer(env, v[5], "n");
    const float* a = typed<float>(env, v[0], napi_float32_array, "a", m * k);
    const float* b = typed<float>(env, v[1], napi_float32_array, "b", k * n);
    float* out = typed<float>(env, v[2], napi_float32_array, "out", m * n);
    nnk::f32::gemm(a, b, out, m, k, n, boolean(env, v[6]), boolean(env, v[7]));
    return number(env, 0);
  });
}

// csrGemmF32(ptr, idx, val, m, k, b, out, n): out = A·b, A (m, k) in CSR
napi_value CsrGemmF32(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[8];
    args(env, info, v);
    const int64_t m = integer(env, v[3], "m"), k = integer(env, v[4], "k"), n = integer(env, v[7], "n");
    const int32_t* ptr = typed<int32_t>(env, v[0], napi_int32_array, "ptr", m + 1);
    if (ptr[0] != 0) throw Fail{"ptr[0] must be 0"};
    for (int64_t i = 0; i < m; i++)
      if (ptr[i + 1] < ptr[i]) throw Fail{"ptr must not decrease"};
    const int32_t* idx = typed<int32_t>(env, v[1], napi_int32_array, "idx", ptr[m]);
    for (int64_t q = 0; q < ptr[m]; q++)
      if (idx[q] < 0 || idx[q] >= k) throw Fail{"idx holds a column outside [0, k)"};
    const float* val = typed<float>(env, v[2], napi_float32_array, "val", ptr[m]);
    const float* b = typed<float>(env, v[5], napi_float32_array, "b", k * n);
    float* out = typed<float>(env, v[6], napi_float32_array, "out", m * n);
    nnk::f32::csrGemm(ptr, idx, val, m, b, out, n);
    return number(env, 0);
  });
}

// unaryF32(op, a, out, alpha), see kernels_f32.h
napi_value UnaryF32(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[4];
    args(env, info, v);
    const int64_t op = integer(env, v[0], "op");
    if (op >= nnk::f32::kUnaryCount) throw Fail{"op must be 0 to " + std::to_string(nnk::f32::kUnaryCount - 1)};
    int64_t length = 0;
    const float* a = typed<float>(env, v[1], napi_float32_array, "a", 0, &length);
    float* out = typed<float>(env, v[2], napi_float32_array, "out", length);
    double alpha = 0;
    check(env, napi_get_value_double(env, v[3], &alpha));
    nnk::f32::unary(static_cast<int>(op), a, out, length, static_cast<float>(alpha));
    return number(env, 0);
  });
}

// The elements a broadcast mode (kernels_f32.h) reads.
int64_t modeSize(int64_t mode, int64_t rows, int64_t cols) {
  return mode == 0 ? rows * cols : mode == 1 ? cols : mode == 2 ? rows : 1;
}

// binaryF32(op, modeA, modeB, a, b, out, rows, cols), see kernels_f32.h
napi_value BinaryF32(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[8];
    args(env, info, v);
    const int64_t op = integer(env, v[0], "op"), modeA = integer(env, v[1], "modeA"), modeB = integer(env, v[2], "modeB");
    const int64_t rows = integer(env, v[6], "rows"), cols = integer(env, v[7], "cols");
    if (op >= nnk::f32::kBinaryCount || modeA > 3 || modeB > 3) throw Fail{"op must be 0 to 3 and modes 0 to 3"};
    const int64_t size = rows * cols;
    const float* a = typed<float>(env, v[3], napi_float32_array, "a", size ? modeSize(modeA, rows, cols) : 0);
    const float* b = typed<float>(env, v[4], napi_float32_array, "b", size ? modeSize(modeB, rows, cols) : 0);
    float* out = typed<float>(env, v[5], napi_float32_array, "out", size);
    if (size) nnk::f32::binary(static_cast<int>(op), static_cast<int>(modeA), static_cast<int>(modeB), a, b, out, rows, cols);
    return number(env, 0);
  });
}

// sumF32(a, out, rows, cols, axis): axis 1 row sums, 0 column sums
napi_value SumF32(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[5];
    args(env, info, v);
    const int64_t rows = integer(env, v[2], "rows"), cols = integer(env, v[3], "cols"), axis = integer(env, v[4], "axis");
    if (axis > 1) throw Fail{"axis must be 0 or 1"};
    const float* a = typed<float>(env, v[0], napi_float32_array, "a", rows * cols);
    float* out = typed<float>(env, v[1], napi_float32_array, "out", axis == 1 ? rows : cols);
    nnk::f32::sum(a, out, rows, cols, static_cast<int>(axis));
    return number(env, 0);
  });
}

// softmaxF32(a, out, rows, cols): along each row
napi_value SoftmaxF32(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[4];
    args(env, info, v);
    const int64_t rows = integer(env, v[2], "rows"), cols = integer(env, v[3], "cols");
    const float* a = typed<float>(env, v[0], napi_float32_array, "a", rows * cols);
    float* out = typed<float>(env, v[1], napi_float32_array, "out", rows * cols);
    nnk::f32::softmax(a, out, rows, cols);
    return number(env, 0);
  });
}

// A training pass allocates the same large arrays every time (15 MB for Z1 on
// the full set). By default glibc maps each one fresh and unmaps it when V8
// frees it, or trims the heap's top: one page fault per 4 KB at the next
// pass, which in a virtual machine costs more than the operation writing the
// values (40 passes of the two-layer net, full set: 320 000 faults instead of
// 115 000, 30 % slower). Kept in the heap, the pages are reused.
void keepLargeBlocks() {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's maximum: larger arrays (the data) are mapped once
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
#endif
}

napi_value Init(napi_env env, napi_value exports) {
  keepLargeBlocks();
  const napi_property_descriptor props[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"csrCount", nullptr, CsrCount, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"csrFill", nullptr, CsrFill, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"csrGemm", nullptr, CsrGemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"threads", nullptr, Threads, nullptr, nullptr, nullptr, napi_default, nullptr},
      // instruction-set variants, byte-form sparse inputs
      {"isa", nullptr, Isa, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"isas", nullptr, Isas, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"csrFillU8", nullptr, CsrFillU8, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"csrGemmU8", nullptr, CsrGemmU8, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  const napi_property_descriptor propsF32[] = {
      {"isaF32", nullptr, IsaF32, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemmF32", nullptr, GemmF32, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"csrGemmF32", nullptr, CsrGemmF32, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unaryF32", nullptr, UnaryF32, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binaryF32", nullptr, BinaryF32, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumF32", nullptr, SumF32, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxF32", nullptr, SoftmaxF32, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(propsF32) / sizeof(propsF32[0]), propsF32);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
