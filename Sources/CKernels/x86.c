// The x86-64 paths, each function built for its own instruction set with
// a target attribute (the package needs no compiler flags); dispatch.c
// calls them only after the CPU check.
#include "paths.h"

#pragma STDC FP_CONTRACT OFF

#if EDGESIM_X86
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))
#define AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vnni")))

// The four lane sums of four vectors, as [Σa, Σb, Σc, Σd].
static inline AVX2 __m128i sums4_256(__m256i a, __m256i b, __m256i c,
                                     __m256i d) {
  __m256i ab = _mm256_hadd_epi32(a, b);
  __m256i cd = _mm256_hadd_epi32(c, d);
  __m256i abcd = _mm256_hadd_epi32(ab, cd);
  return _mm_add_epi32(_mm256_castsi256_si128(abcd),
                       _mm256_extracti128_si256(abcd, 1));
}

static inline AVX2 int32_t sum_256(__m256i a) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(a),
                            _mm256_extracti128_si256(a, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
  return _mm_cvtsi128_si32(s);
}

static inline AVX2 void store4(int32_t *o, ptrdiff_t rowStride, __m128i v) {
  o[0] = _mm_extract_epi32(v, 0);
  o[rowStride] = _mm_extract_epi32(v, 1);
  o[2 * rowStride] = _mm_extract_epi32(v, 2);
  o[3 * rowStride] = _mm_extract_epi32(v, 3);
}

// Pair sums of 16 (or, at the end, 8) lanes added to `acc`.
static inline AVX2 __m256i madd16(__m256i acc, const int16_t *a,
                                  const int16_t *b) {
  __m256i u = _mm256_loadu_si256((const __m256i *)a);
  __m256i v = _mm256_loadu_si256((const __m256i *)b);
  return _mm256_add_epi32(acc, _mm256_madd_epi16(u, v));
}

static inline AVX2 __m256i madd8(__m256i acc, const int16_t *a,
                                 const int16_t *b) {
  __m128i u = _mm_loadu_si128((const __m128i *)a);
  __m128i v = _mm_loadu_si128((const __m128i *)b);
  return _mm256_add_epi32(acc,
                          _mm256_zextsi128_si256(_mm_madd_epi16(u, v)));
}

AVX2 void edgesim_dot_i16_avx2(const int16_t *w, ptrdiff_t rows,
                               const int16_t *x, ptrdiff_t columns,
                               ptrdiff_t stride, int32_t *out,
                               ptrdiff_t rowStride, ptrdiff_t columnStride) {
  const ptrdiff_t full = stride & ~(ptrdiff_t)15;
  const int tail = stride != full;
  // Two input columns by four weight rows per pass; a last single column
  // is paired with itself and stored once.
  for (ptrdiff_t q = 0; q < columns; q += 2) {
    const int pair = q + 1 < columns;
    const int16_t *x0 = x + q * stride;
    const int16_t *x1 = pair ? x0 + stride : x0;
    int32_t *o0 = out + q * columnStride;
    int32_t *o1 = o0 + columnStride;
    ptrdiff_t r = 0;
    for (; r + 4 <= rows; r += 4) {
      const int16_t *w0 = w + r * stride;
      const int16_t *w1 = w0 + stride;
      const int16_t *w2 = w1 + stride;
      const int16_t *w3 = w2 + stride;
      __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
      __m256i b0 = a0, b1 = a0, b2 = a0, b3 = a0;
      for (ptrdiff_t k = 0; k < full; k += 16) {
        a0 = madd16(a0, x0 + k, w0 + k);
        b0 = madd16(b0, x1 + k, w0 + k);
        a1 = madd16(a1, x0 + k, w1 + k);
        b1 = madd16(b1, x1 + k, w1 + k);
        a2 = madd16(a2, x0 + k, w2 + k);
        b2 = madd16(b2, x1 + k, w2 + k);
        a3 = madd16(a3, x0 + k, w3 + k);
        b3 = madd16(b3, x1 + k, w3 + k);
      }
      if (tail) {
        a0 = madd8(a0, x0 + full, w0 + full);
        b0 = madd8(b0, x1 + full, w0 + full);
        a1 = madd8(a1, x0 + full, w1 + full);
        b1 = madd8(b1, x1 + full, w1 + full);
        a2 = madd8(a2, x0 + full, w2 + full);
        b2 = madd8(b2, x1 + full, w2 + full);
        a3 = madd8(a3, x0 + full, w3 + full);
        b3 = madd8(b3, x1 + full, w3 + full);
      }
      store4(o0 + r * rowStride, rowStride, sums4_256(a0, a1, a2, a3));
      if (pair) {
        store4(o1 + r * rowStride, rowStride, sums4_256(b0, b1, b2, b3));
      }
    }
    for (; r < rows; r++) {
      const int16_t *wr = w + r * stride;
      __m256i a = _mm256_setzero_si256(), b = a;
      for (ptrdiff_t k = 0; k < full; k += 16) {
        a = madd16(a, x0 + k, wr + k);
        b = madd16(b, x1 + k, wr + k);
      }
      if (tail) {
        a = madd8(a, x0 + full, wr + full);
        b = madd8(b, x1 + full, wr + full);
      }
      o0[r * rowStride] = sum_256(a);
      if (pair) {
        o1[r * rowStride] = sum_256(b);
      }
    }
  }
}

// 32 lanes of pair products added to `acc` (vpdpwssd: exact products, sums
// wrapping in Int32, like vpmaddwd then vpaddd).
static inline AVX512 __m512i dp32(__m512i acc, __m512i u, const int16_t *b,
                                  __mmask32 mask) {
  return _mm512_dpwssd_epi32(acc, u, _mm512_maskz_loadu_epi16(mask, b));
}

static inline AVX512 __m256i halves(__m512i a) {
  return _mm256_add_epi32(_mm512_castsi512_si256(a),
                          _mm512_extracti64x4_epi64(a, 1));
}

// The most lanes of K for which the output-column kernel below keeps its
// transposed block (K/2 pairs × 16 columns of Int32, 16 KiB) on the stack.
#define COLUMN_BLOCK_STRIDE 512

// Two Int16 lanes read as one Int32 (a pair of terms), aliasing allowed.
typedef int32_t __attribute__((may_alias)) pair_t;

