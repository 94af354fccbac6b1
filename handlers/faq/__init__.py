"""Keyword auto-replies with a cooldown."""
