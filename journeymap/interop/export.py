"""Journeys as data: JSON (the whole model) and a Markdown outline for reviews and wikis."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from journeymap.model.journey import Journey, Note

#: Characters Markdown (GitHub's) acts on inline: emphasis, code, links, HTML, tables,
#: strikethrough, math (``$``), entities (``&``) and the ``:`` of autolinks and emoji codes.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~{}&$:])")
_SPACE = re.compile(r"\s+")
#: ``www.`` starts an autolink; an escaped dot does not.
_WWW = re.compile(r"(?i)\b(www)\.")
#: What turns a line into a list item or a heading underline: ``1.``, ``1)``, ``-``, ``+``, ``=``.
_BLOCK_START = re.compile(r"^(\d+)(?=[.)])|^(?=[-+=])")
#: ``@name`` (a mention, an e-mail address) and ``#12`` (an issue) link on GitHub even when
#: escaped; an empty HTML comment after the sign splits the text so nothing links.
_REFERENCE = re.compile(r"(@|\\#)(?=\w)")


def _plain(value: Any) -> Any:
    """Model values as JSON values (tuples to lists, mappings to objects, paths to text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return value.as_posix()
    return value


def to_json(journey: Journey) -> str:
    """The journey model as indented JSON (the source path left out: it is machine-specific)."""
    data = _plain(dataclasses.replace(journey, source=None))
    data["touchpoints"] = len(journey.touchpoints)
    if not journey.evidence:  # a journey without evidence exports as it always did
        del data["evidence"], data["measured"]
    elif journey.source is not None:  # evidence files as written: relative to the journey
        base = journey.source.resolve().parent
        for item, source in zip(data["evidence"], journey.evidence, strict=True):
            item["file"] = Path(os.path.relpath(source.file.resolve(), base)).as_posix()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def md(text: str) -> str:
    """``text`` as inline Markdown that GitHub shows literally: one line, every character
    Markdown would act on escaped, no list or heading at the start of a line, no autolinked
    URL, e-mail address, mention, issue number or entity. Export and diff use it for all
    user text."""
    out = _MD_SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text).strip())
    out = _BLOCK_START.sub(lambda m: f"{m.group(1) or ''}\\", out, count=1)
    out = _WWW.sub(r"\1\\.", out)
    return _REFERENCE.sub(r"\1<!-- -->", out)


def code(text: str) -> str:
    """``text`` as an inline code span whose fence no backtick inside it can close."""
    text = _SPACE.sub(" ", text).strip()
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _note(note: Note) -> str:
    owner = f" ({md(note.owner)})" if note.owner else ""
    return f"[{note.severity}] {md(note.text)}{owner}"


def to_markdown(journey: Journey) -> str:
    """An outline: facts, personas, then each stage with its touchpoints."""
    lines = [f"# {md(journey.title)}", ""]
    if journey.summary:
        lines += [md(journey.summary), ""]
    facts = [f"- **State:** {journey.state}"]
    if journey.owner:
        facts.append(f"- **Owner:** {md(journey.owner)}")
    if journey.tags:
        facts.append(f"- **Tags:** {', '.join(md(t) for t in journey.tags)}")
    lines += [*facts, ""]
    people = [p for p in journey.personas if not p.implicit]
    if people:
        lines += ["## Personas", ""]
        for p in people:
            role = f" — {md(p.role)}" if p.role else ""
            lines.append(f"- **{md(p.name)}**{role}")
        lines.append("")
    names = {p.id: p.name for p in journey.personas}
    for stage in journey.stages:
        lines += [f"## {stage.index + 1}. {md(stage.name)}", ""]
        if stage.goal:
            lines += [f"*Goal:* {md(stage.goal)}", ""]
        for tp in stage.touchpoints:
            channel = f" ({md(tp.channel_name)})" if tp.channel_name else ""
            marker = " ★ moment of truth" if tp.moment_of_truth else ""
            lines.append(f"### {md(tp.name)}{channel}{marker}")
            lines.append("")
            if tp.emotions:
                felt = ", ".join(
                    f"{md(names.get(pid, pid))}: {md(journey.scale.describe(v))} ({v:+d})"
                    for pid, v in tp.emotions.items()
                )
                lines.append(f"- **Feels:** {felt}")
            if tp.action:
                lines.append(f"- **Does:** {md(tp.action)}")
            if tp.thought:
                lines.append(f"- **Thinks:** {md(tp.thought)}")
            lines += [f"- **Pain point:** {_note(n)}" for n in tp.pain_points]
            lines += [f"- **Opportunity:** {_note(n)}" for n in tp.opportunities]
            if tp.metrics:
                metrics = ", ".join(f"{md(k)} = {v}" for k, v in tp.metrics.items())
                lines.append(f"- **Metrics:** {metrics}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
