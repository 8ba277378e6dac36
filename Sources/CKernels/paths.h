// The paths behind the dispatching entry points of CKernels.h (internal).
#ifndef EDGESIM_CKERNELS_PATHS_H
#define EDGESIM_CKERNELS_PATHS_H

#include <stddef.h>
#include <stdint.h>

#include "CKernels.h"

// The float bodies below take each product rounded, then add it.
#pragma STDC FP_CONTRACT OFF

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

#define EDGESIM_SGEMM_BIAS_CLAMP_ARGS                                          \
  const float *a, ptrdiff_t m, ptrdiff_t k, const float *b, ptrdiff_t n,       \
      const float *bias, float lower, float upper, float *panel, float *out

// The packed blocks of edgesim_sgemm_bias_clamp: SGEMM_PANEL_KC values of k
// by SGEMM_PANEL_NC columns of b (the panel), read by the vector paths in
// strips of their tile's width.
enum { SGEMM_PANEL_KC = 128, SGEMM_PANEL_NC = 256 };
// edgesim_conv_bias_clamp_f32's blocks, in the same panel: deeper and
// narrower (its K is 147 to 4608 in ResNet-18, its P down to 49), so that
// fewer blocks reload and store each tile's sums (measured in isolation on
// ResNet-18's layers: BENCHMARKS.md, issue #19, the sitting of the implicit
// im2col). The blocks change no bit: each sum is carried.
enum { CONV_PANEL_KC = 256, CONV_PANEL_NC = 128 };
_Static_assert(CONV_PANEL_KC * CONV_PANEL_NC <= SGEMM_PANEL_KC * SGEMM_PANEL_NC,
               "the convolution's blocks fit the panel");

void edgesim_sgemm_bias_clamp_portable(EDGESIM_SGEMM_BIAS_CLAMP_ARGS);

#define EDGESIM_CONV_BIAS_CLAMP_ARGS                                           \
  const float *a, ptrdiff_t m, const float *input, ptrdiff_t channels,         \
      const EdgeSimWindow *g, const float *bias, float lower, float upper,     \
      float *panel, float *out

void edgesim_conv_bias_clamp_f32_portable(EDGESIM_CONV_BIAS_CLAMP_ARGS);

// The outputs ox of a window's column jj whose input column x = ox · sx +
// offset lies in [0, width): [first, last), as edgesim_im2col_f32 finds them.
static inline __attribute__((always_inline)) void
edgesim_conv_columns(const EdgeSimWindow *g, ptrdiff_t jj, ptrdiff_t *first,
                     ptrdiff_t *last) {
  const ptrdiff_t ow = g->outWidth, sx = g->strideX;
  const ptrdiff_t offset = jj * g->dilationX - g->padLeft;
  ptrdiff_t f = 0, l = 0;
  if (offset < 0) {
    f = (-offset + sx - 1) / sx;
  }
  if (g->width - offset > 0) {
    l = (g->width - offset + sx - 1) / sx;
  }
  f = f > ow ? ow : f;
  l = l > ow ? ow : l;
  *first = f;
  *last = l < f ? f : l;
}

