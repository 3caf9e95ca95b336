{
  "targets": [{
    "target_name": "nn_kernels",
    "sources": ["src/kernels.cc", "src/addon.cc", "src/kernels_f32.cc"],
    "cflags_cc!": ["-fno-exceptions"],
    "cflags_cc": ["-O3", "-march=native", "-std=c++17", "-ffp-contract=fast", "-pthread"],
    "ldflags": ["-pthread"],
    "libraries": ["-lmvec"],
    "defines": ["NAPI_VERSION=8"]
  }]
}
