// The paths behind the dispatching entry points of CKernels.h (internal).
#ifndef EDGESIM_CKERNELS_PATHS_H
#define EDGESIM_CKERNELS_PATHS_H

#include <stddef.h>
#include <stdint.h>

#include "CKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define EDGESIM_X86 1
#else
#define EDGESIM_X86 0
#endif

void edgesim_dot_i16_portable(const int16_t *w, ptrdiff_t rows,
                              const int16_t *x, ptrdiff_t columns,
                              ptrdiff_t stride, int32_t *out,
                              ptrdiff_t rowStride, ptrdiff_t columnStride);
void edgesim_sgemm_portable(const float *a, ptrdiff_t m, ptrdiff_t k,
                            const float *b, ptrdiff_t n, float *out);

#define EDGESIM_EPILOGUE_ARGS                                                  \
  const int32_t *sums, ptrdiff_t count, int32_t bias, int32_t shift,           \
      int32_t roundBit, int32_t low, int32_t high, int32_t bottom,             \
      int32_t top, int64_t *out, int64_t *above, int64_t *below
#define EDGESIM_CLIP_ARGS                                                      \
  const int64_t *x, ptrdiff_t count, int64_t lower, int64_t upper, int64_t *out

#define EDGESIM_WINDOW_ARGS                                                    \
  const int16_t *pairs, ptrdiff_t pitch, const EdgeSimWindow *g,               \
      const int16_t *w, int32_t *sums

void edgesim_window_sums_portable(EDGESIM_WINDOW_ARGS);
void edgesim_epilogue_portable(EDGESIM_EPILOGUE_ARGS);
void edgesim_clip_portable(EDGESIM_CLIP_ARGS);

#if EDGESIM_X86
void edgesim_window_sums_avx2(EDGESIM_WINDOW_ARGS);
void edgesim_window_sums_avx512(EDGESIM_WINDOW_ARGS);
void edgesim_epilogue_avx2(EDGESIM_EPILOGUE_ARGS);
void edgesim_epilogue_avx512(EDGESIM_EPILOGUE_ARGS);
void edgesim_clip_avx2(EDGESIM_CLIP_ARGS);
void edgesim_clip_avx512(EDGESIM_CLIP_ARGS);
void edgesim_dot_i16_avx2(const int16_t *w, ptrdiff_t rows, const int16_t *x,
                          ptrdiff_t columns, ptrdiff_t stride, int32_t *out,
                          ptrdiff_t rowStride, ptrdiff_t columnStride);
void edgesim_dot_i16_avx512(const int16_t *w, ptrdiff_t rows,
                            const int16_t *x, ptrdiff_t columns,
                            ptrdiff_t stride, int32_t *out,
                            ptrdiff_t rowStride, ptrdiff_t columnStride);
void edgesim_sgemm_avx2(const float *a, ptrdiff_t m, ptrdiff_t k,
                        const float *b, ptrdiff_t n, float *out);
void edgesim_sgemm_avx512(const float *a, ptrdiff_t m, ptrdiff_t k,
                          const float *b, ptrdiff_t n, float *out);
#endif

// The body of edgesim_window_sums_i16, compiled once per path: the loop
// over output columns is vectorized for the path's lanes (wrapping sums in
// uint32_t).
static inline __attribute__((always_inline)) void
edgesim_window_sums_body(EDGESIM_WINDOW_ARGS) {
  const ptrdiff_t width = g->outWidth;
  const ptrdiff_t step = 2 * g->strideX;
  for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
    uint32_t *row = (uint32_t *)(sums + oy * width);
    for (ptrdiff_t ox = 0; ox < width; ox++) {
      row[ox] = 0;
    }
    for (ptrdiff_t i = 0; i < g->kernelHeight; i++) {
      for (ptrdiff_t j = 0; j < g->kernelWidth; j++) {
        const uint32_t wv = (uint32_t)(int32_t)w[i * g->kernelWidth + j];
        const int16_t *line =
            pairs + 2 * ((oy * g->strideY + i * g->dilationY) * pitch +
                         j * g->dilationX);
        for (ptrdiff_t ox = 0; ox < width; ox++) {
          row[ox] += wv * (uint32_t)(int32_t)line[ox * step];
        }
      }
    }
  }
}

#endif
