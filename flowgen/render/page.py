"""The HTML shell shared by ``flowgen graph --format html`` and the run report.

One self-contained file: the stylesheet, the drawing and the scripts are
inline, the data a script needs is a ``<script type="application/json">``
block, and nothing is fetched (no CDN, no fonts, no images), so the page opens
offline and in a sandbox. Text is escaped with :func:`html.escape`; JSON is
embedded with ``<``, ``>`` and ``&`` escaped so no value can close the script tag.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

__all__ = ["STATUS_COLORS", "embed_json", "html_page"]

STATUS_COLORS = {
    "succeeded": ("#e7f6ec", "#2f8a4c"),
    "cached": ("#e6f3fb", "#2b7bb9"),
    "failed": ("#fdecea", "#c62828"),
    "running": ("#fff6df", "#c98a00"),
    "mixed": ("#fff6df", "#c98a00"),
    "not-run": ("#f2f2f2", "#9e9e9e"),
}

_BASE_CSS = """
:root { color-scheme: light; --fg:#1f2933; --muted:#616e7c; --line:#cbd2d9; --bg:#ffffff; --panel:#f5f7fa; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
       color:var(--fg); background:var(--bg); }
header { padding:14px 20px; border-bottom:1px solid var(--line); background:var(--panel); }
header h1 { margin:0 0 4px; font-size:18px; }
header .meta { color:var(--muted); }
main { padding:12px 20px 40px; }
section { margin:18px 0; }
section h2 { font-size:15px; margin:0 0 8px; }
.scroll { overflow:auto; border:1px solid var(--line); border-radius:6px; background:#fff; max-height:80vh; }
.fg-graph.fit { max-width:100%; height:auto; }
.zoom { float:right; font:inherit; font-size:12px; padding:1px 8px; margin-top:-4px; }
.fg-graph text { font:12px system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif; fill:var(--fg); }
.fg-graph .fg-title { font-weight:600; }
.fg-graph .fg-sub, .fg-graph .fg-line { fill:var(--muted); font-size:11px; }
.fg-graph .fg-note { fill:#8a5a00; font-size:11px; font-style:italic; }
.fg-graph .fg-extra { fill:var(--fg); font-size:11px; }
.fg-node rect { fill:#fff; stroke:#4a5568; stroke-width:1.3; }
.fg-node { cursor:pointer; outline:none; }
.fg-node:hover rect, .fg-node:focus rect, .fg-node.selected rect { stroke-width:2.6; }
.fg-node.kind-input rect { fill:#e8f1ff; stroke:#4a78c2; }
.fg-node.kind-output rect { fill:#e9f7ef; stroke:#3c8d5a; }
.fg-node.kind-dynamic rect { fill:#fff8e6; stroke:#c08a1e; stroke-dasharray:5 3; }
.fg-node.kind-map rect, .fg-node.kind-group rect { fill:#f3ecff; stroke:#7a55c7; }
.fg-node.kind-conditional rect { fill:#fff1f0; stroke:#c0504d; }
.fg-node.kind-branch rect { fill:#fff1f0; stroke:#c0504d; stroke-dasharray:3 3; }
.fg-cluster rect { fill:rgba(245,247,250,.6); stroke:#7b8794; stroke-width:1.2; }
.fg-cluster.kind-dynamic rect { stroke:#c08a1e; stroke-dasharray:6 4; fill:rgba(255,248,230,.45); }
.fg-cluster.kind-branch rect { stroke:#c0504d; stroke-dasharray:4 3; fill:rgba(255,241,240,.45); }
.fg-cluster-title { font-weight:600; fill:var(--muted) !important; }
.fg-edge path { fill:none; stroke:#8795a1; stroke-width:1.3; }
.fg-edge.kind-order path, .fg-edge.kind-branch path { stroke-dasharray:5 4; }
.fg-edge.kind-branch path { stroke:#c0504d; }
.fg-edge.highlight path { stroke:#1f2933; stroke-width:2.2; }
.fg-arrowhead { fill:#8795a1; }
.fg-edge-label { font-size:10px !important; fill:#52606d !important; paint-order:stroke; stroke:#fff; stroke-width:3px; }
.legend { display:flex; flex-wrap:wrap; gap:12px; margin:8px 0; color:var(--muted); font-size:12px; }
.legend span::before { content:""; display:inline-block; width:12px; height:12px; margin-right:5px;
                       vertical-align:-2px; border-radius:3px; border:1.5px solid var(--c); background:var(--b); }
.details { border:1px solid var(--line); border-radius:6px; padding:10px 12px; background:var(--panel); min-height:44px; }
.details dl { display:grid; grid-template-columns:max-content 1fr; gap:2px 14px; margin:0; }
.details dt { color:var(--muted); }
.details dd { margin:0; font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px;
              white-space:pre-wrap; word-break:break-word; }
"""


def _status_css() -> str:
    rules = []
    for status, (fill, stroke) in STATUS_COLORS.items():
        rules.append(f".fg-node.status-{status} rect {{ fill:{fill}; stroke:{stroke}; }}")
        rules.append(f".fg-cluster.status-{status} > rect {{ stroke:{stroke}; }}")
        rules.append(f".legend .st-{status} {{ --b:{fill}; --c:{stroke}; }}")
        rules.append(f".bar.status-{status} {{ fill:{stroke}; }}")
        rules.append(f".pill.status-{status} {{ background:{fill}; color:{stroke}; border-color:{stroke}; }}")
    return "\n".join(rules)


def embed_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def html_page(title: str, body: str, *, css: str = "", script: str = "", data: Any = None) -> str:
    data_block = (f'<script type="application/json" id="fg-data">{embed_json(data)}</script>\n'
                  if data is not None else "")
    script_block = f"<script>\n{script}\n</script>\n" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="flowgen">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{_BASE_CSS}\n{_status_css()}\n{css}</style>\n</head>\n<body>\n"
        f"{body}\n{data_block}{script_block}</body>\n</html>\n"
    )
