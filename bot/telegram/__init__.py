"""Telegram: customers in private chat, staff in a group (aiogram 3)."""
