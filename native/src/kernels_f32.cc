#include "kernels_f32.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <type_traits>

// The 32-byte vectors below stay inside this file: their ABI without AVX does not matter.
#pragma GCC diagnostic ignored "-Wpsabi"

#include "kernels.h"   // threads()
#include "parallel.h"  // the shared thread pool

namespace nnk {
namespace f32 {
namespace {

// Below this many multiply-adds a second thread costs more than it saves.
constexpr int64_t kParallelWork = 1 << 18;
// Below this many output columns a row update is too short to vectorise.
constexpr int64_t kNarrow = 8;

// Runs job(t) for t in [0, parts) on the shared pool (t = 0 on the caller).
template <class F>
void runAll(int parts, F&& job) {
  if (parts <= 1) {
    job(0);
    return;
  }
  using Job = std::remove_reference_t<F>;
  runParts(parts, [](void* ctx, int t) { (*static_cast<Job*>(ctx))(t); }, &job);
}

int partsFor(int64_t count, int64_t work) {
  return work < kParallelWork ? 1 : static_cast<int>(std::min<int64_t>(threads(), std::max<int64_t>(count, 1)));
}

// Runs f(begin, end, t) on slices of [0, count), slice 0 on the caller.
template <class F>
void parallel(int64_t count, int64_t work, F f) {
  const int parts = partsFor(count, work);
  if (parts <= 1) {
    f(int64_t{0}, count, 0);
    return;
  }
  runAll(parts, [&](int t) { f(count * t / parts, count * (t + 1) / parts, t); });
}

// out[0:n] += Σ_q vals[q] · b[offs[q] : offs[q] + n], eight terms per pass over out.
inline void accumulate(float* __restrict out, const float* __restrict b, const int64_t* offs, const float* vals, int64_t count, int64_t n) {
  int64_t q = 0;
  for (; q + 8 <= count; q += 8) {
    const float *b0 = b + offs[q], *b1 = b + offs[q + 1], *b2 = b + offs[q + 2], *b3 = b + offs[q + 3];
    const float *b4 = b + offs[q + 4], *b5 = b + offs[q + 5], *b6 = b + offs[q + 6], *b7 = b + offs[q + 7];
    const float v0 = vals[q], v1 = vals[q + 1], v2 = vals[q + 2], v3 = vals[q + 3];
    const float v4 = vals[q + 4], v5 = vals[q + 5], v6 = vals[q + 6], v7 = vals[q + 7];
    for (int64_t j = 0; j < n; j++)
      out[j] += ((v0 * b0[j] + v1 * b1[j]) + (v2 * b2[j] + v3 * b3[j])) + ((v4 * b4[j] + v5 * b5[j]) + (v6 * b6[j] + v7 * b7[j]));
  }
  for (; q + 4 <= count; q += 4) {
    const float *b0 = b + offs[q], *b1 = b + offs[q + 1], *b2 = b + offs[q + 2], *b3 = b + offs[q + 3];
    const float v0 = vals[q], v1 = vals[q + 1], v2 = vals[q + 2], v3 = vals[q + 3];
    for (int64_t j = 0; j < n; j++) out[j] += (v0 * b0[j] + v1 * b1[j]) + (v2 * b2[j] + v3 * b3[j]);
  }
  for (; q < count; q++) {
    const float* b0 = b + offs[q];
    const float v0 = vals[q];
    for (int64_t j = 0; j < n; j++) out[j] += v0 * b0[j];
  }
}

inline void axpy(float* __restrict out, float v, const float* __restrict b, int64_t n) {
  for (int64_t j = 0; j < n; j++) out[j] += v * b[j];
}

inline float dotProduct(const float* __restrict x, const float* __restrict y, int64_t k) {
  float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t p = 0;
  for (; p + 8 <= k; p += 8)
    for (int l = 0; l < 8; l++) s[l] += x[p + l] * y[p + l];
  for (; p < k; p++) s[0] += x[p] * y[p];
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

// The share of non-zeros of a, judged on about 4096 values spread over it:
// reading all of it would cost as much as the product saved.
double density(const float* a, int64_t size) {
  const int64_t step = std::max<int64_t>(1, size / 4096);
  int64_t nz = 0, seen = 0;
  for (int64_t i = 0; i < size; i += step, seen++) nz += a[i] != 0;
  return seen ? static_cast<double>(nz) / static_cast<double>(seen) : 0.0;
}

}  // namespace

void gemm(const float* a, const float* b, float* out, int64_t m, int64_t k, int64_t n, bool transA, bool transB) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    std::memset(out, 0, sizeof(float) * m * n);
    return;
  }
  // Multiply-adds actually done: the zeros of a are skipped (X·W1 does ~16 % of m·k·n).
  const double share = density(a, m * k);
  const int64_t work = m * k + static_cast<int64_t>(share * static_cast<double>(m * k * n));
  if (transA && n < kNarrow && share > 0.5) {
    // Dense aᵀ·b with few columns (A1ᵀ·δ3): outᵀ row j += b[p, j] · a[p, :] is a long axpy.
    std::vector<float> outT(static_cast<size_t>(n * m), 0.0f);
    for (int64_t p = 0; p < k; p++)
      for (int64_t j = 0; j < n; j++) axpy(outT.data() + j * m, transB ? b[j * k + p] : b[p * n + j], a + p * m, m);
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) out[i * n + j] = outT[j * m + i];
    return;
  }
  std::vector<float> bt;
  if (!transA && n < kNarrow && share > 0.5) {
    // Dense a·b with few columns (A1·W2): out[i, j] is the dot of row i of a and column j of b.
    if (!transB) {
      bt.resize(static_cast<size_t>(k * n));
      for (int64_t p = 0; p < k; p++)
        for (int64_t j = 0; j < n; j++) bt[j * k + p] = b[p * n + j];
    }
    const float* cols = transB ? b : bt.data();
    parallel(m, work, [&](int64_t begin, int64_t end, int) {
      for (int64_t i = begin; i < end; i++)
        for (int64_t j = 0; j < n; j++) out[i * n + j] = dotProduct(a + i * k, cols + j * k, k);
    });
    return;
  }
  if (transB) {  // b stored (n, k): copy it as (k, n), small next to a.
    bt.resize(static_cast<size_t>(k * n));
    for (int64_t j = 0; j < n; j++)
      for (int64_t p = 0; p < k; p++) bt[p * n + j] = b[j * k + p];
    b = bt.data();
  }
  if (transA) {
    // a stored (k, m): out[i, :] += a[p, i] · b[p, :] for each non-zero, row p
    // of a at a time; each thread scatters into its own output, summed at the end.
    const int parts = partsFor(k, work);
    std::vector<std::vector<float>> privates(static_cast<size_t>(parts - 1), std::vector<float>(static_cast<size_t>(m * n), 0.0f));
    std::memset(out, 0, sizeof(float) * m * n);
    runAll(parts, [&](int t) {
      float* o = t == 0 ? out : privates[t - 1].data();
      for (int64_t p = k * t / parts; p < k * (t + 1) / parts; p++) {
        const float* ap = a + p * m;
        const float* bp = b + p * n;
        for (int64_t i = 0; i < m; i++)
          if (ap[i] != 0) axpy(o + i * n, ap[i], bp, n);
      }
    });
    for (auto& pr : privates) {
      const float* src = pr.data();
      for (int64_t i = 0; i < m * n; i++) out[i] += src[i];
    }
    return;
  }
  // out row i = Σ over the non-zeros a[i, p] of a[i, p] · b row p.
  parallel(m, work, [&](int64_t begin, int64_t end, int) {
    std::vector<int64_t> offs(static_cast<size_t>(k));
    std::vector<float> vals(static_cast<size_t>(k));
    for (int64_t i = begin; i < end; i++) {
      const float* ai = a + i * k;
      int64_t count = 0;
      for (int64_t p = 0; p < k; p++) {  // branch-free: which pixels are zero is unpredictable
        offs[count] = p * n;
        vals[count] = ai[p];
        count += ai[p] != 0;
      }
      float* oi = out + i * n;
      std::memset(oi, 0, sizeof(float) * n);
      accumulate(oi, b, offs.data(), vals.data(), count, n);
    }
  });
}

