"""Repositories: typed queries over one session. They never commit; ``bot/`` commits once per event."""
