// The 3 × 3 depthwise convolution of Int16 raws, one output channel per
// input channel, straight from the planes of raws (issue #19: MobileNetV2's
// depthwise layers). Each channel is copied once into a zero-padded plane
// of Int16 raws (`pitch` wide, no pair plane), and the taps are read from
// it as Int32 lanes of two raws:
//
// - Column stride 2: the lane at output ox's position 2 ox holds x[2 ox]
//   and x[2 ox + 1], so one pair product with (w_i0, w_i1) adds both taps,
//   and the lane at 2 ox + 2 with (w_i2, 0) the third (`vpdpwssd`, or
//   `vpmaddwd` on AVX2); rows of outputs, 16 (8) at a time.
// - Unit strides, rows of at least 16 outputs (AVX-512): the lanes read at
//   ox hold pairs for the even outputs ox, ox + 2, …, those at ox + 1 for
//   the odd ones; 32 outputs per block, interleaved back into order.
// - Other unit strides: along the whole padded plane read as one flat row,
//   output (oy, ox) at flat index f = oy · pitch + ox. The lanes read at f hold
//   pairs for the even outputs f, f + 2, …, those read at f + 1 for the odd
//   ones; 32 (16) outputs per block, interleaved back into order, the
//   columns past a row's end computed and dropped as the rows are copied
//   out (so rows narrower than a vector fill one).
//
// Sums in wrapping Int32, like every integer kernel: any order gives the
// same bits.
#include "CKernels.h"
#include "paths.h"

#include <string.h>

// The layout of one call: padded planes of `planeLanes` raws (the plane
// plus the slack of the vector reads past its end), `group` of them filled
// before they are read, and two flat rows of sums.
typedef struct {
  ptrdiff_t rows, pitch, planeLanes, group, flatLanes;
} DW3Layout;

static DW3Layout dw3_layout(const EdgeSimWindow *g, ptrdiff_t channels) {
  DW3Layout l;
  ptrdiff_t lastY = (g->outHeight - 1) * g->strideY + 3;
  ptrdiff_t lastX = (g->outWidth - 1) * g->strideX + 3;
  l.rows = lastY > g->padTop + g->height ? lastY : g->padTop + g->height;
  l.pitch = lastX > g->padLeft + g->width ? lastX : g->padLeft + g->width;
  // The flat kernels read up to 32 + 3 + 32 lanes past the last flat
  // output block's start; the stride-2 rows up to 2 · 16 + 2 + 32 past the
  // last output's pair.
  l.planeLanes = (l.rows * l.pitch + 160 + 31) / 32 * 32;
  // About 16 KiB of planes filled before any of them is read: the wide
  // reads of a freshly written plane otherwise stall on store forwarding.
  l.group = 8192 / l.planeLanes;
  if (l.group < 1) {
    l.group = 1;
  }
  if (l.group > channels) {
    l.group = channels;
  }
  l.flatLanes = (g->outHeight * l.pitch + 63) / 32 * 32;
  return l;
}

int edgesim_depthwise3x3_i16_applies(const EdgeSimWindow *g) {
  return g->kernelHeight == 3 && g->kernelWidth == 3 && g->dilationY == 1 &&
         g->dilationX == 1 && g->outHeight > 0 && g->outWidth > 0 &&
         ((g->strideX == 1 && g->strideY == 1) || g->strideX == 2) &&
         g->strideY >= 1;
}

ptrdiff_t edgesim_depthwise3x3_i16_scratch(const EdgeSimWindow *window,
                                           ptrdiff_t channels) {
  if (channels <= 0 || !edgesim_depthwise3x3_i16_applies(window)) {
    return 0;
  }
  const DW3Layout l = dw3_layout(window, channels);
  return (ptrdiff_t)sizeof(int16_t) * l.group * l.planeLanes +
         (ptrdiff_t)sizeof(int32_t) * 2 * l.flatLanes + 64;
}

// Copies channel `c`'s raws into its padded plane (the padding stays zero:
// every plane's image sits at the same places).
static inline void dw3_fill(const int16_t *channel, const EdgeSimWindow *g,
                            const DW3Layout *l, int16_t *plane) {
  for (ptrdiff_t y = 0; y < g->height; y++) {
    memcpy(plane + (y + g->padTop) * l->pitch + g->padLeft,
           channel + y * g->width, (size_t)g->width * sizeof(int16_t));
  }
}

