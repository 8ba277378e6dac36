// The calibration's candidate objectives (edgesim_candidate_sums): every
// candidate of an element scored in one vector, each candidate's sum in its
// own lane, element after element.
#include "candidate_sums.h"
#include "paths.h"

#pragma STDC FP_CONTRACT OFF

// Swift's `&>>` on Int64: the count taken modulo 64, the shift arithmetic.
static inline int64_t shift_right(int64_t n, int64_t s) {
  return n >> (s & 63);
}

// A candidate's raw: (n >> s) + ((n >> (s − 1)) & m) (wrapping), then
// z > high ? high : (z < low ? low : z).
static inline int64_t candidate_raw(int64_t n, const EdgeSimCandidate *c) {
  int64_t z = (int64_t)((uint64_t)shift_right(n, c->shift) +
                        (uint64_t)(shift_right(n, c->shift - 1) & c->mask));
  return z > c->high ? c->high : (z < c->low ? c->low : z);
}

static void candidate_sums_portable(const int64_t *acc, const float *reference,
                                    ptrdiff_t count,
                                    const EdgeSimCandidate *candidates,
                                    ptrdiff_t k, int squared, double *sums) {
  // Eight candidates at a time, each sum in element order.
  for (ptrdiff_t group = 0; group < k; group += 8) {
    ptrdiff_t width = k - group < 8 ? k - group : 8;
    const EdgeSimCandidate *c = candidates + group;
    double a[8];
    for (ptrdiff_t j = 0; j < width; j++) {
      a[j] = sums[group + j];
    }
    for (ptrdiff_t i = 0; i < count; i++) {
      double y = (double)reference[i];
      for (ptrdiff_t j = 0; j < width; j++) {
        double e = (double)candidate_raw(acc[i], &c[j]) * c[j].scale - y;
        a[j] += squared ? e * e : __builtin_fabs(e);
      }
    }
    for (ptrdiff_t j = 0; j < width; j++) {
      sums[group + j] = a[j];
    }
  }
}

#if EDGESIM_X86
#include <immintrin.h>

#define CANDIDATES_AVX2 __attribute__((target("avx2")))
#define CANDIDATES_AVX512                                                      \
  __attribute__((target("avx2,avx512f,avx512vl,avx512dq")))

// The lanes of a group of up to four candidates (missing ones repeat the
// last; their sums are computed and dropped).
typedef struct {
  int64_t shift[4], shift1[4], mask[4], low[4], high[4];
  double scale[4];
} Lanes4;

static void lanes4(const EdgeSimCandidate *candidates, ptrdiff_t k,
                   Lanes4 *lanes) {
  for (ptrdiff_t j = 0; j < 4; j++) {
    const EdgeSimCandidate *c = &candidates[j < k ? j : k - 1];
    lanes->shift[j] = c->shift & 63;
    lanes->shift1[j] = (c->shift - 1) & 63;
    lanes->mask[j] = c->mask;
    lanes->low[j] = c->low;
    lanes->high[j] = c->high;
    lanes->scale[j] = c->scale;
  }
}

// |e| (clears the sign) or e · e.
#define OBJECTIVE(e, squared, sign)                                            \
  ((squared) ? _mm256_mul_pd((e), (e)) : _mm256_andnot_pd((sign), (e)))

// AVX2 (no 64-bit arithmetic shift, compare-and-blend clamps, no Int64 to
// Double conversion): n >> s = ((n ^ σ) >>> s) ^ σ with σ the sign of n
// (exact for every count 0…63); the clamped raw, which lies within ±2^51
// (checked by the caller), is made a Double exactly by adding it to the
// bits of 1.5 · 2^52 and subtracting 1.5 · 2^52.
static CANDIDATES_AVX2 void
candidate_sums_avx2(const int64_t *acc, const float *reference,
                    ptrdiff_t count, const EdgeSimCandidate *candidates,
                    ptrdiff_t k, int squared, double *sums) {
  for (ptrdiff_t group = 0; group < k; group += 4) {
    ptrdiff_t width = k - group < 4 ? k - group : 4;
    Lanes4 l;
    lanes4(candidates + group, width, &l);
    const __m256i shift = _mm256_loadu_si256((const __m256i *)l.shift);
    const __m256i shift1 = _mm256_loadu_si256((const __m256i *)l.shift1);
    const __m256i mask = _mm256_loadu_si256((const __m256i *)l.mask);
    const __m256i low = _mm256_loadu_si256((const __m256i *)l.low);
    const __m256i high = _mm256_loadu_si256((const __m256i *)l.high);
    const __m256d scale = _mm256_loadu_pd(l.scale);
    const __m256i magic = _mm256_set1_epi64x(0x4338000000000000LL);
    const __m256d magicD = _mm256_set1_pd(6755399441055744.0);
    const __m256d sign = _mm256_set1_pd(-0.0);
    const __m256i zero = _mm256_setzero_si256();
    double start[4] = {0, 0, 0, 0};
    for (ptrdiff_t j = 0; j < width; j++) {
      start[j] = sums[group + j];
    }
    __m256d a = _mm256_loadu_pd(start);
    for (ptrdiff_t i = 0; i < count; i++) {
      __m256i n = _mm256_set1_epi64x(acc[i]);
      __m256i s = _mm256_cmpgt_epi64(zero, n);
      __m256i flipped = _mm256_xor_si256(n, s);
      __m256i q = _mm256_xor_si256(_mm256_srlv_epi64(flipped, shift), s);
      __m256i r = _mm256_and_si256(
          _mm256_xor_si256(_mm256_srlv_epi64(flipped, shift1), s), mask);
      __m256i z = _mm256_add_epi64(q, r);
      z = _mm256_blendv_epi8(z, high, _mm256_cmpgt_epi64(z, high));
      z = _mm256_blendv_epi8(z, low, _mm256_cmpgt_epi64(low, z));
      __m256d d = _mm256_sub_pd(
          _mm256_castsi256_pd(_mm256_add_epi64(z, magic)), magicD);
      __m256d y = _mm256_set1_pd((double)reference[i]);
      __m256d e = _mm256_sub_pd(_mm256_mul_pd(d, scale), y);
      a = _mm256_add_pd(a, OBJECTIVE(e, squared, sign));
    }
    double out[4];
    _mm256_storeu_pd(out, a);
    for (ptrdiff_t j = 0; j < width; j++) {
      sums[group + j] = out[j];
    }
  }
}

