"""The bundled demo: scenario segments (one per feature, run in name order) and their rules."""
