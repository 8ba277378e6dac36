/// The operators an accelerator runs itself, and the host processor that
/// runs the rest of a network (`host:` in a device file).
///
/// An accelerator behind a host link does not run every operator: its
/// compiler maps the ones it supports and leaves the rest to the host CPU's
/// runtime. The Edge TPU compiler is the example: it maps operators in
/// graph order into one Edge TPU custom op up to the first operator it
/// cannot map, and that operator and every one after it run on the host
/// through TensorFlow Lite, even where a later one is supported (Coral,
/// "TensorFlow models on the Edge TPU", section "Compiling",
/// https://coral.ai/docs/edgetpu/models-intro/). The simulator splits the
/// layer list there (`Documentation/Simulator.md`, "Work on the host").
///
/// The host is another device, named here and resolved when the device is
/// loaded (``hostDevice``); a network the accelerator runs whole never needs
/// it.
public struct HostPartition: Hashable, Sendable {
  /// The host device's name (a bundled device, or a file beside this one).
  public var hostName: String
  /// The ONNX operator types the accelerator runs (`Conv`, `Resize`, …).
  public var operators: Set<String>
  /// The largest upscale per spatial axis at which it runs a `Resize`.
  ///
  /// The upscale is the output's size over the input's; a larger one is
  /// left to the host. `nil`: every resize it lists runs on it.
  public var resizeMaxScale: Double?
  /// The precision the host runs its layers at (`nil`: the accelerator's).
  ///
  /// A GPU delegate computes in fp16 inside its own buffers but hands the
  /// host runtime float32 tensors, so the operators it leaves run in fp32.
  public var precision: Precision?
  /// The host, once resolved by the loader (`nil` until then).
  public var hostDevice: HostDevice?

  /// Creates a declaration.
  public init(
    hostName: String, operators: Set<String>, resizeMaxScale: Double? = nil,
    precision: Precision? = nil, hostDevice: HostDevice? = nil
  ) {
    self.hostName = hostName
    self.operators = operators
    self.resizeMaxScale = resizeMaxScale
    self.precision = precision
    self.hostDevice = hostDevice
  }

  /// Whether the accelerator runs an operator of type `opType` that scales
  /// each spatial axis by at most `upscale` (1 for operators that do not
  /// resize).
  public func runs(_ opType: String, upscale: Double = 1) -> Bool {
    guard operators.contains(opType) else { return false }
    if opType == "Resize", let limit = resizeMaxScale {
      return upscale <= limit
    }
    return true
  }
}

/// A resolved host device, boxed so that a ``Device`` can hold another.
public final class HostDevice: Hashable, Sendable {
  /// The host.
  public let device: Device

  /// Boxes a device.
  public init(_ device: Device) { self.device = device }

  public static func == (a: HostDevice, b: HostDevice) -> Bool {
    a.device == b.device
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(device) }
}
