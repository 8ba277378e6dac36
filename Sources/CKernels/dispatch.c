// Which kernel path runs: found once from the CPU, or chosen by
// edgesim_kernels_select (the application's EDGESIM_KERNELS, or a test).
#include "CKernels.h"
#include "paths.h"

#include <stdatomic.h>

static int cpu_supports(EdgeSimKernels path) {
  switch (path) {
  case EdgeSimKernelsPortable:
    return 1;
#if EDGESIM_X86
  case EdgeSimKernelsAVX2:
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
  case EdgeSimKernelsAVX512:
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vnni");
#endif
  default:
    return 0;
  }
}

int edgesim_kernels_supported(EdgeSimKernels path) {
  return cpu_supports(path);
}

// -1 until first asked; then a path.
static _Atomic int selected = -1;

EdgeSimKernels edgesim_kernels_current(void) {
  int path = atomic_load_explicit(&selected, memory_order_relaxed);
  if (path >= 0) {
    return (EdgeSimKernels)path;
  }
  int best = EdgeSimKernelsPortable;
  if (cpu_supports(EdgeSimKernelsAVX512)) {
    best = EdgeSimKernelsAVX512;
  } else if (cpu_supports(EdgeSimKernelsAVX2)) {
    best = EdgeSimKernelsAVX2;
  }
  int expected = -1;
  // A concurrent select wins over the default.
  atomic_compare_exchange_strong(&selected, &expected, best);
  return (EdgeSimKernels)atomic_load_explicit(&selected, memory_order_relaxed);
}

int edgesim_kernels_select(EdgeSimKernels path) {
  if (!cpu_supports(path)) {
    return -1;
  }
  atomic_store_explicit(&selected, (int)path, memory_order_relaxed);
  return 0;
}

void edgesim_dot_i16(const int16_t *w, ptrdiff_t rows, const int16_t *x,
                     ptrdiff_t columns, ptrdiff_t stride, int32_t *out,
                     ptrdiff_t rowStride, ptrdiff_t columnStride) {
  edgesim_dot_i16_on(edgesim_kernels_current(), w, rows, x, columns, stride,
                     out, rowStride, columnStride);
}

void edgesim_dot_i16_on(EdgeSimKernels path, const int16_t *w,
                        ptrdiff_t rows, const int16_t *x, ptrdiff_t columns,
                        ptrdiff_t stride, int32_t *out, ptrdiff_t rowStride,
                        ptrdiff_t columnStride) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    edgesim_dot_i16_avx512(w, rows, x, columns, stride, out, rowStride,
                           columnStride);
    return;
  case EdgeSimKernelsAVX2:
    edgesim_dot_i16_avx2(w, rows, x, columns, stride, out, rowStride,
                         columnStride);
    return;
#endif
  default:
    edgesim_dot_i16_portable(w, rows, x, columns, stride, out, rowStride,
                             columnStride);
  }
}

void edgesim_sgemm_accumulate(const float *a, ptrdiff_t m, ptrdiff_t k,
                              const float *b, ptrdiff_t n, float *out) {
  edgesim_sgemm_accumulate_on(edgesim_kernels_current(), a, m, k, b, n, out);
}

void edgesim_sgemm_accumulate_on(EdgeSimKernels path, const float *a,
                                 ptrdiff_t m, ptrdiff_t k, const float *b,
                                 ptrdiff_t n, float *out) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    edgesim_sgemm_avx512(a, m, k, b, n, out);
    return;
  case EdgeSimKernelsAVX2:
    edgesim_sgemm_avx2(a, m, k, b, n, out);
    return;
#endif
  default:
    edgesim_sgemm_portable(a, m, k, b, n, out);
  }
}

void edgesim_sgemm_bias_clamp(const float *a, ptrdiff_t m, ptrdiff_t k,
                              const float *b, ptrdiff_t n, const float *bias,
                              float lower, float upper, float *panel,
                              float *out) {
  edgesim_sgemm_bias_clamp_on(edgesim_kernels_current(), a, m, k, b, n, bias,
                              lower, upper, panel, out);
}