void csrGemm(const int32_t* ptr, const int32_t* idx, const float* val, int64_t m, const float* b, float* out, int64_t n) {
  const int64_t work = static_cast<int64_t>(ptr[m]) * n;
  parallel(m, work, [&](int64_t begin, int64_t end, int) {
    std::vector<int64_t> offs;
    for (int64_t i = begin; i < end; i++) {
      const int64_t s = ptr[i], count = ptr[i + 1] - s;
      offs.resize(static_cast<size_t>(count));
      for (int64_t q = 0; q < count; q++) offs[q] = static_cast<int64_t>(idx[s + q]) * n;
      float* oi = out + i * n;
      std::memset(oi, 0, sizeof(float) * n);
      accumulate(oi, b, offs.data(), val + s, count, n);
    }
  });
}

namespace {

// Eight floats as one value (GCC/Clang vector extensions): the compiler turns
// each operation into SIMD instructions of the target (two SSE halves on
// plain x86-64, one AVX op with AVX2, NEON pairs on arm64), branch-free.
typedef float vf __attribute__((vector_size(32)));
typedef int32_t vi __attribute__((vector_size(32)));
constexpr int kLanes = 8;

inline vf splat(float x) { return vf{} + x; }
inline vf load(const float* p) {
  vf v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, vf v) { std::memcpy(p, &v, sizeof v); }
inline vf select(vi mask, vf yes, vf no) { return mask ? yes : no; }
inline vf asFloat(vi v) {
  vf f;
  std::memcpy(&f, &v, sizeof f);
  return f;
}
inline vi asInt(vf v) {
  vi i;
  std::memcpy(&i, &v, sizeof i);
  return i;
}

// e^x to about 1 ulp (Cephes' expf polynomial), subnormal results included:
// 2^n is applied in two halves so that n down to −150 stays representable.
inline vf expV(vf x) {
  const vf hi = splat(88.72283905f), lo = splat(-103.972084f);
  vf xc = select(x < lo, lo, x);
  xc = select(xc > hi, hi, xc);
  const vf t = xc * 1.44269504088896341f + 0.5f;
  vi ni = __builtin_convertvector(t, vi);  // truncates: floor for t < 0 needs one less
  ni = __builtin_convertvector(ni, vf) > t ? ni - 1 : ni;
  const vf n = __builtin_convertvector(ni, vf);
  vf r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  const vf r2 = r * r;
  vf p = splat(1.9875691500E-4f);
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  p = p * r2 + r + 1.0f;
  const vi n1 = ni >> 1, n2 = ni - n1;
  vf y = p * asFloat(((n1 + 127) << 23));
  y = y * asFloat(((n2 + 127) << 23));
  y = select(x > hi, splat(std::numeric_limits<float>::infinity()), y);
  y = select(x < lo, splat(0.0f), y);
  return select(x != x, x, y);
}

// ln x to about 1 ulp (Cephes' logf); subnormals are scaled by 2^23 first.
inline vf logV(vf x) {
  const vi tiny = x < 1.17549435e-38f;
  const vf xs = select(tiny, x * 8388608.0f, x);
  const vi bits = asInt(xs);
  vf e = __builtin_convertvector(((bits >> 23) & 0xff) - 126, vf) - select(tiny, splat(23.0f), splat(0.0f));
  const vf m = asFloat(((bits & 0x007fffff) | 0x3f000000));  // in [0.5, 1)
  const vi small = m < 0.707106781186547524f;
  e = select(small, e - 1.0f, e);
  const vf f = select(small, m + m - 1.0f, m - 1.0f);
  const vf z = f * f;
  vf y = splat(7.0376836292E-2f);
  y = y * f - 1.1514610310E-1f;
  y = y * f + 1.1676998740E-1f;
  y = y * f - 1.2420140846E-1f;
  y = y * f + 1.4249322787E-1f;
  y = y * f - 1.6668057665E-1f;
  y = y * f + 2.0000714765E-1f;
  y = y * f - 2.4999993993E-1f;
  y = y * f + 3.3333331174E-1f;
  y = y * f * z;
  y += -2.12194440e-4f * e;
  y += -0.5f * z;
  vf res = f + y;
  res += 0.693359375f * e;
  const float inf = std::numeric_limits<float>::infinity();
  res = select(x == inf, splat(inf), res);
  res = select(x < 0, splat(std::numeric_limits<float>::quiet_NaN()), res);
  res = select(x == 0, splat(-inf), res);
  return select(x != x, x, res);
}

// tanh x: Cephes' odd polynomial near 0, 1 − 2 / (e^2|x| + 1) elsewhere.
inline vf tanhV(vf x) {
  const vi sign = asInt(x) & static_cast<int32_t>(0x80000000u);
  const vf ax = asFloat((asInt(x) & 0x7fffffff));
  const vf z = x * x;
  vf p = splat(-5.70498872745E-3f);
  p = p * z + 2.06390887954E-2f;
  p = p * z - 5.37397155531E-2f;
  p = p * z + 1.33314422036E-1f;
  p = p * z - 3.33332819422E-1f;
  const vf near0 = p * z * x + x;
  const vf far = 1.0f - 2.0f / (expV(2.0f * select(ax < 10.0f, ax, splat(10.0f))) + 1.0f);
  const vf signedFar = asFloat((asInt(far) | sign));
  return select(ax < 0.625f, near0, select(x != x, x, signedFar));
}

inline vf sigmoidV(vf x) { return 1.0f / (1.0f + expV(-x)); }

// out = f(a), kLanes values at a time; the tail goes through a padded vector.
template <class F>
void unaryLoop(F f, const float* a, float* out, int64_t size, int64_t cost) {
  parallel(size, size * cost, [&](int64_t begin, int64_t end, int) {
    int64_t i = begin;
    for (; i + kLanes <= end; i += kLanes) store(out + i, f(load(a + i)));
    if (i < end) {
      float tail[kLanes] = {0, 0, 0, 0, 0, 0, 0, 0};
      std::memcpy(tail, a + i, sizeof(float) * (end - i));
      store(tail, f(load(tail)));
      std::memcpy(out + i, tail, sizeof(float) * (end - i));
    }
  });
}

}  // namespace

