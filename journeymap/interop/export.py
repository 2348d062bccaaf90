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
from journeymap.source.files import resolved
from journeymap.text.locale import Messages, messages

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
            item["file"] = Path(os.path.relpath(resolved(source.file), base)).as_posix()
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


def _note(note: Note, m: Messages) -> str:
    owner = f" ({md(note.owner)})" if note.owner else ""
    return f"[{m.plain(f'severity.{note.severity}').lower()}] {md(note.text)}{owner}"


def to_markdown(journey: Journey) -> str:
    """An outline in the journey's language: facts, personas, then each stage with its
    touchpoints."""
    m = messages(journey.lang)
    t = m.plain  # Markdown: no bidi isolates around the markup

    def label(key: str) -> str:
        return f"**{t('atlas.label', label=t(key))}**"

    lines = [f"# {md(journey.title)}", ""]
    if journey.summary:
        lines += [md(journey.summary), ""]
    facts = [f"- {label('index.state')} {t(f'compare.state.{journey.state}')}"]
    if journey.owner:
        facts.append(f"- {label('lane.owner')} {md(journey.owner)}")
    if journey.tags:
        facts.append(f"- {label('index.tags')} {t('comma').join(md(x) for x in journey.tags)}")
    lines += [*facts, ""]
    people = [p for p in journey.personas if not p.implicit]
    if people:
        lines += [f"## {t('site.personas')}", ""]
        for p in people:
            role = f" — {md(p.role)}" if p.role else ""
            lines.append(f"- **{md(p.name)}**{role}")
        lines.append("")
    names = {p.id: p.name for p in journey.personas}
    for stage in journey.stages:
        lines += [f"## {stage.index + 1}. {md(stage.name)}", ""]
        if stage.goal:
            lines += [f"*{t('atlas.label', label=t('export.goal'))}* {md(stage.goal)}", ""]
        for tp in stage.touchpoints:
            channel = f" ({md(tp.channel_name)})" if tp.channel_name else ""
            marker = f" {t('flow.moment')}" if tp.moment_of_truth else ""
            lines.append(f"### {md(tp.name)}{channel}{marker}")
            lines.append("")
            if tp.emotions:
                felt = t("comma").join(
                    f"{md(names.get(pid, pid))}: {md(m.describe(journey.scale, v))} ({v:+d})"
                    for pid, v in tp.emotions.items()
                )
                lines.append(f"- {label('export.feels')} {felt}")
            if tp.action:
                lines.append(f"- {label('export.does')} {md(tp.action)}")
            if tp.thought:
                lines.append(f"- {label('export.thinks')} {md(tp.thought)}")
            lines += [f"- {label('atlas.pain_point')} {_note(n, m)}" for n in tp.pain_points]
            lines += [f"- {label('detail.opportunity')} {_note(n, m)}" for n in tp.opportunities]
            if tp.metrics:
                metrics = t("comma").join(f"{md(k)} = {v}" for k, v in tp.metrics.items())
                lines.append(f"- {label('lane.metrics')} {metrics}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
