"""The gazetteer: the entities kg knows before reading anything, from three data files.

- `authorities.toml`: every state's government (names from pycountry; capitals, demonyms, short
  forms written there), the bodies that designate, list, sanction or call for it, each linked to its
  state, the generic kinds of body ("Germany's Interior Ministry") and the officeholders' titles;
- `gazetteer.toml`: groups, people, units and the bodies of no list;
- `lists.toml`: the groups on the public terrorist lists, with the lists each is on.

A row of a later file with the id of an earlier one adds its aliases to it. Names are indexed
exactly (`names.normal`) and by sound (`names.block`) for `find`."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pycountry

from .model import Entity
from .names import block, judgements, normal, same, slug, words
from .resources import data


@dataclass(frozen=True)
class Listing:
    """A group's place on a public list: reference data, not a claim of any article."""

    list: str  # the list's id in lists.toml
    name: str  # the list's name
    authority: str  # entity key of the body that keeps it
    since: str | None  # ISO date of the listing, when the list states it
    as_of: str  # date of the list version read
    until: str | None = None  # ISO date the listing was revoked: the group is no longer on the list

    @property
    def current(self) -> bool:
        return self.until is None

    def __str__(self) -> str:
        if self.until:
            return f"{self.name} (since {self.since}, revoked {self.until})" if self.since else \
                f"{self.name} (revoked {self.until})"
        return f"{self.name} (since {self.since})" if self.since else f"{self.name} (as of {self.as_of})"


def listing_entry(entry: str) -> tuple[str, str | None, str | None]:
    """(list id, since, until) of a `lists` entry of lists.toml: "LIST", "LIST SINCE", or, for a
    revoked listing, "LIST SINCE..UNTIL" or "LIST ..UNTIL" (listing date not stated)."""
    list_id, _, dates = entry.partition(" ")
    since, dots, until = dates.partition("..")
    return list_id, since or None, (until or None) if dots else None


@dataclass
class Kind:
    """A body most states have, e.g. the interior ministry."""

    id: str
    name: str
    phrases: list[str]
    titles: list[str]
    acts: bool = True


@dataclass
class Gazetteer:
    entities: dict[str, Entity]
    not_names: set[str]  # lower-cased words that are never an entity on their own
    demonyms: dict[str, str]  # "iranian" -> "iran": for actor prefixes like "Iranian-backed"
    exact: dict[str, str] = field(default_factory=dict)  # normal(alias) -> entity key
    blocks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # block(alias) -> (alias, key)
    kinds: dict[str, Kind] = field(default_factory=dict)
    bodies: dict[tuple[str, str], str] = field(default_factory=dict)  # (state key, kind) -> body key
    titles: dict[str, list[str]] = field(default_factory=dict)  # title -> body keys
    state_titles: set[str] = field(default_factory=set)
    listings: dict[str, list[Listing]] = field(default_factory=dict)  # group key -> its lists, revoked too
    parents: dict[str, str] = field(default_factory=dict)  # body key -> the body it is part of
    calling: set[str] = field(default_factory=set)  # bodies that call or debate, not list

    def index(self, entity: Entity) -> None:
        for alias in sorted(entity.aliases | {entity.name}):
            self.exact.setdefault(normal(alias), entity.key)
            self.blocks.setdefault(block(alias, plural=True), []).append((alias, entity.key))

    def find(self, text: str, etype: str | None = None) -> tuple[Entity, str] | None:
        """The known entity `text` names — an alias, or a spelling of one — with the reason."""
        key = self.exact.get(normal(text))
        if key is not None and _fits(self.entities[key], etype):
            return self.entities[key], f"gazetteer alias {text!r} of {self.entities[key].name!r}"
        plural = etype != "Person"
        for alias, key in self.blocks.get(block(text, plural=True), []):
            why = same(text, alias, plural=plural)
            if why and _fits(self.entities[key], etype) and not self.judged_apart(text, key):
                return self.entities[key], f"{why}: gazetteer entity {self.entities[key].name!r}"
        return None

    def judged_apart(self, text: str, key: str) -> bool:
        """A name judged different from any name of a known entity is not that entity by its spelling:
        "Qasim Suleimani" judged different from "Qasem Soleimani" is not him as "Ghasem Soleimani" either."""
        entity = self.entities[key]
        return judgements().apart(text, entity.aliases | {entity.name})

    def lookup(self, text: str, etype: str | None = None) -> Entity | None:
        found = self.find(text, etype)
        return found[0] if found else None

    def actor(self, prefix: str) -> Entity | None:
        """The state or group a prefix such as "Iranian" or "U.S." in "U.S.-designated" names."""
        found = self.demonyms.get(prefix.lower())
        return self.entities[found] if found else self.lookup(prefix)

    def body(self, state: str, kind: str) -> Entity:
        """The body of kind `kind` of state `state`: a named one when authorities.toml has it,
        else one named for its kind ("Interior Ministry of Norway")."""
        known = self.bodies.get((state, kind))
        if known:
            return self.entities[known]
        key = f"{state}-{kind}"
        if key not in self.entities:
            country = self.entities[state]
            self.entities[key] = Entity(key=key, id=key, name=f"{self.kinds[kind].name} of {country.name}",
                                        type="Organization", country=state,
                                        aliases={f"{self.kinds[kind].name} of {country.name}"})
            if not self.kinds[kind].acts:
                self.calling.add(key)
        return self.entities[key]

    def acts(self, key: str) -> bool:
        """False for bodies that call or debate but do not list (parliaments and their chambers)."""
        return key not in self.calling

    def officeholder(self, title: str, country_key: str | None = None) -> str | None:
        """Entity key of the body an officeholder speaks for ("home secretary" → the Home Office), or of
        the state for its president, prime minister, government …; None when the title is unknown."""
        t = " ".join(words(title.replace("-", " ")))
        if t in self.state_titles:
            return country_key
        named = self.titles.get(t, [])
        if country_key is not None:
            named = [k for k in named if self.entities[k].country == country_key] or named
            if len(named) == 1 and self.entities[named[0]].country in (country_key, None):
                return named[0]
            for kind in self.kinds.values():
                if t in kind.titles and country_key in self.entities and self.entities[country_key].type == "Country":
                    return self.body(country_key, kind.id).key
            return None
        return named[0] if len(named) == 1 else None


