"""Mermaid ``journey`` diagrams: export a Journey, import a diagram as journeymap YAML.

Reading follows Mermaid itself (``mermaid_grammar``, checked against the real Mermaid). Choices:

* Export escapes with Mermaid's own entity codes, which its renderer decodes: ``#`` ``#35;``,
  ``;`` ``#59;``, ``%`` ``#37;`` (so neither ``%%`` nor ``%%{`` can start a comment or a
  directive), ``:`` ``#58;`` in section, task and actor names, ``,`` ``#44;`` in actor names,
  ``"`` ``#34;``, and in the title and ``accDescr`` also ``&`` ``<`` ``>`` (Mermaid sanitises
  those as HTML). A task name that would start like a keyword (``journey``, ``title``,
  ``section``, ``accTitle:``, ``accDescr``) has its first letter written as a code. Line breaks
  become spaces; other whitespace is kept. Import decodes the codes exactly as Mermaid does and
  nothing else: look-alike characters stay what they are.
* Scores: Mermaid holds one score per task, drawn on 1..5. Export maps the journey's scale onto
  1..5 and gives each touchpoint its **worst** persona's score (pain is never averaged away);
  when personas differ, a ``%%`` comment lists each one's own emotion. A touchpoint with no
  emotion gets the middle score 3, said in a comment. Import keeps Mermaid's numbers as they
  are, on a scale covering them (1..5 unless scores fall outside it).
* Everything Mermaid cannot carry (channel, action, thought, pain points, opportunities,
  metrics, owner, backstage, moment of truth) is listed in ``%%`` comments after its task.
* The journey's ``summary`` is the diagram's ``accDescr`` both ways.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import yaml

from journeymap.interop.mermaid_grammar import (
    Diagram,
    MermaidError,
    Task,
    is_journey,
    js_trim,
    parse,
    quirk_semicolons,
)
from journeymap.model.duration import describe
from journeymap.model.journey import Action, Journey, Scale, Touchpoint
from journeymap.model.slug import slug
from journeymap.source.diagnostics import Diagnostic, JourneyError

__all__ = ["Diagram", "Imported", "MermaidError", "export", "journey_blocks", "parse", "to_yaml"]

#: A CommonMark code fence: up to 3 spaces, ``` or ~~~, an info string; a block is Mermaid's
#: when the info string's first word is ``mermaid`` (GitHub's rule: ``mermaid title="x"`` too).
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_MERMAID_INFO = re.compile(r"[ \t]*mermaid(?:[ \t]|$)", re.I)
_KEYWORD = re.compile(
    r"(?:journey(?![A-Za-z0-9_])|title\s|section\s|acctitle\s*:|accdescr\s*[:{])", re.I
)
_NAME_CODES = {"#": "#35;", ";": "#59;", "%": "#37;", ":": "#58;", '"': "#34;"}
_ACTOR_CODES = {**_NAME_CODES, ",": "#44;"}
_TEXT_CODES = {"#": "#35;", ";": "#59;", "%": "#37;", '"': "#34;", "&": "#38;", "<": "#60;"}
_TEXT_CODES[">"] = "#62;"
_BLOCK_CODES = {**_TEXT_CODES, "}": "#125;", "{": "#123;"}
SCALE_LIMIT = 100  # the format's bound on scale ends
_ID_LENGTH = 80  # an imported id is at most this long (the format allows 200)
#: Characters no journey text may hold (C0 and C1 controls but tab, newline and CR,
#: surrogates, noncharacters): a code such as ``#1;`` can put one in a Mermaid name.
_BAD_CHAR = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
#: Plain YAML 1.2 scalars that are not text (journeymap's reader follows YAML 1.2).
_NUMBER_LIKE = re.compile(
    r"~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+"
    r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


def _code(text: str, codes: dict[str, str]) -> str:
    return "".join(codes.get(ch, ch) for ch in js_trim(re.sub(r"[\r\n]+", " ", text)))


def escape_name(text: str, *, actor: bool = False, task: bool = False) -> str:
    """``text`` written so Mermaid reads it back unchanged as one name."""
    out = _code(text, _ACTOR_CODES if actor else _NAME_CODES)
    if task and _KEYWORD.match(out):
        out = f"#{ord(out[0])};{out[1:]}"
    return out


def _comment(text: str) -> str:
    """A ``%%`` comment line's text: one line, and no ``%%`` that could open a directive."""
    return re.sub(r"\s+", " ", text).replace("%%", "% %").strip()


