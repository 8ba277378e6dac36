extension QFormat {
  /// Every problem with a storage format's parameters, in a fixed order.
  ///
  /// Reports all problems at once, as validators do (house style rule 5):
  /// width out of range, fractional length out of range, and `symmetric`
  /// without `signed`.
  ///
  /// - Returns: An empty array when the parameters describe a valid format.
  public static func problems(
    bits: Int, fractionalLength: Int, signed: Bool = true,
    symmetric: Bool = false
  ) -> [FixedPointError] {
    var problems: [FixedPointError] = []
    let allowedBits = signed ? signedBits : unsignedBits
    if !allowedBits.contains(bits) {
      problems.append(.bitsOutOfRange(bits: bits, allowed: allowedBits))
    }
    if !fractionalLengths.contains(fractionalLength) {
      problems.append(
        .fractionalLengthOutOfRange(
          fractionalLength: fractionalLength, allowed: fractionalLengths))
    }
    if symmetric && !signed { problems.append(.symmetricRequiresSigned) }
    return problems
  }

  /// Every problem with using this format under an overflow policy.
  ///
  /// `symmetric` goes with `saturate` only (§12.8): wrapping a symmetric range
  /// has no hardware meaning.
  ///
  /// - Returns: `[.symmetricWithWrap]` or an empty array.
  public func problems(with overflow: OverflowPolicy) -> [FixedPointError] {
    isSymmetric && overflow == .wrap ? [.symmetricWithWrap] : []
  }

  /// Checks this format against an overflow policy.
  ///
  /// - Throws: ``FixedPointError/symmetricWithWrap`` for a symmetric format
  ///   with `wrap` (§12.8).
  public func validate(with overflow: OverflowPolicy) throws(FixedPointError) {
    if let first = problems(with: overflow).first { throw first }
  }
}
