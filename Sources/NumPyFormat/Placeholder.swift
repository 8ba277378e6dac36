// Module NumPyFormat: filled in by its issue.
enum _NumPyFormatPlaceholder {}
