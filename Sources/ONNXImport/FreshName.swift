/// A name for a new node or tensor that no other one has.
///
/// `base`, or `base_1`, `base_2`, … — the first not in `taken`, which is
/// then added to `taken`. The importer and the exporter both use it.
func freshName(_ base: String, avoiding taken: inout Set<String>) -> String {
  var name = base
  var counter = 1
  while taken.contains(name) {
    name = "\(base)_\(counter)"
    counter += 1
  }
  taken.insert(name)
  return name
}