// Rows [k0, k0 + kc) by columns [j0, j0 + nc) of the K × P matrix that
// edgesim_im2col_f32 builds from `channels` planes at `input` (K = channels ·
// kh · kw in the order [c][i][j], P = outHeight · outWidth; the input value,
// or +0 where the window reads padding), gathered straight from the planes
// into `panel` as strips of w columns ([strip][kk][w], a strip's columns past
// nc zero): the layout of sgemm_pack_strips on the built matrix, so the
// same values without the matrix.
static inline __attribute__((always_inline)) void
edgesim_conv_pack_strips(const float *input, const EdgeSimWindow *g,
                         ptrdiff_t k0, ptrdiff_t kc, ptrdiff_t j0,
                         ptrdiff_t nc, ptrdiff_t w, float *panel) {
  const ptrdiff_t kh = g->kernelHeight, kw = g->kernelWidth;
  const ptrdiff_t ow = g->outWidth, sx = g->strideX;
  const ptrdiff_t inputPlane = g->height * g->width;
  for (ptrdiff_t j = 0; j < nc; j += w) {
    const ptrdiff_t cols = nc - j < w ? nc - j : w;
    float *strip = panel + j * kc;
    const ptrdiff_t oyStart = (j0 + j) / ow, oxStart = (j0 + j) % ow;
    ptrdiff_t c = k0 / (kh * kw), i = (k0 / kw) % kh, jj = k0 % kw;
    for (ptrdiff_t t = 0; t < kc; t++) {
      float *to = strip + t * w;
      const float *channel = input + c * inputPlane;
      const ptrdiff_t offset = jj * g->dilationX - g->padLeft;
      ptrdiff_t first, last;
      edgesim_conv_columns(g, jj, &first, &last);
      ptrdiff_t oy = oyStart, ox = oxStart, q = 0;
      while (q < cols) {
        const ptrdiff_t run = cols - q < ow - ox ? cols - q : ow - ox;
        const ptrdiff_t end = ox + run;
        const ptrdiff_t y = oy * g->strideY - g->padTop + i * g->dilationY;
        float *row = to + q - ox;
        if (y < 0 || y >= g->height) {
          for (ptrdiff_t x = ox; x < end; x++) {
            row[x] = 0;
          }
        } else {
          const float *source = channel + y * g->width + offset;
          const ptrdiff_t a = first > ox ? (first < end ? first : end) : ox;
          const ptrdiff_t b = last < end ? (last > a ? last : a) : end;
          for (ptrdiff_t x = ox; x < a; x++) {
            row[x] = 0;
          }
          if (sx == 1) {
            for (ptrdiff_t x = a; x < b; x++) {
              row[x] = source[x];
            }
          } else {
            for (ptrdiff_t x = a; x < b; x++) {
              row[x] = source[x * sx];
            }
          }
          for (ptrdiff_t x = b; x < end; x++) {
            row[x] = 0;
          }
        }
        q += run;
        ox = 0;
        oy++;
      }
      for (; q < w; q++) {
        to[q] = 0;
      }
      if (++jj == kw) {
        jj = 0;
        if (++i == kh) {
          i = 0;
          c++;
        }
      }
    }
  }
}

#define EDGESIM_EPILOGUE_ARGS                                                  \
  const int32_t *sums, ptrdiff_t count, int32_t bias, int32_t shift,           \
      int32_t roundBit, int32_t low, int32_t high, int32_t bottom,             \
      int32_t top, int64_t *out, int64_t *above, int64_t *below
#define EDGESIM_EPILOGUE16_ARGS                                                \
  const int32_t *sums, ptrdiff_t count, int32_t bias, int32_t shift,           \
      int32_t roundBit, int32_t low, int32_t high, int32_t bottom,             \
      int32_t top, int16_t *out, int64_t *above, int64_t *below
#define EDGESIM_CLIP_ARGS                                                      \
  const int64_t *x, ptrdiff_t count, int64_t lower, int64_t upper, int64_t *out

#define EDGESIM_WINDOW_ARGS                                                    \
  const int16_t *pairs, ptrdiff_t pitch, const EdgeSimWindow *g,               \
      const int16_t *w, int32_t *sums

#define EDGESIM_DEPTHWISE_ARGS                                                 \
  const float *input, ptrdiff_t channels, ptrdiff_t multiplier,                \
      const EdgeSimWindow *g, const float *weight, const float *bias,          \
      float lower, float upper, float *scratch, float *output

void edgesim_window_sums_portable(EDGESIM_WINDOW_ARGS);
void edgesim_depthwise_f32_portable(EDGESIM_DEPTHWISE_ARGS);
void edgesim_epilogue_portable(EDGESIM_EPILOGUE_ARGS);
void edgesim_epilogue16_portable(EDGESIM_EPILOGUE16_ARGS);
void edgesim_clip_portable(EDGESIM_CLIP_ARGS);

