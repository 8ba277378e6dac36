// The portable paths: plain C for any CPU (the compiler may vectorize them
// for the build's baseline). Integer sums are formed in uint32_t, which
// wraps like the vector paths' Int32 lanes (signed overflow would be
// undefined in C).
#include "CKernels.h"
#include "paths.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void edgesim_dot_i16_portable(const int16_t *w, ptrdiff_t rows,
                              const int16_t *x, ptrdiff_t columns,
                              ptrdiff_t stride, int32_t *out,
                              ptrdiff_t rowStride, ptrdiff_t columnStride) {
  for (ptrdiff_t q = 0; q < columns; q++) {
    const int16_t *xq = x + q * stride;
    int32_t *o = out + q * columnStride;
    ptrdiff_t r = 0;
    // Four weight rows per pass reuse each input lane.
    for (; r + 4 <= rows; r += 4) {
      const int16_t *w0 = w + r * stride;
      const int16_t *w1 = w0 + stride;
      const int16_t *w2 = w1 + stride;
      const int16_t *w3 = w2 + stride;
      uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (ptrdiff_t k = 0; k < stride; k++) {
        int32_t v = xq[k];
        s0 += (uint32_t)(v * (int32_t)w0[k]);
        s1 += (uint32_t)(v * (int32_t)w1[k]);
        s2 += (uint32_t)(v * (int32_t)w2[k]);
        s3 += (uint32_t)(v * (int32_t)w3[k]);
      }
      o[r * rowStride] = (int32_t)s0;
      o[(r + 1) * rowStride] = (int32_t)s1;
      o[(r + 2) * rowStride] = (int32_t)s2;
      o[(r + 3) * rowStride] = (int32_t)s3;
    }
    for (; r < rows; r++) {
      const int16_t *wr = w + r * stride;
      uint32_t s = 0;
      for (ptrdiff_t k = 0; k < stride; k++) {
        s += (uint32_t)((int32_t)xq[k] * (int32_t)wr[k]);
      }
      o[r * rowStride] = (int32_t)s;
    }
  }
}

void edgesim_sgemm_portable(const float *a, ptrdiff_t m, ptrdiff_t k,
                            const float *b, ptrdiff_t n, float *out) {
  for (ptrdiff_t i = 0; i < m; i++) {
    float *row = out + i * n;
    const float *ai = a + i * k;
    for (ptrdiff_t kk = 0; kk < k; kk++) {
      float av = ai[kk];
      const float *bk = b + kk * n;
      for (ptrdiff_t j = 0; j < n; j++) {
        float product = av * bk[j];
        row[j] = row[j] + product;
      }
    }
  }
}

void edgesim_sgemm_bias_clamp_portable(EDGESIM_SGEMM_BIAS_CLAMP_ARGS) {
  (void)panel;
  for (ptrdiff_t i = 0; i < m; i++) {
    float *row = out + i * n;
    const float start = bias != NULL ? bias[i] : 0.0f;
    for (ptrdiff_t j = 0; j < n; j++) {
      row[j] = start;
    }
  }
  edgesim_sgemm_portable(a, m, k, b, n, out);
  for (ptrdiff_t q = 0; q < m * n; q++) {
    // Swift's max(s, lower) and min(_, upper).
    float s = out[q];
    s = lower >= s ? lower : s;
    out[q] = upper < s ? upper : s;
  }
}

