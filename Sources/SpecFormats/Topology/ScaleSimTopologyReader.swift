import Diagnostics
import NetworkGraph

/// Reads a SCALE-Sim 3.0.0 topology file (`.csv`) into a ``Network``, so
/// SCALE-Sim users can bring their topologies.
///
/// **Convolution mode** (the default): a header line, then one line per layer,
/// `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
/// Channels, Num Filter, Strides,` with a trailing comma and an optional ninth
/// field, a sparsity ratio `N:M` (read, checked and reported as not modelled).
/// The IFMAP sizes already include padding; SCALE-Sim's output size is
/// `E = ceil((H − R + s) / s)` per axis.
///
/// **GEMM mode**: when the header's fields 2 to 4 are `M, N, K`, each line is
/// `Layer, M, N, K,`, read as a Gemm `A [M, K] × B [K, N]` (M·N·K MACs).
///
/// SCALE-Sim simulates layers independently (buffers start empty, nothing is
/// reused between layers), so each layer becomes its own convolution on its
/// own graph input, `<name>.ifmap` `[1, C, H, W]`, with an absent-data weight
/// `<name>.weight` `[M, C, R, S]` and no bias; every layer's output
/// `<name>` is a graph output. The layer's `E·K·M` of SCALE-Sim's GEMM lowering
/// (`E = E_h·E_w`, `K = R·S·C`, `M` filters) is then exactly the Conv's MACs.
///
/// - Output size: the Conv computes `floor((H + pad − R)/s) + 1`. That equals
///   SCALE-Sim's `ceil((H − R)/s) + 1` when `s` divides `H − R`; otherwise the
///   reader adds `s − (H − R) mod s` end padding on that axis (SCALE-Sim's
///   last, partial window) so the output sizes and MACs agree.
/// - Depthwise: a layer whose name contains `DP` is expanded by SCALE-Sim
///   into `Channels` single-channel layers (`<name>Channel_<i>`, each with
///   `Num Filter` filters). It becomes one Conv with `group = Channels` and
///   `Channels·Num Filter` output channels, which has the same shapes and
///   MACs; a simulator reproducing SCALE-Sim runs it as `Channels` layers of
///   `K = R·S` (see `shared/data/scalesim-model.md`).
///
/// Errors name the line and the field's column: a missing or extra field, a
/// field that is not a whole number, a zero size or stride, a filter larger
/// than the IFMAP, a duplicate layer name.
public enum ScaleSimTopologyReader {
  /// The convolution-mode field names, as SCALE-Sim's sample files write them.
  static let convolutionFields = [
    "Layer name", "IFMAP Height", "IFMAP Width", "Filter Height",
    "Filter Width", "Channels",
    "Num Filter", "Strides",
  ]
  /// The GEMM-mode field names.
  static let gemmFields = ["Layer", "M", "N", "K"]
  /// The largest size any field may hold.
  static let fieldLimit = 1 << 24

  /// One comma-separated field with its 1-based column.
  struct Field {
    var text: String
    var column: Int
  }

  /// Reads a topology file's bytes.
  ///
  /// - Parameters:
  ///   - bytes: The file's contents.
  ///   - fileName: The name to report in diagnostics (never opened here); it
  ///     also names the network (without its extension).
  /// - Returns: The network when there is no error, and every diagnostic.
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    Network
  > {
    var reader = TopologyParser(fileName: fileName)
    let network = reader.parse(bytes)
    let diagnostics = reader.diagnostics.sortedByLocation()
    if diagnostics.containsErrors {
      return LoadResult(value: nil, diagnostics: diagnostics)
    }
    return LoadResult(value: network, diagnostics: diagnostics)
  }
}
