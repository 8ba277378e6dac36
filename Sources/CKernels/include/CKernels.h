// The hot integer and float kernels of BitAccurateExecution, in C so that
// each can be built for the machine's vector width and chosen at run time
// (issue #19): a portable path always, and on x86-64 an AVX2 and an
// AVX-512 (BW + VNNI) path behind a one-time CPU feature check.
//
// Every path gives the same integers and the same Float32 values as every
// other (and as the Swift reference in Tests/BitAccurateExecutionTests):
// integer sums are exact in wrapping Int32 arithmetic, whose result does not
// depend on the order of the terms; float sums keep one order per output
// (bias, then k ascending, product rounded then added: no fused
// multiply-add), vectorized across outputs only.
#ifndef EDGESIM_CKERNELS_H
#define EDGESIM_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A kernel path, narrowest first.
typedef enum {
  /// Plain C, any CPU.
  EdgeSimKernelsPortable = 0,
  /// x86-64 with AVX2: 16 Int16 lanes (`vpmaddwd`), 8 Float32 lanes.
  EdgeSimKernelsAVX2 = 1,
  /// x86-64 with AVX-512 BW and VNNI: 32 Int16 lanes (`vpdpwssd`), 16
  /// Float32 lanes.
  EdgeSimKernelsAVX512 = 2,
} EdgeSimKernels;

/// Whether this CPU (and this build) can run `path`.
int edgesim_kernels_supported(EdgeSimKernels path);

/// The path the kernels take: the widest supported one, unless
/// `edgesim_kernels_select` chose another.
EdgeSimKernels edgesim_kernels_current(void);

/// Makes every later kernel call take `path`; returns 0, or -1 (and changes
/// nothing) when the CPU cannot run it.
int edgesim_kernels_select(EdgeSimKernels path);

/// out[r · rowStride + q · columnStride] = Σ_{k < stride} w[r · stride + k]
/// · x[q · stride + k], in wrapping Int32 arithmetic, for r < rows and
/// q < columns. `stride` is a multiple of 8.
void edgesim_dot_i16(const int16_t *w, ptrdiff_t rows, const int16_t *x,
                     ptrdiff_t columns, ptrdiff_t stride, int32_t *out,
                     ptrdiff_t rowStride, ptrdiff_t columnStride);

/// `edgesim_dot_i16` on one given path (which must be supported): for tests.
void edgesim_dot_i16_on(EdgeSimKernels path, const int16_t *w,
                        ptrdiff_t rows, const int16_t *x, ptrdiff_t columns,
                        ptrdiff_t stride, int32_t *out, ptrdiff_t rowStride,
                        ptrdiff_t columnStride);

/// out[i][j] += Σ_k a[i][k] · b[k][j] for i < m, j < n, k ascending, each
/// product rounded to Float32 and then added (no fused multiply-add): row
/// i of `a` at a + i · k, row kk of `b` at b + kk · n, row i of `out` at
/// out + i · n.
void edgesim_sgemm_accumulate(const float *a, ptrdiff_t m, ptrdiff_t k,
                              const float *b, ptrdiff_t n, float *out);

/// `edgesim_sgemm_accumulate` on one given path (which must be supported).
void edgesim_sgemm_accumulate_on(EdgeSimKernels path, const float *a,
                                 ptrdiff_t m, ptrdiff_t k, const float *b,
                                 ptrdiff_t n, float *out);

/// out[i][j] = min(max(s, lower), upper) (Swift's `min` and `max`: a NaN
/// sum stays NaN; max(−0, +0) is the bound) for i < m, j < n, where s starts
/// from bias[i] (+0 when `bias` is NULL) and adds a[i][kk] · b[kk][j] for kk
/// ascending, each product rounded to Float32 and then added (no fused
/// multiply-add): the sums of `edgesim_sgemm_accumulate` on a row filled
/// with its bias, then a ReLU or Clip (±infinity bounds change nothing).
/// Row i of `a` at a + i · k, row kk of `b` at b + kk · n, row i of `out` at
/// out + i · n. Blocks of b are packed into `panel`, which holds
/// `edgesim_sgemm_panel_floats()` floats.
void edgesim_sgemm_bias_clamp(const float *a, ptrdiff_t m, ptrdiff_t k,
                              const float *b, ptrdiff_t n, const float *bias,
                              float lower, float upper, float *panel,
                              float *out);

