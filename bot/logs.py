"""Logging for the commands: one format, and no customer phone numbers in any log line."""

from __future__ import annotations

import logging
import sys

from handlers.privacy import mask_phones


class MaskPhones(logging.Filter):
    """Rewrites each record with its phone numbers masked, message, arguments and traceback.

    It sits on the handlers, not on a logger: a logger's filter does not see
    records that propagate from child loggers (aiohttp, sqlalchemy, ours)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is logging's business, not ours
            return True
        record.msg, record.args = mask_phones(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_phones(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_phones(record.stack_info)
        return True


def setup(level: int = logging.INFO) -> None:
    """Log to stderr with phone numbers masked (called by every `jiedan` command)."""
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskPhones) for f in handler.filters):
            handler.addFilter(MaskPhones())
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
