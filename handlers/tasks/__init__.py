"""New-member tasks, questionnaire and self-intro, with deadlines and rewards."""