void edgesim_sgemm_bias_clamp_on(EdgeSimKernels path, const float *a,
                                 ptrdiff_t m, ptrdiff_t k, const float *b,
                                 ptrdiff_t n, const float *bias, float lower,
                                 float upper, float *panel, float *out) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    edgesim_sgemm_bias_clamp_avx512(a, m, k, b, n, bias, lower, upper, panel,
                                    out);
    return;
  case EdgeSimKernelsAVX2:
    edgesim_sgemm_bias_clamp_avx2(a, m, k, b, n, bias, lower, upper, panel,
                                  out);
    return;
#endif
  default:
    edgesim_sgemm_bias_clamp_portable(a, m, k, b, n, bias, lower, upper,
                                      panel, out);
  }
}

void edgesim_conv_bias_clamp_f32(const float *weight, ptrdiff_t m,
                                 const float *input, ptrdiff_t channels,
                                 const EdgeSimWindow *window,
                                 const float *bias, float lower, float upper,
                                 float *panel, float *out) {
  edgesim_conv_bias_clamp_f32_on(edgesim_kernels_current(), weight, m, input,
                                 channels, window, bias, lower, upper, panel,
                                 out);
}

void edgesim_conv_bias_clamp_f32_on(EdgeSimKernels path, const float *weight,
                                    ptrdiff_t m, const float *input,
                                    ptrdiff_t channels,
                                    const EdgeSimWindow *window,
                                    const float *bias, float lower,
                                    float upper, float *panel, float *out) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    edgesim_conv_bias_clamp_f32_avx512(weight, m, input, channels, window,
                                       bias, lower, upper, panel, out);
    return;
  case EdgeSimKernelsAVX2:
    edgesim_conv_bias_clamp_f32_avx2(weight, m, input, channels, window, bias,
                                     lower, upper, panel, out);
    return;
#endif
  default:
    edgesim_conv_bias_clamp_f32_portable(weight, m, input, channels, window,
                                         bias, lower, upper, panel, out);
  }
}

ptrdiff_t edgesim_sgemm_panel_floats(void) {
  return (ptrdiff_t)SGEMM_PANEL_KC * SGEMM_PANEL_NC;
}

void edgesim_epilogue_i32(const int32_t *sums, ptrdiff_t count, int32_t bias,
                          int32_t shift, int32_t roundBit, int32_t low,
                          int32_t high, int32_t bottom, int32_t top,
                          int64_t *out, int64_t *above, int64_t *below) {
  edgesim_epilogue_i32_on(edgesim_kernels_current(), sums, count, bias, shift,
                          roundBit, low, high, bottom, top, out, above,
                          below);
}

void edgesim_epilogue_i32_on(EdgeSimKernels path, const int32_t *sums,
                             ptrdiff_t count, int32_t bias, int32_t shift,
                             int32_t roundBit, int32_t low, int32_t high,
                             int32_t bottom, int32_t top, int64_t *out,
                             int64_t *above, int64_t *below) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    edgesim_epilogue_avx512(sums, count, bias, shift, roundBit, low, high,
                            bottom, top, out, above, below);
    return;
  case EdgeSimKernelsAVX2:
    edgesim_epilogue_avx2(sums, count, bias, shift, roundBit, low, high,
                          bottom, top, out, above, below);
    return;
#endif
  default:
    edgesim_epilogue_portable(sums, count, bias, shift, roundBit, low, high,
                              bottom, top, out, above, below);
  }
}

