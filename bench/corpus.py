"""A deterministic synthetic news corpus for the benchmark.

`write_corpus(folder, n, seed)` writes n `.txt` articles of 200–1500 words: a title, a date line
and a byline, then paragraphs mixing claim sentences (designations, calls for designation,
denials, leadership, part-of, support) about gazetteer entities and invented people and groups
with filler prose, and a boilerplate tail ("Latest news" headlines, "Source » outlet"). The same
(n, seed) always gives the same files."""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from kg.gazetteer import gazetteer

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
FIRST = ["Amir", "Dana", "Yusuf", "Leila", "Karim", "Nadia", "Omar", "Sara", "Tariq", "Mina", "Jonas",
         "Helen", "Rafael", "Ines", "Viktor", "Mariam", "Samir", "Clara", "Idris", "Noor"]
LAST = ["Haddad", "Rostami", "Kowalski", "Farahani", "Bennett", "Okafor", "Salehi", "Lindqvist",
        "Mansour", "Doyle", "Karimi", "Vasquez", "Nasser", "Thornton", "Aziz", "Moreau", "Jaber"]
GROUP_HEAD = ["Brigades", "Front", "Movement", "Battalions", "Legion", "Vanguard", "League", "Army"]
GROUP_WORD = ["Martyrs", "Liberation", "Resistance", "Dawn", "Crescent", "Revolution", "Sword", "Victory",
              "Northern", "Eastern", "Free", "Popular", "Holy", "Tigris", "Euphrates", "Highland"]
OUTLETS = ["Harbor Ledger", "Daily Meridian", "Northfield Post", "Capital Observer", "Evening Courier",
           "Coastline Times", "Granite Herald"]
FILLER = [
    "Analysts said the decision would have little immediate effect on the ground.",
    "The announcement came after weeks of closed-door meetings in the capital.",
    "Markets in the region were largely unmoved by the news on {day}.",
    "Diplomats cautioned that the talks could still collapse over the coming {period}.",
    "Residents described long queues at fuel stations and bakeries across the city.",
    "The ministry did not respond to a request for comment before publication.",
    "Officials briefed reporters on condition of anonymity because the matter is sensitive.",
    "Human rights groups have documented dozens of arrests since the protests began.",
    "The debate is expected to resume when lawmakers return from recess in {month}.",
    "Shipping insurers raised premiums for vessels crossing the strait last {period}.",
    "A spokesperson for the embassy declined to say whether the ambassador would be recalled.",
    "The figures could not be independently verified.",
    "Several hundred people attended the funeral, according to local media.",
    "Critics argue that sanctions alone have rarely changed a government's behaviour.",
    "The committee published a 40-page report summarising the evidence it had heard.",
    "Talks on the prisoner exchange stalled again on {day}, two sources said.",
]
PERIODS = ["week", "month", "quarter", "year"]
# Gazetteer organisations that act (list, sanction) rather than get listed.
INSTITUTIONS = {"european-union", "european-parliament", "united-nations", "un-security-council"}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass
class Cast:
    """The names one article draws on."""

    countries: list[str]
    bodies: list[str]
    groups: list[str]
    people: list[str]


def _cast(rng: random.Random) -> Cast:
    entities = sorted(gazetteer().entities.values(), key=lambda e: e.key)
    countries = [e.name for e in entities if e.type == "Country"]
    countries += [a for e in entities if e.type == "Country" for a in sorted(e.aliases) if len(a) > 3][:20]
    bodies = [e.name for e in entities if e.type == "Organization" and (e.country or e.key in INSTITUTIONS)]
    groups = [e.name for e in entities if e.type == "Organization" and e.name not in bodies]
    people = [e.name for e in entities if e.type == "Person"]
    invented_groups = [f"{rng.choice(GROUP_WORD)} {rng.choice(GROUP_HEAD)}" for _ in range(4)]
    invented_people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(5)]
    return Cast(countries, bodies, groups + invented_groups * 2, people + invented_people * 2)


def _date(rng: random.Random) -> str:
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2005, 2025)}"


