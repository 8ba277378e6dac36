import ArgumentParser

/// The inputs of `edgesim calibrate`: a measurements file, a device and
/// which rows to use.
struct CalibrateOptions: ParsableArguments {
  @Argument(
    help: ArgumentHelp(
      "Measurements (.csv): device, model, precision, latency_ms, and optionally batch, regime, runtime, energy_mj, source, locator, notes.",
      valueName: "measurements"))
  var measurements: String

  @Option(help: "Device: a .yaml file or a bundled name.")
  var hardware: String

  @Option(
    help: ArgumentHelp(
      "Use the rows whose device column is this name (default: the device's name).",
      valueName: "name"))
  var deviceName: String?

  @Option(
    help: ArgumentHelp(
      "Use only the rows whose runtime column contains this text.",
      valueName: "text"))
  var runtime: String?

  @Flag(
    help:
      "List and skip the rows whose model cannot be loaded, instead of failing on them."
  )
  var skipUnknown = false

  @Flag(
    help:
      "For a device with efficiency factors: fit one for every operator class it declares, instead of one per class (a runtime block's figures are fitted one by one)."
  )
  var tied = false

  @Option(
    name: .customLong("hold"),
    help: ArgumentHelp(
      "Keep this free parameter at the device file's value and fit the others (as reports name it: runtime.memory, efficiency.conv; repeatable).",
      valueName: "name"))
  var held: [String] = []
}