// Copies a flat row of sums (outputs `pitch` apart) out as rows of
// `outWidth`.
static inline void dw3_compact(const int32_t *flat, const EdgeSimWindow *g,
                               ptrdiff_t pitch, int32_t *sums) {
  for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
    memcpy(sums + oy * g->outWidth, flat + oy * pitch,
           (size_t)g->outWidth * sizeof(int32_t));
  }
}

// One padded plane's sums, any stride: the reference loop.
static void dw3_plane_portable(const int16_t *plane, const EdgeSimWindow *g,
                               ptrdiff_t pitch, const int16_t *w,
                               int32_t *sums) {
  for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
    for (ptrdiff_t ox = 0; ox < g->outWidth; ox++) {
      uint32_t s = 0;
      for (ptrdiff_t i = 0; i < 3; i++) {
        const int16_t *line =
            plane + (oy * g->strideY + i) * pitch + ox * g->strideX;
        for (ptrdiff_t j = 0; j < 3; j++) {
          s += (uint32_t)((int32_t)w[i * 3 + j] * (int32_t)line[j]);
        }
      }
      sums[oy * g->outWidth + ox] = (int32_t)s;
    }
  }
}

// Unit-stride rows at least this wide run along rows (AVX-512: blocks of
// 32, so a 16-wide row fills half of one), narrower ones along the flat
// plane (copied out row by row).
enum { DW3_ROWS_FROM = 16 };

// (lo, hi) as one Int32 lane: a pair product's weights.
static inline int32_t dw3_pair(int16_t lo, int16_t hi) {
  return (int32_t)(((uint32_t)(uint16_t)hi << 16) | (uint16_t)lo);
}

#if EDGESIM_X86
#include <immintrin.h>

#define DW3_AVX2 __attribute__((target("avx2")))
#define DW3_AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vnni")))

static DW3_AVX2 void dw3_flat_avx2(const int16_t *plane, const EdgeSimWindow *g,
                                   ptrdiff_t pitch, const int16_t *w,
                                   int32_t *flat) {
  __m256i f01[3], f2[3];
  for (int i = 0; i < 3; i++) {
    f01[i] = _mm256_set1_epi32(dw3_pair(w[3 * i], w[3 * i + 1]));
    f2[i] = _mm256_set1_epi32(dw3_pair(w[3 * i + 2], 0));
  }
  const ptrdiff_t total = g->outHeight * pitch;
  for (ptrdiff_t f = 0; f < total; f += 16) {
    __m256i even = _mm256_setzero_si256();
    __m256i odd = _mm256_setzero_si256();
    for (int i = 0; i < 3; i++) {
      const int16_t *p = plane + f + i * pitch;
      even = _mm256_add_epi32(
          even,
          _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)p), f01[i]));
      even = _mm256_add_epi32(
          even, _mm256_madd_epi16(
                    _mm256_loadu_si256((const __m256i *)(p + 2)), f2[i]));
      odd = _mm256_add_epi32(
          odd, _mm256_madd_epi16(
                   _mm256_loadu_si256((const __m256i *)(p + 1)), f01[i]));
      odd = _mm256_add_epi32(
          odd, _mm256_madd_epi16(
                   _mm256_loadu_si256((const __m256i *)(p + 3)), f2[i]));
    }
    // (e0 o0 e1 o1 | e4 o4 e5 o5) and (e2 o2 e3 o3 | e6 o6 e7 o7).
    const __m256i low = _mm256_unpacklo_epi32(even, odd);
    const __m256i high = _mm256_unpackhi_epi32(even, odd);
    _mm256_storeu_si256((__m256i *)(flat + f),
                        _mm256_permute2x128_si256(low, high, 0x20));
    _mm256_storeu_si256((__m256i *)(flat + f + 8),
                        _mm256_permute2x128_si256(low, high, 0x31));
  }
}