/// `edgesim_sgemm_bias_clamp` on one given path (which must be supported).
void edgesim_sgemm_bias_clamp_on(EdgeSimKernels path, const float *a,
                                 ptrdiff_t m, ptrdiff_t k, const float *b,
                                 ptrdiff_t n, const float *bias, float lower,
                                 float upper, float *panel, float *out);

/// The floats of `edgesim_sgemm_bias_clamp`'s panel: one packed block of b.
ptrdiff_t edgesim_sgemm_panel_floats(void);

/// The requantization epilogue of a row of Int32 sums whose every value
/// a = sums[i] + bias lies within ±(2^30 − 1): r = (a >> shift) + ((a >>
/// (shift − 1)) & roundBit) (shift 1…31; roundBit 1 rounds halfUp, 0
/// floors), *above += 1 where r > high, *below += 1 where r < low, and
/// out[i] = min(max(min(r, high), bottom), top) widened to Int64: the
/// output's saturation, then a fused ReLU or Clip (bottom = max(low, L),
/// top = min(high, U); without one, bottom = low and top = high).
void edgesim_epilogue_i32(const int32_t *sums, ptrdiff_t count, int32_t bias,
                          int32_t shift, int32_t roundBit, int32_t low,
                          int32_t high, int32_t bottom, int32_t top,
                          int64_t *out, int64_t *above, int64_t *below);

/// `edgesim_epilogue_i32` on one given path (which must be supported).
void edgesim_epilogue_i32_on(EdgeSimKernels path, const int32_t *sums,
                             ptrdiff_t count, int32_t bias, int32_t shift,
                             int32_t roundBit, int32_t low, int32_t high,
                             int32_t bottom, int32_t top, int64_t *out,
                             int64_t *above, int64_t *below);

/// `edgesim_epilogue_i32` writing Int16 raws: the same r, counts and
/// clamps, out[i] = min(max(min(r, high), bottom), top) stored as Int16.
/// For an output format of at most 16 bits: `low`, `high`, `bottom` and
/// `top` must fit Int16 (then so does every stored value).
void edgesim_epilogue_i32_to_i16(const int32_t *sums, ptrdiff_t count,
                                 int32_t bias, int32_t shift,
                                 int32_t roundBit, int32_t low, int32_t high,
                                 int32_t bottom, int32_t top, int16_t *out,
                                 int64_t *above, int64_t *below);

/// `edgesim_epilogue_i32_to_i16` on one given path (which must be
/// supported).
void edgesim_epilogue_i32_to_i16_on(EdgeSimKernels path, const int32_t *sums,
                                    ptrdiff_t count, int32_t bias,
                                    int32_t shift, int32_t roundBit,
                                    int32_t low, int32_t high, int32_t bottom,
                                    int32_t top, int16_t *out, int64_t *above,
                                    int64_t *below);

/// out[i] = min(max(x[i], lower), upper) for i < count (ReLU and Clip on
/// raws).
void edgesim_clip_i64(const int64_t *x, ptrdiff_t count, int64_t lower,
                      int64_t upper, int64_t *out);

/// `edgesim_clip_i64` on one given path (which must be supported).
void edgesim_clip_i64_on(EdgeSimKernels path, const int64_t *x,
                         ptrdiff_t count, int64_t lower, int64_t upper,
                         int64_t *out);

/// A 2-D window over one image plane (ONNX Conv geometry).
typedef struct {
  ptrdiff_t height, width;
  ptrdiff_t kernelHeight, kernelWidth;
  ptrdiff_t strideY, strideX;
  ptrdiff_t dilationY, dilationX;
  ptrdiff_t padTop, padLeft;
  ptrdiff_t outHeight, outWidth;
} EdgeSimWindow;