// AVX-512 on 256-bit vectors (VL): the arithmetic shift, the clamps and
// the conversion each one instruction.
static CANDIDATES_AVX512 void
candidate_sums_avx512(const int64_t *acc, const float *reference,
                      ptrdiff_t count, const EdgeSimCandidate *candidates,
                      ptrdiff_t k, int squared, double *sums) {
  for (ptrdiff_t group = 0; group < k; group += 4) {
    ptrdiff_t width = k - group < 4 ? k - group : 4;
    Lanes4 l;
    lanes4(candidates + group, width, &l);
    const __m256i shift = _mm256_loadu_si256((const __m256i *)l.shift);
    const __m256i shift1 = _mm256_loadu_si256((const __m256i *)l.shift1);
    const __m256i mask = _mm256_loadu_si256((const __m256i *)l.mask);
    const __m256i low = _mm256_loadu_si256((const __m256i *)l.low);
    const __m256i high = _mm256_loadu_si256((const __m256i *)l.high);
    const __m256d scale = _mm256_loadu_pd(l.scale);
    const __m256d sign = _mm256_set1_pd(-0.0);
    double start[4] = {0, 0, 0, 0};
    for (ptrdiff_t j = 0; j < width; j++) {
      start[j] = sums[group + j];
    }
    __m256d a = _mm256_loadu_pd(start);
    for (ptrdiff_t i = 0; i < count; i++) {
      __m256i n = _mm256_set1_epi64x(acc[i]);
      __m256i q = _mm256_srav_epi64(n, shift);
      __m256i r = _mm256_and_si256(_mm256_srav_epi64(n, shift1), mask);
      __m256i z = _mm256_add_epi64(q, r);
      z = _mm256_max_epi64(_mm256_min_epi64(z, high), low);
      __m256d d = _mm256_cvtepi64_pd(z);
      __m256d y = _mm256_set1_pd((double)reference[i]);
      __m256d e = _mm256_sub_pd(_mm256_mul_pd(d, scale), y);
      a = _mm256_add_pd(a, OBJECTIVE(e, squared, sign));
    }
    double out[4];
    _mm256_storeu_pd(out, a);
    for (ptrdiff_t j = 0; j < width; j++) {
      sums[group + j] = out[j];
    }
  }
}

// The AVX-512 path also needs VL and DQ (every CPU with VNNI has them;
// checked all the same).
static int avx512_vl_dq(void) {
  static _Atomic int known = -1;
  int value = known;
  if (value < 0) {
    __builtin_cpu_init();
    value = __builtin_cpu_supports("avx512vl") &&
            __builtin_cpu_supports("avx512dq");
    known = value;
  }
  return value;
}
#endif

void edgesim_candidate_sums(const int64_t *acc, const float *reference,
                            ptrdiff_t count,
                            const EdgeSimCandidate *candidates, ptrdiff_t k,
                            int squared, double *sums) {
  edgesim_candidate_sums_on(edgesim_kernels_current(), acc, reference, count,
                            candidates, k, squared, sums);
}

void edgesim_candidate_sums_on(EdgeSimKernels path, const int64_t *acc,
                               const float *reference, ptrdiff_t count,
                               const EdgeSimCandidate *candidates,
                               ptrdiff_t k, int squared, double *sums) {
  if (k <= 0) {
    return;
  }
#if EDGESIM_X86
  // Clamps in order (low <= high) for min and max; raws within ±2^51 for
  // AVX2's conversion.
  int ordered = 1;
  int narrow = 1;
  for (ptrdiff_t j = 0; j < k; j++) {
    const int64_t limit = (int64_t)1 << 51;
    ordered = ordered && candidates[j].low <= candidates[j].high;
    narrow = narrow && candidates[j].low >= -limit &&
             candidates[j].high <= limit;
  }
  if (path == EdgeSimKernelsAVX512 && ordered && avx512_vl_dq()) {
    candidate_sums_avx512(acc, reference, count, candidates, k, squared, sums);
    return;
  }
  if ((path == EdgeSimKernelsAVX512 || path == EdgeSimKernelsAVX2) &&
      ordered && narrow) {
    candidate_sums_avx2(acc, reference, count, candidates, k, squared, sums);
    return;
  }
#endif
  candidate_sums_portable(acc, reference, count, candidates, k, squared,
                          sums);
}
