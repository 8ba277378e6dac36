import ArgumentParser

/// `--labels`: the class of every sample, for top-1 and top-5 (`run`,
/// `quantize` and `simulate`).
struct LabelsOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Class labels: an integer .npy [N], one per sample, for top-1 and top-5.",
      valueName: "file"),
    completion: .file(extensions: ["npy"]))
  var labels: String?
}