/// The receptive fields of `channels` Float32 planes (`height · width`
/// apart) as a K × P matrix, K = channels · kh · kw in the order [c][i][j],
/// P = outHeight · outWidth: the input value, or +0 where the window reads
/// padding (one path: it moves data).
void edgesim_im2col_f32(const float *input, ptrdiff_t channels,
                        const EdgeSimWindow *window, float *column);

/// A convolution as `edgesim_sgemm_bias_clamp` of the m × K weights
/// (row i at weight + i · K) with b the K × P matrix `edgesim_im2col_f32`
/// builds from `channels` planes at `input` (K = channels · kh · kw, P =
/// outHeight · outWidth): the same sums in the same order (bias, then k
/// ascending, no fused multiply-add), then clamped, so the same bits on
/// every path, but each block of b is packed into `panel` straight from
/// the planes (the K × P matrix is never built). `panel` holds
/// `edgesim_sgemm_panel_floats()` floats; out is m × P.
void edgesim_conv_bias_clamp_f32(const float *weight, ptrdiff_t m,
                                 const float *input, ptrdiff_t channels,
                                 const EdgeSimWindow *window,
                                 const float *bias, float lower, float upper,
                                 float *panel, float *out);

/// `edgesim_conv_bias_clamp_f32` on one given path (which must be
/// supported).
void edgesim_conv_bias_clamp_f32_on(EdgeSimKernels path, const float *weight,
                                    ptrdiff_t m, const float *input,
                                    ptrdiff_t channels,
                                    const EdgeSimWindow *window,
                                    const float *bias, float lower,
                                    float upper, float *panel, float *out);

/// A depthwise convolution of `channels` Float32 planes (`height · width`
/// apart), `multiplier` outputs per channel (output o reads channel o /
/// multiplier; planes `outHeight · outWidth` apart), any stride, dilation
/// and padding: output[o][oy][ox] starts from bias[o] (+0 when `bias` is
/// NULL) and adds weight[o][i][j] · x (the product rounded, then added: no
/// fused multiply-add) for i, then j, ascending, x being the input or +0
/// where the window reads padding. These are the order and values of
/// `edgesim_im2col_f32` followed by `edgesim_sgemm_accumulate` with k = kh ·
/// kw, so the same bits on every path, without the K × P matrix. Each sum
/// is then stored as min(max(s, lower), upper), Swift's `min` and `max` (a
/// fused ReLU or Clip; ±infinity bounds change nothing). `scratch` holds
/// `edgesim_depthwise_f32_scratch(window)` floats.
void edgesim_depthwise_f32(const float *input, ptrdiff_t channels,
                           ptrdiff_t multiplier, const EdgeSimWindow *window,
                           const float *weight, const float *bias,
                           float lower, float upper, float *scratch,
                           float *output);

/// `edgesim_depthwise_f32` on one given path (which must be supported).
void edgesim_depthwise_f32_on(EdgeSimKernels path, const float *input,
                              ptrdiff_t channels, ptrdiff_t multiplier,
                              const EdgeSimWindow *window, const float *weight,
                              const float *bias, float lower, float upper,
                              float *scratch, float *output);

/// The floats of `edgesim_depthwise_f32`'s scratch for `window`: one
/// zero-padded input plane.
ptrdiff_t edgesim_depthwise_f32_scratch(const EdgeSimWindow *window);

/// `edgesim_depthwise_f32` vectorized along the whole output plane rather
/// than along each output row: the same sums in the same order (bias, then
/// w[i][j] · x for i, then j, ascending, no fused multiply-add), clamped
/// the same way, so the same bits; for planes whose rows are shorter than a
/// vector. The padded input plane is kept as stride phases, `pitch` floats
/// a row, and output (oy, ox) is computed at flat index oy · pitch + ox
/// (the columns past a row's end are computed and dropped). `scratch` holds
/// `edgesim_depthwise_flat_f32_scratch(window)` floats.
void edgesim_depthwise_flat_f32(const float *input, ptrdiff_t channels,
                                ptrdiff_t multiplier,
                                const EdgeSimWindow *window,
                                const float *weight, const float *bias,
                                float lower, float upper, float *scratch,
                                float *output);