// Sixteen output columns at a time, one lane each: the columns' pairs of
// terms are gathered once into a block [K/2][16] and every weight row adds
// its broadcast pair times the block's rows, so no sum needs a horizontal
// reduction (which, for the small K of pointwise layers on large images,
// cost more than the products). Only for out[r · rowStride + q] (column
// stride 1); the same wrapping Int32 sums as the kernel below.
static AVX512 void dot_avx512_columns(const int16_t *w, ptrdiff_t rows,
                                      const int16_t *x, ptrdiff_t columns,
                                      ptrdiff_t stride, int32_t *out,
                                      ptrdiff_t rowStride) {
  const ptrdiff_t pairs = stride / 2;
  __m512i block[COLUMN_BLOCK_STRIDE / 2];
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6,
                                         5, 4, 3, 2, 1, 0);
  const __m512i offsets = _mm512_mullo_epi32(lanes, _mm512_set1_epi32(
                                                        (int32_t)pairs));
  for (ptrdiff_t q = 0; q < columns; q += 16) {
    const ptrdiff_t n = columns - q < 16 ? columns - q : 16;
    const __mmask16 mask = (__mmask16)((1u << n) - 1);
    const pair_t *base = (const pair_t *)(x + q * stride);
    for (ptrdiff_t t = 0; t < pairs; t++) {
      block[t] = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), mask,
                                             offsets, base + t, 4);
    }
    int32_t *o = out + q;
    ptrdiff_t r = 0;
    for (; r + 4 <= rows; r += 4) {
      const pair_t *w0 = (const pair_t *)(w + r * stride);
      const pair_t *w1 = w0 + pairs, *w2 = w1 + pairs, *w3 = w2 + pairs;
      __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
      for (ptrdiff_t t = 0; t < pairs; t++) {
        const __m512i v = block[t];
        a0 = _mm512_dpwssd_epi32(a0, v, _mm512_set1_epi32(w0[t]));
        a1 = _mm512_dpwssd_epi32(a1, v, _mm512_set1_epi32(w1[t]));
        a2 = _mm512_dpwssd_epi32(a2, v, _mm512_set1_epi32(w2[t]));
        a3 = _mm512_dpwssd_epi32(a3, v, _mm512_set1_epi32(w3[t]));
      }
      _mm512_mask_storeu_epi32(o + r * rowStride, mask, a0);
      _mm512_mask_storeu_epi32(o + (r + 1) * rowStride, mask, a1);
      _mm512_mask_storeu_epi32(o + (r + 2) * rowStride, mask, a2);
      _mm512_mask_storeu_epi32(o + (r + 3) * rowStride, mask, a3);
    }
    for (; r < rows; r++) {
      const pair_t *wr = (const pair_t *)(w + r * stride);
      __m512i a = _mm512_setzero_si512();
      for (ptrdiff_t t = 0; t < pairs; t++) {
        a = _mm512_dpwssd_epi32(a, block[t], _mm512_set1_epi32(wr[t]));
      }
      _mm512_mask_storeu_epi32(o + r * rowStride, mask, a);
    }
  }
}

AVX512 void edgesim_dot_i16_avx512(const int16_t *w, ptrdiff_t rows,
                                   const int16_t *x, ptrdiff_t columns,
                                   ptrdiff_t stride, int32_t *out,
                                   ptrdiff_t rowStride,
                                   ptrdiff_t columnStride) {
  if (columnStride == 1 && stride <= COLUMN_BLOCK_STRIDE) {
    dot_avx512_columns(w, rows, x, columns, stride, out, rowStride);
    return;
  }
  const ptrdiff_t full = stride & ~(ptrdiff_t)31;
  const __mmask32 all = 0xffffffffu;
  const __mmask32 tail = (__mmask32)((1ull << (stride - full)) - 1);
  for (ptrdiff_t q = 0; q < columns; q += 2) {
    const int pair = q + 1 < columns;
    const int16_t *x0 = x + q * stride;
    const int16_t *x1 = pair ? x0 + stride : x0;
    int32_t *o0 = out + q * columnStride;
    int32_t *o1 = o0 + columnStride;
    ptrdiff_t r = 0;
    for (; r + 4 <= rows; r += 4) {
      const int16_t *w0 = w + r * stride;
      const int16_t *w1 = w0 + stride;
      const int16_t *w2 = w1 + stride;
      const int16_t *w3 = w2 + stride;
      __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
      __m512i b0 = a0, b1 = a0, b2 = a0, b3 = a0;
      for (ptrdiff_t k = 0; k < full; k += 32) {
        __m512i u = _mm512_loadu_si512(x0 + k);
        __m512i v = _mm512_loadu_si512(x1 + k);
        a0 = dp32(a0, u, w0 + k, all);
        b0 = dp32(b0, v, w0 + k, all);
        a1 = dp32(a1, u, w1 + k, all);
        b1 = dp32(b1, v, w1 + k, all);
        a2 = dp32(a2, u, w2 + k, all);
        b2 = dp32(b2, v, w2 + k, all);
        a3 = dp32(a3, u, w3 + k, all);
        b3 = dp32(b3, v, w3 + k, all);
      }
      if (tail) {
        __m512i u = _mm512_maskz_loadu_epi16(tail, x0 + full);
        __m512i v = _mm512_maskz_loadu_epi16(tail, x1 + full);
        a0 = dp32(a0, u, w0 + full, tail);
        b0 = dp32(b0, v, w0 + full, tail);
        a1 = dp32(a1, u, w1 + full, tail);
        b1 = dp32(b1, v, w1 + full, tail);
        a2 = dp32(a2, u, w2 + full, tail);
        b2 = dp32(b2, v, w2 + full, tail);
        a3 = dp32(a3, u, w3 + full, tail);
        b3 = dp32(b3, v, w3 + full, tail);
      }
      store4(o0 + r * rowStride, rowStride,
             sums4_256(halves(a0), halves(a1), halves(a2), halves(a3)));
      if (pair) {
        store4(o1 + r * rowStride, rowStride,
               sums4_256(halves(b0), halves(b1), halves(b2), halves(b3)));
      }
    }
    for (; r < rows; r++) {
      const int16_t *wr = w + r * stride;
      __m512i a = _mm512_setzero_si512(), b = a;
      for (ptrdiff_t k = 0; k < full; k += 32) {
        a = dp32(a, _mm512_loadu_si512(x0 + k), wr + k, all);
        b = dp32(b, _mm512_loadu_si512(x1 + k), wr + k, all);
      }
      if (tail) {
        a = dp32(a, _mm512_maskz_loadu_epi16(tail, x0 + full), wr + full,
                 tail);
        b = dp32(b, _mm512_maskz_loadu_epi16(tail, x1 + full), wr + full,
                 tail);
      }
      o0[r * rowStride] = sum_256(halves(a));
      if (pair) {
        o1[r * rowStride] = sum_256(halves(b));
      }
    }
  }
}

// Float: each output j of row i is out + a·b, product rounded, then added,
// k ascending; the lanes are 8 (AVX2) or 16 (AVX-512) adjacent j. Four rows
// at a time share each loaded row of b.

#define MULADD256(o, av, bv) o = _mm256_add_ps(o, _mm256_mul_ps(av, bv))
#define MULADD512(o, av, bv) o = _mm512_add_ps(o, _mm512_mul_ps(av, bv))

// The blocks of the float GEMM: KC values of k by NC columns, so that the
// block of b a row block reads stays in the core's caches (the whole b,
// K × P for a convolution, does not). Each output still takes its products
// k ascending (a block starts from the sums the previous block stored), so
// the blocking changes no bit.
enum { SGEMM_KC = 256, SGEMM_NC = 256 };
#define SGEMM_STRIDES ptrdiff_t lda, ptrdiff_t ldb, ptrdiff_t ldo

