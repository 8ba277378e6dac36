// edgesim_depthwise_flat_f32: the depthwise convolution of
// edgesim_depthwise_f32 (the same sums in the same order, so the same bits)
// vectorized along a whole output plane instead of along one output row, for
// planes whose rows are shorter than a vector (MobileNetV2's 14 × 14 and
// 7 × 7 layers ran one output, or half a vector, at a time).
//
// The zero-padded input plane is stored as strideY · strideX phase planes:
// phase (a, b) holds the padded plane's rows a, a + sy, a + 2 sy, … and, in
// each, the columns b, b + sx, b + 2 sx, …, every phase row `pitch` floats
// long. Output (oy, ox) then sits at the flat index f = oy · pitch + ox, and
// its tap (i, j) reads the phase plane of (i · dy mod sy, j · dx mod sx) at
// f + (i · dy / sy) · pitch + j · dx / sx: one offset per tap, whatever the
// output's row, so that consecutive flat indices are consecutive lanes.
// Flat indices whose column is past the output row (ox ≥ outWidth: at most
// pitch − outWidth per row) are computed too and dropped when the plane's
// rows are copied out.
#include "CKernels.h"
#include "paths.h"

#pragma STDC FP_CONTRACT OFF

// The lanes summed together: 4 × 16 (AVX-512), 8 × 8 (AVX2).
enum { FLAT_BLOCK = 64, FLAT_TAIL = 16 };

typedef struct {
  // Rows per phase plane, floats per phase row, floats per phase plane.
  ptrdiff_t rows, pitch, plane;
  // The flat output indices computed: (outHeight − 1) · pitch + outWidth,
  // rounded up to FLAT_TAIL.
  ptrdiff_t flat;
  // The floats of one channel's scratch (its phase planes, FLAT_TAIL floats
  // the last block may read past them, its flat outputs), and the channels
  // filled, then computed, then copied out together.
  ptrdiff_t stride, group;
} FlatLayout;

// The scratch floats a group of channels aims at (16 KiB): the stores that
// fill a channel's phase planes, or its flat outputs, have left the store
// buffer by the time they are read back in vectors of other widths.
enum { FLAT_GROUP_FLOATS = 4096 };

static inline FlatLayout flat_layout(const EdgeSimWindow *g) {
  FlatLayout f;
  const ptrdiff_t paddedRows = (g->outHeight - 1) * g->strideY +
                               (g->kernelHeight - 1) * g->dilationY + 1;
  const ptrdiff_t paddedColumns = (g->outWidth - 1) * g->strideX +
                                  (g->kernelWidth - 1) * g->dilationX + 1;
  f.rows = (paddedRows + g->strideY - 1) / g->strideY;
  f.pitch = (paddedColumns + g->strideX - 1) / g->strideX;
  f.plane = f.rows * f.pitch;
  const ptrdiff_t used = (g->outHeight - 1) * f.pitch + g->outWidth;
  f.flat = (used + FLAT_TAIL - 1) / FLAT_TAIL * FLAT_TAIL;
  f.stride = g->strideY * g->strideX * f.plane + FLAT_TAIL + f.flat;
  f.group = FLAT_GROUP_FLOATS / f.stride;
  f.group = f.group < 1 ? 1 : f.group;
  return f;
}

ptrdiff_t edgesim_depthwise_flat_f32_scratch(const EdgeSimWindow *window) {
  if (window->outHeight <= 0 || window->outWidth <= 0) {
    return 0;
  }
  const FlatLayout f = flat_layout(window);
  return f.group * f.stride;
}

// Flat outputs f … f + FLAT_TAIL − 1, their partial sums in out: adds
// w[t] · x for the `taps` taps of `offsets`, ascending (kernels of more than
// FLAT_TABLE taps).
static inline __attribute__((always_inline)) void
flat_block_carried(const float *phases, const ptrdiff_t *offsets,
                   ptrdiff_t taps, const float *w, float *out, ptrdiff_t f) {
  float sum[FLAT_TAIL];
  for (int l = 0; l < FLAT_TAIL; l++) {
    sum[l] = out[f + l];
  }
  for (ptrdiff_t t = 0; t < taps; t++) {
    const float *source = phases + offsets[t] + f;
    const float wv = w[t];
    for (int l = 0; l < FLAT_TAIL; l++) {
      const float product = wv * source[l];
      sum[l] = sum[l] + product;
    }
  }
  for (int l = 0; l < FLAT_TAIL; l++) {
    out[f + l] = sum[l];
  }
}