def to_score(value: float, scale: Scale) -> int:
    """An emotion on ``scale`` as a Mermaid score 1..5 (rounded half up)."""
    return min(5, max(1, math.floor(1 + 4 * scale.normalise(value) + 0.5)))


def _notes(tp: Touchpoint, journey: Journey) -> list[str]:
    """What Mermaid cannot carry about ``tp``, one comment each."""
    notes: list[str] = []
    if len(set(tp.emotions.values())) > 1:
        own = ", ".join(
            f"{journey.persona(p).name} {journey.scale.describe(v)}" for p, v in tp.emotions.items()
        )
        notes.append(f"score is the worst of: {own}")
    elif not tp.emotions:
        notes.append("no emotion recorded; Mermaid needs a score, 3 is the middle")
    for label, value in (
        ("channel", tp.channel_name),
        ("action", tp.action),
        ("thought", tp.thought),
        ("owner", tp.owner),
        ("backstage", _steps(tp.backstage_actions, journey) or tp.backstage),
    ):
        if value:
            notes.append(f"{label}: {value}")
    notes += _blueprint_notes(tp, journey)
    notes += [
        f"pain point ({n.severity}{', fail point' if n.fail_point else ''}): {n.text}"
        for n in tp.pain_points
    ]
    notes += [f"opportunity ({n.severity}): {n.text}" for n in tp.opportunities]
    notes += [f"metric {k}: {v}" for k, v in sorted(tp.metrics.items())]
    if tp.moment_of_truth:
        notes.append("moment of truth")
    return notes


def _steps(steps: tuple[Action, ...], journey: Journey) -> str:
    """Blueprint steps as one text, each with its actor's name: ``a (Clerk); b``."""
    return "; ".join(map(journey.step_label, steps))


def _blueprint_notes(tp: Touchpoint, journey: Journey) -> list[str]:
    """The blueprint lanes and times of ``tp`` (Mermaid has no place for them)."""
    notes = [f"evidence: {item}" for item in tp.evidence]
    for label, steps in (("frontstage", tp.frontstage), ("support", tp.support)):
        if steps:
            notes.append(f"{label}: {_steps(steps, journey)}")
    for label, seconds in (("at", tp.at), ("duration", tp.duration)):
        if seconds is not None:
            notes.append(f"{label}: {describe(seconds)}")
    return notes


def _unquirked(line: str) -> str:
    """``line`` safe from Mermaid's style quirk: on a line with ``style``, then ``:`` and later
    ``#``, it drops the last ``;`` (for CSS colours), which would cut an entity code short;
    a ``style`` (or ``classDef``) written with its first letter as a code is not seen."""
    if line.lstrip().startswith("%%"):
        return line
    if quirk_semicolons(line, "style"):
        line = line.replace("style", "#115;tyle")
    if quirk_semicolons(line, "classDef"):
        line = line.replace("classDef", "#99;lassDef")
    return line


