"""Welcome messages for newcomers, batched, with the 72 h nudge."""