// Block by block as the vector paths (each block of the im2col matrix
// packed from the planes as one strip of nc columns): each sum starts from
// its bias in the first block, takes its products k ascending, and is
// clamped as the last block stores it, the order of
// edgesim_sgemm_bias_clamp_portable on the built matrix.
void edgesim_conv_bias_clamp_f32_portable(EDGESIM_CONV_BIAS_CLAMP_ARGS) {
  const ptrdiff_t k = channels * g->kernelHeight * g->kernelWidth;
  const ptrdiff_t n = g->outHeight * g->outWidth;
  for (ptrdiff_t j0 = 0; j0 < n; j0 += SGEMM_PANEL_NC) {
    const ptrdiff_t nc = n - j0 < SGEMM_PANEL_NC ? n - j0 : SGEMM_PANEL_NC;
    for (ptrdiff_t k0 = 0; k0 < k; k0 += SGEMM_PANEL_KC) {
      const ptrdiff_t kc = k - k0 < SGEMM_PANEL_KC ? k - k0 : SGEMM_PANEL_KC;
      edgesim_conv_pack_strips(input, g, k0, kc, j0, nc, nc, panel);
      for (ptrdiff_t i = 0; i < m; i++) {
        float *row = out + i * n + j0;
        if (k0 == 0) {
          const float start = bias != NULL ? bias[i] : 0.0f;
          for (ptrdiff_t j = 0; j < nc; j++) {
            row[j] = start;
          }
        }
        const float *ai = a + i * k + k0;
        for (ptrdiff_t kk = 0; kk < kc; kk++) {
          const float av = ai[kk];
          const float *bk = panel + kk * nc;
          for (ptrdiff_t j = 0; j < nc; j++) {
            float product = av * bk[j];
            row[j] = row[j] + product;
          }
        }
        if (k0 + kc == k) {
          for (ptrdiff_t j = 0; j < nc; j++) {
            // Swift's max(s, lower) and min(_, upper).
            float s = row[j];
            s = lower >= s ? lower : s;
            row[j] = upper < s ? upper : s;
          }
        }
      }
    }
  }
}

void edgesim_pack_channels_last(const int64_t *src, ptrdiff_t channels,
                                ptrdiff_t height, ptrdiff_t width,
                                ptrdiff_t plane, int16_t *dst,
                                ptrdiff_t rowPitch) {
  for (ptrdiff_t y = 0; y < height; y++) {
    int16_t *row = dst + y * rowPitch;
    const int64_t *line = src + y * width;
    ptrdiff_t c0 = 0;
    for (; c0 + 8 <= channels; c0 += 8) {
      const int64_t *s = line + c0 * plane;
      int16_t *d = row + c0;
      for (ptrdiff_t x = 0; x < width; x++) {
        int16_t *t = d + x * channels;
        for (int c = 0; c < 8; c++) {
          t[c] = (int16_t)s[c * plane + x];
        }
      }
    }
    for (; c0 < channels; c0++) {
      const int64_t *s = line + c0 * plane;
      int16_t *d = row + c0;
      for (ptrdiff_t x = 0; x < width; x++) {
        d[x * channels] = (int16_t)s[x];
      }
    }
  }
}