// Columns [j, n) of rows i..i+rows-1 (rows ≤ 4), one scalar at a time.
static inline void sgemm_scalar_columns(const float *a, ptrdiff_t rows,
                                        ptrdiff_t k, const float *b,
                                        ptrdiff_t n, float *out, ptrdiff_t j,
                                        SGEMM_STRIDES) {
  for (ptrdiff_t r = 0; r < rows; r++) {
    const float *ar = a + r * lda;
    float *o = out + r * ldo;
    for (ptrdiff_t c = j; c < n; c++) {
      float s = o[c];
      for (ptrdiff_t kk = 0; kk < k; kk++) {
        float product = ar[kk] * b[kk * ldb + c];
        s = s + product;
      }
      o[c] = s;
    }
  }
}

static AVX2 void sgemm_block_avx2(const float *a, ptrdiff_t m, ptrdiff_t k,
                                  const float *b, ptrdiff_t n, float *out,
                                  SGEMM_STRIDES) {
  ptrdiff_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const float *a0 = a + i * lda, *a1 = a0 + lda, *a2 = a1 + lda,
                *a3 = a2 + lda;
    float *o0 = out + i * ldo, *o1 = o0 + ldo, *o2 = o1 + ldo, *o3 = o2 + ldo;
    ptrdiff_t j = 0;
    for (; j + 16 <= n; j += 16) {
      __m256 c00 = _mm256_loadu_ps(o0 + j), c01 = _mm256_loadu_ps(o0 + j + 8);
      __m256 c10 = _mm256_loadu_ps(o1 + j), c11 = _mm256_loadu_ps(o1 + j + 8);
      __m256 c20 = _mm256_loadu_ps(o2 + j), c21 = _mm256_loadu_ps(o2 + j + 8);
      __m256 c30 = _mm256_loadu_ps(o3 + j), c31 = _mm256_loadu_ps(o3 + j + 8);
      for (ptrdiff_t kk = 0; kk < k; kk++) {
        const float *bk = b + kk * ldb + j;
        __m256 v0 = _mm256_loadu_ps(bk), v1 = _mm256_loadu_ps(bk + 8);
        __m256 s;
        s = _mm256_set1_ps(a0[kk]);
        MULADD256(c00, s, v0);
        MULADD256(c01, s, v1);
        s = _mm256_set1_ps(a1[kk]);
        MULADD256(c10, s, v0);
        MULADD256(c11, s, v1);
        s = _mm256_set1_ps(a2[kk]);
        MULADD256(c20, s, v0);
        MULADD256(c21, s, v1);
        s = _mm256_set1_ps(a3[kk]);
        MULADD256(c30, s, v0);
        MULADD256(c31, s, v1);
      }
      _mm256_storeu_ps(o0 + j, c00), _mm256_storeu_ps(o0 + j + 8, c01);
      _mm256_storeu_ps(o1 + j, c10), _mm256_storeu_ps(o1 + j + 8, c11);
      _mm256_storeu_ps(o2 + j, c20), _mm256_storeu_ps(o2 + j + 8, c21);
      _mm256_storeu_ps(o3 + j, c30), _mm256_storeu_ps(o3 + j + 8, c31);
    }
    for (; j + 8 <= n; j += 8) {
      __m256 c0 = _mm256_loadu_ps(o0 + j), c1 = _mm256_loadu_ps(o1 + j);
      __m256 c2 = _mm256_loadu_ps(o2 + j), c3 = _mm256_loadu_ps(o3 + j);
      for (ptrdiff_t kk = 0; kk < k; kk++) {
        __m256 v = _mm256_loadu_ps(b + kk * ldb + j);
        MULADD256(c0, _mm256_set1_ps(a0[kk]), v);
        MULADD256(c1, _mm256_set1_ps(a1[kk]), v);
        MULADD256(c2, _mm256_set1_ps(a2[kk]), v);
        MULADD256(c3, _mm256_set1_ps(a3[kk]), v);
      }
      _mm256_storeu_ps(o0 + j, c0), _mm256_storeu_ps(o1 + j, c1);
      _mm256_storeu_ps(o2 + j, c2), _mm256_storeu_ps(o3 + j, c3);
    }
    sgemm_scalar_columns(a0, 4, k, b, n, o0, j, lda, ldb, ldo);
  }
  for (; i < m; i++) {
    const float *ai = a + i * lda;
    float *o = out + i * ldo;
    ptrdiff_t j = 0;
    for (; j + 8 <= n; j += 8) {
      __m256 c = _mm256_loadu_ps(o + j);
      for (ptrdiff_t kk = 0; kk < k; kk++) {
        MULADD256(c, _mm256_set1_ps(ai[kk]),
                  _mm256_loadu_ps(b + kk * ldb + j));
      }
      _mm256_storeu_ps(o + j, c);
    }
    sgemm_scalar_columns(ai, 1, k, b, n, o, j, lda, ldb, ldo);
  }
}

static AVX512 void sgemm_block_avx512(const float *a, ptrdiff_t m,
                                      ptrdiff_t k, const float *b,
                                      ptrdiff_t n, float *out,
                                      SGEMM_STRIDES) {
  ptrdiff_t i = 0;
  // Eight rows by 32 columns: 16 sums in registers, each loaded row of b
  // shared by eight rows.
  for (; i + 8 <= m; i += 8) {
    const float *ar = a + i * lda;
    float *o = out + i * ldo;
    ptrdiff_t j = 0;
    for (; j + 32 <= n; j += 32) {
      __m512 c[8][2];
#pragma clang loop unroll(full)
      for (int r = 0; r < 8; r++) {
        c[r][0] = _mm512_loadu_ps(o + r * ldo + j);
        c[r][1] = _mm512_loadu_ps(o + r * ldo + j + 16);
      }
      for (ptrdiff_t kk = 0; kk < k; kk++) {
        const float *bk = b + kk * ldb + j;
        __m512 v0 = _mm512_loadu_ps(bk), v1 = _mm512_loadu_ps(bk + 16);
#pragma clang loop unroll(full)
        for (int r = 0; r < 8; r++) {
          __m512 s = _mm512_set1_ps(ar[r * lda + kk]);
          MULADD512(c[r][0], s, v0);
          MULADD512(c[r][1], s, v1);
        }
      }
#pragma clang loop unroll(full)
      for (int r = 0; r < 8; r++) {
        _mm512_storeu_ps(o + r * ldo + j, c[r][0]);
        _mm512_storeu_ps(o + r * ldo + j + 16, c[r][1]);
      }
    }
    for (; j < n; j += 16) {
      // The last 31 or fewer columns, 16 at a time, masked.
      __mmask16 mask =
          n - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - j)) - 1);
      __m512 c[8];
