"""Membership anniversaries."""
