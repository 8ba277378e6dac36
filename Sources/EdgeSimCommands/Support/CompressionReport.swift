import Foundation
import WeightCompression

/// `report.json` of `edgesim compress`: one object per stored layer and the
/// network totals (COMPRESSION.md §4, §8), written and read through this one
/// `Codable` type.
struct CompressionReport: Codable, Equatable {
  /// One stored layer (a low-rank layer's factors are two).
  struct Layer: Codable, Equatable {
    var name: String
    var op: String
    var weights: Int
    var nonzeros: Int
    var density: Double
    var entries: Int
    var fillers: Int
    var indexBits: Int
    var valueBits: Int
    var form: String
    var codebookBits: Int
    var gapHuffmanBits: Int
    var valueHuffmanBits: Int
    var tableBits: Int
    var storedBits: Int
    var rawBits: Int
    var ratio: Double

    enum CodingKeys: String, CodingKey {
      case name, op, weights, nonzeros, density, entries, fillers
      case indexBits = "index_bits"
      case valueBits = "value_bits"
      case form
      case codebookBits = "codebook_bits"
      case gapHuffmanBits = "gap_huffman_bits"
      case valueHuffmanBits = "value_huffman_bits"
      case tableBits = "table_bits"
      case storedBits = "stored_bits"
      case rawBits = "raw_bits"
      case ratio
    }
  }

  /// The totals over the layers of §1, biases included.
  struct Totals: Codable, Equatable {
    var rawBits: Int
    var storedBits: Int
    var ratio: Double
    var macsBefore: Int
    var macsAfter: Int
    var macsNonzero: Int

    enum CodingKeys: String, CodingKey {
      case rawBits = "raw_bits"
      case storedBits = "stored_bits"
      case ratio
      case macsBefore = "macs_before"
      case macsAfter = "macs_after"
      case macsNonzero = "macs_nonzero"
    }
  }

  var layers: [Layer]
  var network: Totals
  /// Top-1 and top-5 before and after, with `--data`.
  var accuracy: CompressionAccuracy.Figures?

  /// The report of an outcome.
  init(
    _ outcome: CompressionOutcome,
    accuracy: CompressionAccuracy.Figures? = nil
  ) {
    self.accuracy = accuracy
    layers = outcome.storedLayers.map { s in
      Layer(
        name: s.name, op: s.kind.rawValue, weights: s.weights,
        nonzeros: s.nonzeros, density: s.density, entries: s.entries,
        fillers: s.fillers, indexBits: s.indexBits, valueBits: s.valueBits,
        form: s.form.rawValue, codebookBits: s.codebookBits,
        gapHuffmanBits: s.gapHuffmanBits,
        valueHuffmanBits: s.valueHuffmanBits, tableBits: s.tableBits,
        storedBits: s.storedBits, rawBits: s.rawBits, ratio: s.ratio)
    }
    let n = outcome.network
    network = Totals(
      rawBits: n.rawBits, storedBits: n.storedBits, ratio: n.ratio,
      macsBefore: n.macsBefore, macsAfter: n.macsAfter,
      macsNonzero: n.macsNonzero)
  }

  /// Pretty JSON with sorted keys and a final newline.
  var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [
      .prettyPrinted, .sortedKeys, .withoutEscapingSlashes,
    ]
    guard let data = try? encoder.encode(self) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The terminal table: one row per stored layer, then the network.
  var table: String {
    var rows = [
      [
        "layer", "op", "weights", "density", "entries", "fillers", "form",
        "bits", "stored", "ratio",
      ]
    ]
    for l in layers {
      rows.append([
        l.name, l.op, "\(l.weights)", Self.fixed(l.density, 3), "\(l.entries)",
        "\(l.fillers)", l.form, "\(l.indexBits)+\(l.valueBits)",
        "\(l.storedBits)", Self.fixed(l.ratio, 1) + "×",
      ])
    }
    let n = network
    return TextTable.render(rows) + "\n\n"
      + "network: \(n.rawBits) → \(n.storedBits) bits (\(Self.fixed(n.ratio, 1))×, biases raw); "
      + "MACs \(n.macsBefore) → \(n.macsAfter) dense, \(n.macsNonzero) nonzero"
      + (accuracy.map { a in
        "\nfloat accuracy on \(a.samples) samples: top-1 \(Self.percent(a.top1Before)) → \(Self.percent(a.top1After)), top-5 \(Self.percent(a.top5Before)) → \(Self.percent(a.top5After))"
      } ?? "")
      + (accuracy?.fixedPoint.map { f in
        "\nfixed point (\(f.precision)): top-1 \(Self.percent(f.top1Before)) → \(Self.percent(f.top1After)), top-5 \(Self.percent(f.top5Before)) → \(Self.percent(f.top5After))"
      } ?? "")
  }

  static func percent(_ value: Double?) -> String {
    value.map { fixed(100 * $0, 1) + "%" } ?? "n/a"
  }

  static func fixed(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
  }
}
