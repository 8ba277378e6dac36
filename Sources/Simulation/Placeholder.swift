enum _PlaceholderSimulation {}