void edgesim_pack_channels_last_i16(const int16_t *src, ptrdiff_t channels,
                                    ptrdiff_t height, ptrdiff_t width,
                                    ptrdiff_t plane, int16_t *dst,
                                    ptrdiff_t rowPitch) {
  for (ptrdiff_t y = 0; y < height; y++) {
    int16_t *row = dst + y * rowPitch;
    const int16_t *line = src + y * width;
    ptrdiff_t c0 = 0;
    for (; c0 + 8 <= channels; c0 += 8) {
      const int16_t *s = line + c0 * plane;
      int16_t *d = row + c0;
      ptrdiff_t x = 0;
#if defined(__SSE2__)
      // Blocks of 8 channels × 8 columns transposed in registers (SSE2 is
      // every x86-64's baseline; the values only move).
      for (; x + 8 <= width; x += 8) {
        __m128i r[8];
        for (int c = 0; c < 8; c++) {
          r[c] = _mm_loadu_si128((const __m128i *)(s + c * plane + x));
        }
        const __m128i t0 = _mm_unpacklo_epi16(r[0], r[1]);
        const __m128i t1 = _mm_unpackhi_epi16(r[0], r[1]);
        const __m128i t2 = _mm_unpacklo_epi16(r[2], r[3]);
        const __m128i t3 = _mm_unpackhi_epi16(r[2], r[3]);
        const __m128i t4 = _mm_unpacklo_epi16(r[4], r[5]);
        const __m128i t5 = _mm_unpackhi_epi16(r[4], r[5]);
        const __m128i t6 = _mm_unpacklo_epi16(r[6], r[7]);
        const __m128i t7 = _mm_unpackhi_epi16(r[6], r[7]);
        // Channels 0 … 3 (u0 … u3) and 4 … 7 (u4 … u7) of two columns
        // each.
        const __m128i u0 = _mm_unpacklo_epi32(t0, t2);
        const __m128i u1 = _mm_unpackhi_epi32(t0, t2);
        const __m128i u2 = _mm_unpacklo_epi32(t1, t3);
        const __m128i u3 = _mm_unpackhi_epi32(t1, t3);
        const __m128i u4 = _mm_unpacklo_epi32(t4, t6);
        const __m128i u5 = _mm_unpackhi_epi32(t4, t6);
        const __m128i u6 = _mm_unpacklo_epi32(t5, t7);
        const __m128i u7 = _mm_unpackhi_epi32(t5, t7);
        int16_t *t = d + x * channels;
        _mm_storeu_si128((__m128i *)t, _mm_unpacklo_epi64(u0, u4));
        _mm_storeu_si128((__m128i *)(t + channels),
                         _mm_unpackhi_epi64(u0, u4));
        _mm_storeu_si128((__m128i *)(t + 2 * channels),
                         _mm_unpacklo_epi64(u1, u5));
        _mm_storeu_si128((__m128i *)(t + 3 * channels),
                         _mm_unpackhi_epi64(u1, u5));
        _mm_storeu_si128((__m128i *)(t + 4 * channels),
                         _mm_unpacklo_epi64(u2, u6));
        _mm_storeu_si128((__m128i *)(t + 5 * channels),
                         _mm_unpackhi_epi64(u2, u6));
        _mm_storeu_si128((__m128i *)(t + 6 * channels),
                         _mm_unpacklo_epi64(u3, u7));
        _mm_storeu_si128((__m128i *)(t + 7 * channels),
                         _mm_unpackhi_epi64(u3, u7));
      }
#endif
      for (; x < width; x++) {
        int16_t *t = d + x * channels;
        for (int c = 0; c < 8; c++) {
          t[c] = s[c * plane + x];
        }
      }
    }
    for (; c0 < channels; c0++) {
      const int16_t *s = line + c0 * plane;
      int16_t *d = row + c0;
      for (ptrdiff_t x = 0; x < width; x++) {
        d[x * channels] = s[x];
      }
    }
  }
}

void edgesim_epilogue_portable(EDGESIM_EPILOGUE_ARGS) {
  int64_t up = 0, down = 0;
  for (ptrdiff_t i = 0; i < count; i++) {
    int32_t a = sums[i] + bias;
    int32_t r = (a >> shift) + ((a >> (shift - 1)) & roundBit);
    up += r > high;
    down += r < low;
    int32_t capped = r > high ? high : r;
    int32_t raised = capped < bottom ? bottom : capped;
    out[i] = raised > top ? top : raised;
  }
  *above += up;
  *below += down;
}

void edgesim_epilogue16_portable(EDGESIM_EPILOGUE16_ARGS) {
  int64_t up = 0, down = 0;
  for (ptrdiff_t i = 0; i < count; i++) {
    int32_t a = sums[i] + bias;
    int32_t r = (a >> shift) + ((a >> (shift - 1)) & roundBit);
    up += r > high;
    down += r < low;
    int32_t capped = r > high ? high : r;
    int32_t raised = capped < bottom ? bottom : capped;
    out[i] = (int16_t)(raised > top ? top : raised);
  }
  *above += up;
  *below += down;
}

void edgesim_clip_portable(EDGESIM_CLIP_ARGS) {
  for (ptrdiff_t i = 0; i < count; i++) {
    int64_t v = x[i] < lower ? lower : x[i];
    out[i] = v > upper ? upper : v;
  }
}