static DW3_AVX2 void dw3_rows2_avx2(const int16_t *plane,
                                    const EdgeSimWindow *g, ptrdiff_t pitch,
                                    const int16_t *w, int32_t *sums) {
  __m256i f01[3], f2[3];
  for (int i = 0; i < 3; i++) {
    f01[i] = _mm256_set1_epi32(dw3_pair(w[3 * i], w[3 * i + 1]));
    f2[i] = _mm256_set1_epi32(dw3_pair(w[3 * i + 2], 0));
  }
  const ptrdiff_t width = g->outWidth;
  for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
    const int16_t *top = plane + oy * g->strideY * pitch;
    int32_t *row = sums + oy * width;
    for (ptrdiff_t ox = 0; ox < width; ox += 8) {
      __m256i acc = _mm256_setzero_si256();
      for (int i = 0; i < 3; i++) {
        const int16_t *p = top + i * pitch + 2 * ox;
        acc = _mm256_add_epi32(
            acc,
            _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)p), f01[i]));
        acc = _mm256_add_epi32(
            acc, _mm256_madd_epi16(
                     _mm256_loadu_si256((const __m256i *)(p + 2)), f2[i]));
      }
      if (ox + 8 <= width) {
        _mm256_storeu_si256((__m256i *)(row + ox), acc);
      } else {
        int32_t lanes[8];
        _mm256_storeu_si256((__m256i *)lanes, acc);
        for (ptrdiff_t l = 0; ox + l < width; l++) {
          row[ox + l] = lanes[l];
        }
      }
    }
  }
}

static DW3_AVX512 void dw3_flat_avx512(const int16_t *plane,
                                       const EdgeSimWindow *g, ptrdiff_t pitch,
                                       const int16_t *w, int32_t *flat) {
  __m512i f01[3], f2[3];
  for (int i = 0; i < 3; i++) {
    f01[i] = _mm512_set1_epi32(dw3_pair(w[3 * i], w[3 * i + 1]));
    f2[i] = _mm512_set1_epi32(dw3_pair(w[3 * i + 2], 0));
  }
  // Lanes 0 … 15 of (even, odd) interleaved, and lanes 16 … 31.
  const __m512i first = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18,
                                         2, 17, 1, 16, 0);
  const __m512i second = _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27,
                                          11, 26, 10, 25, 9, 24, 8);
  const ptrdiff_t total = g->outHeight * pitch;
  for (ptrdiff_t f = 0; f < total; f += 32) {
    __m512i even = _mm512_setzero_si512();
    __m512i odd = _mm512_setzero_si512();
    for (int i = 0; i < 3; i++) {
      const int16_t *p = plane + f + i * pitch;
      even = _mm512_dpwssd_epi32(even, _mm512_loadu_si512(p), f01[i]);
      even = _mm512_dpwssd_epi32(even, _mm512_loadu_si512(p + 2), f2[i]);
      odd = _mm512_dpwssd_epi32(odd, _mm512_loadu_si512(p + 1), f01[i]);
      odd = _mm512_dpwssd_epi32(odd, _mm512_loadu_si512(p + 3), f2[i]);
    }
    _mm512_storeu_si512(flat + f, _mm512_permutex2var_epi32(even, first, odd));
    _mm512_storeu_si512(flat + f + 16,
                        _mm512_permutex2var_epi32(even, second, odd));
  }
}

