// The calibration's candidate objectives (candidates.c).
#ifndef EDGESIM_CANDIDATE_SUMS_H
#define EDGESIM_CANDIDATE_SUMS_H

#include <stddef.h>
#include <stdint.h>

#include "CKernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/// One candidate format's requantization of an accumulator and its
/// dequantization factor: raw = (n >> shift) + ((n >> (shift − 1)) & mask)
/// (counts taken modulo 64, as Swift's `&>>`; the sum wrapping), then
/// raw > high ? high : (raw < low ? low : raw); value = raw · scale.
typedef struct {
  int64_t shift;
  int64_t mask;
  int64_t low;
  int64_t high;
  double scale;
} EdgeSimCandidate;

/// Adds, for each of the `k` candidates and each of the `count`
/// accumulators in order, |value − (double)reference[i]| (or its square
/// when `squared`) to sums[j]: each sum a chain of additions in element
/// order, the products rounded before the subtraction (no fused
/// multiply-add), so every sum equals the scalar loop's bit for bit. The
/// vector paths score four candidates of an element in one vector.
void edgesim_candidate_sums(const int64_t *acc, const float *reference,
                            ptrdiff_t count,
                            const EdgeSimCandidate *candidates, ptrdiff_t k,
                            int squared, double *sums);

/// `edgesim_candidate_sums` on one given path (which must be supported).
void edgesim_candidate_sums_on(EdgeSimKernels path, const int64_t *acc,
                               const float *reference, ptrdiff_t count,
                               const EdgeSimCandidate *candidates,
                               ptrdiff_t k, int squared, double *sums);

#ifdef __cplusplus
}
#endif

#endif
