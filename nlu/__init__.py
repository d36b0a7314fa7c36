"""Natural-language understanding: a customer message in, intent and slots out.

`NluParser` (nlu.pipeline) is the rule-based parser; `ParseResult` (nlu.types)
is its output, shared with any later backend. `NluParser` is loaded on first
use so that importing `nlu.types` stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NluParser"]


def __getattr__(name: str) -> Any:
    if name == "NluParser":
        from nlu.pipeline import NluParser

        return NluParser
    raise AttributeError(f"module 'nlu' has no attribute {name!r}")