/// `edgesim_depthwise_flat_f32` on one given path (which must be
/// supported).
void edgesim_depthwise_flat_f32_on(EdgeSimKernels path, const float *input,
                                   ptrdiff_t channels, ptrdiff_t multiplier,
                                   const EdgeSimWindow *window,
                                   const float *weight, const float *bias,
                                   float lower, float upper, float *scratch,
                                   float *output);

/// The floats of `edgesim_depthwise_flat_f32`'s scratch for `window`: the
/// phase planes of one padded input plane and one plane of flat outputs.
ptrdiff_t edgesim_depthwise_flat_f32_scratch(const EdgeSimWindow *window);

/// One plane `[height][width]` of Int64 raws (each fitting Int16) written
/// into a pair plane: with x the zero-padded plane (`pitch` columns, the
/// image at row `top`, column `left`) read as one flat row, lanes 2k and
/// 2k + 1 hold x[k] and x[k + 1]. Only the image's lanes are written.
void edgesim_pad_pairs(const int64_t *input, ptrdiff_t height,
                       ptrdiff_t width, ptrdiff_t top, ptrdiff_t left,
                       ptrdiff_t pitch, int16_t *target);

/// `edgesim_pad_pairs` from a plane of Int16 raws (a tensor stored at its
/// own width): the same lanes.
void edgesim_pad_pairs_i16(const int16_t *input, ptrdiff_t height,
                           ptrdiff_t width, ptrdiff_t top, ptrdiff_t left,
                           ptrdiff_t pitch, int16_t *target);

/// The sums of one output channel of a one-channel window over a pair plane
/// (`pitch` columns; the padded plane x at its even lanes), any stride and
/// dilation: sums[oy · outWidth + ox] = Σ_ij w[i · kw + j] · x[(oy · sy + i ·
/// dy) · pitch + ox · sx + j · dx], in wrapping Int32 arithmetic (`window`'s
/// height, width and pads are not used: the plane is already padded).
void edgesim_window_sums_i16(const int16_t *pairs, ptrdiff_t pitch,
                             const EdgeSimWindow *window, const int16_t *w,
                             int32_t *sums);

/// `edgesim_window_sums_i16` on one given path (which must be supported).
void edgesim_window_sums_i16_on(EdgeSimKernels path, const int16_t *pairs,
                                ptrdiff_t pitch, const EdgeSimWindow *window,
                                const int16_t *w, int32_t *sums);

/// One image's channels `[C][H][W]` of Int64 raws (each fitting Int16),
/// `plane` = H · W apart, written channels last as Int16:
/// dst[y · rowPitch + x · channels + c] = src[c · plane + y · width + x].
/// Eight channels at a time, so that reads and writes both run along
/// memory (one path: it moves data, no arithmetic).
void edgesim_pack_channels_last(const int64_t *src, ptrdiff_t channels,
                                ptrdiff_t height, ptrdiff_t width,
                                ptrdiff_t plane, int16_t *dst,
                                ptrdiff_t rowPitch);

/// `edgesim_pack_channels_last` from Int16 raws (a tensor stored at its own
/// width): the same layout.
void edgesim_pack_channels_last_i16(const int16_t *src, ptrdiff_t channels,
                                    ptrdiff_t height, ptrdiff_t width,
                                    ptrdiff_t plane, int16_t *dst,
                                    ptrdiff_t rowPitch);

/// Whether `edgesim_dot_i8` has an Int8 instruction on the current path
/// (AVX-512 VNNI's `vpdpbusd`), so that it is faster than
/// `edgesim_dot_i16`; elsewhere it runs plain C.
int edgesim_dot_i8_native(void);

