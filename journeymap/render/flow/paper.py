"""The flow as a print set: rows of touchpoints on pages whose smallest text prints at 8 pt.

On a sheet the flow is laid out with as many columns as the sheet's width takes at that
scale (landscape or portrait, whichever needs fewer pages) and cut between its rows: each
page is the flow of its touchpoints, headed by the title and "page n of m" with its
stages, a stage begun on an earlier page marked "(continued)". An edge between pages is
an off-page connector on both: "→ p. 3: Pay" above the touchpoint it leaves, "from p. 2:
Sign up" above the one it enters. A flow that fits a sheet whole stays one page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from journeymap.model.journey import Journey
from journeymap.render.flow.dot import flow_edges
from journeymap.render.flow.layout import SIZE, FlowLayout, Links, Stub, layout
from journeymap.text.locale import messages

#: Smallest text on paper, in pt: the flow's smallest text (``SIZE`` px) prints at this.
MIN_PT = 8.0


def min_scale() -> float:
    """Flow px -> pt factor at which its smallest text prints at ``MIN_PT``."""
    return MIN_PT / SIZE


def paginate(journey: Journey, sheet_px: tuple[float, float]) -> list[FlowLayout]:
    """The flow of ``journey`` as pages each fitting ``sheet_px`` (a landscape sheet's
    printable area in px at ``min_scale``) one way round or the other."""
    whole = layout(journey)
    if any(whole.width <= w and whole.height <= h for w, h in (sheet_px, sheet_px[::-1])):
        return [whole]
    plans = [_plan(journey, sheet) for sheet in (sheet_px, sheet_px[::-1])]
    runs, columns = min(plans, key=lambda plan: len(plan[0]))
    page_of = {i: number for number, run in enumerate(runs, start=1) for i in run}
    return [
        layout(
            _part(journey, run),
            columns,
            _mark(journey, run, number, len(runs)),
            links(journey, run, page_of),
        )
        for number, run in enumerate(runs, start=1)
    ]


def links(journey: Journey, run: range, page_of: dict[int, int] | None = None) -> Links:
    """The edges of the page holding the touchpoints at positions ``run``: those inside it,
    and connectors for those to or from other pages (``page_of`` a position's page number;
    without it, two-digit page numbers hold the place while pages are planned)."""
    tps = journey.touchpoints
    m = messages(journey.lang)
    inside: list[tuple[int, int]] = []
    incoming: dict[str, list[Stub]] = defaultdict(list)
    outgoing: dict[str, list[Stub]] = defaultdict(list)
    for a, b in flow_edges(journey):
        src, dst = tps[a], tps[b]
        switch = bool(src.channel and dst.channel and src.channel != dst.channel)
        if a in run and b in run:
            inside.append((a - run.start, b - run.start))
        elif a in run:
            page = page_of[b] if page_of else 99
            label = m("flow.to_page", page=page, name=dst.name)
            outgoing[src.id].append(Stub(label, True, switch, dst.id))
        elif b in run:
            page = page_of[a] if page_of else 99
            label = m("flow.from_page", page=page, name=src.name)
            incoming[dst.id].append(Stub(label, False, switch, src.id))
    stubs = {
        tp.id: (*incoming[tp.id], *outgoing[tp.id])
        for tp in tps
        if incoming.get(tp.id) or outgoing.get(tp.id)
    }
    return Links(tuple(inside), stubs)


def _plan(journey: Journey, sheet: tuple[float, float]) -> tuple[list[range], int]:
    """Runs of touchpoints (positions) for pages of ``sheet``, with the columns per row:
    the most columns the width takes, then as many whole rows per page as fit."""
    count = len(journey.touchpoints)
    # The most columns that fit the width, by bisection (the width grows with them).
    low, high = 1, max(count, 1)
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if layout(journey, mid).width <= sheet[0] else (low, mid - 1)
    columns = low
    starts: list[int] = []
    for position, node in enumerate(layout(journey, columns).nodes):
        if node.row == len(starts):
            starts.append(position)
    starts.append(count)
    runs: list[range] = []
    row = 0
    while row < len(starts) - 1:
        end = row + 1
        while end < len(starts) - 1:
            run = range(starts[row], starts[end + 1])
            page = layout(
                _part(journey, run), columns, _mark(journey, run, 99, 99), links(journey, run)
            )
            if page.height > sheet[1]:
                break
            end += 1
        runs.append(range(starts[row], starts[end]))
        row = end
    return runs, columns


def _part(journey: Journey, run: range) -> Journey:
    """``journey`` holding only the touchpoints at positions ``run``; a stage begun before
    them is named "continued"."""
    kept = {tp.id for i, tp in enumerate(journey.touchpoints) if i in run}
    m = messages(journey.lang)
    stages = []
    for stage in journey.stages:
        tps = tuple(tp for tp in stage.touchpoints if tp.id in kept)
        if tps:
            name = stage.name
            if tps[0] is not stage.touchpoints[0]:
                name = m("map.stage_continued", stage=stage.name)
            stages.append(replace(stage, name=name, touchpoints=tps))
    return replace(journey, stages=tuple(stages))


def _mark(journey: Journey, run: range, page: int, pages: int) -> str:
    """ "Page n of m · stages A–B" for the touchpoints at positions ``run``."""
    part = _part(journey, run).stages
    m = messages(journey.lang)
    if len(part) == 1:
        return m("map.page_one_stage", page=page, pages=pages, first=part[0].name)
    return m("map.page", page=page, pages=pages, first=part[0].name, last=part[-1].name)
