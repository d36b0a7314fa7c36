"""Import aiogram with its Telegram types built on first use instead of all at import.

aiogram declares its few hundred types `defer_build=True`, then rebuilds every
one at import to resolve their forward references. That costs each process
that imports it (serve, worker) about 86 MB and 1.7 s for validators and
serializers a bot mostly never uses (measured: RSS after `import aiogram`
166 MB as shipped, 80 MB with this). Here, while aiogram imports, that rebuild
only records the namespace the references resolve in, as the model's parent
namespace, which is where pydantic looks when it builds a deferred model the
first time it is used. The methods (`SendMessage`…) are built when their
classes are created, find the types they refer to still unbuilt, and are left
incomplete by pydantic; they get the same namespace.

This leans on how pydantic 2 rebuilds models (`model_rebuild`'s
`_types_namespace`, `__pydantic_parent_namespace__`): if those are not there,
aiogram is imported the usual way, just bigger. tests/test_telegram_models.py
builds every type and method this way, so an aiogram or pydantic upgrade that
breaks it fails there, not in production.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from pydantic import BaseModel

log = logging.getLogger(__name__)


def import_aiogram() -> None:
    """Import aiogram (once) with its models deferred; call before any aiogram import."""
    if "aiogram" in sys.modules:
        return
    try:
        from pydantic._internal._model_construction import build_lenient_weakvaluedict
    except ImportError:  # another pydantic: import aiogram as it comes
        log.info("pydantic internals differ: aiogram's models are built at import")
        import aiogram  # noqa: F401
        return

    original = BaseModel.__dict__["model_rebuild"]
    namespaces: list[dict[str, Any]] = []

    def record_namespace(cls: type[BaseModel], *, force: bool = False, raise_errors: bool = True,
                         _parent_namespace_depth: int = 2, _types_namespace: Any = None) -> bool | None:
        if (_types_namespace is not None and not force and not cls.__pydantic_complete__
                and cls.model_config.get("defer_build")):
            cls.__pydantic_parent_namespace__ = build_lenient_weakvaluedict(_types_namespace)
            namespaces[:1] = [_types_namespace]
            return None
        return original.__func__(cls, force=force, raise_errors=raise_errors,
                                 _parent_namespace_depth=_parent_namespace_depth + 1,
                                 _types_namespace=_types_namespace)

    BaseModel.model_rebuild = classmethod(record_namespace)  # type: ignore[assignment,method-assign]
    try:
        import aiogram  # noqa: F401
    finally:
        BaseModel.model_rebuild = original  # type: ignore[method-assign]
    if not namespaces:
        return
    parent = build_lenient_weakvaluedict(namespaces[0])
    for model in _aiogram_models(BaseModel):
        # Incomplete ones (methods) need it now; complete generic ones (`Response`) pass it
        # on to the parametrized classes aiogram makes later (`Response[Message]`).
        if not model.__pydantic_complete__ or model.__pydantic_parent_namespace__ is None:
            model.__pydantic_parent_namespace__ = parent


def _aiogram_models(base: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model class aiogram defines, however deep below `base`."""
    found, todo, seen = [], [base], set()
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            todo.append(sub)
            if sub.__module__.startswith("aiogram."):
                found.append(sub)
    return found
