"""Telegram: customers in private chat, staff in a group (aiogram 3)."""

from bot.telegram.lazy_models import import_aiogram

import_aiogram()  # before any module of this package imports aiogram: its models built on first use