#pragma clang loop unroll(full)
      for (int r = 0; r < 8; r++) {
        c[r] = _mm512_maskz_loadu_ps(mask, o + r * ldo + j);
      }
      for (ptrdiff_t kk = 0; kk < k; kk++) {
        __m512 v = _mm512_maskz_loadu_ps(mask, b + kk * ldb + j);
#pragma clang loop unroll(full)
        for (int r = 0; r < 8; r++) {
          MULADD512(c[r], _mm512_set1_ps(ar[r * lda + kk]), v);
        }
      }
#pragma clang loop unroll(full)
      for (int r = 0; r < 8; r++) {
        _mm512_mask_storeu_ps(o + r * ldo + j, mask, c[r]);
      }
    }
  }
  for (; i + 4 <= m; i += 4) {
    const float *a0 = a + i * lda, *a1 = a0 + lda, *a2 = a1 + lda,
                *a3 = a2 + lda;
    float *o0 = out + i * ldo, *o1 = o0 + ldo, *o2 = o1 + ldo, *o3 = o2 + ldo;
    ptrdiff_t j = 0;
    for (; j + 32 <= n; j += 32) {
      __m512 c00 = _mm512_loadu_ps(o0 + j), c01 = _mm512_loadu_ps(o0 + j + 16);
      __m512 c10 = _mm512_loadu_ps(o1 + j), c11 = _mm512_loadu_ps(o1 + j + 16);
      __m512 c20 = _mm512_loadu_ps(o2 + j), c21 = _mm512_loadu_ps(o2 + j + 16);
      __m512 c30 = _mm512_loadu_ps(o3 + j), c31 = _mm512_loadu_ps(o3 + j + 16);
      for (ptrdiff_t kk = 0; kk < k; kk++) {
        const float *bk = b + kk * ldb + j;
        __m512 v0 = _mm512_loadu_ps(bk), v1 = _mm512_loadu_ps(bk + 16);
        __m512 s;
        s = _mm512_set1_ps(a0[kk]);
        MULADD512(c00, s, v0);
        MULADD512(c01, s, v1);
        s = _mm512_set1_ps(a1[kk]);
        MULADD512(c10, s, v0);
        MULADD512(c11, s, v1);
        s = _mm512_set1_ps(a2[kk]);
        MULADD512(c20, s, v0);
        MULADD512(c21, s, v1);
        s = _mm512_set1_ps(a3[kk]);
        MULADD512(c30, s, v0);
        MULADD512(c31, s, v1);
      }
      _mm512_storeu_ps(o0 + j, c00), _mm512_storeu_ps(o0 + j + 16, c01);
      _mm512_storeu_ps(o1 + j, c10), _mm512_storeu_ps(o1 + j + 16, c11);
      _mm512_storeu_ps(o2 + j, c20), _mm512_storeu_ps(o2 + j + 16, c21);
      _mm512_storeu_ps(o3 + j, c30), _mm512_storeu_ps(o3 + j + 16, c31);
    }
    for (; j < n; j += 16) {
      // The last 16 or fewer columns, masked.
      __mmask16 mask =
          n - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - j)) - 1);
      __m512 c0 = _mm512_maskz_loadu_ps(mask, o0 + j);
      __m512 c1 = _mm512_maskz_loadu_ps(mask, o1 + j);
      __m512 c2 = _mm512_maskz_loadu_ps(mask, o2 + j);
      __m512 c3 = _mm512_maskz_loadu_ps(mask, o3 + j);
      for (ptrdiff_t kk = 0; kk < k; kk++) {
        __m512 v = _mm512_maskz_loadu_ps(mask, b + kk * ldb + j);
        MULADD512(c0, _mm512_set1_ps(a0[kk]), v);
        MULADD512(c1, _mm512_set1_ps(a1[kk]), v);
        MULADD512(c2, _mm512_set1_ps(a2[kk]), v);
        MULADD512(c3, _mm512_set1_ps(a3[kk]), v);
      }
      _mm512_mask_storeu_ps(o0 + j, mask, c0);
      _mm512_mask_storeu_ps(o1 + j, mask, c1);
      _mm512_mask_storeu_ps(o2 + j, mask, c2);
      _mm512_mask_storeu_ps(o3 + j, mask, c3);
    }
  }
  for (; i < m; i++) {
    const float *ai = a + i * lda;
    float *o = out + i * ldo;
    for (ptrdiff_t j = 0; j < n; j += 16) {
      __mmask16 mask =
          n - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - j)) - 1);
      __m512 c = _mm512_maskz_loadu_ps(mask, o + j);
      for (ptrdiff_t kk = 0; kk < k; kk++) {
        MULADD512(c, _mm512_set1_ps(ai[kk]),
                  _mm512_maskz_loadu_ps(mask, b + kk * ldb + j));
      }
      _mm512_mask_storeu_ps(o + j, mask, c);
    }
  }
}

// out (m × n, rows ldo apart) += a (m × k) · b (k × n), block by block.
#define SGEMM_BLOCKED(kernel)                                                  \
  for (ptrdiff_t k0 = 0; k0 < k; k0 += SGEMM_KC) {                             \
    const ptrdiff_t kc = k - k0 < SGEMM_KC ? k - k0 : SGEMM_KC;                \
    for (ptrdiff_t j0 = 0; j0 < n; j0 += SGEMM_NC) {                           \
      const ptrdiff_t nc = n - j0 < SGEMM_NC ? n - j0 : SGEMM_NC;              \
      kernel(a + k0, m, kc, b + k0 * n + j0, nc, out + j0, k, n, n);           \
    }                                                                          \
  }

AVX2 void edgesim_sgemm_avx2(const float *a, ptrdiff_t m, ptrdiff_t k,
                             const float *b, ptrdiff_t n, float *out) {
  SGEMM_BLOCKED(sgemm_block_avx2)
}

AVX512 void edgesim_sgemm_avx512(const float *a, ptrdiff_t m, ptrdiff_t k,
                                 const float *b, ptrdiff_t n, float *out) {
  SGEMM_BLOCKED(sgemm_block_avx512)
}

// edgesim_sgemm_bias_clamp, GotoBLAS style: each block of b,
// SGEMM_PANEL_KC values of k by SGEMM_PANEL_NC columns, is copied once into
// `panel` as strips of W columns ([strip][kk][W], the last strip padded
// with zeros), so that a tile of rows × W sums held in registers reads its
// strip along memory (the strip stays in L1 while every row tile of a
// passes over it). Each sum starts from its bias in the first block and
// takes the rest of its products k ascending from the value the previous
// block stored, then is clamped when the last block stores it: the order
// and bits of the portable path.
static inline __attribute__((always_inline)) void
sgemm_pack_strips(const float *b, ptrdiff_t ldb, ptrdiff_t kc, ptrdiff_t nc,
                  ptrdiff_t w, float *panel) {
  for (ptrdiff_t j = 0; j < nc; j += w) {
    const ptrdiff_t cols = nc - j < w ? nc - j : w;
    float *strip = panel + j * kc;
    for (ptrdiff_t kk = 0; kk < kc; kk++) {
      const float *from = b + kk * ldb + j;
      float *to = strip + kk * w;
      ptrdiff_t c = 0;
      for (; c < cols; c++) {
        to[c] = from[c];
      }
      for (; c < w; c++) {
        to[c] = 0.0f;
      }
    }
  }
}