void unary(int op, const float* a, float* out, int64_t size, float alpha) {
  switch (op) {
    case kTanh: return unaryLoop(tanhV, a, out, size, 16);
    case kExp: return unaryLoop(expV, a, out, size, 16);
    case kLog: return unaryLoop(logV, a, out, size, 16);
    case kRelu: return unaryLoop([](vf x) { return select(x > 0, x, select(x != x, x, splat(0.0f))); }, a, out, size, 1);
    case kNeg: return unaryLoop([](vf x) { return -x; }, a, out, size, 1);
    case kSquare: return unaryLoop([](vf x) { return x * x; }, a, out, size, 1);
    case kStep: return unaryLoop([alpha](vf x) { return select(x > 0, splat(1.0f), select(x != x, x, splat(alpha))); }, a, out, size, 1);
    default: return unaryLoop(sigmoidV, a, out, size, 16);
  }
}

namespace {

template <class Op>
void broadcast(Op f, int modeA, int modeB, const float* a, const float* b, float* out, int64_t rows, int64_t cols) {
  parallel(rows, rows * cols, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; i++) {
      float* __restrict oi = out + i * cols;
      // A full or row operand is a vector along the row, a column or scalar one value.
      const float* av = modeA == 0 ? a + i * cols : modeA == 1 ? a : nullptr;
      const float* bv = modeB == 0 ? b + i * cols : modeB == 1 ? b : nullptr;
      const float as = modeA == 2 ? a[i] : modeA == 3 ? a[0] : 0.0f;
      const float bs = modeB == 2 ? b[i] : modeB == 3 ? b[0] : 0.0f;
      if (av && bv) for (int64_t j = 0; j < cols; j++) oi[j] = f(av[j], bv[j]);
      else if (av) for (int64_t j = 0; j < cols; j++) oi[j] = f(av[j], bs);
      else if (bv) for (int64_t j = 0; j < cols; j++) oi[j] = f(as, bv[j]);
      else for (int64_t j = 0; j < cols; j++) oi[j] = f(as, bs);
    }
  });
}

}  // namespace

