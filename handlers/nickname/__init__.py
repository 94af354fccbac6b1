"""Nickname format: checked on join, rename and first message, with grace and reminders."""