#if EDGESIM_X86
void edgesim_sgemm_bias_clamp_avx2(EDGESIM_SGEMM_BIAS_CLAMP_ARGS);
void edgesim_sgemm_bias_clamp_avx512(EDGESIM_SGEMM_BIAS_CLAMP_ARGS);
void edgesim_conv_bias_clamp_f32_avx2(EDGESIM_CONV_BIAS_CLAMP_ARGS);
void edgesim_conv_bias_clamp_f32_avx512(EDGESIM_CONV_BIAS_CLAMP_ARGS);
void edgesim_window_sums_avx2(EDGESIM_WINDOW_ARGS);
void edgesim_window_sums_avx512(EDGESIM_WINDOW_ARGS);
void edgesim_depthwise_f32_avx2(EDGESIM_DEPTHWISE_ARGS);
void edgesim_depthwise_f32_avx512(EDGESIM_DEPTHWISE_ARGS);
void edgesim_epilogue_avx2(EDGESIM_EPILOGUE_ARGS);
void edgesim_epilogue_avx512(EDGESIM_EPILOGUE_ARGS);
void edgesim_epilogue16_avx2(EDGESIM_EPILOGUE16_ARGS);
void edgesim_epilogue16_avx512(EDGESIM_EPILOGUE16_ARGS);
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

// The widest padded row the stride-2 window sums split on the stack.
enum { EDGESIM_SPLIT_ROW = 2048 };

// edgesim_window_sums_i16 for column stride 2 and unit column dilation:
// output ox's tap j reads x[2 ox + j], which is E[ox + j / 2] for even j and
// O[ox + j / 2] for odd j, with E and O the row's even and odd columns. Each
// plane row a kernel row reads is split into E and O once, so that every
// tap then runs along memory (the generic body reads every other pair,
// which vectorizes poorly). Returns 0, doing nothing, for a row wider than
// the stack buffers.
static inline __attribute__((always_inline)) int
edgesim_window_sums_stride2(EDGESIM_WINDOW_ARGS) {
  const ptrdiff_t width = g->outWidth;
  // Columns read: 2 (width − 1) + kw − 1 at most, so E needs width +
  // (kw − 1) / 2 values and O width + (kw − 2) / 2.
  if (width + (g->kernelWidth - 1) / 2 > EDGESIM_SPLIT_ROW) {
    return 0;
  }
  int16_t even[EDGESIM_SPLIT_ROW], odd[EDGESIM_SPLIT_ROW];
  for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
    uint32_t *row = (uint32_t *)(sums + oy * width);
    for (ptrdiff_t ox = 0; ox < width; ox++) {
      row[ox] = 0;
    }
    for (ptrdiff_t i = 0; i < g->kernelHeight; i++) {
      // Lane 2k of the pair plane holds x[k].
      const int16_t *line =
          pairs + 2 * (oy * g->strideY + i * g->dilationY) * pitch;
      const ptrdiff_t evens = width + (g->kernelWidth - 1) / 2;
      const ptrdiff_t odds =
          g->kernelWidth > 1 ? width + (g->kernelWidth - 2) / 2 : 0;
      for (ptrdiff_t t = 0; t < evens; t++) {
        even[t] = line[4 * t];
      }
      for (ptrdiff_t t = 0; t < odds; t++) {
        odd[t] = line[4 * t + 2];
      }
      for (ptrdiff_t j = 0; j < g->kernelWidth; j++) {
        const uint32_t wv = (uint32_t)(int32_t)w[i * g->kernelWidth + j];
        const int16_t *source = (j % 2 == 0 ? even : odd) + j / 2;
        for (ptrdiff_t ox = 0; ox < width; ox++) {
          row[ox] += wv * (uint32_t)(int32_t)source[ox];
        }
      }
    }
  }
  return 1;
}

