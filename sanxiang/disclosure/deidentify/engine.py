"""``deidentify``: runs every detector, settles overlaps, gives names their pseudonyms."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from typing import Any

from . import addresses, names, numbers, patterns
from .candidates import Candidate, Protected
from .model import Deidentified, Replacement, apply, label
from .surnames import surname_of
from .text import TextView, compact_value

Person = Mapping[str, Any]


def deidentify(
    text: str,
    people: Iterable[Person] = (),
    organisations: Iterable[Mapping[str, Any]] = (),
    officers: Iterable[Mapping[str, Any] | str] = (),
    keep: Iterable[str] = (),
    guess_names: bool = False,
) -> Deidentified:
    """De-identify a decision's text for publication (法释〔2016〕19号, DOMAIN.md).

    ``people``: the natural persons the case knows (parties, legal representatives, witnesses …),
    each a dict with ``name`` and any of ``id_number``, ``address``, ``phone``, ``bank_account``,
    ``plate``, ``email`` (a string or a list of strings) and ``aliases`` (other names). Everything
    found of them is replaced, wherever and however it is written.
    ``organisations``: ``{"name", "uscc", "address"?}``; their names and USCCs are never touched.
    ``officers``: names (or ``{"name", "certificate"}``) of officers, kept (事前公开 makes them
    public); names after officer cues (执法人员 …) are kept too.
    ``keep``: any other strings to leave as they are (the agency's phone, say).
    ``guess_names``: also replace jieba's guesses at names that no rule or known person covers
    (more recall, less precision: for texts no one reviews). Otherwise ``suggest_names`` offers them
    to the publisher.

    Works with no known people at all, on patterns and name recognition alone.
    """
    view = TextView(text)
    people = [p for p in people if p]
    protected = _protections(view, organisations, officers, keep)
    candidates = _known_values(view, people)
    candidates += numbers.find_numbers(view.norm)
    candidates += patterns.find_plates(view.norm)
    candidates += patterns.find_emails(view.norm)
    candidates += patterns.find_property_certificates(view.norm)
    found_addresses, organisation_addresses = addresses.find_addresses(view.norm)
    candidates += found_addresses
    protected += organisation_addresses
    name_candidates, officer_spans, reserved = _names(view, people, guess_names)
    candidates += name_candidates
    protected += officer_spans
    chosen = _settle(candidates, protected)
    return apply(text, _replacements(view, chosen, reserved))


# --- what stays --------------------------------------------------------------------------------


def _protections(
    view: TextView,
    organisations: Iterable[Mapping[str, Any]],
    officers: Iterable[Mapping[str, Any] | str],
    keep: Iterable[str],
) -> list[Protected]:
    protected = list(numbers.find_usccs(view.norm))
    for organisation in organisations:
        for value in (organisation.get("name"), organisation.get("uscc"), organisation.get("address")):
            if value:
                protected += [Protected(*span) for span in view.find_compact(str(value))]
    for officer in officers:
        values = [officer] if isinstance(officer, str) else [officer.get("name"), officer.get("certificate")]
        protected += [Protected(*span, hard=False) for v in values if v for span in view.find_compact(str(v))]
    for value in keep:
        protected += [Protected(*span, hard=False) for span in view.find_compact(value)]
    return protected


# --- known people --------------------------------------------------------------------------------

_KNOWN_FIELDS = {
    "id_number": "id_number",
    "phone": "phone",
    "bank_account": "bank_account",
    "plate": "plate",
    "email": "email",
}


def _values(person: Person, key: str) -> list[str]:
    value = person.get(key)
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _known_values(view: TextView, people: list[Person]) -> list[Candidate]:
    found: list[Candidate] = []
    for person in people:
        for key, kind in _KNOWN_FIELDS.items():
            for value in _values(person, key):
                for variant in _variants(kind, value):
                    # a long known number is redacted even glued to other digits; a short one
                    # (a landline without its area code) only standing alone
                    spans = view.find_compact(variant, digit_bounded=len(variant) < 11)
                    found += [Candidate(s, e, kind, "known") for s, e in spans]
        for address in _values(person, "address"):
            for detail in addresses.known_address_details(compact_value(address)):
                found += [Candidate(s, e, "address", "known") for s, e in view.find_compact(detail)]
    return found


def _variants(kind: str, value: str) -> list[str]:
    """The other ways a known number is written: the 15-digit form of an 18-digit ID number, a
    landline without its area code, a mobile with 86."""
    value = compact_value(value)
    variants = [value]
    if kind == "id_number" and len(value) == 18:
        variants.append(value[:6] + value[8:17])
    if kind == "phone" and value.isdigit():
        if value.startswith("0") and len(value) >= 10:
            variants += [value[-8:], value[-7:]]
        if len(value) == 11 and value.startswith("1"):
            variants.append("86" + value)
    if kind == "plate":
        variants.append(value.upper())
    return variants


# --- names -------------------------------------------------------------------------------------


def _names(
    view: TextView, people: list[Person], guess: bool
) -> tuple[list[Candidate], list[Protected], set[str]]:
    compact = view.compact
    known = {}
    for person in people:
        key = compact_value(str(person.get("name") or ""))
        for alias in [key, *(compact_value(a) for a in _values(person, "aliases"))]:
            if len(alias) >= 2:
                known[alias] = key
    found = names.recognise(compact, guess=guess)
    officer_spans = [Protected(*view.original_span(f.start, f.end), hard=False) for f in found if f.officer]
    officer_names = {f.name for f in found if f.officer} - set(known)
    discovered: dict[str, str] = {}
    masked: list[names.Found] = []
    for item in found:
        if item.officer or item.name in officer_names:
            continue
        if item.masked:
            if names.is_partial_mask(item.name):
                masked.append(item)
            continue
        if item.name not in known:
            discovered.setdefault(item.name, item.source)
    candidates = _occurrences(view, known, discovered)
    candidates += _masked_candidates(view, masked, [*known, *discovered])
    return candidates, officer_spans, names.reserved_pseudonyms(compact)


def _occurrences(view: TextView, known: dict[str, str], discovered: dict[str, str]) -> list[Candidate]:
    """Every occurrence of every name, with the 某 that may follow it (张三某某)."""
    found = []
    everyone = [(alias, key, "known") for alias, key in known.items()]
    everyone += [(name, name, source) for name, source in discovered.items()]
    for written, key, source in everyone:
        for start, end in view.find_compact(written):
            while end < len(view.original) and view.norm[end] == "某":
                end += 1
            found.append(Candidate(start, end, "name", source, person=key))
    return found


def _masked_candidates(view: TextView, masked: list[names.Found], everyone: list[str]) -> list[Candidate]:
    """王*明 belongs to the one person it can be (王小明); otherwise it is someone of its own."""
    found = []
    for item in masked:
        matching = [name for name in everyone if names.mask_matches(item.name, name)]
        key = matching[0] if len(set(matching)) == 1 else item.name
        start, end = view.original_span(item.start, item.end)
        found.append(Candidate(start, end, "name", "pattern", person=key))
    return found


# --- overlaps and replacements ---------------------------------------------------------------------


def _settle(candidates: list[Candidate], protected: list[Protected]) -> list[Candidate]:
    """Drop what touches a protected span, then let the higher priority (then longer) span win."""
    hard = sorted((p.start, p.end) for p in protected if p.hard)
    soft = sorted((p.start, p.end) for p in protected if not p.hard)
    ordered = sorted(set(candidates), key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    starts: list[int] = []
    taken: list[tuple[int, int]] = []
    chosen = []
    for candidate in ordered:
        span = (candidate.start, candidate.end)
        if _hits(hard, span) or (candidate.source != "known" and _hits(soft, span)):
            continue
        index = bisect.bisect_left(starts, candidate.start)
        if (index > 0 and taken[index - 1][1] > candidate.start) or (
            index < len(taken) and taken[index][0] < candidate.end
        ):
            continue
        starts.insert(index, candidate.start)
        taken.insert(index, span)
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


def _hits(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


def _replacements(view: TextView, chosen: list[Candidate], reserved: set[str]) -> list[Replacement]:
    order: list[tuple[str, str]] = []
    seen = set()
    for candidate in chosen:
        if candidate.kind == "name" and candidate.person not in seen:
            seen.add(candidate.person)
            order.append((candidate.person or "", surname_of(candidate.person or "")))
    pseudonyms = names.assign_pseudonyms(order, reserved)
    result = []
    for c in chosen:
        replacement = pseudonyms[c.person or ""] if c.kind == "name" else label(c.kind)
        result.append(
            Replacement(c.start, c.end, view.original[c.start : c.end], c.kind, replacement, c.source)
        )
    return result


def suggest_names(result: Deidentified) -> list[Replacement]:
    """Words that may be names the rules missed (jieba's guesses), as replacements the publisher can
    accept with ``add``; none overlaps a replacement already made."""
    view = TextView(result.original)
    taken = [(r.start, r.end) for r in result.replacements]
    names_so_far = {r.original: r.replacement for r in result.replacements if r.kind == "name"}
    suggestions = []
    for found in names.guesses(view.compact):
        start, end = view.original_span(found.start, found.end)
        if _hits(taken, (start, end)):
            continue
        pseudonym = names_so_far.get(found.name) or names.pseudonym_for_new(found.name, result.replacements)
        suggestions.append(
            Replacement(start, end, result.original[start:end], "name", pseudonym, "segmenter")
        )
    return suggestions