// The offsets of taps first … first + count − 1 (t = i · kw + j) from a
// flat output index into the phase planes.
static void flat_offsets(const EdgeSimWindow *g, const FlatLayout *f,
                         ptrdiff_t first, ptrdiff_t count, ptrdiff_t *table) {
  const ptrdiff_t sy = g->strideY, sx = g->strideX;
  for (ptrdiff_t t = 0; t < count; t++) {
    const ptrdiff_t i = (first + t) / g->kernelWidth;
    const ptrdiff_t j = (first + t) % g->kernelWidth;
    const ptrdiff_t row = i * g->dilationY, column = j * g->dilationX;
    table[t] = ((row % sy) * sx + column % sx) * f->plane +
               (row / sy) * f->pitch + column / sx;
  }
}

// to[0 ..< n] = from[0 ..< n] for short rows, without a call: chunks of
// 16, 8, 4 or 1 floats (the widest not above n), the last one ending at n
// and overlapping the one before (the regions do not overlap each other).
static inline __attribute__((always_inline)) void
flat_copy(float *restrict to, const float *restrict from, ptrdiff_t n) {
#define FLAT_COPY_CHUNKS(width)                                                \
  do {                                                                         \
    for (ptrdiff_t at = 0;; at += (width)) {                                   \
      const ptrdiff_t start = at + (width) <= n ? at : n - (width);           \
      for (int l = 0; l < (width); l++) {                                      \
        to[start + l] = from[start + l];                                       \
      }                                                                        \
      if (start + (width) >= n) {                                              \
        break;                                                                 \
      }                                                                        \
    }                                                                          \
  } while (0)
  if (n >= 16) {
    FLAT_COPY_CHUNKS(16);
  } else if (n >= 8) {
    FLAT_COPY_CHUNKS(8);
  } else if (n >= 4) {
    FLAT_COPY_CHUNKS(4);
  } else {
    for (ptrdiff_t l = 0; l < n; l++) {
      to[l] = from[l];
    }
  }
#undef FLAT_COPY_CHUNKS
}

// One channel's padded input plane written as its phase planes.
static inline __attribute__((always_inline)) void
flat_fill(const float *channel, const EdgeSimWindow *g, const FlatLayout *f,
          float *phases) {
  const ptrdiff_t sy = g->strideY, sx = g->strideX;
  const ptrdiff_t paddedRows = (g->outHeight - 1) * sy +
                               (g->kernelHeight - 1) * g->dilationY + 1;
  for (ptrdiff_t r = 0; r < paddedRows; r++) {
    const ptrdiff_t y = r - g->padTop;
    const float *source =
        y >= 0 && y < g->height ? channel + y * g->width : NULL;
    for (ptrdiff_t q = 0; q < sx; q++) {
      float *line =
          phases + ((r % sy) * sx + q) * f->plane + (r / sy) * f->pitch;
      if (source == NULL) {
        for (ptrdiff_t t = 0; t < f->pitch; t++) {
          line[t] = 0.0f;
        }
        continue;
      }
      // Entries t with 0 ≤ t · sx + q − padLeft < width: [first, end).
      ptrdiff_t first =
          g->padLeft - q <= 0 ? 0 : (g->padLeft - q + sx - 1) / sx;
      ptrdiff_t end = g->width + g->padLeft - q <= 0
                          ? 0
                          : (g->width + g->padLeft - q + sx - 1) / sx;
      first = first < f->pitch ? first : f->pitch;
      end = end < f->pitch ? end : f->pitch;
      end = end > first ? end : first;
      for (ptrdiff_t t = 0; t < first; t++) {
        line[t] = 0.0f;
      }
      const float *from = source + q - g->padLeft;
      if (sx == 1) {
        flat_copy(line + first, from + first, end - first);
      } else if (sx == 2) {
        for (ptrdiff_t t = first; t < end; t++) {
          line[t] = from[2 * t];
        }
      } else {
        for (ptrdiff_t t = first; t < end; t++) {
          line[t] = from[t * sx];
        }
      }
      for (ptrdiff_t t = end; t < f->pitch; t++) {
        line[t] = 0.0f;
      }
    }
  }
}

