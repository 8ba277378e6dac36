// Module ONNXImport: filled in by its issue.
enum _ONNXImportPlaceholder {}
