"""aiogram imported with its models built on first use (bot/telegram/lazy_models.py).

Every Telegram type and method must still build when first used, and the
responses aiogram parses (`Response[<method's result>]`) too; a pydantic or
aiogram upgrade that changes what the deferral relies on fails here. It runs
in a fresh interpreter, because this test process has imported aiogram already.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BUILD_EVERYTHING = """
import bot.telegram  # imports aiogram the deferred way
import aiogram.types as types
from aiogram.methods.base import Response, TelegramMethod
from pydantic import BaseModel

def methods(base):
    for sub in base.__subclasses__():
        yield sub
        yield from methods(sub)

deferred = [m for m in (getattr(types, n) for n in types.__all__)
            if isinstance(m, type) and issubclass(m, BaseModel) and not m.__pydantic_complete__]
assert len(deferred) > 100, f"only {len(deferred)} types were deferred: the deferral did not happen"

def build_all():  # in a function, as in a program (pydantic looks a few frames up)
    built = 0
    for model in deferred + [m for m in methods(TelegramMethod) if "__api_method__" in vars(m)]:
        model.__pydantic_validator__.validate_python  # the first use builds it (raises if it cannot)
        model.__pydantic_serializer__.to_python
        if hasattr(model, "__returning__"):
            Response[model.__returning__].__pydantic_validator__.validate_python
        built += 1
    return built

print("built", build_all())
"""


def test_every_telegram_type_and_method_builds_on_first_use() -> None:
    done = subprocess.run([sys.executable, "-c", BUILD_EVERYTHING], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.split()[-1]) > 300


def test_an_update_parses_and_a_method_serialises_after_a_deferred_import() -> None:
    script = """
def main():
  import bot.telegram
  from aiogram.methods import SendMessage
  from aiogram.types import Update
  update = Update.model_validate({"update_id": 1, "message": {
      "message_id": 7, "date": 0, "chat": {"id": 5, "type": "private"},
      "from": {"id": 5, "is_bot": False, "first_name": "U"}, "text": "你好"}})
  assert update.message.from_user.id == 5 and update.message.text == "你好"
  assert SendMessage(chat_id=5, text="好的").model_dump()["text"] == "好的"
main()
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
