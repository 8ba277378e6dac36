// Module HardwareModel: filled in by its issue.
enum _HardwareModelPlaceholder {}
