// Module NetworkGraph: filled in by its issue.
enum _NetworkGraphPlaceholder {}
