"""The run report: one self-contained HTML file (``flowgen run ... --report FILE.html``).

Sections: a summary (workflow, outcome, start, duration, counts by status and
the error of a failed run), the executed graph (the static picture with every
``@dynamic`` expanded to the sub-DAG it ran, nodes coloured by status,
repeated nodes grouped), a timeline, and a table of every node run (status,
start, duration, attempts, cache hit, error) that a script pages and filters;
clicking a node or a lane shows its details and filters the table to it.

The graph and timeline are drawn in Python as inline SVG and readable
without scripts; the table data is one embedded JSON block. Nothing is
fetched, so the file opens offline and can be attached to a ticket.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import replace
from html import escape
from typing import Any

from flowgen.ir.types import render_type
from flowgen.render.dot_layout import report_layout
from flowgen.render.drawing import draw_svg
from flowgen.render.html import GRAPH_SCRIPT, ZOOM_BUTTON
from flowgen.render.model import DisplayGraph, build_display_graph, short_name
from flowgen.render.page import STATUS_COLORS, html_page
from flowgen.report.facts import Facts, compute_facts
from flowgen.report.grouping import DEFAULT_GROUP_THRESHOLD, group_repeated, status_summary
from flowgen.report.recorder import RunRecorder
from flowgen.report.timeline import draw_timeline, format_seconds, timeline_lanes

__all__ = ["build_report_html", "write_report"]

_CSS = """
.pill { display:inline-block; padding:1px 9px; border-radius:10px; border:1px solid; font-size:12px;
        font-weight:600; vertical-align:3px; margin-left:8px; }
