"""Join verification: a newcomer is muted until they answer a button, sum or rules question."""
