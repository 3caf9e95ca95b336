#include "kernels.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <cstring>
#include <thread>
#include <vector>

#ifdef __AVX2__
#include <immintrin.h>
extern "C" __m256d _ZGVdN4v_tanh(__m256d);
extern "C" __m256d _ZGVdN4v_exp(__m256d);
extern "C" __m256d _ZGVdN4v_log(__m256d);
#endif

namespace nnk {
namespace {

int threadCount = std::max(1, std::min(8, static_cast<int>(std::thread::hardware_concurrency())));

// Below this many multiply-adds a thread costs more than it saves.
constexpr int64_t kParallelWork = 1 << 18;

// A pool of worker threads kept for the whole process. Waking a sleeping
// thread can take a millisecond on a virtual machine, more than a small
// product, so workers spin for a while after each job before they sleep:
// the kernels of one training pass follow each other within microseconds.
class Pool {
 public:
  // Runs job(t) for t in [0, parts): t = 0 on the caller, the rest on workers.
  void run(int parts, const std::function<void(int)>& job) {
    while (static_cast<int>(workers_.size()) < parts - 1) {
      const int id = static_cast<int>(workers_.size()) + 1;
      workers_.emplace_back([this, id] { loop(id); });
      workers_.back().detach();  // never joined: the pool lives until the process exits
    }
    job_ = &job;
    parts_ = parts;
    pending_.store(parts - 1, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    job(0);
    while (pending_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
  }

 private:
  void loop(int id) {
    uint64_t seen = 0;
    for (;;) {
      const auto spinUntil = std::chrono::steady_clock::now() + std::chrono::milliseconds(2);
      uint64_t g;
      while ((g = generation_.load(std::memory_order_acquire)) == seen && std::chrono::steady_clock::now() < spinUntil) {
      }
      if (g == seen) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
        g = generation_.load(std::memory_order_acquire);
      }
      seen = g;
      if (id < parts_) {
        (*job_)(id);
        pending_.fetch_sub(1, std::memory_order_acq_rel);
      }
    }
  }

  std::vector<std::thread> workers_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  const std::function<void(int)>* job_ = nullptr;
  int parts_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
};

Pool& pool() {
  static Pool* p = new Pool();  // leaked on purpose: detached workers may still read it at exit
  return *p;
}

// Slices worth making of [0, count) for `work` multiply-adds.
int partsFor(int64_t count, int64_t work) {
  return work < kParallelWork ? 1 : static_cast<int>(std::min<int64_t>(threadCount, std::max<int64_t>(count, 1)));
}

// Runs f(begin, end, t) on partsFor(count, work) slices of [0, count), slice 0 on the caller.
template <class F>
void parallel(int64_t count, int64_t work, F f) {
  const int parts = partsFor(count, work);
  if (parts <= 1) {
    f(0, count, 0);
    return;
  }
  pool().run(parts, [&](int t) { f(count * t / parts, count * (t + 1) / parts, t); });
}

// out[0:n] += Σ_q vals[q] · b[offs[q] : offs[q] + n], eight terms per pass over out.
inline void accumulate(double* __restrict out, const double* __restrict b, const int64_t* offs, const double* vals, int64_t count, int64_t n) {
  int64_t q = 0;
  for (; q + 8 <= count; q += 8) {
    const double *b0 = b + offs[q], *b1 = b + offs[q + 1], *b2 = b + offs[q + 2], *b3 = b + offs[q + 3];
    const double *b4 = b + offs[q + 4], *b5 = b + offs[q + 5], *b6 = b + offs[q + 6], *b7 = b + offs[q + 7];
    const double v0 = vals[q], v1 = vals[q + 1], v2 = vals[q + 2], v3 = vals[q + 3];
    const double v4 = vals[q + 4], v5 = vals[q + 5], v6 = vals[q + 6], v7 = vals[q + 7];
    for (int64_t j = 0; j < n; j++)
      out[j] += ((v0 * b0[j] + v1 * b1[j]) + (v2 * b2[j] + v3 * b3[j])) + ((v4 * b4[j] + v5 * b5[j]) + (v6 * b6[j] + v7 * b7[j]));
  }
  for (; q + 4 <= count; q += 4) {
    const double *b0 = b + offs[q], *b1 = b + offs[q + 1], *b2 = b + offs[q + 2], *b3 = b + offs[q + 3];
    const double v0 = vals[q], v1 = vals[q + 1], v2 = vals[q + 2], v3 = vals[q + 3];
    for (int64_t j = 0; j < n; j++) out[j] += v0 * b0[j] + v1 * b1[j] + v2 * b2[j] + v3 * b3[j];
  }
  for (; q < count; q++) {
    const double* b0 = b + offs[q];
    const double v0 = vals[q];
    for (int64_t j = 0; j < n; j++) out[j] += v0 * b0[j];
  }
}

inline void axpy(double* __restrict out, double v, const double* __restrict b, int64_t n) {
  for (int64_t j = 0; j < n; j++) out[j] += v * b[j];
}

// Scatter products (out = Σ over rows of a of outer products) give each
// thread its own output, summed at the end: no two threads write one row.
template <class F>
void scatterParallel(int64_t count, int64_t work, double* out, int64_t outSize, F f) {
  std::memset(out, 0, sizeof(double) * outSize);
  const int parts = partsFor(count, work);
  if (parts <= 1) {
    f(0, count, out);
    return;
  }
  std::vector<std::vector<double>> privates(parts - 1, std::vector<double>(outSize, 0.0));
  parallel(count, work, [&](int64_t begin, int64_t end, int t) { f(begin, end, t == 0 ? out : privates[t - 1].data()); });
  for (auto& p : privates) {
    const double* src = p.data();
    for (int64_t i = 0; i < outSize; i++) out[i] += src[i];
  }
}

}  // namespace

void setThreads(int threads) { threadCount = std::max(1, std::min(64, threads)); }
int threads() { return threadCount; }

void runParallel(int parts, const std::function<void(int)>& job) {
  if (parts <= 1) job(0);
  else pool().run(parts, job);
}

namespace {

// Below this many output columns a row update is too short to vectorise:
// dense rows are better served by dot products (or axpys along the other side).
constexpr int64_t kNarrow = 8;

inline double dotProduct(const double* __restrict x, const double* __restrict y, int64_t k) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t p = 0;
  for (; p + 4 <= k; p += 4) {
    s0 += x[p] * y[p];
    s1 += x[p + 1] * y[p + 1];
    s2 += x[p + 2] * y[p + 2];
    s3 += x[p + 3] * y[p + 3];
  }
  for (; p < k; p++) s0 += x[p] * y[p];
  return (s0 + s1) + (s2 + s3);
}

// Judged on about 4096 values spread over a: reading all of it would cost
// as much as the product saved.
bool mostlyNonZero(const double* a, int64_t size) {
  const int64_t step = std::max<int64_t>(1, size / 4096);
  int64_t nz = 0, seen = 0;
  for (int64_t i = 0; i < size; i += step, seen++) nz += a[i] != 0;
  return nz * 2 > seen;
}

}  // namespace

void gemm(const double* a, const double* b, double* out, int64_t m, int64_t k, int64_t n, bool transA, bool transB) {
  const int64_t work = m * k * n;
  if (transA && n < kNarrow && mostlyNonZero(a, k * m)) {
    // Dense aᵀ·b with few columns (A1ᵀ·δ3): outᵀ row j += b[p, j] · a[p, :] is a long axpy.
    std::vector<double> outT(static_cast<size_t>(n * m), 0.0);
    for (int64_t p = 0; p < k; p++)
      for (int64_t j = 0; j < n; j++) axpy(outT.data() + j * m, transB ? b[j * k + p] : b[p * n + j], a + p * m, m);
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) out[i * n + j] = outT[j * m + i];
    return;
  }
  std::vector<double> bt;
  if (!transA && n < kNarrow && mostlyNonZero(a, m * k)) {
    // Dense a·b with few columns (A1·W2): out[i, j] is the dot of row i of a and column j of b.
    if (!transB) {
      bt.resize(static_cast<size_t>(k * n));
      for (int64_t p = 0; p < k; p++)
        for (int64_t j = 0; j < n; j++) bt[j * k + p] = b[p * n + j];
    }
    const double* cols = transB ? b : bt.data();
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
    // a stored (k, m): out[i, :] += a[p, i] · b[p, :] for each non-zero, row p of a at a time.
    scatterParallel(k, work, out, m * n, [&](int64_t begin, int64_t end, double* o) {
      for (int64_t p = begin; p < end; p++) {
        const double* ap = a + p * m;
        const double* bp = b + p * n;
        for (int64_t i = 0; i < m; i++)
          if (ap[i] != 0) axpy(o + i * n, ap[i], bp, n);
      }
    });
    return;
  }
  parallel(m, work, [&](int64_t begin, int64_t end, int) {
    std::vector<int64_t> offs(static_cast<size_t>(k));
    std::vector<double> vals(static_cast<size_t>(k));
    for (int64_t i = begin; i < end; i++) {
      const double* ai = a + i * k;
      int64_t count = 0;
      for (int64_t p = 0; p < k; p++)
        if (ai[p] != 0) { offs[count] = p * n; vals[count++] = ai[p]; }
      double* oi = out + i * n;
      std::memset(oi, 0, sizeof(double) * n);
      accumulate(oi, b, offs.data(), vals.data(), count, n);
    }
  });
}

