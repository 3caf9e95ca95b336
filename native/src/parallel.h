// The thread pool shared by every instruction-set variant of the kernels
// (kernels.cc owns it). Plain function pointers only: the variants are
// compiled with other -m flags, and a C++ template or inline function shared
// with them could be merged by the linker into one copy built for the wrong
// CPU.
#pragma once
#include <cstdint>

namespace nnk {

// Slices worth making of [0, count) for `work` multiply-adds (1: no threads).
int partsFor(int64_t count, int64_t work);

// Runs job(ctx, t) once for each t in [0, parts), on the caller and the pool (whichever claims t first).
void runParts(int parts, void (*job)(void* ctx, int t), void* ctx);

}  // namespace nnk
