"""Training and evaluation of the ad detector (offline tools). The shipped model and its loader live in
``handlers.ads.model_io``."""
