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

#if EDGESIM_X86
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