// Swift's max(s, lower) then min(_, upper): lower >= s ? lower : s (a NaN
// s stays), then upper < s ? upper : s.
static inline AVX512 __m512 clamp512(__m512 s, __m512 lo, __m512 hi) {
  s = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(lo, s, _CMP_GE_OQ), s, lo);
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(hi, s, _CMP_LT_OQ), s, hi);
}

static inline AVX2 __m256 clamp256(__m256 s, __m256 lo, __m256 hi) {
  s = _mm256_blendv_ps(s, lo, _mm256_cmp_ps(lo, s, _CMP_GE_OQ));
  return _mm256_blendv_ps(s, hi, _mm256_cmp_ps(hi, s, _CMP_LT_OQ));
}

// R rows (R ≤ 8) by 16 · H columns (H 1 or 2: a strip's last 16 or fewer
// columns take one vector per row), `cols` of them stored (all when
// `full`), over one packed strip of kc values of k.
static inline AVX512 __attribute__((always_inline)) void
sgemm_tile_avx512(const int R, const int H, const int full, const float *a,
                  ptrdiff_t lda, const float *strip, ptrdiff_t kc, float *o,
                  ptrdiff_t ldo, __mmask16 m0, __mmask16 m1, const float *bias,
                  int first, int last, __m512 lo, __m512 hi) {
  __m512 c[8][2];
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
    for (int h = 0; h < H; h++) {
      const __mmask16 mask = h == 0 ? m0 : m1;
      if (first) {
        c[r][h] = _mm512_set1_ps(bias != NULL ? bias[r] : 0.0f);
      } else if (full) {
        c[r][h] = _mm512_loadu_ps(o + r * ldo + 16 * h);
      } else {
        c[r][h] = _mm512_maskz_loadu_ps(mask, o + r * ldo + 16 * h);
      }
    }
  }
  for (ptrdiff_t kk = 0; kk < kc; kk++) {
    __m512 v[2];
#pragma clang loop unroll(full)
    for (int h = 0; h < H; h++) {
      v[h] = _mm512_loadu_ps(strip + kk * 32 + 16 * h);
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
      const __m512 s = _mm512_set1_ps(a[r * lda + kk]);
#pragma clang loop unroll(full)
      for (int h = 0; h < H; h++) {
        MULADD512(c[r][h], s, v[h]);
      }
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
    for (int h = 0; h < H; h++) {
      const __mmask16 mask = h == 0 ? m0 : m1;
      if (last) {
        c[r][h] = clamp512(c[r][h], lo, hi);
      }
      if (full) {
        _mm512_storeu_ps(o + r * ldo + 16 * h, c[r][h]);
      } else {
        _mm512_mask_storeu_ps(o + r * ldo + 16 * h, mask, c[r][h]);
      }
    }
  }
}

// R rows (R ≤ 6) by 16 columns, `cols` of them stored (all 16 when `full`).
static inline AVX2 __attribute__((always_inline)) void
sgemm_tile_avx2(const int R, const int full, const float *a, ptrdiff_t lda,
                const float *strip, ptrdiff_t kc, float *o, ptrdiff_t ldo,
                __m256i m0, __m256i m1, const float *bias, int first, int last,
                __m256 lo, __m256 hi) {
  __m256 c[6][2];
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
    if (first) {
      c[r][0] = _mm256_set1_ps(bias != NULL ? bias[r] : 0.0f);
      c[r][1] = c[r][0];
    } else if (full) {
      c[r][0] = _mm256_loadu_ps(o + r * ldo);
      c[r][1] = _mm256_loadu_ps(o + r * ldo + 8);
    } else {
      c[r][0] = _mm256_maskload_ps(o + r * ldo, m0);
      c[r][1] = _mm256_maskload_ps(o + r * ldo + 8, m1);
    }
  }
  for (ptrdiff_t kk = 0; kk < kc; kk++) {
    const __m256 v0 = _mm256_loadu_ps(strip + kk * 16);
    const __m256 v1 = _mm256_loadu_ps(strip + kk * 16 + 8);
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
      const __m256 s = _mm256_broadcast_ss(a + r * lda + kk);
      MULADD256(c[r][0], s, v0);
      MULADD256(c[r][1], s, v1);
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
    if (last) {
      c[r][0] = clamp256(c[r][0], lo, hi);
      c[r][1] = clamp256(c[r][1], lo, hi);
    }
    if (full) {
      _mm256_storeu_ps(o + r * ldo, c[r][0]);
      _mm256_storeu_ps(o + r * ldo + 8, c[r][1]);
    } else {
      _mm256_maskstore_ps(o + r * ldo, m0, c[r][0]);
      _mm256_maskstore_ps(o + r * ldo + 8, m1, c[r][1]);
    }
  }
}

// One strip against every row of a: tiles of ROWS rows, then the rest.
#define SGEMM_STRIP_ROWS(TILE, ROWS, ...)                                      \
  for (ptrdiff_t i = 0; i < m; i += ROWS) {                                    \
    const float *ai = a + i * k + k0;                                          \
    float *oi = out + i * n + j0 + j;                                          \
    const float *bi = bias != NULL ? bias + i : NULL;                          \
    switch (m - i < ROWS ? m - i : ROWS) {                                     \
    case 8:                                                                    \
      TILE(8, __VA_ARGS__);                                                    \
      break;                                                                   \
    case 7:                                                                    \
      TILE(7, __VA_ARGS__);                                                    \
      break;                                                                   \
    case 6:                                                                    \
      TILE(6, __VA_ARGS__);                                                    \
      break;                                                                   \
    case 5:                                                                    \
      TILE(5, __VA_ARGS__);                                                    \
      break;                                                                   \
    case 4:                                                                    \
      TILE(4, __VA_ARGS__);                                                    \
      break;                                                                   \
    case 3:                                                                    \
      TILE(3, __VA_ARGS__);                                                    \
      break;                                                                   \
    case 2:                                                                    \
      TILE(2, __VA_ARGS__);                                                    \
      break;                                                                   \
    default:                                                                   \
      TILE(1, __VA_ARGS__);                                                    \
    }                                                                          \
  }

#define TILE512(R, H, FULL)                                                    \
  sgemm_tile_avx512((R) <= 8 ? (R) : 8, H, FULL, ai, k, strip, kc, oi, n, m0,  \
                    m1, bi, first, last, lo, hi)
#define TILE256(R, H, FULL)                                                    \
  sgemm_tile_avx2((R) <= 6 ? (R) : 6, FULL, ai, k, strip, kc, oi, n, m0, m1,   \
                  bi, first, last, lo, hi)

// Windows of up to this many taps are packed by gathers.
enum { CONV_GATHER_TAPS = 64 };