int64_t csrCount(const double* a, int64_t m, int64_t k, int32_t* ptr) {
  ptr[0] = 0;
  int64_t nnz = 0;
  for (int64_t i = 0; i < m; i++) {
    const double* ai = a + i * k;
    for (int64_t p = 0; p < k; p++) nnz += ai[p] != 0;
    ptr[i + 1] = static_cast<int32_t>(nnz);
  }
  return nnz;
}

void csrFill(const double* a, int64_t m, int64_t k, const int32_t* ptr, int32_t* idx, double* val) {
  for (int64_t i = 0; i < m; i++) {
    const double* ai = a + i * k;
    int64_t q = ptr[i];
    for (int64_t p = 0; p < k; p++)
      if (ai[p] != 0) { idx[q] = static_cast<int32_t>(p); val[q++] = ai[p]; }
  }
}

void csrGemm(const int32_t* ptr, const int32_t* idx, const double* val, int64_t m, const double* b, double* out, int64_t n) {
  const int64_t work = static_cast<int64_t>(ptr[m]) * n;
  parallel(m, work, [&](int64_t begin, int64_t end, int) {
    std::vector<int64_t> offs;
    for (int64_t i = begin; i < end; i++) {
      const int64_t s = ptr[i], count = ptr[i + 1] - s;
      offs.resize(static_cast<size_t>(count));
      for (int64_t q = 0; q < count; q++) offs[q] = static_cast<int64_t>(idx[s + q]) * n;
      double* oi = out + i * n;
      std::memset(oi, 0, sizeof(double) * n);
      accumulate(oi, b, offs.data(), val + s, count, n);
    }
  });
}