/// The sums of `edgesim_dot_i16` for weights held as Int8:
/// out[r · rowStride + q] = Σ_{k < stride} w[r · stride + k] · x[q · stride
/// + k] in wrapping Int32 arithmetic, for r < rows and q < columns (column
/// stride 1). `stride` is a multiple of 8; every input lane that a nonzero
/// weight multiplies lies in [−128, 127] (others may hold any Int16);
/// wsums[r] = Σ_k w[r · stride + k]. AVX-512 VNNI takes four products per
/// Int32 lane (`vpdpbusd` on x + 128, less 128 · wsums[r]: the same sums
/// modulo 2^32); the other paths plain C.
void edgesim_dot_i8(const int8_t *w, ptrdiff_t rows, const int32_t *wsums,
                    const int16_t *x, ptrdiff_t columns, ptrdiff_t stride,
                    int32_t *out, ptrdiff_t rowStride);

/// `edgesim_dot_i8` on one given path (which must be supported).
void edgesim_dot_i8_on(EdgeSimKernels path, const int8_t *w, ptrdiff_t rows,
                       const int32_t *wsums, const int16_t *x,
                       ptrdiff_t columns, ptrdiff_t stride, int32_t *out,
                       ptrdiff_t rowStride);

/// `edgesim_window_sums_i16` for a 3 × 3 window with unit column stride and
/// dilation (`window` reduced to its output extent, row stride and row
/// dilation): sums[oy · outWidth + ox] = Σ_ij w[i · 3 + j] · x[(oy · strideY
/// + i · dilationY) · pitch + ox + j] in wrapping Int32 arithmetic, x the
/// pair plane's even lanes. Reads up to 2 · (outWidth + 16) lanes from each
/// row's start, so the plane needs the slack of its vector reads; writes
/// only the sums.
void edgesim_window3x3_sums_i16(const int16_t *pairs, ptrdiff_t pitch,
                                ptrdiff_t outHeight, ptrdiff_t outWidth,
                                ptrdiff_t strideY, ptrdiff_t dilationY,
                                const int16_t *w, int32_t *sums);

/// `edgesim_window3x3_sums_i16` on one given path (which must be supported).
void edgesim_window3x3_sums_i16_on(EdgeSimKernels path, const int16_t *pairs,
                                   ptrdiff_t pitch, ptrdiff_t outHeight,
                                   ptrdiff_t outWidth, ptrdiff_t strideY,
                                   ptrdiff_t dilationY, const int16_t *w,
                                   int32_t *sums);

/// Whether `edgesim_depthwise3x3_i16` runs `window`: a 3 × 3 window with
/// unit dilations, and unit strides or column stride 2 (any row stride).
int edgesim_depthwise3x3_i16_applies(const EdgeSimWindow *window);

/// The scratch bytes `edgesim_depthwise3x3_i16` needs for `channels`
/// channels of `window` (0 when it does not apply).
ptrdiff_t edgesim_depthwise3x3_i16_scratch(const EdgeSimWindow *window,
                                           ptrdiff_t channels);

/// The sums of a 3 × 3 depthwise convolution, one output channel per input
/// channel: sums[c][oy · outWidth + ox] = Σ_ij w[c · weightStride + 3 i + j]
/// · x_c[oy · strideY + i − padTop][ox · strideX + j − padLeft] (zero
/// outside the image) in wrapping Int32 arithmetic, from `channels` planes
/// of Int16 raws `[C][height][width]`. Each channel is copied into a
/// zero-padded plane in `scratch` (`edgesim_depthwise3x3_i16_scratch`
/// bytes, any contents); writes only the sums. Does nothing unless
/// `edgesim_depthwise3x3_i16_applies(window)`.
void edgesim_depthwise3x3_i16(const int16_t *input, ptrdiff_t channels,
                              const EdgeSimWindow *window, const int16_t *w,
                              ptrdiff_t weightStride, void *scratch,
                              int32_t *sums);

/// `edgesim_depthwise3x3_i16` on one given path (which must be supported).
void edgesim_depthwise3x3_i16_on(EdgeSimKernels path, const int16_t *input,
                                 ptrdiff_t channels,
                                 const EdgeSimWindow *window, const int16_t *w,
                                 ptrdiff_t weightStride, void *scratch,
                                 int32_t *sums);

#ifdef __cplusplus
}
#endif

// The calibration's candidate objectives.
#include "candidate_sums.h"

#endif