def export(journey: Journey) -> str:
    """The journey as a Mermaid ``journey`` block (without the Markdown fence); JourneyError
    when Mermaid would refuse it (over its 50,000-character limit)."""
    names = {p.id: escape_name(p.name, actor=True) for p in journey.personas if not p.implicit}
    title = _code(journey.title, _TEXT_CODES)
    lines = ["journey", *([f"    title {title}"] if title else [])]
    acc_title = _code(" ".join((journey.acc_title or "").split()), _BLOCK_CODES)
    if acc_title:
        lines.append(f"    accTitle: {acc_title}")
    summary = [_code(line, _BLOCK_CODES) for line in (journey.summary or "").split("\n")]
    summary = [line for line in summary if line]
    if len(summary) > 1:
        lines += ["    accDescr {", *[f"      {line}" for line in summary], "    }"]
    elif summary:
        lines.append(f"    accDescr: {summary[0]}")
    for index, stage in enumerate(journey.stages):
        name = escape_name(stage.name)
        if name or index or not stage.touchpoints:  # a nameless first stage: no section line
            lines.append(f"    section {name or ' '}")
        for tp in stage.touchpoints:
            worst = min(tp.emotions.values(), default=None)
            score = 3 if worst is None else to_score(worst, journey.scale)
            actors = ", ".join(names[p] for p in tp.personas if p in names)
            task = escape_name(tp.name, task=True) or "#32;"  # Mermaid needs a task name
            lines.append(f"      {task}: {score}: {actors}".rstrip())
            lines += [f"      %% {_comment(note)}" for note in _notes(tp, journey)]
    text = "\n".join(map(_unquirked, lines)) + "\n"
    try:
        parse(text)  # what Mermaid would refuse (a diagram over its size limit) is not written
    except MermaidError as exc:
        where = str(journey.source) if journey.source else journey.id
        message = f"cannot export to Mermaid: {exc.message}; split the journey into smaller ones"
        raise JourneyError(
            [Diagnostic(where, 1, 1, "error", message, code="mermaid-export")]
        ) from None
    return text


def journey_blocks(text: str, markdown: bool = False) -> list[tuple[str, int]]:
    """The diagrams to import from ``text``: each ```` ```mermaid ```` fence of Markdown whose
    diagram is a journey, with the number of lines before it; text without such fences is one
    diagram (line offset 0), unless it is ``markdown``. Fences follow CommonMark: indented up
    to 3 spaces (the diagram keeps its indentation, which Mermaid ignores, so columns stay the
    file's), closed by a fence as long or longer, or by the end of the file; CRLF lines too."""
    lines = re.findall(r"[^\n]*\n|[^\n]+\Z", text)
    found: list[tuple[str, int]] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.fullmatch(lines[index].rstrip("\r\n"))
        index += 1
        if opening is None or (opening[1][0] == "`" and "`" in opening[2]):
            continue  # not a fence (a backtick fence's info string has no backtick)
        start, fence = index, opening[1]
        closing = re.compile(f" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*")
        while index < len(lines) and not closing.fullmatch(lines[index].rstrip("\r\n")):
            index += 1
        if _MERMAID_INFO.match(opening[2]):
            found.append(("".join(lines[start:index]), start))
        index += 1
    if not found:
        return [] if markdown else [(text, 0)]
    return [(body, before) for body, before in found if is_journey(body)]


@dataclass
class Imported:
    """journeymap YAML for one diagram, and what the reader should know about it."""

    yaml: str
    #: (line, column, message); line 0 for the diagram as a whole.
    warnings: list[tuple[int, int, str]] = field(default_factory=list)


def _unique(text: str, taken: set[str], fallback: str) -> str:
    base = slug(text)[:_ID_LENGTH].strip("-") or fallback
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