void edgesim_im2col_f32(const float *input, ptrdiff_t channels,
                        const EdgeSimWindow *g, float *column) {
  const ptrdiff_t plane = g->outHeight * g->outWidth;
  const ptrdiff_t inputPlane = g->height * g->width;
  float *target = column;
  for (ptrdiff_t c = 0; c < channels; c++) {
    const float *channel = input + c * inputPlane;
    for (ptrdiff_t i = 0; i < g->kernelHeight; i++) {
      for (ptrdiff_t j = 0; j < g->kernelWidth; j++) {
        // The outputs ox whose column x = ox · sx − pl + j · dx lies in
        // [0, width): [first, last).
        const ptrdiff_t offset = j * g->dilationX - g->padLeft;
        ptrdiff_t first = 0;
        if (offset < 0) {
          first = (-offset + g->strideX - 1) / g->strideX;
        }
        ptrdiff_t last = 0;
        if (g->width - offset > 0) {
          last = (g->width - offset + g->strideX - 1) / g->strideX;
        }
        if (first > g->outWidth) {
          first = g->outWidth;
        }
        if (last > g->outWidth) {
          last = g->outWidth;
        }
        if (last < first) {
          last = first;
        }
        for (ptrdiff_t oy = 0; oy < g->outHeight; oy++) {
          float *row = target + oy * g->outWidth;
          const ptrdiff_t y = oy * g->strideY - g->padTop + i * g->dilationY;
          if (y < 0 || y >= g->height) {
            for (ptrdiff_t ox = 0; ox < g->outWidth; ox++) {
              row[ox] = 0;
            }
            continue;
          }
          const float *source = channel + y * g->width + offset;
          for (ptrdiff_t ox = 0; ox < first; ox++) {
            row[ox] = 0;
          }
          if (g->strideX == 1) {
            for (ptrdiff_t ox = first; ox < last; ox++) {
              row[ox] = source[ox];
            }
          } else {
            for (ptrdiff_t ox = first; ox < last; ox++) {
              row[ox] = source[ox * g->strideX];
            }
          }
          for (ptrdiff_t ox = last; ox < g->outWidth; ox++) {
            row[ox] = 0;
          }
        }
        target += plane;
      }
    }
  }
}

void edgesim_window_sums_portable(EDGESIM_WINDOW_ARGS) {
  edgesim_window_sums_body(pairs, pitch, g, w, sums);
}

void edgesim_pad_pairs(const int64_t *input, ptrdiff_t height,
                       ptrdiff_t width, ptrdiff_t top, ptrdiff_t left,
                       ptrdiff_t pitch, int16_t *target) {
  for (ptrdiff_t y = 0; y < height; y++) {
    const int64_t *from = input + y * width;
    const ptrdiff_t start = (y + top) * pitch + left;
    int16_t *to = target + 2 * start;
    ptrdiff_t x = 0;
    if (start == 0 && width > 0) {
      // The plane's first lane has no lane before it.
      to[0] = (int16_t)from[0];
      x = 1;
    }
    for (; x < width; x++) {
      const int16_t v = (int16_t)from[x];
      to[2 * x] = v;
      to[2 * x - 1] = v;
    }
  }
}

void edgesim_pad_pairs_i16(const int16_t *input, ptrdiff_t height,
                           ptrdiff_t width, ptrdiff_t top, ptrdiff_t left,
                           ptrdiff_t pitch, int16_t *target) {
  for (ptrdiff_t y = 0; y < height; y++) {
    const int16_t *from = input + y * width;
    const ptrdiff_t start = (y + top) * pitch + left;
    int16_t *to = target + 2 * start;
    ptrdiff_t x = 0;
    if (start == 0 && width > 0) {
      // The plane's first lane has no lane before it.
      to[0] = from[0];
      x = 1;
    }
    for (; x < width; x++) {
      const int16_t v = from[x];
      to[2 * x] = v;
      to[2 * x - 1] = v;
    }
  }
}

void edgesim_depthwise_f32_portable(EDGESIM_DEPTHWISE_ARGS) {
  edgesim_depthwise_f32_body(input, channels, multiplier, g, weight, bias, lower, upper,
                             scratch, output);
}

ptrdiff_t edgesim_depthwise_f32_scratch(const EdgeSimWindow *window) {
  if (window->outHeight <= 0 || window->outWidth <= 0) {
    return 0;
  }
  const EdgeSimPhasePlane p = edgesim_phase_plane(window);
  return p.rows * p.rowLength;
}