.error { border:1px solid #c62828; background:#fdecea; border-radius:6px; padding:10px 12px; }
.error pre { margin:6px 0 0; white-space:pre-wrap; font-size:12.5px; }
.fg-timeline { max-width:100%; height:auto; }
.fg-timeline text { font:11px system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif; fill:#3e4c59; }
.fg-timeline .axis line { stroke:#e4e7eb; }
.fg-timeline .axis text { fill:#7b8794; }
.fg-timeline .lane-bg { fill:transparent; }
.fg-timeline .fg-lane:hover .lane-bg, .fg-timeline .fg-lane.selected .lane-bg { fill:#f0f4f8; }
.fg-timeline .fg-lane { cursor:pointer; }
.fg-timeline .span .bar { opacity:.35; }
.controls { display:flex; gap:10px; align-items:center; margin:8px 0; flex-wrap:wrap; }
.controls input, .controls select, .controls button { font:inherit; padding:3px 6px; }
table.nodes { border-collapse:collapse; width:100%; font-size:12.5px; }
table.nodes th, table.nodes td { text-align:left; padding:3px 8px; border-bottom:1px solid #e4e7eb; vertical-align:top; }
table.nodes th { background:var(--panel); position:sticky; top:0; }
table.nodes td.num { text-align:right; font-variant-numeric:tabular-nums; }
table.nodes td.err { color:#c62828; white-space:pre-wrap; max-width:520px; }
table.nodes td code { font-size:12px; }
"""

_SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById('fg-data').textContent);
  const records = data.records;  // [path, kind, name, status, start, duration, attempts, cached, error]
  const PAGE = 200;
  let page = 0, only = null;
  const tbody = document.querySelector('#fg-table tbody');
  const info = document.getElementById('fg-table-info');
  const text = document.getElementById('fg-filter');
  const status = document.getElementById('fg-status');
  function esc(s) { const d = document.createElement('div'); d.textContent = s == null ? '' : String(s); return d.innerHTML; }
  function secs(s) {
    if (s == null) return '';
    if (s < 0.001) return (s * 1e6).toFixed(0) + ' µs';
    if (s < 1) return (s * 1e3).toFixed(1) + ' ms';
    return s.toFixed(2) + ' s';
  }
  function rows() {
    const q = text.value.trim().toLowerCase(), st = status.value;
    const pool = only ? only.map(i => records[i]) : records;
    return pool.filter(r => (!st || r[3] === st) && (!q || (r[0] + ' ' + r[2]).toLowerCase().includes(q)));
  }
  function render() {
    const found = rows();
    const pages = Math.max(1, Math.ceil(found.length / PAGE));
    page = Math.min(page, pages - 1);
    const shown = found.slice(page * PAGE, page * PAGE + PAGE);
    tbody.innerHTML = shown.map(r =>
      '<tr data-path="' + esc(r[0]) + '" data-status="' + esc(r[3]) + '">' +
      '<td><code>' + esc(r[0]) + '</code></td><td>' + esc(r[2]) + '</td><td>' + esc(r[1]) + '</td>' +
      '<td><span class="pill status-' + esc(r[3]) + '">' + esc(r[3]) + '</span></td>' +
      '<td class="num">' + secs(r[4]) + '</td><td class="num">' + secs(r[5]) + '</td>' +
      '<td class="num">' + esc(r[6]) + '</td><td>' + (r[7] ? 'yes' : '') + '</td>' +
      '<td class="err">' + esc(r[8] || '') + '</td></tr>').join('');
    info.textContent = found.length
      ? 'Showing ' + (page * PAGE + 1) + '–' + (page * PAGE + shown.length) + ' of ' + found.length + ' node runs' +
        (only ? ' (selection; click "All" to clear)' : '')
      : 'No node runs match.';
  }
  text.addEventListener('input', () => { page = 0; render(); });
  status.addEventListener('change', () => { page = 0; render(); });
  document.getElementById('fg-prev').addEventListener('click', () => { page = Math.max(0, page - 1); render(); });
  document.getElementById('fg-next').addEventListener('click', () => { page += 1; render(); });
  document.getElementById('fg-all').addEventListener('click', () => { only = null; page = 0; render(); });
  window.fgShowDetails = function (id, panel) {
    const item = data.items[id];
    if (!item || !panel) return;
    const rowsOut = [['id', id], ['name', item.title], ['kind', item.kind], ['status', item.status]];
    if (item.members.length > 1) rowsOut.push(['node runs', item.members.length + ' (' + item.summary + ')']);
    if (item.start != null) rowsOut.push(['started', secs(item.start) + ' after the run started']);
    if (item.duration != null) rowsOut.push([item.members.length > 1 ? 'total duration' : 'duration', secs(item.duration)]);
    if (item.attempts) rowsOut.push(['attempts', item.attempts]);
    if (item.cached) rowsOut.push(['cache hits', item.cached]);
    if (item.errors.length) rowsOut.push(['error', item.errors.join('\n\n')]);
    if (item.data && item.data.length) rowsOut.push(['data', item.data.join('\n')]);
    panel.innerHTML = '<dl>' + rowsOut.map(r => '<dt>' + esc(r[0]) + '</dt><dd>' + esc(r[1]) + '</dd>').join('') + '</dl>';
    only = item.members.length ? item.members : null;
    page = 0;
    render();
  };
  document.querySelectorAll('.fg-lane').forEach(lane => lane.addEventListener('click', () => {
    document.querySelectorAll('.fg-lane.selected').forEach(l => l.classList.remove('selected'));
    lane.classList.add('selected');
    if (window.fgSelect) window.fgSelect(lane.dataset.id);
  }));
  render();
  document.body.dataset.ready = 'true';
})();
"""


def _extra_line(facts: Facts, members: int) -> str:
    parts = []
    if facts.duration is not None:
        parts.append(format_seconds(facts.duration) + (" total" if members > 1 else ""))
    if members <= 1 and facts.attempts > 1:
        parts.append(f"{facts.attempts} attempts")
    if facts.cached and members <= 1:
        parts.append("cached")
    if not parts and facts.status == "not-run":
        parts.append("not run")
    return " · ".join(parts)


def build_report_html(recorder: RunRecorder, *, source: str = "",
                      group_threshold: int = DEFAULT_GROUP_THRESHOLD) -> str:
    """The report of a recorded run (finished, failed, or still running when it was written)."""
    records = {r.path: r for r in recorder.snapshot()}
    graph = build_display_graph(recorder.picture_program(), expand_dynamic=recorder.expansion)
    graph, values = _with_input_values(graph, recorder)
    facts = compute_facts(graph, records)
    grouped = group_repeated(graph, facts, group_threshold)
    shown, shown_facts = grouped.graph, grouped.facts

    statuses = {item: f.status for item, f in shown_facts.items()}
    extra = {item: _extra_line(f, len(f.members)) for item, f in shown_facts.items()}
    for item, f in shown_facts.items():  # a map_task node: its items by status
        counted = records[f.members[0]].items if len(f.members) == 1 and f.members[0] in records else None
        if counted:
            extra[item] = " · ".join(filter(None, [extra[item], _items_text(counted)]))
    extra = {k: v for k, v in extra.items() if v}
    layout = report_layout(shown, extra_lines=extra)
    graph_svg = draw_svg(shown, layout, statuses=statuses, extra_lines=extra, values=values)

    ends = [r.end for r in records.values() if r.end is not None]
    total = recorder.finished if recorder.finished is not None else max(ends, default=0.0)
    lanes = timeline_lanes(shown, shown_facts, records, total)
    timeline_svg = draw_timeline(lanes, total, shown_facts)

    # Summary: every node run, plus the nodes of the picture that never ran.
    counts: Counter[str] = Counter(r.status for r in records.values())
    node_ids = {n.id for n in graph.nodes}
    counts["not-run"] += sum(1 for item, f in facts.items()
                             if f.status == "not-run" and item not in records and item in node_ids)
    title = short_name(recorder.program.root.name)
    started = datetime.datetime.fromtimestamp(recorder.started_wall).astimezone().isoformat(timespec="seconds")
    run_status = recorder.status
    meta = (f"started {escape(started)} · took {escape(format_seconds(total))} · {len(records)} node runs"
            f" ({escape(status_summary(counts))})" + (f" · from {escape(source)}" if source else ""))
    error_box = ""
    if recorder.error is not None:
        failed = [r.path for r in records.values() if r.status == "failed"]
        deepest = max(failed, key=lambda p: p.count("."), default="")
        error_box = (f'<section class="error" id="fg-error"><strong>The run failed'
                     f'{" at node " + escape(deepest) if deepest else ""}.</strong>'
                     f"<pre>{escape(recorder.error)}</pre></section>")
    legend = '<div class="legend">' + "".join(
        f'<span class="st-{s}">{s}</span>' for s in STATUS_COLORS if s in set(statuses.values())
    ) + (f'<span style="--b:#f3ecff;--c:#7a55c7">group of more than {group_threshold} repeated nodes</span>'
         if grouped.group_of else "") + "</div>"
    body = (
        f'<header><h1>Run of workflow {escape(title)}<span class="pill status-{run_status}" id="fg-run-status">'
        f"{run_status}</span></h1><div class=\"meta\">{meta}</div></header>\n<main>\n{error_box}\n"
        f'<section id="fg-graph-section"><h2>Executed graph{ZOOM_BUTTON}</h2>{legend}<div class="scroll">{graph_svg}</div></section>\n'
        f'<section id="fg-timeline-section"><h2>Timeline</h2><div class="scroll">{timeline_svg}</div></section>\n'
        '<section id="fg-nodes-section"><h2>Nodes</h2>'
        '<div class="details" id="fg-details">Click a node in the graph or a lane in the timeline.</div>'
        '<div class="controls"><input id="fg-filter" type="search" placeholder="filter by node or task">'
        '<select id="fg-status"><option value="">any status</option>'
        + "".join(f'<option value="{s}">{s}</option>' for s in ("succeeded", "cached", "failed", "running"))
        + '</select><button id="fg-all" type="button">All</button>'
        '<button id="fg-prev" type="button">◀</button><button id="fg-next" type="button">▶</button>'
        '<span id="fg-table-info"></span></div>'
        '<div class="scroll"><table class="nodes" id="fg-table"><thead><tr><th>node</th><th>task</th><th>kind</th>'
        "<th>status</th><th>start</th><th>duration</th><th>attempts</th><th>cached</th><th>error</th></tr></thead>"
        "<tbody></tbody></table></div></section>\n" + _decks_section(recorder, records) + "</main>"
    )
    described = {n.id: (n.title, n.kind) for n in shown.nodes} | {c.id: (c.title, c.kind) for c in shown.clusters}
    ordered = sorted(records.values(), key=lambda r: (r.start, r.path))
    index = {r.path: i for i, r in enumerate(ordered)}
    data = {
        "workflow": recorder.program.root.name,
        "status": run_status,
        "records": [[r.path, r.kind, short_name(r.name), r.status, round(r.start, 6),
                     None if r.duration is None else round(r.duration, 6), r.attempts, int(r.cached), r.error]
                    for r in ordered],
        "items": {
            item: {
                "title": described.get(item, (item, ""))[0], "kind": described.get(item, (item, ""))[1],
                "status": f.status,
                "members": [index[m] for m in f.members if m in index], "summary": status_summary(f.counts),
                "start": f.start, "duration": f.duration, "attempts": f.attempts, "cached": f.cached,
                "errors": f.errors[:3], "data": f.data[:20],
            }
            for item, f in shown_facts.items()
        },
    }
    return html_page(f"flowgen run · {title} · {run_status}", body, css=_CSS, script=GRAPH_SCRIPT + _SCRIPT,
                     data=data)


def _items_text(counts: dict[str, int]) -> str:
    """``3 items`` when all succeeded, else ``16 items: 6 succeeded, 10 cancelled``."""
    total = sum(counts.values())
    if set(counts) == {"succeeded"}:
        return f"{total} items"
    return f"{total} items: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def _with_input_values(graph: DisplayGraph, recorder: RunRecorder) -> tuple[DisplayGraph, dict[str, str]]:
    """The picture's input boxes with the values the run used (``n: int = 500``), not the declared
    defaults; the values by input node id, for the page's ``data-value`` attributes."""
    if recorder.inputs is None:
        return graph, {}
    types = {p.name: render_type(p.type) for p in recorder.program.root.interface.inputs}
    values: dict[str, str] = {}
    nodes = []
    for node in graph.nodes:
        name = node.id.removeprefix("input:")
        if node.kind == "input" and node.parent is None and name in recorder.inputs:
            values[node.id] = recorder.inputs[name]
            node = replace(node, subtitle=f"{types.get(name, '')} = {recorder.inputs[name]}".strip())
        nodes.append(node)
    return replace(graph, nodes=tuple(nodes)), values


def _decks_section(recorder: RunRecorder, records: dict[str, Any]) -> str:
    """The decks the run's tasks made (``flowgen.Deck``), each under its node, in a sandboxed frame."""
    from flowgen.runtime.decks import decks_of

    found = decks_of(recorder.execution) if recorder.execution else {}
    if not found:
        return ""
    parts = ['<section id="fg-decks-section"><h2>Decks</h2>']
    for path, decks in found.items():
        record = records.get(path)
        task = short_name(record.name) if record is not None else ""
        for name, page in decks:
            parts.append(f'<details class="deck" data-node="{escape(path)}"><summary>node {escape(path)} · '
                         f"{escape(task)} · {escape(name)}</summary>"
                         f'<iframe sandbox="" style="width:100%;min-height:12em;border:1px solid #ddd" '
                         f'srcdoc="{escape(page, quote=True)}"></iframe></details>')
    parts.append("</section>\n")
    return "".join(parts)


def write_report(recorder: RunRecorder, path: str, *, source: str = "") -> None:
    page = build_report_html(recorder, source=source)
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
