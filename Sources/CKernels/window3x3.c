// The 3 × 3 one-channel window with unit column stride and dilation (the
// depthwise layers of MobileNet-style networks, issue #19), over a pair
// plane: lanes 2k and 2k + 1 hold x[k] and x[k + 1] of the zero-padded
// plane read as one flat row, so one pair product of the lanes at output
// k's position plus j with (w_ij, w_i,j+1) adds two taps to output k
// (`vpmaddwd` / `vpdpwssd`), and the lanes at plus 2 with (w_i2, 0) the
// third. Sums in wrapping Int32, like every integer kernel: any order gives
// the same bits.
#include "CKernels.h"
#include "paths.h"

static void window3x3_portable(const int16_t *pairs, ptrdiff_t pitch,
                               ptrdiff_t outHeight, ptrdiff_t outWidth,
                               ptrdiff_t strideY, ptrdiff_t dilationY,
                               const int16_t *w, int32_t *sums) {
  for (ptrdiff_t oy = 0; oy < outHeight; oy++) {
    for (ptrdiff_t ox = 0; ox < outWidth; ox++) {
      uint32_t s = 0;
      for (ptrdiff_t i = 0; i < 3; i++) {
        const int16_t *line =
            pairs + 2 * ((oy * strideY + i * dilationY) * pitch + ox);
        for (ptrdiff_t j = 0; j < 3; j++) {
          s += (uint32_t)((int32_t)w[i * 3 + j] * (int32_t)line[2 * j]);
        }
      }
      sums[oy * outWidth + ox] = (int32_t)s;
    }
  }
}

#if EDGESIM_X86
#include <immintrin.h>

#define W3_AVX2 __attribute__((target("avx2")))
#define W3_AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vnni")))

// (lo, hi) as one Int32 lane: the pair product's weights.
static inline int32_t weight_pair(int16_t lo, int16_t hi) {
  return (int32_t)(((uint32_t)(uint16_t)hi << 16) | (uint16_t)lo);
}

// Eight outputs per 256-bit pair product; a row's last block stores only
// its outputs (the loads past it read the plane's slack or later rows,
// times zero weights or into lanes not stored).
static W3_AVX2 void window3x3_avx2(const int16_t *pairs, ptrdiff_t pitch,
                                   ptrdiff_t outHeight, ptrdiff_t outWidth,
                                   ptrdiff_t strideY, ptrdiff_t dilationY,
                                   const int16_t *w, int32_t *sums) {
  __m256i f[6];
  for (int i = 0; i < 3; i++) {
    f[2 * i] = _mm256_set1_epi32(weight_pair(w[3 * i], w[3 * i + 1]));
    f[2 * i + 1] = _mm256_set1_epi32(weight_pair(w[3 * i + 2], 0));
  }
  const ptrdiff_t step = 2 * dilationY * pitch;
  for (ptrdiff_t oy = 0; oy < outHeight; oy++) {
    const int16_t *top = pairs + 2 * oy * strideY * pitch;
    int32_t *row = sums + oy * outWidth;
    for (ptrdiff_t ox = 0; ox < outWidth; ox += 8) {
      __m256i acc = _mm256_setzero_si256();
      for (int i = 0; i < 3; i++) {
        const int16_t *line = top + i * step + 2 * ox;
        acc = _mm256_add_epi32(
            acc, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)line),
                                   f[2 * i]));
        acc = _mm256_add_epi32(
            acc, _mm256_madd_epi16(
                     _mm256_loadu_si256((const __m256i *)(line + 4)),
                     f[2 * i + 1]));
      }
      if (ox + 8 <= outWidth) {
        _mm256_storeu_si256((__m256i *)(row + ox), acc);
      } else {
        int32_t lanes[8];
        _mm256_storeu_si256((__m256i *)lanes, acc);
        for (ptrdiff_t l = 0; ox + l < outWidth; l++) {
          row[ox + l] = lanes[l];
        }
      }
    }
  }
}

// Sixteen outputs per 512-bit pair product (`vpdpwssd`); a row's last
// block loads and stores only its own lanes.
static W3_AVX512 void window3x3_avx512(const int16_t *pairs, ptrdiff_t pitch,
                                       ptrdiff_t outHeight,
                                       ptrdiff_t outWidth, ptrdiff_t strideY,
                                       ptrdiff_t dilationY, const int16_t *w,
                                       int32_t *sums) {
  __m512i f[6];
  for (int i = 0; i < 3; i++) {
    f[2 * i] = _mm512_set1_epi32(weight_pair(w[3 * i], w[3 * i + 1]));
    f[2 * i + 1] = _mm512_set1_epi32(weight_pair(w[3 * i + 2], 0));
  }
  const ptrdiff_t step = 2 * dilationY * pitch;
  for (ptrdiff_t oy = 0; oy < outHeight; oy++) {
    const int16_t *top = pairs + 2 * oy * strideY * pitch;
    int32_t *row = sums + oy * outWidth;
    for (ptrdiff_t ox = 0; ox < outWidth; ox += 16) {
      const ptrdiff_t n = outWidth - ox < 16 ? outWidth - ox : 16;
      const __mmask16 m = (__mmask16)((1u << n) - 1);
      const __mmask32 lanes = (__mmask32)((1ull << (2 * n)) - 1);
      __m512i acc = _mm512_setzero_si512();
      for (int i = 0; i < 3; i++) {
        const int16_t *line = top + i * step + 2 * ox;
        acc = _mm512_dpwssd_epi32(acc, _mm512_maskz_loadu_epi16(lanes, line),
                                  f[2 * i]);
        acc = _mm512_dpwssd_epi32(
            acc, _mm512_maskz_loadu_epi16(lanes, line + 4), f[2 * i + 1]);
      }
      _mm512_mask_storeu_epi32(row + ox, m, acc);
    }
  }
}
#endif

void edgesim_window3x3_sums_i16(const int16_t *pairs, ptrdiff_t pitch,
                                ptrdiff_t outHeight, ptrdiff_t outWidth,
                                ptrdiff_t strideY, ptrdiff_t dilationY,
                                const int16_t *w, int32_t *sums) {
  edgesim_window3x3_sums_i16_on(edgesim_kernels_current(), pairs, pitch,
                                outHeight, outWidth, strideY, dilationY, w,
                                sums);
}

void edgesim_window3x3_sums_i16_on(EdgeSimKernels path, const int16_t *pairs,
                                   ptrdiff_t pitch, ptrdiff_t outHeight,
                                   ptrdiff_t outWidth, ptrdiff_t strideY,
                                   ptrdiff_t dilationY, const int16_t *w,
                                   int32_t *sums) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    window3x3_avx512(pairs, pitch, outHeight, outWidth, strideY, dilationY, w,
                     sums);
    return;
  case EdgeSimKernelsAVX2:
    window3x3_avx2(pairs, pitch, outHeight, outWidth, strideY, dilationY, w,
                   sums);
    return;
#endif
  default:
    window3x3_portable(pairs, pitch, outHeight, outWidth, strideY, dilationY,
                       w, sums);
  }
}
