# The native kernels. The addon itself is built for the architecture's
# baseline (plain x86-64: SSE2; arm64: NEON), so it loads on any CPU of its
# kind; on x86-64 the hot kernels are built again for AVX2+FMA and AVX-512
# (static libraries with their own flags) and kernels.cc picks one at load.
# No -march=native: an addon built on one CPU must run on an older one.
{
  "target_defaults": {
    "cflags_cc!": ["-fno-exceptions"],
    "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=fast", "-pthread"],
    "defines": ["NAPI_VERSION=8"],
    # macOS: gyp reads C++ flags from xcode_settings, not cflags_cc.
    "xcode_settings": {
      "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
      "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
      "GCC_OPTIMIZATION_LEVEL": "3",
      "MACOSX_DEPLOYMENT_TARGET": "10.15",
      "OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=fast"]
    },
    "conditions": [
      ["target_arch=='x64' and OS!='win'", {"defines": ["NNK_HAVE_AVX2", "NNK_HAVE_AVX512"]}]
    ]
  },
  "targets": [{
    "target_name": "nn_kernels",
    "sources": ["src/kernels.cc", "src/kernels_baseline.cc", "src/addon.cc", "src/kernels_f32.cc"],
    "ldflags": ["-pthread"],
    "conditions": [
      ["target_arch=='x64' and OS!='win'", {"dependencies": ["nn_kernels_avx2", "nn_kernels_avx512"]}],
      # libmvec is opened at run time (dlopen), not linked.
      ["OS=='linux'", {"libraries": ["-ldl"]}]
    ]
  }],
  "conditions": [
    ["target_arch=='x64' and OS!='win'", {
      "targets": [{
        "target_name": "nn_kernels_avx2",
        "type": "static_library",
        "sources": ["src/kernels_avx2.cc"],
        "cflags": ["-fPIC"],
        "cflags_cc": ["-mavx2", "-mfma"],
        "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=fast", "-mavx2", "-mfma"]}
      }, {
        "target_name": "nn_kernels_avx512",
        "type": "static_library",
        "sources": ["src/kernels_avx512.cc"],
        "cflags": ["-fPIC"],
        "cflags_cc": ["-mavx2", "-mfma", "-mavx512f", "-mavx512dq", "-mavx512vl", "-mavx512bw", "-mprefer-vector-width=512"],
        "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=fast", "-mavx2", "-mfma", "-mavx512f", "-mavx512dq", "-mavx512vl", "-mavx512bw", "-mprefer-vector-width=512"]}
      }]
    }]
  ]
}
