// The paths behind the dispatching entry points of CKernels.h (internal).
#ifndef EDGESIM_CKERNELS_PATHS_H
#define EDGESIM_CKERNELS_PATHS_H

#include <stddef.h>
#include <stdint.h>

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
      int64_t *out, int64_t *above, int64_t *below
#define EDGESIM_CLIP_ARGS                                                      \
  const int64_t *x, ptrdiff_t count, int64_t lower, int64_t upper, int64_t *out

void edgesim_epilogue_portable(EDGESIM_EPILOGUE_ARGS);
void edgesim_clip_portable(EDGESIM_CLIP_ARGS);

#if EDGESIM_X86
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

#endif
