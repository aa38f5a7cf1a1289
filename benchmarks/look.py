"""Where one page's time goes, for `benchmarks/render.py --look`.

- queries: each query of a render, in order, and the time inside the database driver (the
  fastest of the renders looked at, query by query);
- calls: the functions with the most time of their own (cProfile), per render;
- tags: the template tags and variables with the most time of their own, per render.

Profiling slows what it measures, each kind differently: compare lines within one look,
and figures between versions with render.py's own timings, not these.
"""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection
from django.template.base import Node

KINDS = ("queries", "calls", "tags")


def look(kind: str, render: Callable[[], object], renders: int, top: int) -> list[str]:
    """`render` makes one request for the page; the lines to print about it."""
    return {"queries": _queries, "calls": _calls, "tags": _tags}[kind](render, renders, top)


def _queries(render: Callable[[], object], renders: int, top: int) -> list[str]:
    best: dict[int, tuple[float, str]] = {}
    for _ in range(renders):
        seen: list[tuple[float, str]] = []

        def timed(execute, sql, params, many, context, seen=seen):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                seen.append((time.perf_counter() - started, sql))

        with connection.execute_wrapper(timed):
            render()
        for i, (took, sql) in enumerate(seen):
            if i not in best or took < best[i][0]:
                best[i] = (took, sql)
    lines = [f"{len(best)} queries, each the fastest of {renders} renders (ms):"]
    for took, sql in best.values():
        lines.append(f"{took * 1e3:8.3f}  {' '.join(sql.split())[:140]}")
    return lines


def _calls(render: Callable[[], object], renders: int, top: int) -> list[str]:
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(renders):
        render()
    profile.disable()
    # Both are Stats' own attributes, which typeshed leaves out.
    stats = pstats.Stats(profile)
    rows = sorted(stats.stats.items(), key=lambda row: -row[1][2])[:top]  # type: ignore[attr-defined]
    calls = stats.total_calls  # type: ignore[attr-defined]
    lines = [
        f"{calls / renders:,.0f} function calls a render; "
        "ms of their own, ms in all, and calls, a render:"
    ]
    for (path, line, function), (_, times, own, whole, _) in rows:
        where = f"{_short(path)}:{line}" if line else path
        lines.append(
            f"{own / renders * 1e3:8.3f} {whole / renders * 1e3:8.3f} {times / renders:7.1f}"
            f"  {where}({function})"
        )
    return lines


def _tags(render: Callable[[], object], renders: int, top: int) -> list[str]:
    own: dict[tuple[str, int, str], list] = {}
    # Each open tag's children's time, so that a tag's own time leaves out what it contains.
    inside = [0.0]
    original = Node.render_annotated

    def timed(node, context):
        started = time.perf_counter()
        inside.append(0.0)
        try:
            return original(node, context)
        finally:
            took = time.perf_counter() - started
            children = inside.pop()
            inside[-1] += took
            token, origin = getattr(node, "token", None), getattr(node, "origin", None)
            key = (
                (origin.template_name if origin else None) or "?",
                token.lineno if token else 0,
                " ".join(token.contents.split())[:60] if token else type(node).__name__,
            )
            entry = own.setdefault(key, [0, 0.0])
            entry[0] += 1
            entry[1] += took - children

    Node.render_annotated = timed  # type: ignore[method-assign]
    try:
        for _ in range(renders):
            render()
    finally:
        Node.render_annotated = original  # type: ignore[method-assign]
    total = sum(seconds for _, seconds in own.values())
    lines = [f"{total / renders * 1e3:.2f} ms a render in tags; ms of their own, and times:"]
    for (template, line, contents), (times, seconds) in sorted(
        own.items(), key=lambda row: -row[1][1]
    )[:top]:
        lines.append(
            f"{seconds / renders * 1e3:8.3f} {times / renders:6.1f}×  {template}:{line}  {contents}"
        )
    return lines


def _short(path: str) -> str:
    """A library's file from its package, the standard library's from python3.x."""
    parts = Path(path).parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1 :])
    for i, part in enumerate(parts):
        if part == "alongside" or part.startswith("python3"):
            return "/".join(parts[i:])
    return path
