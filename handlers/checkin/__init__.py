"""Daily check-ins with streaks and rewards."""
