"""The de-identification corpus: 50+ synthetic 行政处罚决定书 from five sectors.

For each decision: nothing of a person survives in any written form (names, ID numbers, phones,
bank cards, plates, the detailed part of addresses), organisations' names and USCCs and the
agency stay, every person has one pseudonym and different people different ones, no word that is
not a person's name is taken for one, and every replacement points at its span of the original.
Half the decisions pass the known people, the others rely on recognition alone.
"""

from __future__ import annotations

import time

import pytest

from sanxiang.disclosure.deidentify import apply, deidentify
from sanxiang.disclosure.deidentify.surnames import surname_of
from sanxiang.disclosure.deidentify.text import compact_value
from sanxiang.disclosure.tests.deidentify_corpus import Case, build_cases

CASES = build_cases()


def _run(case: Case):
    if not case.pass_people:
        return deidentify(case.text)
    return deidentify(
        case.text,
        people=[p.known() for p in case.people],
        organisations=[o.known() for o in case.organisations],
    )


def _secrets(case: Case) -> list[tuple[str, str]]:
    """Every sensitive value of the case, compacted (full-width folded, spaces and dashes gone)."""
    values = []
    for person in case.people:
        values += [("name", person.name), ("id_number", person.id_number), ("phone", person.phone)]
        values += [("bank_account", person.bank_account), ("plate", person.plate)]
        values += [("address", person.detail), ("address tail", person.detail[-6:])]
    return [(kind, compact_value(value)) for kind, value in values]


def test_the_corpus_is_large_and_varied():
    assert len(CASES) >= 50
    assert {case.sector for case in CASES} == {"市场监管", "文旅", "卫健", "交通", "城管"}
    assert sum(not case.pass_people for case in CASES) >= 12
    text = "".join(case.text for case in CASES)
    assert "１" in text and "\u3000" in text and "某某" in text and "·" in text


@pytest.mark.parametrize("case", CASES, ids=[f"{n:02d}-{c.sector}" for n, c in enumerate(CASES)])
def test_nothing_leaks_and_organisations_stay(case: Case):
    result = _run(case)
    published = result.text
    for organisation in case.organisations:
        assert organisation.name in published
        if organisation.uscc in case.text:
            assert organisation.uscc in published
        # an organisation may be named after its owner (重庆温暖月子会所): its name stays whole
        published = published.replace(organisation.name, "")
    for kept in case.keep:
        assert kept in result.text
    before, after = compact_value(case.text), compact_value(published)
    present = [(kind, value) for kind, value in _secrets(case) if value in before]
    assert present, "the case must contain the values it checks"
    leaks = [(kind, value) for kind, value in present if value in after]
    assert not leaks, f"leaked: {leaks}\n{result.text}"


@pytest.mark.parametrize("case", CASES, ids=[f"{n:02d}-{c.sector}" for n, c in enumerate(CASES)])
def test_pseudonyms_are_consistent_and_only_people_are_renamed(case: Case):
    result = _run(case)
    names = {compact_value(p.name) for p in case.people}
    pseudonyms: dict[str, set[str]] = {}
    for item in result.replacements:
        if item.kind != "name":
            continue
        written = compact_value(item.original).rstrip("某")
        assert written in names, f"「{item.original}」 is not a person of this decision\n{result.text}"
        pseudonyms.setdefault(written, set()).add(item.replacement)
    for name, used in pseudonyms.items():
        assert len(used) == 1, f"{name} has several pseudonyms: {used}"
        (pseudonym,) = used
        assert pseudonym.startswith(surname_of(name)) and "某" in pseudonym
    all_used = [next(iter(used)) for used in pseudonyms.values()]
    assert len(all_used) == len(set(all_used)), f"two people share a pseudonym: {pseudonyms}"


@pytest.mark.parametrize("case", CASES[::5], ids=[f"{n * 5:02d}" for n in range(len(CASES[::5]))])
def test_offsets_point_at_the_original_and_apply_rebuilds_the_text(case: Case):
    result = _run(case)
    position = 0
    for item in result.replacements:
        assert case.text[item.start : item.end] == item.original
        assert item.start >= position
        position = item.end
    rebuilt = apply(case.text, [item.to_dict() for item in result.replacements])
    assert rebuilt.text == result.text
    assert "".join(segment.original for segment in result.segments()) == case.text
    assert "".join(segment.text for segment in result.segments()) == result.text


def test_a_5000_character_decision_takes_well_under_50_ms():
    deidentify(CASES[0].text)  # loads jieba once, as the first publication of a process does
    text = ""
    for case in CASES:
        if len(text) >= 5000:
            break
        text += case.text
    text = text[:5000]
    people = [p.known() for case in CASES[:15] for p in case.people]
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        deidentify(text, people=people)
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.05, timings