// Whether every plane offset and coordinate of a window fits 32-bit lanes.
static inline int conv_gather_fits(const EdgeSimWindow *g) {
  const ptrdiff_t big = (ptrdiff_t)1 << 14, small = (ptrdiff_t)1 << 8;
  return g->kernelHeight * g->kernelWidth <= CONV_GATHER_TAPS &&
         g->height < big && g->width < big && g->outHeight < big &&
         g->outWidth < big && g->strideY < small && g->strideX < small &&
         g->dilationY < small && g->dilationX < small &&
         g->padTop < small && g->padLeft < small;
}

// edgesim_conv_pack_strips with strips of 32 columns, by gathers: for each
// strip, each tap (i, j) of the window gets its two vectors of plane
// offsets and the masks of the lanes that read the input (not padding, not
// past the strip's columns), then every row kk of the strip is two masked
// gathers from its channel, +0 in the other lanes: the same values.
static inline AVX512 __attribute__((always_inline)) void
conv_pack_strips_avx512(const float *input, const EdgeSimWindow *g,
                        ptrdiff_t k0, ptrdiff_t kc, ptrdiff_t j0, ptrdiff_t nc,
                        float *panel) {
  if (!conv_gather_fits(g)) {
    edgesim_conv_pack_strips(input, g, k0, kc, j0, nc, 32, panel);
    return;
  }
  const ptrdiff_t kh = g->kernelHeight, kw = g->kernelWidth, taps = kh * kw;
  const ptrdiff_t ow = g->outWidth, inputPlane = g->height * g->width;
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                         12, 13, 14, 15);
  const __m512i height = _mm512_set1_epi32((int)g->height);
  const __m512i width = _mm512_set1_epi32((int)g->width);
  __m512i offsets[CONV_GATHER_TAPS][2];
  __mmask16 masks[CONV_GATHER_TAPS][2];
  for (ptrdiff_t j = 0; j < nc; j += 32) {
    const ptrdiff_t cols = nc - j < 32 ? nc - j : 32;
    float *strip = panel + j * kc;
    // Each lane's output row and column, then its window's top-left input
    // coordinate.
    int32_t oyLane[32], oxLane[32];
    ptrdiff_t oy = (j0 + j) / ow, ox = (j0 + j) % ow;
    for (int q = 0; q < 32; q++) {
      oyLane[q] = (int32_t)oy;
      oxLane[q] = (int32_t)ox;
      if (++ox == ow) {
        ox = 0;
        oy++;
      }
    }
    for (int h = 0; h < 2; h++) {
      const __m512i y0 = _mm512_sub_epi32(
          _mm512_mullo_epi32(_mm512_loadu_si512(oyLane + 16 * h),
                             _mm512_set1_epi32((int)g->strideY)),
          _mm512_set1_epi32((int)g->padTop));
      const __m512i x0 = _mm512_sub_epi32(
          _mm512_mullo_epi32(_mm512_loadu_si512(oxLane + 16 * h),
                             _mm512_set1_epi32((int)g->strideX)),
          _mm512_set1_epi32((int)g->padLeft));
      const __mmask16 inStrip = _mm512_cmplt_epi32_mask(
          lane, _mm512_set1_epi32((int)(cols - 16 * h)));
      for (ptrdiff_t i = 0; i < kh; i++) {
        const __m512i y = _mm512_add_epi32(
            y0, _mm512_set1_epi32((int)(i * g->dilationY)));
        const __mmask16 rowOK =
            _mm512_mask_cmplt_epu32_mask(inStrip, y, height);
        const __m512i rowOffset = _mm512_mullo_epi32(y, width);
        for (ptrdiff_t jj = 0; jj < kw; jj++) {
          const __m512i x = _mm512_add_epi32(
              x0, _mm512_set1_epi32((int)(jj * g->dilationX)));
          masks[i * kw + jj][h] = _mm512_mask_cmplt_epu32_mask(rowOK, x, width);
          offsets[i * kw + jj][h] = _mm512_add_epi32(rowOffset, x);
        }
      }
    }
    ptrdiff_t c = k0 / taps, tap = k0 % taps;
    for (ptrdiff_t t = 0; t < kc; t++) {
      const float *channel = input + c * inputPlane;
      const __m512 v0 = _mm512_mask_i32gather_ps(
          _mm512_setzero_ps(), masks[tap][0], offsets[tap][0], channel, 4);
      const __m512 v1 =
          cols > 16 ? _mm512_mask_i32gather_ps(_mm512_setzero_ps(),
                                               masks[tap][1], offsets[tap][1],
                                               channel, 4)
                    : _mm512_setzero_ps();
      _mm512_storeu_ps(strip + t * 32, v0);
      _mm512_storeu_ps(strip + t * 32 + 16, v1);
      if (++tap == taps) {
        tap = 0;
        c++;
      }
    }
  }
}

// edgesim_sgemm_bias_clamp_avx512, and edgesim_conv_bias_clamp_f32_avx512
// when `input` is not NULL: b is then the im2col matrix of `channels` planes
// at `input`, whose blocks are packed straight from the planes.
static inline AVX512 __attribute__((always_inline)) void
sgemm_bias_clamp_avx512(EDGESIM_SGEMM_BIAS_CLAMP_ARGS, const float *input,
                        ptrdiff_t channels, const EdgeSimWindow *g,
                        ptrdiff_t blockK, ptrdiff_t blockN) {
  (void)channels;
  const __m512 lo = _mm512_set1_ps(lower), hi = _mm512_set1_ps(upper);
  if (k == 0) {
    for (ptrdiff_t i = 0; i < m; i++) {
      for (ptrdiff_t j = 0; j < n; j += 16) {
        const __mmask16 mask = n - j >= 16 ? (__mmask16)0xffff
                                           : (__mmask16)((1u << (n - j)) - 1);
        const __m512 s = _mm512_set1_ps(bias != NULL ? bias[i] : 0.0f);
        _mm512_mask_storeu_ps(out + i * n + j, mask, clamp512(s, lo, hi));
      }
    }
    return;
  }
  for (ptrdiff_t j0 = 0; j0 < n; j0 += blockN) {
    const ptrdiff_t nc = n - j0 < blockN ? n - j0 : blockN;
    for (ptrdiff_t k0 = 0; k0 < k; k0 += blockK) {
      const ptrdiff_t kc = k - k0 < blockK ? k - k0 : blockK;
      const int first = k0 == 0, last = k0 + kc == k;
      if (input != NULL) {
        conv_pack_strips_avx512(input, g, k0, kc, j0, nc, panel);
      } else {
        sgemm_pack_strips(b + k0 * n + j0, n, kc, nc, 32, panel);
      }
      for (ptrdiff_t j = 0; j < nc; j += 32) {
        const float *strip = panel + j * kc;
        const ptrdiff_t cols = nc - j < 32 ? nc - j : 32;
        if (cols == 32) {
          const __mmask16 m0 = 0xffff, m1 = 0xffff;
          SGEMM_STRIP_ROWS(TILE512, 8, 2, 1)
        } else {
          const __mmask16 m0 = cols >= 16 ? (__mmask16)0xffff
                                          : (__mmask16)((1u << cols) - 1);
          const __mmask16 m1 =
              cols > 16 ? (__mmask16)((1u << (cols - 16)) - 1) : 0;
          if (cols > 16) {
            SGEMM_STRIP_ROWS(TILE512, 8, 2, 0)
          } else {
            SGEMM_STRIP_ROWS(TILE512, 8, 1, 0)
          }
        }
      }
    }
  }
}

