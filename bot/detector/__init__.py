"""The I/O half of the ad detector: the shipped model file, training from the data set, evaluation."""

from bot.detector.model_io import DEFAULT_MODEL_PATH, load_model, save_model, shipped_model

__all__ = ["DEFAULT_MODEL_PATH", "load_model", "save_model", "shipped_model"]
