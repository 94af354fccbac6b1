"""Ad / spam detection on every message, explained signal by signal."""