void csrGemmT(const int32_t* ptr, const int32_t* idx, const double* val, int64_t m, int64_t k, const double* b, double* out, int64_t n) {
  const int64_t work = static_cast<int64_t>(ptr[m]) * n;
  scatterParallel(m, work, out, k * n, [&](int64_t begin, int64_t end, double* o) {
    for (int64_t i = begin; i < end; i++) {
      const double* bi = b + i * n;
      for (int64_t q = ptr[i]; q < ptr[i + 1]; q++) axpy(o + static_cast<int64_t>(idx[q]) * n, val[q], bi, n);
    }
  });
}

namespace {

template <class Scalar, class Vector>
void unaryLoop(Scalar f, Vector fv, const double* a, double* out, int64_t size) {
  parallel(size, size * 16, [&](int64_t begin, int64_t end, int) {
    int64_t i = begin;
#ifdef __AVX2__
    for (; i + 4 <= end; i += 4) _mm256_storeu_pd(out + i, fv(_mm256_loadu_pd(a + i)));
#else
    (void)fv;
#endif
    for (; i < end; i++) out[i] = f(a[i]);
  });
}

}  // namespace

// glibc's vector functions (libmvec, within 4 ulp), four values per call.
void unary(int op, const double* a, double* out, int64_t size) {
#ifdef __AVX2__
  switch (op) {
    case 0: return unaryLoop([](double x) { return std::tanh(x); }, _ZGVdN4v_tanh, a, out, size);
    case 1: return unaryLoop([](double x) { return std::exp(x); }, _ZGVdN4v_exp, a, out, size);
    default: return unaryLoop([](double x) { return std::log(x); }, _ZGVdN4v_log, a, out, size);
  }
#else
  const auto none = [](int x) { return x; };
  switch (op) {
    case 0: return unaryLoop([](double x) { return std::tanh(x); }, none, a, out, size);
    case 1: return unaryLoop([](double x) { return std::exp(x); }, none, a, out, size);
    default: return unaryLoop([](double x) { return std::log(x); }, none, a, out, size);
  }
#endif
}

namespace {

template <class Op>
void broadcastRows(Op f, int mode, const double* a, const double* b, double* out, int64_t rows, int64_t cols) {
  parallel(rows, rows * cols, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; i++) {
      const double* ai = a + i * cols;
      double* oi = out + i * cols;
      switch (mode) {
        case 0: { const double* bi = b + i * cols; for (int64_t j = 0; j < cols; j++) oi[j] = f(ai[j], bi[j]); break; }
        case 1: for (int64_t j = 0; j < cols; j++) oi[j] = f(ai[j], b[j]); break;
        case 2: { const double v = b[i]; for (int64_t j = 0; j < cols; j++) oi[j] = f(ai[j], v); break; }
        default: { const double v = b[0]; for (int64_t j = 0; j < cols; j++) oi[j] = f(ai[j], v); break; }
      }
    }
  });
}

}  // namespace

void binary(int op, int mode, const double* a, const double* b, double* out, int64_t rows, int64_t cols) {
  switch (op) {
    case 0: return broadcastRows([](double x, double y) { return x + y; }, mode, a, b, out, rows, cols);
    case 1: return broadcastRows([](double x, double y) { return x - y; }, mode, a, b, out, rows, cols);
    case 2: return broadcastRows([](double x, double y) { return x * y; }, mode, a, b, out, rows, cols);
    case 3: return broadcastRows([](double x, double y) { return x / y; }, mode, a, b, out, rows, cols);
    default: return broadcastRows([](double x, double y) { return x * (1 - y * y); }, mode, a, b, out, rows, cols);
  }
}

}  // namespace nnk
