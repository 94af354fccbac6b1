"""Locks: message kinds a group does not allow (links, stickers, …), night mode and slow mode."""
