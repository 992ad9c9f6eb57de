"""Chat-app channels: the Telegram bridge (telegram_*.py, a separate process talking to Rasa's
REST channel) and the WeChat Official Account input channel (wechat*.py, inside Rasa)."""
