"""kg/data/lists.toml, the public terrorist lists as reference data: cheap checks of the file itself."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from kg.gazetteer import gazetteer, listing_entry
from kg.names import normal
from kg.resources import data


def _groups() -> list[dict]:
    return data("lists")["group"]


def test_every_list_is_kept_by_a_known_body():
    gaz = gazetteer()
    for list_id, meta in data("lists")["lists"].items():
        body = gaz.entities.get(meta["authority"])
        assert body is not None and body.type == "Organization", (list_id, meta["authority"])
        date.fromisoformat(meta["as_of"])


def test_every_entry_names_a_known_list_and_its_dates_parse_in_order():
    lists = data("lists")["lists"]
    for row in _groups():
        seen = set()
        for entry in row["lists"]:
            list_id, since, until = listing_entry(entry)
            assert list_id in lists, (row["id"], entry)
            assert list_id not in seen, (row["id"], entry)  # one entry a list
            seen.add(list_id)
            as_of = date.fromisoformat(lists[list_id]["as_of"])
            for when in (since, until):
                if when is not None:
                    assert date.fromisoformat(when) <= as_of, (row["id"], entry)
            if since and until:
                assert date.fromisoformat(since) < date.fromisoformat(until), (row["id"], entry)
            assert entry == " ".join(x for x in (list_id, (since or "") + (f"..{until}" if until else "")) if x)


def test_no_group_id_twice_and_no_alias_of_two_groups():
    ids = [row["id"] for row in _groups()]
    assert len(ids) == len(set(ids))
    owners = defaultdict(set)
    for row in _groups():
        for alias in set(row["aliases"]) | {row["name"]}:
            owners[normal(alias)].add(row["id"])
    assert not {a: o for a, o in owners.items() if len(o) > 1}


def test_a_revoked_listing_is_not_reported_as_current():
    gaz = gazetteer()
    nusrah = {x.list: x for x in gaz.listings["al-nusrah-front"]}
    fto = nusrah["us-fto"]
    assert (fto.since, fto.until, fto.current) == ("2014-05-15", "2025-07-08", False)
    assert str(fto) == "US Foreign Terrorist Organizations (since 2014-05-15, revoked 2025-07-08)"
    assert nusrah["un-1267"].current and "revoked" not in str(nusrah["un-1267"])
    for key, listings in gaz.listings.items():
        for x in listings:
            assert x.current == (x.until is None) and ("revoked" in str(x)) == (not x.current), (key, x)


def test_the_lists_hold_the_groups_the_audit_found_missing():
    on = defaultdict(set)
    for key, listings in gazetteer().listings.items():
        for x in listings:
            if x.current:
                on[x.list].add(key)
    assert {"hizbul-mujahideen", "jundallah", "cpp-npa", "hasm", "viv-ansanm", "barrio-18"} <= on["us-fto"]
    assert "russian-imperial-movement" in on["uk-proscribed"]
    assert {"aum-shinrikyo", "al-nusrah-front", "hayat-tahrir-al-sham"}.isdisjoint(on["us-fto"])
    assert len(on["us-fto"]) >= 85 and len(on["uk-proscribed"]) >= 90 and len(on["eu-terrorist-list"]) >= 20
