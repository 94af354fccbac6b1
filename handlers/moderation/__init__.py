"""Strikes, flood control, reports and admin commands."""
