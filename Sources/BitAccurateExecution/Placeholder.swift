enum _PlaceholderBitAccurateExecution {}
