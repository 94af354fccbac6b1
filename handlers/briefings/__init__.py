"""Briefings to a group's admins: yesterday at 09:00, the week on Friday 16:00, alerts when a number
stays under its goal or spikes."""