// Unit strides along each output row, 32 outputs at a time (rows at
// least a block wide).
static DW3_AVX512 void dw3_rows1_avx512(const int16_t *plane,
                                        const EdgeSimWindow *g,
                                        ptrdiff_t pitch, const int16_t *w,
                                        int32_t *sums) {
  __m512i f01[3], f2[3];
  for (int i = 0; i < 3; i++) {
    f01[i] = _mm512_set1_epi32(dw3_pair(w[3 * i], w[3 * i + 1]));
    f2[i] = _mm512_set1_epi32(dw3_pair(w[3 * i + 2], 0));
  }
  const __m512i first = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18,
                                         2, 17, 1, 16, 0);
  const __m512i second = _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27,
                                          11, 26, 10, 25, 9, 24, 8);
  const ptrdiff_t width = g->outWidth;
  for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
    const int16_t *top = plane + oy * pitch;
    int32_t *row = sums + oy * width;
    for (ptrdiff_t ox = 0; ox < width; ox += 32) {
      __m512i even = _mm512_setzero_si512();
      __m512i odd = _mm512_setzero_si512();
      for (int i = 0; i < 3; i++) {
        const int16_t *p = top + i * pitch + ox;
        even = _mm512_dpwssd_epi32(even, _mm512_loadu_si512(p), f01[i]);
        even = _mm512_dpwssd_epi32(even, _mm512_loadu_si512(p + 2), f2[i]);
        odd = _mm512_dpwssd_epi32(odd, _mm512_loadu_si512(p + 1), f01[i]);
        odd = _mm512_dpwssd_epi32(odd, _mm512_loadu_si512(p + 3), f2[i]);
      }
      const ptrdiff_t n = width - ox;
      const __mmask16 low =
          n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
      const __mmask16 high =
          n >= 32 ? (__mmask16)0xFFFF
                  : (n > 16 ? (__mmask16)((1u << (n - 16)) - 1) : 0);
      _mm512_mask_storeu_epi32(row + ox, low,
                               _mm512_permutex2var_epi32(even, first, odd));
      _mm512_mask_storeu_epi32(row + ox + 16, high,
                               _mm512_permutex2var_epi32(even, second, odd));
    }
  }
}

// dw3_fill and dw3_compact with masked vector moves (the rows of the
// small planes are shorter than a call to memcpy is worth).
static DW3_AVX512 void dw3_fill_avx512(const int16_t *channel,
                                       const EdgeSimWindow *g,
                                       const DW3Layout *l, int16_t *plane) {
  for (ptrdiff_t y = 0; y < g->height; y++) {
    const int16_t *from = channel + y * g->width;
    int16_t *to = plane + (y + g->padTop) * l->pitch + g->padLeft;
    for (ptrdiff_t x = 0; x < g->width; x += 32) {
      const ptrdiff_t n = g->width - x;
      const __mmask32 m =
          n >= 32 ? (__mmask32)0xFFFFFFFFu : (__mmask32)((1u << n) - 1);
      _mm512_mask_storeu_epi16(to + x, m,
                               _mm512_maskz_loadu_epi16(m, from + x));
    }
  }
}

static DW3_AVX512 void dw3_compact_avx512(const int32_t *flat,
                                          const EdgeSimWindow *g,
                                          ptrdiff_t pitch, int32_t *sums) {
  for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
    const int32_t *from = flat + oy * pitch;
    int32_t *to = sums + oy * g->outWidth;
    for (ptrdiff_t x = 0; x < g->outWidth; x += 16) {
      const ptrdiff_t n = g->outWidth - x;
      const __mmask16 m =
          n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
      _mm512_mask_storeu_epi32(to + x, m,
                               _mm512_maskz_loadu_epi32(m, from + x));
    }
  }
}

static DW3_AVX512 void dw3_rows2_avx512(const int16_t *plane,
                                        const EdgeSimWindow *g,
                                        ptrdiff_t pitch, const int16_t *w,
                                        int32_t *sums) {
  __m512i f01[3], f2[3];
  for (int i = 0; i < 3; i++) {
    f01[i] = _mm512_set1_epi32(dw3_pair(w[3 * i], w[3 * i + 1]));
    f2[i] = _mm512_set1_epi32(dw3_pair(w[3 * i + 2], 0));
  }
  const ptrdiff_t width = g->outWidth;
  for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
    const int16_t *top = plane + oy * g->strideY * pitch;
    int32_t *row = sums + oy * width;
    for (ptrdiff_t ox = 0; ox < width; ox += 16) {
      const ptrdiff_t n = width - ox < 16 ? width - ox : 16;
      __m512i acc = _mm512_setzero_si512();
      for (int i = 0; i < 3; i++) {
        const int16_t *p = top + i * pitch + 2 * ox;
        acc = _mm512_dpwssd_epi32(acc, _mm512_loadu_si512(p), f01[i]);
        acc = _mm512_dpwssd_epi32(acc, _mm512_loadu_si512(p + 2), f2[i]);
      }
      _mm512_mask_storeu_epi32(row + ox, (__mmask16)((1u << n) - 1), acc);
    }
  }
}
#endif