void edgesim_epilogue_i32_to_i16(const int32_t *sums, ptrdiff_t count,
                                 int32_t bias, int32_t shift,
                                 int32_t roundBit, int32_t low, int32_t high,
                                 int32_t bottom, int32_t top, int16_t *out,
                                 int64_t *above, int64_t *below) {
  edgesim_epilogue_i32_to_i16_on(edgesim_kernels_current(), sums, count, bias,
                                 shift, roundBit, low, high, bottom, top, out,
                                 above, below);
}

void edgesim_epilogue_i32_to_i16_on(EdgeSimKernels path, const int32_t *sums,
                                    ptrdiff_t count, int32_t bias,
                                    int32_t shift, int32_t roundBit,
                                    int32_t low, int32_t high, int32_t bottom,
                                    int32_t top, int16_t *out, int64_t *above,
                                    int64_t *below) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    edgesim_epilogue16_avx512(sums, count, bias, shift, roundBit, low, high,
                              bottom, top, out, above, below);
    return;
  case EdgeSimKernelsAVX2:
    edgesim_epilogue16_avx2(sums, count, bias, shift, roundBit, low, high,
                            bottom, top, out, above, below);
    return;
#endif
  default:
    edgesim_epilogue16_portable(sums, count, bias, shift, roundBit, low, high,
                                bottom, top, out, above, below);
  }
}

void edgesim_clip_i64(const int64_t *x, ptrdiff_t count, int64_t lower,
                      int64_t upper, int64_t *out) {
  edgesim_clip_i64_on(edgesim_kernels_current(), x, count, lower, upper, out);
}

void edgesim_clip_i64_on(EdgeSimKernels path, const int64_t *x,
                         ptrdiff_t count, int64_t lower, int64_t upper,
                         int64_t *out) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    edgesim_clip_avx512(x, count, lower, upper, out);
    return;
  case EdgeSimKernelsAVX2:
    edgesim_clip_avx2(x, count, lower, upper, out);
    return;
#endif
  default:
    edgesim_clip_portable(x, count, lower, upper, out);
  }
}

void edgesim_window_sums_i16(const int16_t *pairs, ptrdiff_t pitch,
                             const EdgeSimWindow *window, const int16_t *w,
                             int32_t *sums) {
  edgesim_window_sums_i16_on(edgesim_kernels_current(), pairs, pitch, window,
                             w, sums);
}

void edgesim_window_sums_i16_on(EdgeSimKernels path, const int16_t *pairs,
                                ptrdiff_t pitch, const EdgeSimWindow *window,
                                const int16_t *w, int32_t *sums) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    edgesim_window_sums_avx512(pairs, pitch, window, w, sums);
    return;
  case EdgeSimKernelsAVX2:
    edgesim_window_sums_avx2(pairs, pitch, window, w, sums);
    return;
#endif
  default:
    edgesim_window_sums_portable(pairs, pitch, window, w, sums);
  }
}

void edgesim_depthwise_f32(const float *input, ptrdiff_t channels,
                           ptrdiff_t multiplier, const EdgeSimWindow *window,
                           const float *weight, const float *bias,
                           float lower, float upper, float *scratch,
                           float *output) {
  edgesim_depthwise_f32_on(edgesim_kernels_current(), input, channels,
                           multiplier, window, weight, bias, lower, upper,
                           scratch, output);
}

void edgesim_depthwise_f32_on(EdgeSimKernels path, const float *input,
                              ptrdiff_t channels, ptrdiff_t multiplier,
                              const EdgeSimWindow *window, const float *weight,
                              const float *bias, float lower, float upper,
                              float *scratch, float *output) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    edgesim_depthwise_f32_avx512(input, channels, multiplier, window, weight,
                                 bias, lower, upper, scratch, output);
    return;
  case EdgeSimKernelsAVX2:
    edgesim_depthwise_f32_avx2(input, channels, multiplier, window, weight,
                               bias, lower, upper, scratch, output);
    return;
#endif
  default:
    edgesim_depthwise_f32_portable(input, channels, multiplier, window,
                                   weight, bias, lower, upper, scratch, output);
  }
}
