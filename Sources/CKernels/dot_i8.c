// The Int8 dot products (issue #19): the sums of edgesim_dot_i16 for
// weights and inputs whose raws fit Int8, four products per Int32 lane.
//
// AVX-512 VNNI's vpdpbusd multiplies unsigned by signed bytes, so each input
// x is offset to u = x + 128 (0…255) and the sum corrected:
//   Σ w·x = Σ w·u − 128 · Σ w.
// vpdpbusd adds its four exact products (each |u·w| ≤ 255 · 128, their sum
// within ±2^17) to the Int32 lane without saturating, i.e. modulo 2^32, like
// the correction's subtraction. Arithmetic modulo 2^32 does not depend on
// the order or grouping of the terms, so the result is Σ w·x modulo 2^32:
// bit for bit the wrapping Int32 sum of edgesim_dot_i16, whatever K, and
// the exact sum whenever it fits Int32 (the executor's load-time bound).
// No partial sum needs a bound of its own.
#include "CKernels.h"
#include "paths.h"

static void dot_i8_portable(const int8_t *w, ptrdiff_t rows,
                            const int16_t *x, ptrdiff_t columns,
                            ptrdiff_t stride, int32_t *out,
                            ptrdiff_t rowStride) {
  for (ptrdiff_t q = 0; q < columns; q++) {
    const int16_t *xq = x + q * stride;
    for (ptrdiff_t r = 0; r < rows; r++) {
      const int8_t *wr = w + r * stride;
      uint32_t s = 0;
      for (ptrdiff_t k = 0; k < stride; k++) {
        s += (uint32_t)((int32_t)xq[k] * (int32_t)wr[k]);
      }
      out[r * rowStride + q] = (int32_t)s;
    }
  }
}

#if EDGESIM_X86
#include <immintrin.h>

#define VNNI __attribute__((target("avx2,avx512f,avx512bw,avx512vnni")))

// A block of the AVX-512 kernel: up to I8_COLUMNS input columns by
// I8_DEPTH lanes of K (both buffers below hold 16 KiB, on the stack).
enum { I8_COLUMNS = 32, I8_DEPTH = 512 };

// Four weight bytes read as one Int32, aliasing allowed.
typedef int32_t __attribute__((may_alias, aligned(1))) byte_quad_t;

// R rows (R ≤ 6) by V · 16 columns over `quads` quads of the block: each
// sum starts from `start` (the correction, or the sums of earlier blocks of
// K) and adds w[r][4t…4t+3] · u[4t…4t+3] for every quad t.
static inline VNNI __attribute__((always_inline)) void
dot_i8_tile(const int R, const int V, const int8_t *w, ptrdiff_t stride,
            const __m512i *block, ptrdiff_t quads, int first,
            const int32_t *wsums, int32_t *out, ptrdiff_t rowStride,
            __mmask16 m0, __mmask16 m1) {
  __m512i acc[6][2];
  for (int i = 0; i < R; i++) {
    if (first) {
      // −128 · Σ w, wrapping.
      const __m512i c = _mm512_set1_epi32(
          (int32_t)((uint32_t)0 - ((uint32_t)wsums[i] << 7)));
      acc[i][0] = c;
      acc[i][1] = c;
    } else {
      acc[i][0] = _mm512_maskz_loadu_epi32(m0, out + i * rowStride);
      if (V == 2) {
        acc[i][1] = _mm512_maskz_loadu_epi32(m1, out + i * rowStride + 16);
      }
    }
  }
  for (ptrdiff_t t = 0; t < quads; t++) {
    const __m512i u0 = block[2 * t];
    const __m512i u1 = block[2 * t + 1];
    for (int i = 0; i < R; i++) {
      const __m512i b =
          _mm512_set1_epi32(*(const byte_quad_t *)(w + i * stride + 4 * t));
      acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], u0, b);
      if (V == 2) {
        acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], u1, b);
      }
    }
  }
  for (int i = 0; i < R; i++) {
    _mm512_mask_storeu_epi32(out + i * rowStride, m0, acc[i][0]);
    if (V == 2) {
      _mm512_mask_storeu_epi32(out + i * rowStride + 16, m1, acc[i][1]);
    }
  }
}

// Every row against one block of columns and K.
static inline VNNI __attribute__((always_inline)) void
dot_i8_rows(const int V, const int8_t *w, ptrdiff_t rows, ptrdiff_t stride,
            const __m512i *block, ptrdiff_t quads, int first,
            const int32_t *wsums, int32_t *out, ptrdiff_t rowStride,
            __mmask16 m0, __mmask16 m1) {
  ptrdiff_t r = 0;
  for (; r + 6 <= rows; r += 6) {
    dot_i8_tile(6, V, w + r * stride, stride, block, quads, first, wsums + r,
                out + r * rowStride, rowStride, m0, m1);
  }
  for (; r < rows; r++) {
    dot_i8_tile(1, V, w + r * stride, stride, block, quads, first, wsums + r,
                out + r * rowStride, rowStride, m0, m1);
  }
}

