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
    demonyms: dict[str, str]  # "iranian" -> "iran": only for actor prefixes like "Iranian-backed"

    def lookup(self, text: str) -> Entity | None:
        found = self.by_key.get(name_key(text))
        return self.entities[found] if found else None

    def actor(self, prefix: str) -> Entity | None:
        """The state or group a prefix such as "Iranian" or "U.S." in "U.S.-designated" names."""
        found = self.demonyms.get(prefix.lower())
        return self.entities[found] if found else self.lookup(prefix)


@cache
def gazetteer() -> Gazetteer:
    entities, by_key, demonyms = {}, {}, {}
    table = data("gazetteer")
    for row in table["entity"]:
        entity = Entity(key=row["id"], id=row["id"], name=row["name"], type=row["type"], aliases=set(row["aliases"]) | {row["name"]},
                        wikidata=row.get("wikidata"), country=row.get("country"))
        entities[entity.key] = entity
        for alias in entity.aliases:
            by_key.setdefault(name_key(alias), entity.key)
        for demonym in row.get("demonyms", []):
            demonyms[demonym.lower()] = entity.key
    return Gazetteer(entities, by_key, {w.lower() for w in table.get("not_names", [])}, demonyms)
