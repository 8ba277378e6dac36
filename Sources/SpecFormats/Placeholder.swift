// Module SpecFormats: filled in by its issue.
enum _SpecFormatsPlaceholder {}
