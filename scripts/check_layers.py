#!/usr/bin/env python3
"""House rule, enforced by `make check`: views and API endpoints only parse, call one service or selector,
and render.

So no `views.py` or `api.py` under dxpool/ (nor a module of a `views/` or `api/` package) may
- reach the ORM: no `.objects` and no `.filter(` — queries live in selectors, which scope by the acting user;
- write the audit trail: no `audit_record` — the service that does the work writes its own audit row, so the
  web page, the API and the command line cannot disagree about what is recorded.

Reads the files with `ast`, so comments and strings do not count. Prints one line per finding
(path:line: message) and exits 1 when there is any; 0 otherwise.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

LAYER_NAMES = {"views", "api"}


def is_thin_layer(path: Path) -> bool:
    return path.stem in LAYER_NAMES or any(part in LAYER_NAMES for part in path.parent.parts[-1:])


def findings(source: str, filename: str = "<source>") -> Iterator[tuple[int, str]]:
    """(line, message) for every breach of the rule in one module's source."""
    tree = ast.parse(source, filename=filename)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            yield node.lineno, "uses `.objects` (query in a selector instead)"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "filter":
            yield node.lineno, "calls `.filter(` (query in a selector instead)"
        elif isinstance(node, ast.Name) and node.id == "audit_record":
            yield node.lineno, "writes the audit trail (let the service write its own audit row)"
        elif isinstance(node, ast.ImportFrom) and any(a.name == "audit_record" for a in node.names):
            yield node.lineno, "imports audit_record (let the service write its own audit row)"


def check(root: Path) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or not is_thin_layer(path):
            continue
        for line, message in sorted(findings(path.read_text(encoding="utf-8"), str(path))):
            out.append(f"{path}:{line}: {message}")
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path("dxpool")
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} breach(es) of the thin views/API rule (docs/architecture.md)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