def _sentence(rng: random.Random, cast: Cast) -> str:
    c, c2 = rng.sample(cast.countries, 2)
    g, g2, g3 = rng.sample(cast.groups, 3)
    p = rng.choice(cast.people)
    body = rng.choice(cast.bodies)
    month, year = rng.choice(MONTHS), rng.randint(1997, 2025)
    role = rng.choice(["commander", "leader", "head", "chief", "founder"])
    templates = [
        # designations
        f"{c} designated {g} a terrorist organization in {month} {year}.",
        f"The {body} formally proscribed {g} as a terrorist group on {rng.choice(DAYS)}.",
        f"{c} added {g} to its list of foreign terrorist organizations in {year}.",
        f"{g}, which {c} blacklisted as a terrorist entity in {year}, rejected the move.",
        f"{c} has listed {g} as a terrorist organisation since {year}.",
        f"Members of the {c}-designated terrorist group {g} were seen near the border.",
        # calls for designation
        f"{p} urged {c} to designate {g} as a terrorist organization.",
        f"Lawmakers in {c} called for {g} to be proscribed as a terrorist group.",
        f"{c2}'s foreign minister pressed {c} to list {g} as a terrorist entity, {p} said.",
        f"A motion to designate {g} a terrorist organisation was tabled in {c} last {rng.choice(PERIODS)}.",
        # denials
        f"{c} has not designated {g} a terrorist organization.",
        f"{c} refused to proscribe {g}, citing legal advice.",
        f"{c} stopped short of listing {g} as a terrorist group.",
        f"{c} has yet to designate {g} a terrorist organisation, despite pressure from {c2}.",
        # leadership
        f"{p} led {g} until {year}.",
        f"{g} {role} {p} said the group would continue its campaign.",
        f"{p}, the {role} of {g}, addressed supporters in a televised speech.",
        f"The former {role} of {g}, {p}, was killed in {month} {year}.",
        f"{p} commands {g}, according to {c2} intelligence officials.",
        # part-of
        f"{g2}, the armed wing of {g}, claimed responsibility for the attack.",
        f"{g2} is a unit of {g} that operates abroad.",
        f"Officials described {g2} as the external operations arm of {g}.",
        # support
        f"The {c}-backed {g} has expanded its operations.",
        f"{c} funds and arms groups such as {g} and {g2}.",
        f"{c} supports {g}, {g2} and {g3} across the region.",
        f"{g} receives money and weapons from {c}, {p} told reporters.",
    ]
    if rng.random() < 0.45:
        return rng.choice(FILLER).format(day=rng.choice(DAYS), period=rng.choice(PERIODS),
                                         month=rng.choice(MONTHS))
    return rng.choice(templates)


def _tail(rng: random.Random, cast: Cast, outlet: str) -> list[str]:
    heading = rng.choice(["Latest news", "Related Articles", "Must Read", "You might also like"])
    headlines = [f"{rng.choice(cast.countries)} {rng.choice(['Weighs', 'Rejects', 'Backs', 'Debates'])} "
                 f"New Measures Against {rng.choice(cast.groups)}" for _ in range(rng.randint(3, 7))]
    return [heading, *headlines, f"Source » {outlet}", "Share this article"]


def article(rng: random.Random) -> str:
    """One article's text."""
    cast = _cast(rng)
    target = rng.randint(200, 1500)
    g = rng.choice(cast.groups)
    title = f"{rng.choice(cast.countries)} {rng.choice(['Moves Against', 'Debates Listing', 'Targets', 'Weighs Ban on'])} {g}"
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    outlet = rng.choice(OUTLETS)
    paragraphs, words = [], 0
    while words < target:
        para = " ".join(_sentence(rng, cast) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        words += len(para.split())
    return "\n\n".join([title, _date(rng), f"By {author}", *paragraphs, *_tail(rng, cast, outlet)]) + "\n"


def write_corpus(folder: Path, n: int, seed: int = 8) -> list[Path]:
    """Write n articles to folder (created if need be); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        path = folder / f"bench-{i:06d}.txt"
        path.write_text(article(rng))
        paths.append(path)
    return paths


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="write a synthetic news corpus")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    print(f"{len(write_corpus(args.folder, args.articles, args.seed))} articles in {args.folder}")