// The body, compiled once per path (FLAT_BLOCK lanes in the path's
// registers).
static inline __attribute__((always_inline)) void
flat_body(EDGESIM_DEPTHWISE_ARGS) {
  if (g->outHeight <= 0 || g->outWidth <= 0) {
    return;
  }
  const FlatLayout f = flat_layout(g);
  const ptrdiff_t sy = g->strideY, sx = g->strideX;
  const ptrdiff_t taps = g->kernelHeight * g->kernelWidth;
  const ptrdiff_t outPlane = g->outHeight * g->outWidth;
  const ptrdiff_t phasesFloats = sy * sx * f.plane + FLAT_TAIL;
  // Offsets of every tap, in the order i, then j, FLAT_TABLE at a time:
  // the sums of a block are carried in the flat outputs from one part of
  // the table to the next (bias first, then the taps ascending: the same
  // order).
  enum { FLAT_TABLE = 64 };
  ptrdiff_t table[FLAT_TABLE];
  const int whole = taps <= FLAT_TABLE;
  if (whole) {
    flat_offsets(g, &f, 0, taps, table);
  }
  for (ptrdiff_t c0 = 0; c0 < channels; c0 += f.group) {
    const ptrdiff_t count = channels - c0 < f.group ? channels - c0 : f.group;
    for (ptrdiff_t k = 0; k < count; k++) {
      flat_fill(input + (c0 + k) * g->height * g->width, g, &f,
                scratch + k * f.stride);
    }
    for (ptrdiff_t m = 0; m < multiplier; m++) {
      for (ptrdiff_t k = 0; k < count; k++) {
        const float *phases = scratch + k * f.stride;
        float *flat = scratch + k * f.stride + phasesFloats;
        const ptrdiff_t o = (c0 + k) * multiplier + m;
        const float *w = weight + o * taps;
        const float b = bias != NULL ? bias[o] : 0.0f;
        if (whole) {
          // paths.h's block along the flat index: each output from b, the
          // taps ascending (product rounded, then added), then clamped.
          ptrdiff_t x = 0;
          for (; x + FLAT_BLOCK <= f.flat; x += FLAT_BLOCK) {
            edgesim_depthwise_block_table(phases, table, taps, w, b, lower,
                                          upper, flat, x, FLAT_BLOCK);
          }
          for (; x < f.flat; x += FLAT_TAIL) {
            edgesim_depthwise_block_table(phases, table, taps, w, b, lower,
                                          upper, flat, x, FLAT_TAIL);
          }
          continue;
        }
        for (ptrdiff_t x = 0; x < f.flat; x++) {
          flat[x] = b;
        }
        for (ptrdiff_t first = 0; first < taps; first += FLAT_TABLE) {
          const ptrdiff_t part =
              taps - first < FLAT_TABLE ? taps - first : FLAT_TABLE;
          flat_offsets(g, &f, first, part, table);
          for (ptrdiff_t x = 0; x < f.flat; x += FLAT_TAIL) {
            flat_block_carried(phases, table, part, w + first, flat, x);
          }
        }
        for (ptrdiff_t x = 0; x < f.flat; x++) {
          const float raised = lower >= flat[x] ? lower : flat[x];
          flat[x] = upper < raised ? upper : raised;
        }
      }
      for (ptrdiff_t k = 0; k < count; k++) {
        const float *flat = scratch + k * f.stride + phasesFloats;
        float *plane = output + ((c0 + k) * multiplier + m) * outPlane;
        for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
          flat_copy(plane + oy * g->outWidth, flat + oy * f.pitch,
                    g->outWidth);
        }
      }
    }
  }
}

static void flat_portable(EDGESIM_DEPTHWISE_ARGS) {
  flat_body(input, channels, multiplier, g, weight, bias, lower, upper,
            scratch, output);
}

#if EDGESIM_X86
__attribute__((target("avx2"))) static void
flat_avx2(EDGESIM_DEPTHWISE_ARGS) {
  flat_body(input, channels, multiplier, g, weight, bias, lower, upper,
            scratch, output);
}

__attribute__((target("avx2,avx512f,avx512bw,avx512vnni"))) static void
flat_avx512(EDGESIM_DEPTHWISE_ARGS) {
  flat_body(input, channels, multiplier, g, weight, bias, lower, upper,
            scratch, output);
}
#endif

void edgesim_depthwise_flat_f32(const float *input, ptrdiff_t channels,
                                ptrdiff_t multiplier,
                                const EdgeSimWindow *window,
                                const float *weight, const float *bias,
                                float lower, float upper, float *scratch,
                                float *output) {
  edgesim_depthwise_flat_f32_on(edgesim_kernels_current(), input, channels,
                                multiplier, window, weight, bias, lower, upper,
                                scratch, output);
}

void edgesim_depthwise_flat_f32_on(EdgeSimKernels path, const float *input,
                                   ptrdiff_t channels, ptrdiff_t multiplier,
                                   const EdgeSimWindow *window,
                                   const float *weight, const float *bias,
                                   float lower, float upper, float *scratch,
                                   float *output) {
  switch (path) {
#if EDGESIM_X86
  case EdgeSimKernelsAVX512:
    flat_avx512(input, channels, multiplier, window, weight, bias, lower,
                upper, scratch, output);
    return;
  case EdgeSimKernelsAVX2:
    flat_avx2(input, channels, multiplier, window, weight, bias, lower, upper,
              scratch, output);
    return;
#endif
  default:
    flat_portable(input, channels, multiplier, window, weight, bias, lower,
                  upper, scratch, output);
  }
}
