// Module FixedPointArithmetic: filled in by its issue.
enum _FixedPointArithmeticPlaceholder {}
