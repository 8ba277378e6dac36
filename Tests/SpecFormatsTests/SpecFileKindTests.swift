import Testing

@testable import SpecFormats

@Suite struct SpecFileKindTests {
  static func kind(_ text: String, _ name: String = "f.yaml") -> SpecFileKind {
    SpecFileKind.detect(bytes: Array(text.utf8), fileName: name)
  }

  @Test func byExtension() {
    #expect(Self.kind("anything", "a.cfg") == .hardware)
    #expect(Self.kind("anything", "a.CSV") == .workload)
    #expect(Self.kind("", "m.onnx") == .workload)
  }

  @Test func byTopLevelKeys() {
    #expect(Self.kind("name: x\nkind: npu\n") == .hardware)
    #expect(
      Self.kind("name: x\ninput: {shape: [1]}\nlayers: []\n") == .workload)
    // A precision file has `input` and `layers` too; `default` decides.
    #expect(
      Self.kind("input: {bits: 8}\ndefault: {}\nlayers: {}\n") == .precision)
    #expect(Self.kind("weights: {density: 0.3}\n") == .compression)
    #expect(Self.kind("activations: {density: 0.3}\n") == .compression)
    #expect(Self.kind("name: s\nstudies: []\n") == .sweep)
    #expect(Self.kind("name: s\nmodels: [lenet5]\n") == .sweep)
  }

  /// Files that are not YAML mappings, or say nothing, go to the hardware
  /// reader, which reports what is wrong.
  @Test func unknownFilesAreHardware() {
    #expect(Self.kind("- a\n- b\n") == .hardware)
    #expect(Self.kind("name: x\n") == .hardware)
    #expect(Self.kind("{{{{") == .hardware)
    #expect(Self.kind("") == .hardware)
  }
}
