"""Bot rights check: when the bot is added to a group or its rights change, say what does not work yet."""
