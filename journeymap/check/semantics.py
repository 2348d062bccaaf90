"""Checks the schema cannot express: references, duplicate ids, the emotion scale, and lint.

Runs on schema-checked data but stays defensive (it skips values of the wrong type,
which the schema has already reported), so every problem of a file is found in one pass.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from journeymap.check.blueprint import SILENT_WAIT, check_blueprint, lint_blueprint
from journeymap.check.suggest import Vocabulary
from journeymap.model.index import Entry, Index, fold
from journeymap.model.lang import lang_problem
from journeymap.model.slug import normalise_id, slug
from journeymap.source.diagnostics import Diagnostic, Level
from journeymap.source.limits import Limits
from journeymap.source.loader import Document, Path_, json_path


def _dicts(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _strings(value: Any) -> Iterator[tuple[int, str]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield i, item


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _entry_id(data: dict[str, Any], name_key: str, fallback: str) -> str:
    explicit = _text(data, "id")
    if explicit is not None:
        return normalise_id(explicit)
    name = _text(data, name_key)
    return (slug(name) if name else "") or fallback


class Checker:
    """Collects semantic diagnostics for one journey (or library) document."""

    def __init__(self, doc: Document, libraries: list[Document], limits: Limits) -> None:
        self.doc = doc
        self.libraries = libraries
        self.limits = limits
        self.diagnostics: list[Diagnostic] = []
        self.index = Index()
        self.used: set[str] = set()
        self.vocabularies: dict[str, Vocabulary] = {}
        #: Lint ``silent-wait``: the shortest wait (seconds) that needs evidence.
        self.silent_wait = SILENT_WAIT

    def report(
        self,
        doc: Document,
        path: Path_,
        message: str,
        code: str,
        level: Level = "error",
        at_key: bool = False,
    ) -> None:
        mark = doc.locate_key(path) if at_key else doc.locate(path)
        self.diagnostics.append(
            Diagnostic(doc.path, mark.line, mark.col, level, message, json_path(path), code)
        )

    # -- building the index -------------------------------------------------------------

    def collect(
        self, kind: str, entries: list[Entry], doc: Document, key: str, name_key: str = "name"
    ) -> None:
        for i, item in _dicts(doc.data.get(key) if isinstance(doc.data, dict) else None):
            entries.append(Entry(_entry_id(item, name_key, f"{kind}-{i + 1}"), item, doc, (key, i)))

    def build_index(self) -> Index:
        data = self.doc.data if isinstance(self.doc.data, dict) else {}
        index = self.index
        for source in (*self.libraries, self.doc):  # a local duplicate is reported locally
            self.collect("persona", index.personas, source, "personas")
            self.collect("channel", index.channels, source, "channels")
        self.collect("stage", index.stages, self.doc, "stages")
        self.collect("scenario", index.scenarios, self.doc, "scenarios", "title")
        self.collect("actor", index.actors, self.doc, "actors")
        counter = 0
        for stage in index.stages:
            for t, tp in _dicts(stage.data.get("touchpoints")):
                counter += 1
                index.touchpoints.append(
                    Entry(
                        _entry_id(tp, "name", f"touchpoint-{counter}"),
                        tp,
                        self.doc,
                        (*stage.path, "touchpoints", t),
                    )
                )
                index.touchpoint_stage.append(stage)
        scale = data.get("scale")
        if isinstance(scale, dict):
            if isinstance(scale.get("min"), int) and isinstance(scale.get("max"), int):
                index.scale_min, index.scale_max = scale["min"], scale["max"]
            labels = scale.get("labels")
            index.scale_labels = {}
            numbers: dict[str, int] = {}
            if isinstance(labels, dict):
                for key, word in labels.items():
                    if isinstance(word, str):
                        with contextlib.suppress(ValueError):  # the schema reports the key
                            numbers[key] = int(key)
            for key in self.same_keys(("scale", "labels"), numbers, "is the same number as"):
                index.scale_labels[numbers[key]] = scale["labels"][key]
        return index

    def same_keys(self, path: Path_, meaning: dict[str, Any], what: str) -> list[str]:
        """The keys of a mapping whose ``meaning`` differs from every earlier key's; each
        other key is reported: YAML sees two keys, journeymap would silently keep one."""
        first: dict[Any, str] = {}
        for key, value in meaning.items():
            if value not in first:
                first[value] = key
                continue
            line = self.doc.locate_key((*path, first[value])).line
            self.report(
                self.doc,
                (*path, key),
                f"key '{key}' {what} '{first[value]}' (line {line}); "
                "journeymap would keep only one, so remove or merge one",
                "duplicate-key",
                at_key=True,
            )
        return list(first.values())

    # -- checks -----------------------------------------------------------------------

    def run(self) -> list[Diagnostic]:
        index = self.build_index()
        for kind, entries in (
            ("persona", index.personas),
            ("channel", index.channels),
            ("stage", index.stages),
            ("touchpoint", index.touchpoints),
            ("scenario", index.scenarios),
            ("actor", index.actors),
        ):
            self.unique(kind, entries)
        if len(index.personas) > self.limits.max_personas:
            self.report(
                self.doc,
                ("personas",),
                f"{len(index.personas):,} personas (with those imported), over the limit of "
                f"{self.limits.max_personas:,}; split the journey, or raise the limit with "
                "--limit max_personas=N",
                "too-many-personas",
            )
        if len(index.touchpoints) > self.limits.max_touchpoints:
            self.report(
                self.doc,
                ("stages",),
                f"{len(index.touchpoints):,} touchpoints, over the limit of "
                f"{self.limits.max_touchpoints:,}; split the journey, or raise the limit with "
                "--limit max_touchpoints=N",
                "too-many-touchpoints",
            )
        self.check_scale()
        self.check_lang()
        self.check_notes_ids()
        used: set[str] = set()
        persona_ids = set(self.vocabulary("persona").words)
        tp_ids = set(self.vocabulary("touchpoint").words)
        for tp in index.touchpoints:
            used |= self.check_touchpoint(tp, persona_ids, tp_ids)
        for scenario in index.scenarios:
            used |= self.check_scenario(scenario)
        check_blueprint(self)
        self.used = used
        return self.diagnostics

    def unique(self, kind: str, entries: list[Entry]) -> None:
        seen: dict[str, Entry] = {}
        for entry in entries:
            first = seen.get(entry.id)
            if first is None:
                seen[entry.id] = entry
                continue
            mark = first.doc.locate(first.path)
            where = f"line {mark.line}" + (
                "" if first.doc is entry.doc else f" of {first.doc.path}"
            )
            if "id" in entry.data:
                message = f"duplicate {kind} id '{entry.id}' (first at {where}); ids must be unique"
                self.report(entry.doc, (*entry.path, "id"), message, "duplicate-id")
            else:
                message = (
                    f"this {kind} gets the id '{entry.id}' from its name, like the one at "
                    f"{where}; give one of them an explicit 'id'"
                )
                self.report(entry.doc, entry.path, message, "duplicate-id")

    def check_scale(self) -> None:
        index = self.index
        scale = self.doc.data.get("scale") if isinstance(self.doc.data, dict) else None
        if not isinstance(scale, dict):
            return
        if index.scale_min >= index.scale_max:
            self.report(
                self.doc,
                ("scale", "max"),
                f"scale 'max' ({index.scale_max}) must be greater than 'min' ({index.scale_min})",
                "bad-scale",
            )
        words: dict[str, int] = {}
        for value, word in index.scale_labels.items():
            key = ("scale", "labels", str(value))
            if not index.scale_min <= value <= index.scale_max:
                self.report(
                    self.doc,
                    key,
                    f"scale label {value} is outside the scale {index.scale_min}.."
                    f"{index.scale_max}",
                    "bad-scale",
                    at_key=True,
                )
            folded = fold(word)
            if folded in words:
                self.report(
                    self.doc,
                    key,
                    f"scale word '{word}' is used for both {words[folded]} and {value}",
                    "bad-scale",
                )
            words[folded] = value

    def check_lang(self) -> None:
        lang = self.doc.data.get("lang") if isinstance(self.doc.data, dict) else None
        problem = lang_problem(lang) if isinstance(lang, str) else None
        if problem:
            self.report(self.doc, ("lang",), problem, "unknown-lang")

    def check_notes_ids(self) -> None:
        seen: dict[str, Path_] = {}
        for tp in self.index.touchpoints:
            for key in ("pain_points", "opportunities"):
                for i, note in _dicts(tp.data.get(key)):
                    note_id = _text(note, "id")
                    if note_id is None:
                        continue
                    path = (*tp.path, key, i, "id")
                    if normalise_id(note_id) in seen:
                        line = self.doc.locate(seen[normalise_id(note_id)]).line
                        self.report(
                            self.doc,
                            path,
                            f"duplicate pain point/opportunity id '{note_id}' (first at "
                            f"line {line}); ids must be unique",
                            "duplicate-id",
                        )
                    seen[normalise_id(note_id)] = path

    def vocabulary(self, kind: str) -> Vocabulary:
        """The known personas, touchpoints or (folded) emotion words, built once per check."""
        if kind not in self.vocabularies:
            index = self.index
            words = {
                "persona": (e.id for e in index.personas),
                "touchpoint": (e.id for e in index.touchpoints),
                "emotion word": map(fold, index.scale_labels.values()),
                "actor": (e.id for e in index.actors),
            }[kind]
            self.vocabularies[kind] = Vocabulary(words)
        return self.vocabularies[kind]

    def unknown(self, kind: str, value: str) -> str:
        known = self.vocabulary(kind)
        hint = known.suggest(value)
        if not hint:
            listing = known.listing()
            hint = f"; known {kind}s: {listing}" if listing else f"; this journey has no {kind}s"
        return f"unknown {kind} '{value}'{hint}"

    def check_touchpoint(self, tp: Entry, persona_ids: set[str], tp_ids: set[str]) -> set[str]:
        """Checks one touchpoint; returns the persona ids it uses."""
        explicit = tp.data.get("personas")
        members = set(persona_ids)
        if isinstance(explicit, list):
            members = set()
            for i, pid in _strings(explicit):
                pid = normalise_id(pid)
                if pid in persona_ids:
                    members.add(pid)
                else:
                    self.report(
                        self.doc,
                        (*tp.path, "personas", i),
                        self.unknown("persona", pid),
                        "unknown-reference",
                    )
        for i, target in _strings(tp.data.get("next")):
            if normalise_id(target) not in tp_ids:
                self.report(
                    self.doc,
                    (*tp.path, "next", i),
                    self.unknown("touchpoint", target),
                    "unknown-reference",
                )
        emotion = tp.data.get("emotion")
        if isinstance(emotion, dict):
            if not persona_ids:
                self.report(
                    self.doc,
                    (*tp.path, "emotion"),
                    "an emotion per persona needs personas; declare them under "
                    "'personas' or give one emotion for everyone",
                    "unknown-reference",
                )
            else:
                keys = {pid: normalise_id(pid) for pid in emotion}
                same = "names (after Unicode NFC normalisation) the same persona as"
                for pid in self.same_keys((*tp.path, "emotion"), keys, same):
                    value = emotion[pid]
                    key = keys[pid]
                    path = (*tp.path, "emotion", pid)
                    if key not in persona_ids:
                        self.report(
                            self.doc,
                            path,
                            self.unknown("persona", pid),
                            "unknown-reference",
                            at_key=True,
                        )
                    elif key not in members:
                        self.report(
                            self.doc,
                            path,
                            f"persona '{pid}' has an emotion here but is not in this "
                            "touchpoint's 'personas'; add them there or remove the "
                            "emotion",
                            "unknown-reference",
                            at_key=True,
                        )
                    self.check_emotion(value, path)
        elif emotion is not None:
            self.check_emotion(emotion, (*tp.path, "emotion"))
        return members

    def check_emotion(self, value: Any, path: Path_) -> None:
        index = self.index
        if isinstance(value, bool) or not isinstance(value, int | str):
            return  # the schema reports the type
        number = index.emotion_value(value)
        span = f"{index.scale_min}..{index.scale_max}"
        if number is None:
            words = ", ".join(index.scale_labels.values())
            hint = self.vocabulary("emotion word").suggest(fold(str(value)))
            self.report(
                self.doc,
                path,
                f"unknown emotion word '{value}'{hint or f'; use a number {span}'}"
                + (f" or one of: {words}" if words and not hint else ""),
                "bad-emotion",
            )
        elif not index.scale_min <= number <= index.scale_max:
            self.report(
                self.doc, path, f"emotion {number} is outside the scale {span}", "bad-emotion"
            )

    def check_scenario(self, scenario: Entry) -> set[str]:
        persona_ids = self.vocabulary("persona")
        tp_ids = self.vocabulary("touchpoint")
        used: set[str] = set()
        target = _text(scenario.data, "touchpoint")
        if target is not None and normalise_id(target) not in tp_ids:
            self.report(
                self.doc,
                (*scenario.path, "touchpoint"),
                self.unknown("touchpoint", target),
                "unknown-reference",
            )
        persona = _text(scenario.data, "persona")
        if persona is not None:
            if normalise_id(persona) in persona_ids:
                used.add(normalise_id(persona))
            else:
                self.report(
                    self.doc,
                    (*scenario.path, "persona"),
                    self.unknown("persona", persona),
                    "unknown-reference",
                )
        return used

    def lint(self) -> list[Diagnostic]:
        """Warnings for a file without errors: empty stages, unexplained lows, unused personas."""
        before = len(self.diagnostics)
        self.lint_checks(self.used)
        return self.diagnostics[before:]

    def lint_checks(self, used: set[str]) -> None:
        index = self.index
        low = index.scale_min + 1
        for stage in index.stages:
            if not any(True for _ in _dicts(stage.data.get("touchpoints"))):
                self.report(
                    self.doc,
                    stage.path,
                    f"stage '{stage.id}' has no touchpoints",
                    "empty-stage",
                    "warning",
                )
        for tp in index.touchpoints:
            emotion = tp.data.get("emotion")
            values = emotion.values() if isinstance(emotion, dict) else [emotion]
            numbers = [n for n in map(index.emotion_value, values) if n is not None]
            pains = list(_dicts(tp.data.get("pain_points"))) + [
                (i, {"text": p}) for i, p in _strings(tp.data.get("pain_points"))
            ]
            if numbers and min(numbers) <= low and not pains:
                self.report(
                    self.doc,
                    (*tp.path, "emotion"),
                    f"touchpoint '{tp.id}' feels {min(numbers)} (near the bottom of the "
                    "scale) but lists no pain point; say what hurts",
                    "low-without-pain",
                    "warning",
                )
            severe = [p for _, p in pains if p.get("severity") in ("high", "critical")]
            if severe and not tp.data.get("opportunities"):
                self.report(
                    self.doc,
                    (*tp.path, "pain_points"),
                    f"touchpoint '{tp.id}' has a {severe[0]['severity']} pain point but "
                    "no opportunity; add one under 'opportunities'",
                    "pain-without-opportunity",
                    "warning",
                )
        for persona in index.personas:
            if persona.doc is self.doc and persona.id not in used and index.touchpoints:
                self.report(
                    self.doc,
                    persona.path,
                    f"persona '{persona.id}' takes no touchpoint and no scenario",
                    "unused-persona",
                    "warning",
                )
        lint_blueprint(self)