// edgesim_sgemm_bias_clamp_avx2, and edgesim_conv_bias_clamp_f32_avx2 when
// `input` is not NULL (as sgemm_bias_clamp_avx512).
static inline AVX2 __attribute__((always_inline)) void
sgemm_bias_clamp_avx2(EDGESIM_SGEMM_BIAS_CLAMP_ARGS, const float *input,
                      ptrdiff_t channels, const EdgeSimWindow *g,
                      ptrdiff_t blockK, ptrdiff_t blockN) {
  const __m256 lo = _mm256_set1_ps(lower), hi = _mm256_set1_ps(upper);
  if (k == 0) {
    // Only a matrix product has no k (a convolution reads a channel).
    (void)input, (void)channels, (void)g;
    edgesim_sgemm_bias_clamp_portable(a, m, k, b, n, bias, lower, upper,
                                      panel, out);
    return;
  }
  for (ptrdiff_t j0 = 0; j0 < n; j0 += blockN) {
    const ptrdiff_t nc = n - j0 < blockN ? n - j0 : blockN;
    for (ptrdiff_t k0 = 0; k0 < k; k0 += blockK) {
      const ptrdiff_t kc = k - k0 < blockK ? k - k0 : blockK;
      const int first = k0 == 0, last = k0 + kc == k;
      if (input != NULL) {
        edgesim_conv_pack_strips(input, g, k0, kc, j0, nc, 16, panel);
      } else {
        sgemm_pack_strips(b + k0 * n + j0, n, kc, nc, 16, panel);
      }
      for (ptrdiff_t j = 0; j < nc; j += 16) {
        const float *strip = panel + j * kc;
        const ptrdiff_t cols = nc - j < 16 ? nc - j : 16;
        if (cols == 16) {
          const __m256i m0 = _mm256_set1_epi32(-1), m1 = m0;
          SGEMM_STRIP_ROWS(TILE256, 6, 2, 1)
        } else {
          const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
          const __m256i m0 =
              _mm256_cmpgt_epi32(_mm256_set1_epi32((int)cols), lane);
          const __m256i m1 =
              _mm256_cmpgt_epi32(_mm256_set1_epi32((int)cols - 8), lane);
          SGEMM_STRIP_ROWS(TILE256, 6, 2, 0)
        }
      }
    }
  }
}

AVX512 void edgesim_sgemm_bias_clamp_avx512(EDGESIM_SGEMM_BIAS_CLAMP_ARGS) {
  sgemm_bias_clamp_avx512(a, m, k, b, n, bias, lower, upper, panel, out, NULL,
                          0, NULL, SGEMM_PANEL_KC, SGEMM_PANEL_NC);
}

AVX512 void edgesim_conv_bias_clamp_f32_avx512(EDGESIM_CONV_BIAS_CLAMP_ARGS) {
  const ptrdiff_t k = channels * g->kernelHeight * g->kernelWidth;
  sgemm_bias_clamp_avx512(a, m, k, NULL, g->outHeight * g->outWidth, bias,
                          lower, upper, panel, out, input, channels, g,
                          CONV_PANEL_KC, CONV_PANEL_NC);
}

AVX2 void edgesim_sgemm_bias_clamp_avx2(EDGESIM_SGEMM_BIAS_CLAMP_ARGS) {
  sgemm_bias_clamp_avx2(a, m, k, b, n, bias, lower, upper, panel, out, NULL, 0,
                        NULL, SGEMM_PANEL_KC, SGEMM_PANEL_NC);
}

AVX2 void edgesim_conv_bias_clamp_f32_avx2(EDGESIM_CONV_BIAS_CLAMP_ARGS) {
  const ptrdiff_t k = channels * g->kernelHeight * g->kernelWidth;
  sgemm_bias_clamp_avx2(a, m, k, NULL, g->outHeight * g->outWidth, bias,
                        lower, upper, panel, out, input, channels, g,
                        CONV_PANEL_KC, CONV_PANEL_NC);
}

// The epilogue's tail and clip's, one element at a time.
static inline void epilogue_tail(EDGESIM_EPILOGUE_ARGS) {
  edgesim_epilogue_portable(sums, count, bias, shift, roundBit, low, high,
                            bottom, top, out, above, below);
}

AVX2 void edgesim_epilogue_avx2(EDGESIM_EPILOGUE_ARGS) {
  const __m256i b = _mm256_set1_epi32(bias);
  const __m256i rb = _mm256_set1_epi32(roundBit);
  const __m256i hi = _mm256_set1_epi32(high);
  const __m256i lo = _mm256_set1_epi32(low);
  const __m256i bot = _mm256_set1_epi32(bottom);
  const __m256i tp = _mm256_set1_epi32(top);
  const __m128i s = _mm_cvtsi32_si128(shift);
  const __m128i t = _mm_cvtsi32_si128(shift - 1);
  __m256i up = _mm256_setzero_si256(), down = up;
  ptrdiff_t i = 0;
  for (; i + 8 <= count; i += 8) {
    __m256i a = _mm256_add_epi32(
        _mm256_loadu_si256((const __m256i *)(sums + i)), b);
    __m256i r = _mm256_add_epi32(
        _mm256_sra_epi32(a, s), _mm256_and_si256(_mm256_sra_epi32(a, t), rb));
    up = _mm256_sub_epi32(up, _mm256_cmpgt_epi32(r, hi));
    down = _mm256_sub_epi32(down, _mm256_cmpgt_epi32(lo, r));
    __m256i v = _mm256_min_epi32(
        _mm256_max_epi32(_mm256_min_epi32(r, hi), bot), tp);
    _mm256_storeu_si256((__m256i *)(out + i),
                        _mm256_cvtepi32_epi64(_mm256_castsi256_si128(v)));
    _mm256_storeu_si256((__m256i *)(out + i + 4),
                        _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1)));
  }
  *above += sum_256(up);
  *below += sum_256(down);
  epilogue_tail(sums + i, count - i, bias, shift, roundBit, low, high, bottom,
                top, out + i, above, below);
}

