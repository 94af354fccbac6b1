"""The Telegram platform: python-telegram-bot 22 used as a Bot API client, our own polling/webhook loop."""
