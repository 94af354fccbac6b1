"""WeChat Work (企业微信): customer groups, app-created groups, group robots and the 智能机器人."""