// Columns in blocks of 32: their Int16 lanes are offset to bytes (u = x +
// 128) column by column, then gathered into quads [t][column], so that every
// weight row adds its broadcast quad times 16 columns per instruction and
// no sum needs a horizontal reduction. K runs in blocks of I8_DEPTH lanes,
// each continuing from the sums the previous one stored.
static VNNI void dot_i8_avx512(const int8_t *w, ptrdiff_t rows,
                               const int32_t *wsums, const int16_t *x,
                               ptrdiff_t columns, ptrdiff_t stride,
                               int32_t *out, ptrdiff_t rowStride) {
  uint8_t bytes[I8_COLUMNS * I8_DEPTH] __attribute__((aligned(64)));
  __m512i block[I8_DEPTH / 4 * 2];
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6,
                                         5, 4, 3, 2, 1, 0);
  const __m512i offset512 = _mm512_set1_epi16(128);
  for (ptrdiff_t q = 0; q < columns; q += I8_COLUMNS) {
    const ptrdiff_t n =
        columns - q < I8_COLUMNS ? columns - q : (ptrdiff_t)I8_COLUMNS;
    const __mmask16 m0 = n >= 16 ? (__mmask16)0xffff
                                 : (__mmask16)((1u << n) - 1);
    const __mmask16 m1 = n >= 32 ? (__mmask16)0xffff
                         : n > 16 ? (__mmask16)((1u << (n - 16)) - 1)
                                  : (__mmask16)0;
    for (ptrdiff_t k0 = 0; k0 < stride; k0 += I8_DEPTH) {
      const ptrdiff_t kc =
          stride - k0 < I8_DEPTH ? stride - k0 : (ptrdiff_t)I8_DEPTH;
      const ptrdiff_t quads = kc / 4;
      for (ptrdiff_t c = 0; c < n; c++) {
        const int16_t *source = x + (q + c) * stride + k0;
        uint8_t *target = bytes + c * kc;
        for (ptrdiff_t k = 0; k < kc; k += 32) {
          const __mmask32 m =
              kc - k >= 32 ? (__mmask32)0xffffffffu
                           : (__mmask32)((1u << (kc - k)) - 1);
          const __m512i v = _mm512_add_epi16(
              _mm512_maskz_loadu_epi16(m, source + k), offset512);
          _mm512_mask_cvtepi16_storeu_epi8(target + k, m, v);
        }
      }
      const __m512i index0 = _mm512_mullo_epi32(
          lanes, _mm512_set1_epi32((int32_t)kc));
      const __m512i index1 = _mm512_add_epi32(
          index0, _mm512_set1_epi32((int32_t)(16 * kc)));
      for (ptrdiff_t t = 0; t < quads; t++) {
        const void *base = bytes + 4 * t;
        block[2 * t] = _mm512_mask_i32gather_epi32(
            _mm512_setzero_si512(), m0, index0, base, 1);
        block[2 * t + 1] =
            m1 ? _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), m1,
                                             index1, base, 1)
               : _mm512_setzero_si512();
      }
      if (m1) {
        dot_i8_rows(2, w + k0, rows, stride, block, quads, k0 == 0, wsums,
                    out + q, rowStride, m0, m1);
      } else {
        dot_i8_rows(1, w + k0, rows, stride, block, quads, k0 == 0, wsums,
                    out + q, rowStride, m0, m1);
      }
    }
  }
}
#endif

int edgesim_dot_i8_native(void) {
  return edgesim_kernels_current() == EdgeSimKernelsAVX512;
}

void edgesim_dot_i8(const int8_t *w, ptrdiff_t rows, const int32_t *wsums,
                    const int16_t *x, ptrdiff_t columns, ptrdiff_t stride,
                    int32_t *out, ptrdiff_t rowStride) {
  edgesim_dot_i8_on(edgesim_kernels_current(), w, rows, wsums, x, columns,
                    stride, out, rowStride);
}

void edgesim_dot_i8_on(EdgeSimKernels path, const int8_t *w, ptrdiff_t rows,
                       const int32_t *wsums, const int16_t *x,
                       ptrdiff_t columns, ptrdiff_t stride, int32_t *out,
                       ptrdiff_t rowStride) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    dot_i8_avx512(w, rows, wsums, x, columns, stride, out, rowStride);
    return;
#endif
  default:
    (void)wsums;
    dot_i8_portable(w, rows, x, columns, stride, out, rowStride);
  }
}