AVX512 void edgesim_epilogue_avx512(EDGESIM_EPILOGUE_ARGS) {
  const __m512i b = _mm512_set1_epi32(bias);
  const __m512i rb = _mm512_set1_epi32(roundBit);
  const __m512i hi = _mm512_set1_epi32(high);
  const __m512i lo = _mm512_set1_epi32(low);
  const __m512i bot = _mm512_set1_epi32(bottom);
  const __m512i tp = _mm512_set1_epi32(top);
  const __m128i s = _mm_cvtsi32_si128(shift);
  const __m128i t = _mm_cvtsi32_si128(shift - 1);
  int64_t up = 0, down = 0;
  ptrdiff_t i = 0;
  for (; i + 16 <= count; i += 16) {
    __m512i a = _mm512_add_epi32(_mm512_loadu_si512(sums + i), b);
    __m512i r = _mm512_add_epi32(
        _mm512_sra_epi32(a, s), _mm512_and_si512(_mm512_sra_epi32(a, t), rb));
    up += __builtin_popcount(_mm512_cmpgt_epi32_mask(r, hi));
    down += __builtin_popcount(_mm512_cmpgt_epi32_mask(lo, r));
    __m512i v = _mm512_min_epi32(
        _mm512_max_epi32(_mm512_min_epi32(r, hi), bot), tp);
    _mm512_storeu_si512(out + i,
                        _mm512_cvtepi32_epi64(_mm512_castsi512_si256(v)));
    _mm512_storeu_si512(out + i + 8,
                        _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(v, 1)));
  }
  *above += up;
  *below += down;
  epilogue_tail(sums + i, count - i, bias, shift, roundBit, low, high, bottom,
                top, out + i, above, below);
}

// edgesim_epilogue_avx2 storing Int16 (the values fit: saturating packs
// change none).
AVX2 void edgesim_epilogue16_avx2(EDGESIM_EPILOGUE16_ARGS) {
  const __m256i b = _mm256_set1_epi32(bias);
  const __m256i rb = _mm256_set1_epi32(roundBit);
  const __m256i hi = _mm256_set1_epi32(high);
  const __m256i lo = _mm256_set1_epi32(low);
  const __m256i bot = _mm256_set1_epi32(bottom);
  const __m256i tp = _mm256_set1_epi32(top);
  const __m128i s = _mm_cvtsi32_si128(shift);
  const __m128i t = _mm_cvtsi32_si128(shift - 1);
  __m256i up = _mm256_setzero_si256(), down = up;
  ptrdiff_t i = 0;
  for (; i + 8 <= count; i += 8) {
    __m256i a = _mm256_add_epi32(
        _mm256_loadu_si256((const __m256i *)(sums + i)), b);
    __m256i r = _mm256_add_epi32(
        _mm256_sra_epi32(a, s), _mm256_and_si256(_mm256_sra_epi32(a, t), rb));
    up = _mm256_sub_epi32(up, _mm256_cmpgt_epi32(r, hi));
    down = _mm256_sub_epi32(down, _mm256_cmpgt_epi32(lo, r));
    __m256i v = _mm256_min_epi32(
        _mm256_max_epi32(_mm256_min_epi32(r, hi), bot), tp);
    _mm_storeu_si128((__m128i *)(out + i),
                     _mm_packs_epi32(_mm256_castsi256_si128(v),
                                     _mm256_extracti128_si256(v, 1)));
  }
  *above += sum_256(up);
  *below += sum_256(down);
  edgesim_epilogue16_portable(sums + i, count - i, bias, shift, roundBit, low,
                              high, bottom, top, out + i, above, below);
}

// edgesim_epilogue_avx512 storing Int16 (the values fit: the saturating
// narrowing changes none).
AVX512 void edgesim_epilogue16_avx512(EDGESIM_EPILOGUE16_ARGS) {
  const __m512i b = _mm512_set1_epi32(bias);
  const __m512i rb = _mm512_set1_epi32(roundBit);
  const __m512i hi = _mm512_set1_epi32(high);
  const __m512i lo = _mm512_set1_epi32(low);
  const __m512i bot = _mm512_set1_epi32(bottom);
  const __m512i tp = _mm512_set1_epi32(top);
  const __m128i s = _mm_cvtsi32_si128(shift);
  const __m128i t = _mm_cvtsi32_si128(shift - 1);
  int64_t up = 0, down = 0;
  ptrdiff_t i = 0;
  for (; i + 16 <= count; i += 16) {
    __m512i a = _mm512_add_epi32(_mm512_loadu_si512(sums + i), b);
    __m512i r = _mm512_add_epi32(
        _mm512_sra_epi32(a, s), _mm512_and_si512(_mm512_sra_epi32(a, t), rb));
    up += __builtin_popcount(_mm512_cmpgt_epi32_mask(r, hi));
    down += __builtin_popcount(_mm512_cmpgt_epi32_mask(lo, r));
    __m512i v = _mm512_min_epi32(
        _mm512_max_epi32(_mm512_min_epi32(r, hi), bot), tp);
    _mm256_storeu_si256((__m256i *)(out + i), _mm512_cvtsepi32_epi16(v));
  }
  *above += up;
  *below += down;
  edgesim_epilogue16_portable(sums + i, count - i, bias, shift, roundBit, low,
                              high, bottom, top, out + i, above, below);
}

AVX2 void edgesim_clip_avx2(EDGESIM_CLIP_ARGS) {
  const __m256i lo = _mm256_set1_epi64x(lower);
  const __m256i hi = _mm256_set1_epi64x(upper);
  ptrdiff_t i = 0;
  for (; i + 4 <= count; i += 4) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(x + i));
    v = _mm256_blendv_epi8(v, lo, _mm256_cmpgt_epi64(lo, v));
    v = _mm256_blendv_epi8(v, hi, _mm256_cmpgt_epi64(v, hi));
    _mm256_storeu_si256((__m256i *)(out + i), v);
  }
  edgesim_clip_portable(x + i, count - i, lower, upper, out + i);
}

AVX512 void edgesim_clip_avx512(EDGESIM_CLIP_ARGS) {
  const __m512i lo = _mm512_set1_epi64(lower);
  const __m512i hi = _mm512_set1_epi64(upper);
  ptrdiff_t i = 0;
  for (; i + 8 <= count; i += 8) {
    __m512i v = _mm512_loadu_si512(x + i);
    _mm512_storeu_si512(out + i,
                        _mm512_min_epi64(_mm512_max_epi64(v, lo), hi));
  }
  edgesim_clip_portable(x + i, count - i, lower, upper, out + i);
}

AVX2 void edgesim_window_sums_avx2(EDGESIM_WINDOW_ARGS) {
  edgesim_window_sums_body(pairs, pitch, g, w, sums);
}

AVX512 void edgesim_window_sums_avx512(EDGESIM_WINDOW_ARGS) {
  edgesim_window_sums_body(pairs, pitch, g, w, sums);
}

AVX2 void edgesim_depthwise_f32_avx2(EDGESIM_DEPTHWISE_ARGS) {
  edgesim_depthwise_f32_body(input, channels, multiplier, g, weight, bias, lower, upper,
                             scratch, output);
}

AVX512 void edgesim_depthwise_f32_avx512(EDGESIM_DEPTHWISE_ARGS) {
  edgesim_depthwise_f32_body(input, channels, multiplier, g, weight, bias, lower, upper,
                             scratch, output);
}

#endif
