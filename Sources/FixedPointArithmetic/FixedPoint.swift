/// The namespace of EdgeSim's bit-accurate fixed-point arithmetic.
///
/// Every operation here is an exact function of exact rationals, realised with
/// integer arithmetic (FIXED_POINT.md, principle and §1–§8, §12). Floats appear
/// only at the boundary: `FixedPoint.quantize` and `FixedPoint.dequantize`.
///
/// The functions are scalar so that a kernel can call them once per element;
/// the hot ones are `@inlinable` and never allocate, trap or print. Functions
/// that can meet an overflow return the exact event next to the value, as an
/// ``OverflowEvent`` that an ``OverflowCounts`` records cheaply:
///
/// ```swift
/// var counts = OverflowCounts()
/// for (i, acc) in accumulators.enumerated() {
///   let (z, event) = FixedPoint.requantize(
///     acc, fromFractionalLength: 10, to: output,
///     rounding: .halfUp, overflow: .saturate)
///   counts.record(event)
///   raws[i] = z
/// }
/// ```
///
/// What it deliberately does not do: tensors, layouts, graph traversal and
/// statistics beyond overflow events belong to the executor that calls it.
public enum FixedPoint {}
