"""The services catalog: the business, its services, prices and reminder offsets.

Loaded from YAML (contract: "Catalog YAML") and validated with pydantic so a
typo in an owner's file gives a clear message instead of a stack trace later.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

DEMO_CATALOG = "demo_catalog.yaml"


class CatalogError(ValueError):
    """The catalog file is missing or malformed; the message says where."""


class Business(BaseModel):
    name: str
    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"


class Service(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    names: dict[str, str] = Field(alias="name")
    synonyms: list[str] = Field(default_factory=list)
    duration_minutes: int = Field(default=60, gt=0)
    price: float | None = None
    price_unit: dict[str, str] | None = None  # e.g. {zh: 每小时, en: per hour}

    model_config = {"populate_by_name": True, "frozen": True}

    @field_validator("names")
    @classmethod
    def _needs_a_name(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError("a service needs at least one name")
        return v

    def name_in(self, lang: str) -> str:
        """The service's name in `lang`, falling back to any name it has."""
        return self.names.get(lang) or self.names.get("zh") or next(iter(self.names.values()))


class Catalog(BaseModel):
    business: Business
    services: list[Service]

    @field_validator("services")
    @classmethod
    def _unique_ids(cls, v: list[Service]) -> list[Service]:
        ids = [s.id for s in v]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate service ids: {', '.join(dupes)}")
        if not v:
            raise ValueError("the catalog lists no services")
        return v

    def get(self, service_id: str | None) -> Service | None:
        for s in self.services:
            if s.id == service_id:
                return s
        return None


def parse_catalog(text: str, source: str = "<catalog>") -> Catalog:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise CatalogError(f"{source}: not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise CatalogError(f"{source}: expected a mapping with 'business' and 'services'")
    try:
        return Catalog.model_validate(data)
    except ValidationError as e:
        raise CatalogError(f"{source}: {e}") from e


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load `path`, or the shipped demo catalog when no path is given."""
    if path is None:
        return demo_catalog()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise CatalogError(f"cannot read catalog {p}: {e.strerror}") from e
    return parse_catalog(text, str(p))


@lru_cache(maxsize=1)
def demo_catalog() -> Catalog:
    text = resources.files("storage.data").joinpath(DEMO_CATALOG).read_text(encoding="utf-8")
    return parse_catalog(text, DEMO_CATALOG)
