"""The gazetteer (kg/data/gazetteer.toml) as entities, with an index from name keys to ids."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .model import Entity
from .names import name_key
from .resources import data


@dataclass
class Gazetteer:
    entities: dict[str, Entity]
    by_key: dict[str, str]  # name_key(alias) -> entity key
    not_names: set[str]  # lower-cased words that are never an entity on their own

    def lookup(self, text: str) -> Entity | None:
        found = self.by_key.get(name_key(text))
        return self.entities[found] if found else None


@cache
def gazetteer() -> Gazetteer:
    entities, by_key = {}, {}
    table = data("gazetteer")
    for row in table["entity"]:
        entity = Entity(key=row["id"], id=row["id"], name=row["name"], type=row["type"], aliases=set(row["aliases"]) | {row["name"]},
                        wikidata=row.get("wikidata"), country=row.get("country"))
        entities[entity.key] = entity
        for alias in entity.aliases:
            by_key.setdefault(name_key(alias), entity.key)
    return Gazetteer(entities, by_key, {w.lower() for w in table.get("not_names", [])})
