#include "kernels.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "isa.h"
#include "parallel.h"

namespace nnk {
namespace {

int threadCount = std::max(1, std::min(8, static_cast<int>(std::thread::hardware_concurrency())));

// Below this many multiply-adds a thread costs more than it saves.
constexpr int64_t kParallelWork = 1 << 18;

// A pool of worker threads kept for the whole process. Waking a sleeping
// thread can take a millisecond on a virtual machine, more than a small
// product, so workers spin for a while after each job before they sleep:
// the kernels of one training pass follow each other within microseconds.
// Parts are claimed from a counter by whichever thread comes first, the
// caller included: on a loaded machine (a shared JupyterHub node) a worker
// the OS has not scheduled yet leaves its part to the caller instead of
// holding the product up for a time slice.
class Pool {
 public:
  // Runs job(ctx, t) once for each t in [0, parts), on the caller and the workers.
  void run(int parts, void (*job)(void*, int), void* ctx) {
    while (static_cast<int>(workers_.size()) < parts - 1) {
      workers_.emplace_back([this] { loop(); });
      workers_.back().detach();  // never joined: the pool lives until the process exits
    }
    Run r{job, ctx, parts};
    current_.store(&r);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    work(r);
    while (r.done.load(std::memory_order_acquire) != parts) std::this_thread::yield();
    // r lives on this stack: wait until no worker can still be looking at it.
    current_.store(nullptr);
    while (inside_.load() != 0) std::this_thread::yield();
  }

 private:
  struct Run {
    void (*job)(void*, int);
    void* ctx;
    int parts;
    std::atomic<int> next{0};
    std::atomic<int> done{0};
  };

  static void work(Run& r) {
    for (int t; (t = r.next.fetch_add(1, std::memory_order_relaxed)) < r.parts;) {
      r.job(r.ctx, t);
      r.done.fetch_add(1, std::memory_order_release);
    }
  }

  void loop() {
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
      // Sequentially consistent with run()'s store of nullptr then read of inside_:
      // either this sees nullptr, or run() waits for this to leave.
      inside_.fetch_add(1);
      if (Run* r = current_.load()) work(*r);
      inside_.fetch_sub(1);
    }
  }

  std::vector<std::thread> workers_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<Run*> current_{nullptr};
  std::atomic<int> inside_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
};

Pool& pool() {
  static Pool* p = new Pool();  // leaked on purpose: detached workers may still read it at exit
  return *p;
}

// The variants this CPU can run, best last; the first is always baseline.
std::vector<const IsaKernels*> supportedTables() {
  std::vector<const IsaKernels*> out{&baseline::table};
#if defined(NNK_HAVE_AVX2) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  // libgcc's checks include the OS saving the AVX / AVX-512 registers (XCR0).
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2) out.push_back(&avx2::table);
#ifdef NNK_HAVE_AVX512
  if (avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512bw"))
    out.push_back(&avx512::table);
#endif
#endif
  return out;
}

// The best supported variant, capped by NN_WORKBOOK_ISA (a name of
// isaNames(); another value is ignored here, the loader warns about it), as
// an index into supportedTables(), which is a prefix of isaNames().
int chooseLevel() {
  const std::vector<const IsaKernels*> supported = supportedTables();
  const char* cap = std::getenv("NN_WORKBOOK_ISA");
  int limit = static_cast<int>(supported.size()) - 1;
  if (cap && *cap) {
    const std::vector<std::string> all = isaNames();
    const auto at = std::find(all.begin(), all.end(), cap);
    if (at != all.end()) limit = std::min(limit, static_cast<int>(at - all.begin()));
  }
  return limit;
}

const IsaKernels& active() {
  static const IsaKernels& table = *supportedTables()[isaLevel()];
  return table;
}

}  // namespace

int isaLevel() {
  static const int level = chooseLevel();
  return level;
}

int partsFor(int64_t count, int64_t work) {
  return work < kParallelWork ? 1 : static_cast<int>(std::min<int64_t>(threadCount, std::max<int64_t>(count, 1)));
}

void runParts(int parts, void (*job)(void*, int), void* ctx) { pool().run(parts, job, ctx); }

void setThreads(int threads) { threadCount = std::max(1, std::min(64, threads)); }
int threads() { return threadCount; }

std::vector<std::string> isaNames() { return {"baseline", "avx2", "avx512"}; }

std::vector<std::string> supportedIsas() {
  std::vector<std::string> out;
  for (const IsaKernels* t : supportedTables()) out.push_back(t->name);
  return out;
}

std::string isa() { return active().name; }

void gemm(const double* a, const double* b, double* out, int64_t m, int64_t k, int64_t n, bool transA, bool transB) {
  active().gemm(a, b, out, m, k, n, transA, transB);
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

bool csrFillU8(const double* a, int64_t m, int64_t k, const int32_t* ptr, uint16_t* idx, uint8_t* val, double divisor) {
  for (int64_t i = 0; i < m; i++) {
    const double* ai = a + i * k;
    int64_t q = ptr[i];
    for (int64_t p = 0; p < k; p++) {
      const double v = ai[p];
      if (v == 0) continue;
      const double r = std::nearbyint(v * divisor);
      // Only values the division gives back bit for bit (k / 255 computed as such).
      if (!(r >= 1 && r <= 255) || r / divisor != v) return false;
      idx[q] = static_cast<uint16_t>(p);
      val[q++] = static_cast<uint8_t>(r);
    }
  }
  return true;
}

void csrGemm(const int32_t* ptr, const int32_t* idx, const double* val, int64_t m, const double* b, double* out, int64_t n) {
  active().csrGemm(ptr, idx, val, m, b, out, n);
}

void csrGemmT(const int32_t* ptr, const int32_t* idx, const double* val, int64_t m, int64_t k, const double* b, double* out, int64_t n) {
  active().csrGemmT(ptr, idx, val, m, k, b, out, n);
}

void csrGemmU8(const int32_t* ptr, const uint16_t* idx, const uint8_t* val, double divisor, int64_t m, const double* b, double* out, int64_t n) {
  active().csrGemmU8(ptr, idx, val, divisor, m, b, out, n);
}

void csrGemmU8T(const int32_t* ptr, const uint16_t* idx, const uint8_t* val, double divisor, int64_t m, int64_t k, const double* b, double* out,
                int64_t n) {
  active().csrGemmU8T(ptr, idx, val, divisor, m, k, b, out, n);
}

void unary(int op, const double* a, double* out, int64_t size) { active().unary(op, a, out, size); }

void binary(int op, int mode, const double* a, const double* b, double* out, int64_t rows, int64_t cols) {
  active().binary(op, mode, a, b, out, rows, cols);
}

}  // namespace nnk