void binary(int op, int modeA, int modeB, const float* a, const float* b, float* out, int64_t rows, int64_t cols) {
  switch (op) {
    case kAdd: return broadcast([](float x, float y) { return x + y; }, modeA, modeB, a, b, out, rows, cols);
    case kSub: return broadcast([](float x, float y) { return x - y; }, modeA, modeB, a, b, out, rows, cols);
    case kMul: return broadcast([](float x, float y) { return x * y; }, modeA, modeB, a, b, out, rows, cols);
    default: return broadcast([](float x, float y) { return x / y; }, modeA, modeB, a, b, out, rows, cols);
  }
}

void sum(const float* a, float* out, int64_t rows, int64_t cols, int axis) {
  if (axis == 1) {
    parallel(rows, rows * cols, [&](int64_t begin, int64_t end, int) {
      for (int64_t i = begin; i < end; i++) {
        const float* ai = a + i * cols;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int64_t j = 0;
        for (; j + 4 <= cols; j += 4) {
          s0 += ai[j];
          s1 += ai[j + 1];
          s2 += ai[j + 2];
          s3 += ai[j + 3];
        }
        for (; j < cols; j++) s0 += ai[j];
        out[i] = static_cast<float>((s0 + s1) + (s2 + s3));
      }
    });
    return;
  }
  // Column sums: each thread adds its rows into its own double accumulator.
  const int parts = partsFor(rows, rows * cols);
  std::vector<std::vector<double>> acc(static_cast<size_t>(parts), std::vector<double>(static_cast<size_t>(cols), 0.0));
  runAll(parts, [&](int t) {
    double* __restrict s = acc[t].data();
    for (int64_t i = rows * t / parts; i < rows * (t + 1) / parts; i++) {
      const float* ai = a + i * cols;
      for (int64_t j = 0; j < cols; j++) s[j] += ai[j];
    }
  });
  for (int64_t j = 0; j < cols; j++) {
    double s = 0;
    for (int t = 0; t < parts; t++) s += acc[t][j];
    out[j] = static_cast<float>(s);
  }
}

void softmax(const float* a, float* out, int64_t rows, int64_t cols) {
  parallel(rows, rows * cols * 16, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; i++) {
      const float* ai = a + i * cols;
      float* oi = out + i * cols;
      float mx = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < cols; j++) mx = std::max(mx, ai[j]);
      int64_t j = 0;
      for (; j + kLanes <= cols; j += kLanes) store(oi + j, expV(load(ai + j) - mx));
      for (; j < cols; j++) {
        float one[kLanes] = {ai[j] - mx};
        store(one, expV(load(one)));
        oi[j] = one[0];
      }
      double s = 0;
      for (j = 0; j < cols; j++) s += oi[j];
      const float total = static_cast<float>(s);
      for (int64_t j = 0; j < cols; j++) oi[j] /= total;
    }
  });
}

}  // namespace f32
}  // namespace nnk
