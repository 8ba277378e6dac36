import CKernels

/// An integer type that raws are held in (``RawStorage``).
///
/// `Int64` holds any format, `Int16` formats of at most 16 bits. The kernels
/// that read or write raws are generic over it, so a tensor goes from its
/// producer's requantization to its consumer's kernel at its own width; each
/// operation gives the same integers for both types.
protocol RawLane: FixedWidthInteger, BitwiseCopyable, Sendable {
  /// CKernels' requantization epilogue writing this type
  /// (`edgesim_epilogue_i32` or `edgesim_epilogue_i32_to_i16`, whose
  /// preconditions the caller meets).
  static func epilogue(
    _ sums: UnsafePointer<Int32>, count: Int, bias: Int32, shift: Int32,
    roundBit: Int32, low: Int32, high: Int32, bottom: Int32, top: Int32,
    into out: UnsafeMutablePointer<Self>, above: inout Int64,
    below: inout Int64)

  /// CKernels' channels-last packing from this type
  /// (`edgesim_pack_channels_last`, `…_i16`).
  static func packChannelsLast(
    _ source: UnsafePointer<Self>, channels: Int, height: Int, width: Int,
    plane: Int, into target: UnsafeMutablePointer<Int16>, rowPitch: Int)

  /// CKernels' pair plane from this type (`edgesim_pad_pairs`, `…_i16`).
  static func padPairs(
    _ source: UnsafePointer<Self>, height: Int, width: Int, top: Int,
    left: Int, pitch: Int, into target: UnsafeMutablePointer<Int16>)

  /// Eight raws at `pointer` that the caller knows fit Int32.
  static func lanes(_ pointer: UnsafePointer<Self>) -> SIMD8<Int32>

  /// Stores eight lanes that the caller knows fit this type.
  static func store(_ v: SIMD8<Int32>, to pointer: UnsafeMutablePointer<Self>)

  /// The storage of an array of this type.
  static func storage(_ raws: [Self]) -> RawStorage
}

extension Int64: RawLane {
  @inline(__always)
  static func epilogue(
    _ sums: UnsafePointer<Int32>, count: Int, bias: Int32, shift: Int32,
    roundBit: Int32, low: Int32, high: Int32, bottom: Int32, top: Int32,
    into out: UnsafeMutablePointer<Int64>, above: inout Int64,
    below: inout Int64
  ) {
    edgesim_epilogue_i32(
      sums, count, bias, shift, roundBit, low, high, bottom, top, out, &above,
      &below)
  }

  @inline(__always)
  static func packChannelsLast(
    _ source: UnsafePointer<Int64>, channels: Int, height: Int, width: Int,
    plane: Int, into target: UnsafeMutablePointer<Int16>, rowPitch: Int
  ) {
    edgesim_pack_channels_last(
      source, channels, height, width, plane, target, rowPitch)
  }

  @inline(__always)
  static func padPairs(
    _ source: UnsafePointer<Int64>, height: Int, width: Int, top: Int,
    left: Int, pitch: Int, into target: UnsafeMutablePointer<Int16>
  ) {
    edgesim_pad_pairs(source, height, width, top, left, pitch, target)
  }

  @inline(__always)
  static func lanes(_ pointer: UnsafePointer<Int64>) -> SIMD8<Int32> {
    Lanes.narrowed(pointer)
  }

  @inline(__always)
  static func store(_ v: SIMD8<Int32>, to pointer: UnsafeMutablePointer<Int64>)
  {
    Lanes.storeWidened(v, to: pointer)
  }

  static func storage(_ raws: [Int64]) -> RawStorage { .int64(raws) }
}

extension Int16: RawLane {
  @inline(__always)
  static func epilogue(
    _ sums: UnsafePointer<Int32>, count: Int, bias: Int32, shift: Int32,
    roundBit: Int32, low: Int32, high: Int32, bottom: Int32, top: Int32,
    into out: UnsafeMutablePointer<Int16>, above: inout Int64,
    below: inout Int64
  ) {
    edgesim_epilogue_i32_to_i16(
      sums, count, bias, shift, roundBit, low, high, bottom, top, out, &above,
      &below)
  }

  @inline(__always)
  static func packChannelsLast(
    _ source: UnsafePointer<Int16>, channels: Int, height: Int, width: Int,
    plane: Int, into target: UnsafeMutablePointer<Int16>, rowPitch: Int
  ) {
    edgesim_pack_channels_last_i16(
      source, channels, height, width, plane, target, rowPitch)
  }

  @inline(__always)
  static func padPairs(
    _ source: UnsafePointer<Int16>, height: Int, width: Int, top: Int,
    left: Int, pitch: Int, into target: UnsafeMutablePointer<Int16>
  ) {
    edgesim_pad_pairs_i16(source, height, width, top, left, pitch, target)
  }

  @inline(__always)
  static func lanes(_ pointer: UnsafePointer<Int16>) -> SIMD8<Int32> {
    Lanes.widened(pointer)
  }

  @inline(__always)
  static func store(_ v: SIMD8<Int32>, to pointer: UnsafeMutablePointer<Int16>)
  {
    Lanes.storeNarrowed(v, to: pointer)
  }

  static func storage(_ raws: [Int16]) -> RawStorage { .int16(raws) }
}
