"""Daily topics and the weekly content calendar."""