static void dw3_compact_on(EdgeSimKernels path, const int32_t *flat,
                           const EdgeSimWindow *g, ptrdiff_t pitch,
                           int32_t *sums) {
#if EDGESIM_X86
  if (path == EdgeSimKernelsAVX512) {
    dw3_compact_avx512(flat, g, pitch, sums);
    return;
  }
#endif
  dw3_compact(flat, g, pitch, sums);
}

void edgesim_depthwise3x3_i16(const int16_t *input, ptrdiff_t channels,
                              const EdgeSimWindow *window, const int16_t *w,
                              ptrdiff_t weightStride, void *scratch,
                              int32_t *sums) {
  edgesim_depthwise3x3_i16_on(edgesim_kernels_current(), input, channels,
                              window, w, weightStride, scratch, sums);
}

void edgesim_depthwise3x3_i16_on(EdgeSimKernels path, const int16_t *input,
                                 ptrdiff_t channels,
                                 const EdgeSimWindow *window, const int16_t *w,
                                 ptrdiff_t weightStride, void *scratch,
                                 int32_t *sums) {
  const EdgeSimWindow *g = window;
  if (channels <= 0 || !edgesim_depthwise3x3_i16_applies(g)) {
    return;
  }
  const DW3Layout l = dw3_layout(g, channels);
  // 64-byte aligned planes, then the two flat rows of sums.
  int16_t *planes =
      (int16_t *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
  int32_t *flats = (int32_t *)(planes + l.group * l.planeLanes);
  memset(planes, 0, sizeof(int16_t) * (size_t)(l.group * l.planeLanes));
  const ptrdiff_t inPlane = g->height * g->width;
  const ptrdiff_t outPlane = g->outHeight * g->outWidth;
  const int flat = g->strideX == 1;
  // The flat row of the previous channel, copied out once the next one has
  // been computed (not straight after its own stores).
  ptrdiff_t pending = -1;
  for (ptrdiff_t c0 = 0; c0 < channels; c0 += l.group) {
    const ptrdiff_t n = channels - c0 < l.group ? channels - c0 : l.group;
    for (ptrdiff_t k = 0; k < n; k++) {
      const int16_t *channel = input + (c0 + k) * inPlane;
      int16_t *plane = planes + k * l.planeLanes;
#if EDGESIM_X86
      if (path == EdgeSimKernelsAVX512) {
        dw3_fill_avx512(channel, g, &l, plane);
        continue;
      }
#endif
      dw3_fill(channel, g, &l, plane);
    }
    for (ptrdiff_t k = 0; k < n; k++) {
      const ptrdiff_t c = c0 + k;
      const int16_t *plane = planes + k * l.planeLanes;
      const int16_t *wc = w + c * weightStride;
      int32_t *out = sums + c * outPlane;
      int32_t *row = flats + (c % 2) * l.flatLanes;
      switch (path) {
#if EDGESIM_X86
      case EdgeSimKernelsAVX512:
        if (flat && g->outWidth >= DW3_ROWS_FROM) {
          dw3_rows1_avx512(plane, g, l.pitch, wc, out);
          continue;
        }
        if (flat) {
          dw3_flat_avx512(plane, g, l.pitch, wc, row);
        } else {
          dw3_rows2_avx512(plane, g, l.pitch, wc, out);
        }
        break;
      case EdgeSimKernelsAVX2:
        if (flat) {
          dw3_flat_avx2(plane, g, l.pitch, wc, row);
        } else {
          dw3_rows2_avx2(plane, g, l.pitch, wc, out);
        }
        break;
#endif
      default:
        dw3_plane_portable(plane, g, l.pitch, wc, out);
        continue;
      }
      if (flat) {
        if (pending >= 0) {
          dw3_compact_on(path, flats + (pending % 2) * l.flatLanes, g,
                         l.pitch, sums + pending * outPlane);
        }
        pending = c;
      }
    }
  }
  if (pending >= 0) {
    dw3_compact_on(path, flats + (pending % 2) * l.flatLanes, g, l.pitch,
                   sums + pending * outPlane);
  }
}