class _Dumper(yaml.SafeDumper):
    """YAML whose text journeymap reads back as the same text: quoted where YAML 1.2 would
    read a number, boolean or null (``1e+25``, ``0o17``), double-quoted around NEL, LS and PS
    (PyYAML would break the line there)."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = None
    if _NUMBER_LIKE.fullmatch(text):
        style = "'"
    if any(ch in text for ch in "\x85\u2028\u2029"):
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def _emotion(score: float, task: Task, warnings: list[tuple[int, int, str]]) -> int | None:
    """A Mermaid score as a journeymap emotion (None: Mermaid has no number to draw)."""
    where = (task.line, task.col)
    if math.isnan(score) or math.isinf(score):
        shown = "NaN" if math.isnan(score) else str(score)
        warnings.append((*where, f"the score is not a number to Mermaid ({shown}); imported "
                         "without an emotion"))  # fmt: skip
        return None
    value = math.floor(score + 0.5)
    if value != score:
        warnings.append((*where, f"score {score:g} is not a whole number: kept as {value}"))
    if abs(value) > SCALE_LIMIT:
        held = max(-SCALE_LIMIT, min(SCALE_LIMIT, value))
        warnings.append(
            (*where, f"score {score:g} is beyond what a scale can hold; kept as {held}")
        )
        value = held
    return value


def to_yaml(diagram: Diagram, title: str = "Imported journey") -> Imported:
    """journeymap YAML (format 1) for ``diagram``: sections as stages, actors as personas."""
    warnings: list[tuple[int, int, str]] = []

    def _clean(text: str, line: int = 0, col: int = 0) -> str:
        """``text`` with each character journeymap refuses as U+FFFD, said in a note."""
        bad = sorted({f"U+{ord(ch):04X}" for ch in _BAD_CHAR.findall(text)})
        clean = _BAD_CHAR.sub("\ufffd", text)
        if bad:
            warnings.append((line, col, f"{', '.join(bad)} cannot be in a journey: written "
                             f"as U+FFFD in {clean[:60]!r}"))  # fmt: skip
        return clean

    persona_ids: dict[str, str] = {}
    names: dict[str, str] = {}
    taken: set[str] = set()
    for task in diagram.tasks:
        for actor in task.actors:
            if actor and actor not in persona_ids:
                names[actor] = _clean(actor, task.line, task.col)
                persona_ids[actor] = _unique(names[actor], taken, "persona")
    emotions = {id(t): _emotion(t.score, t, warnings) for t in diagram.tasks}
    values = [v for v in emotions.values() if v is not None]
    low, high = min([1, *values]), max([5, *values])
    stage_taken: set[str] = set()
    tp_taken: set[str] = set()
    stages = []
    for section in diagram.sections:
        touchpoints = []
        for task in section.tasks:
            name = _clean(task.name.strip(), task.line, task.col)
            tp: dict[str, object] = {"id": _unique(name, tp_taken, "touchpoint"), "name": name}
            members = list(dict.fromkeys(persona_ids[a] for a in task.actors if a))
            if persona_ids:
                tp["personas"] = members
            emotion = emotions[id(task)]
            if emotion is not None:
                tp["emotion"] = emotion
            if persona_ids and not members:
                warnings.append((task.line, task.col,
                    f"task {name!r} has no actors: it belongs to nobody in particular "
                    "(personas: []), so no persona's curve shows its score"))  # fmt: skip
            touchpoints.append(tp)
        stage_name = _clean((section.name or "").strip(), section.line, 1)
        stage: dict[str, object] = {
            "id": _unique(stage_name, stage_taken, "stage"),
            "name": stage_name,
            "touchpoints": touchpoints,
        }
        stages.append(stage)
    if not stages:
        stages.append({"id": "stage", "name": "", "touchpoints": []})
        warnings.append((0, 0, "the diagram has no sections or tasks: one empty stage stands in"))
    data: dict[str, object] = {"journeymap": 1}
    diagram_title = (diagram.title or "").strip() or (diagram.acc_title or "").strip()
    if not diagram_title:
        warnings.append(
            (0, 0, f"the diagram has no title; journeymap needs one and uses {title!r}")
        )
    data["title"] = _clean(diagram_title or title)
    if diagram.title and diagram.acc_title and diagram.acc_title.strip() != diagram_title:
        data["acc_title"] = _clean(diagram.acc_title.strip())
    if diagram.acc_descr and diagram.acc_descr.strip():
        data["summary"] = _clean(diagram.acc_descr.strip())
    if (low, high) != (1, 5):
        warnings.append((0, 0, f"scores run from {low} to {high}: the scale is {low}..{high}"))
    data["scale"] = {"min": low, "max": high}
    if persona_ids:
        data["personas"] = [{"id": i, "name": names[n]} for n, i in persona_ids.items()]
    data["stages"] = stages
    header = "# Imported from a Mermaid journey diagram by journeymap import mermaid.\n"
    dumped = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return Imported(header + dumped, warnings)