def _fits(entity: Entity, etype: str | None) -> bool:
    """A NER type and a known entity agree: places may be states, names may be groups or bodies."""
    return etype is None or entity.type == etype or etype in ("Location", "Organization")


def _state_names(code: str, row: dict) -> tuple[str, set[str]]:
    """A state's short name and every name of it: pycountry's, and those authorities.toml adds."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return row["name"], set(row.get("aliases", []))
    name = row.get("name") or getattr(found, "common_name", None) or found.name.split(",")[0]
    official = getattr(found, "official_name", None)
    names = {name, *row.get("aliases", [])}
    if "," not in found.name:  # "Korea, Republic of" is no name a text writes
        names.add(found.name)
    if official:
        names.add(official[4:] if official.startswith("the ") else official)
    return name, names


def _add(entities: dict[str, Entity], entity: Entity) -> Entity:
    """A new entity, or more names for one already known under that id."""
    known = entities.get(entity.key)
    if known is None:
        entities[entity.key] = entity
        return entity
    known.aliases |= entity.aliases
    known.wikidata = known.wikidata or entity.wikidata
    known.country = known.country or entity.country
    return known


def _titles(text: str) -> str:
    return " ".join(words(text.replace("-", " ")))


@cache
def gazetteer() -> Gazetteer:
    entities: dict[str, Entity] = {}
    demonyms: dict[str, str] = {}
    authorities = data("authorities")
    gaz = Gazetteer(entities, set(), demonyms, state_titles={_titles(t) for t in authorities["state_titles"]})
    for code, row in authorities["states"].items():
        name, names = _state_names(code, row)
        for demonym in row.get("demonyms", []):
            names.add(f"{demonym} government")
            demonyms.setdefault(demonym.lower(), slug(name))
        if row.get("capital"):
            names.add(row["capital"])
        names |= {f"{n} government" for n in list(names) if n[:1].isupper() and not n.isupper() and " government" not in n}
        state = _add(entities, Entity(key=slug(name), id=slug(name), name=name, type="Country", aliases=names))
        demonyms.setdefault(name.lower(), state.key)
    for kid, row in authorities["kinds"].items():
        gaz.kinds[kid] = Kind(kid, row["name"], row["phrases"], [_titles(t) for t in row["titles"]], row.get("acts", True))
    for row in authorities["body"]:
        body = _add(entities, Entity(key=row["id"], id=row["id"], name=row["name"], type="Organization",
                                     aliases=set(row["aliases"]) | {row["name"]}, wikidata=row.get("wikidata"),
                                     country=row.get("country")))
        if row.get("kind") and row.get("country"):
            gaz.bodies.setdefault((row["country"], row["kind"]), body.key)
        for title in row.get("titles", []):
            gaz.titles.setdefault(_titles(title), []).append(body.key)
        if row.get("part_of"):
            gaz.parents[body.key] = row["part_of"]
        if not row.get("acts", True):
            gaz.calling.add(body.key)
        for demonym in row.get("demonyms", []):
            demonyms[demonym.lower()] = body.key
    table = data("gazetteer")
    gaz.not_names = {w.lower() for w in table.get("not_names", [])}
    for row in table["entity"]:
        _add(entities, Entity(key=row["id"], id=row["id"], name=row["name"], type=row["type"],
                              aliases=set(row["aliases"]) | {row["name"]}, wikidata=row.get("wikidata"),
                              country=row.get("country")))
        for demonym in row.get("demonyms", []):
            demonyms[demonym.lower()] = row["id"]
    lists = data("lists")
    for row in lists["group"]:
        group = _add(entities, Entity(key=row["id"], id=row["id"], name=row["name"], type="Organization",
                                      aliases=set(row["aliases"]) | {row["name"]}, wikidata=row.get("wikidata")))
        for entry in row["lists"]:
            list_id, since, until = listing_entry(entry)
            meta = lists["lists"][list_id]
            gaz.listings.setdefault(group.key, []).append(
                Listing(list_id, meta["name"], meta["authority"], since, meta["as_of"], until))
    for entity in entities.values():
        gaz.index(entity)
    return gaz
