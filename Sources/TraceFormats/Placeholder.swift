enum _PlaceholderTraceFormats {}