// The body of edgesim_window_sums_i16, compiled once per path: the loop
// over output columns is vectorized for the path's lanes (wrapping sums in
// uint32_t).
static inline __attribute__((always_inline)) void
edgesim_window_sums_body(EDGESIM_WINDOW_ARGS) {
  if (g->strideX == 2 && g->dilationX == 1 &&
      edgesim_window_sums_stride2(pairs, pitch, g, w, sums)) {
    return;
  }
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

// The phase layout of the depthwise scratch: the zero-padded plane (the rows
// and columns the windows read), each row stored as strideX phases, phase q
// holding columns q, q + sx, q + 2 sx, …, `phaseLength` apart. Column ox · sx
// + j · dx is then entry ox + (j · dx) / sx of phase (j · dx) % sx, so that
// every tap reads along memory whatever the stride.
typedef struct {
  ptrdiff_t rows, columns, phaseLength, rowLength;
} EdgeSimPhasePlane;

static inline EdgeSimPhasePlane edgesim_phase_plane(const EdgeSimWindow *g) {
  EdgeSimPhasePlane p;
  p.rows = (g->outHeight - 1) * g->strideY +
           (g->kernelHeight - 1) * g->dilationY + 1;
  p.columns = (g->outWidth - 1) * g->strideX +
              (g->kernelWidth - 1) * g->dilationX + 1;
  p.phaseLength = (p.columns + g->strideX - 1) / g->strideX;
  p.rowLength = p.phaseLength * g->strideX;
  return p;
}

// Outputs ox … ox + lanes − 1 (lanes ≤ 16, a constant where inlined) of
// one output row: each starts from b and adds w[i][j] · x, product rounded
// then added, i then j ascending; `top` is the phase plane's first row the
// output row reads.
static inline __attribute__((always_inline)) void
edgesim_depthwise_block(const float *top, const EdgeSimPhasePlane *p,
                        const EdgeSimWindow *g, const float *w, float b,
                        float lower, float upper, float *row, ptrdiff_t ox,
                        int lanes) {
  float sum[16];
  for (int l = 0; l < lanes; l++) {
    sum[l] = b;
  }
  for (ptrdiff_t i = 0; i < g->kernelHeight; i++) {
    const float *line = top + i * g->dilationY * p->rowLength + ox;
    for (ptrdiff_t j = 0; j < g->kernelWidth; j++) {
      const ptrdiff_t column = j * g->dilationX;
      const float *source =
          line + (column % g->strideX) * p->phaseLength + column / g->strideX;
      const float wv = w[i * g->kernelWidth + j];
      for (int l = 0; l < lanes; l++) {
        const float product = wv * source[l];
        sum[l] = sum[l] + product;
      }
    }
  }
  for (int l = 0; l < lanes; l++) {
    // Swift's max(s, lower), then min(_, upper).
    const float raised = lower >= sum[l] ? lower : sum[l];
    row[ox + l] = upper < raised ? upper : raised;
  }
}

// The taps whose offsets the depthwise body tabulates (up to 8 × 8).
enum { EDGESIM_DEPTHWISE_TABLE = 64 };

// edgesim_depthwise_block with each tap's offset from `top` tabulated
// (offsets[i · kw + j]), so that no division runs per block.
static inline __attribute__((always_inline)) void
edgesim_depthwise_block_table(const float *top, const ptrdiff_t *offsets,
                              ptrdiff_t taps, const float *w, float b,
                              float lower, float upper, float *row,
                              ptrdiff_t ox, int lanes) {
  // Up to 64 lanes: depthwise_flat.c's blocks along the whole plane.
  float sum[64];
  for (int l = 0; l < lanes; l++) {
    sum[l] = b;
  }
  for (ptrdiff_t t = 0; t < taps; t++) {
    const float *source = top + offsets[t] + ox;
    const float wv = w[t];
    for (int l = 0; l < lanes; l++) {
      const float product = wv * source[l];
      sum[l] = sum[l] + product;
    }
  }
  for (int l = 0; l < lanes; l++) {
    // Swift's max(s, lower), then min(_, upper).
    const float raised = lower >= sum[l] ? lower : sum[l];
    row[ox + l] = upper < raised ? upper : raised;
  }
}

// The body of edgesim_depthwise_f32, compiled once per path: each output
// starts from its bias and adds w[i][j] · x (product rounded, then added)
// for i, then j, ascending, reading +0 where the window is on padding — the
// order and the values of im2col followed by the GEMM, so the same bits.
// Blocks of adjacent output columns are vectorized for the path's lanes.
static inline __attribute__((always_inline)) void
edgesim_depthwise_f32_body(EDGESIM_DEPTHWISE_ARGS) {
  if (g->outHeight <= 0 || g->outWidth <= 0) {
    return;
  }
  const EdgeSimPhasePlane p = edgesim_phase_plane(g);
  const ptrdiff_t sx = g->strideX;
  const ptrdiff_t taps = g->kernelHeight * g->kernelWidth;
  const ptrdiff_t outPlane = g->outHeight * g->outWidth;
  ptrdiff_t offsets[EDGESIM_DEPTHWISE_TABLE];
  const int tabulated = taps <= EDGESIM_DEPTHWISE_TABLE;
  if (tabulated) {
    for (ptrdiff_t i = 0; i < g->kernelHeight; i++) {
      for (ptrdiff_t j = 0; j < g->kernelWidth; j++) {
        const ptrdiff_t column = j * g->dilationX;
        offsets[i * g->kernelWidth + j] =
            i * g->dilationY * p.rowLength + (column % sx) * p.phaseLength +
            column / sx;
      }
    }
  }
  for (ptrdiff_t c = 0; c < channels; c++) {
    const float *channel = input + c * g->height * g->width;
    for (ptrdiff_t r = 0; r < p.rows; r++) {
      float *line = scratch + r * p.rowLength;
      const ptrdiff_t y = r - g->padTop;
      const float *source =
          y >= 0 && y < g->height ? channel + y * g->width : NULL;
      for (ptrdiff_t q = 0; q < sx; q++) {
        float *phase = line + q * p.phaseLength;
        for (ptrdiff_t t = 0; t < p.phaseLength; t++) {
          const ptrdiff_t x = t * sx + q - g->padLeft;
          phase[t] =
              source != NULL && x >= 0 && x < g->width ? source[x] : 0.0f;
        }
      }
    }
    for (ptrdiff_t m = 0; m < multiplier; m++) {
      const ptrdiff_t o = c * multiplier + m;
      const float *w = weight + o * taps;
      const float b = bias != NULL ? bias[o] : 0.0f;
      float *plane = output + o * outPlane;
      for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
        float *row = plane + oy * g->outWidth;
        const float *top = scratch + oy * g->strideY * p.rowLength;
        // Blocks of 16 (or, in a narrower row, 8) outputs held in
        // registers across all taps; a row's last block ends at its end,
        // overlapping the one before (recomputing equal values).
        const ptrdiff_t width = g->outWidth;
        if (tabulated && width >= 16) {
          for (ptrdiff_t ox = 0; ox < width; ox += 16) {
            edgesim_depthwise_block_table(
                top, offsets, taps, w, b, lower, upper, row,
                ox + 16 <= width ? ox : width - 16, 16);
          }
        } else if (tabulated && width >= 8) {
          edgesim_depthwise_block_table(top, offsets, taps, w, b, lower, upper, row, 0, 8);
          edgesim_depthwise_block_table(top, offsets, taps, w, b, lower, upper, row,
                                        width - 8, 8);
        } else if (tabulated) {
          for (ptrdiff_t ox = 0; ox < width; ox++) {
            edgesim_depthwise_block_table(top, offsets, taps, w, b, lower, upper, row, ox,
                                          1);
          }
        } else if (width >= 16) {
          for (ptrdiff_t ox = 0; ox < width; ox += 16) {
            edgesim_depthwise_block(top, &p, g, w, b, lower, upper, row,
                                    ox + 16 <= width ? ox : width - 16, 16);
          }
        } else if (width >= 8) {
          edgesim_depthwise_block(top, &p, g, w, b, lower, upper, row, 0, 8);
          edgesim_depthwise_block(top, &p, g, w, b, lower, upper, row, width - 8, 8);
        } else {
          for (ptrdiff_t ox = 0; ox < width; ox++) {
            edgesim_depthwise_block(top, &p, g, w, b, lower, upper, row, ox, 1);
          }
        }
      }
    }
  }
}

#endif
