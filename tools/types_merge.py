"""Bring code written before mypy ran (another branch, an old module) up to the project's types.

    .venv/bin/python tools/types_merge.py views PATH...   # views' `request: HttpRequest` -> OrgRequest
    .venv/bin/ruff check --fix --select I,F401 PATH...    # then sort the imports it added
    .venv/bin/mypy > /tmp/mypy.txt; .venv/bin/python tools/types_merge.py drop /tmp/mypy.txt
    .venv/bin/mypy > /tmp/mypy.txt; .venv/bin/python tools/types_merge.py add /tmp/mypy.txt   # last resort

``views`` annotates ``request`` as ``OrgRequest`` in functions behind ``member_required``/``role_required``
or reading ``request.org``/``request.membership``; the ignores that only reached them become unused and
``drop`` removes them (and any other ignore mypy calls unused). ``add`` puts ``# type: ignore[<code>]`` on
each line mypy still reports: look at each first, most are a real annotation away.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections import defaultdict
from pathlib import Path

ERROR = re.compile(r"^(?P<file>.+?):(?P<line>\d+): error: (?P<text>.*)\[(?P<code>[a-z-]+)\]$")
UNUSED = re.compile(
    r'^(?P<file>.+?):(?P<line>\d+): error: Unused "type: ignore(?P<codes>\[[^\]]*\])?" comment'
)
COMMENT = re.compile(r"(\s*)# type: ignore(\[([^\]]*)\])?")
GUARDS = {"member_required", "role_required"}
ORG_ATTRS = {"org", "membership", "memberships"}


def _reads_org(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == "request"
        and n.attr in ORG_ATTRS
        for n in ast.walk(node)
    )


def views(paths: list[str]) -> None:
    for name in paths:
        source = Path(name).read_text()
        lines = source.splitlines(keepends=True)
        changed = False
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            guarded = {ast.unparse(d).split("(")[0] for d in node.decorator_list} & GUARDS
            for arg in node.args.args + node.args.kwonlyargs:
                ann = arg.annotation
                if arg.arg != "request" or not isinstance(ann, ast.Name) or ann.id != "HttpRequest":
                    continue
                if guarded or _reads_org(node):
                    row = lines[ann.lineno - 1]
                    lines[ann.lineno - 1] = row[: ann.col_offset] + "OrgRequest" + row[ann.end_col_offset :]
                    changed = True
        if not changed:
            continue
        text = "".join(lines)
        if not re.search(r"^from safeguard\.tenancy\.access import .*OrgRequest", text, re.M):
            body = ast.parse(text).body
            last = max(n.end_lineno or 0 for n in body if isinstance(n, ast.Import | ast.ImportFrom))
            rows = text.splitlines(keepends=True)
            rows.insert(last, "from safeguard.tenancy.access import OrgRequest\n")
            text = "".join(rows)
        Path(name).write_text(text)
        print(f"{name}: request is OrgRequest")


def _drop(line: str, codes: str | None) -> str:
    found = COMMENT.search(line)
    if found is None:
        return line
    end = "\n" if line.endswith("\n") else ""
    rest = line[found.end() :].rstrip("\n")
    if codes is not None and found.group(3):
        unused = {c.strip() for c in codes[1:-1].split(",")}
        keep = [c.strip() for c in found.group(3).split(",") if c.strip() not in unused]
        if keep:
            return f"{line[: found.start()]}{found.group(1)}# type: ignore[{', '.join(keep)}]{rest}{end}"
    head = line[: found.start()]
    return (f"{head}  {rest.lstrip()}" if rest.strip() else head).rstrip() + end


def drop(report: str) -> None:
    todo: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
    for row in Path(report).read_text().splitlines():
        match = UNUSED.match(row)
        if match:
            todo[match["file"]].append((int(match["line"]), match["codes"]))
    for name, items in todo.items():
        lines = Path(name).read_text().splitlines(keepends=True)
        for number, codes in items:
            lines[number - 1] = _drop(lines[number - 1], codes)
        Path(name).write_text("".join(lines))
    print(f"{sum(len(i) for i in todo.values())} unused ignores removed in {len(todo)} files")


def add(report: str) -> None:
    todo: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in Path(report).read_text().splitlines():
        match = ERROR.match(row)
        if (
            match
            and match["code"] != "unused-ignore"
            and match["code"] not in todo[match["file"]][int(match["line"])]
        ):
            todo[match["file"]][int(match["line"])].append(match["code"])
    added = 0
    for name, by_line in todo.items():
        source = Path(name).read_text()
        lines = source.splitlines(keepends=True)
        open_string: set[int] = set()
        comments: dict[int, int] = {}
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                open_string.update(range(tok.start[0], tok.end[0]))
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.start[1]
        for number, codes in sorted(by_line.items()):
            body = lines[number - 1].rstrip("\n")
            if number in open_string or body.rstrip().endswith("\\"):
                print(f"{name}:{number}: inside a string or continued: add the ignore by hand")
                continue
            col = comments.get(number)
            if col is None:
                body = f"{body.rstrip()}  # type: ignore[{', '.join(codes)}]"
            else:
                existing = body[col:]
                found = re.match(r"# type: ignore\[([^\]]*)\]", existing)
                if found:
                    have = [c.strip() for c in found.group(1).split(",")]
                    joined = ", ".join(have + [c for c in codes if c not in have])
                    body = f"{body[:col]}# type: ignore[{joined}]{existing[found.end() :]}"
                else:
                    body = f"{body[:col].rstrip()}  # type: ignore[{', '.join(codes)}]  {existing}"
            lines[number - 1] = body + ("\n" if lines[number - 1].endswith("\n") else "")
            added += 1
        Path(name).write_text("".join(lines))
    print(f"{added} ignores added")


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"views", "drop", "add"}:
        print(__doc__)
        return 2
    if argv[0] == "views":
        views(argv[1:])
    elif argv[0] == "drop":
        drop(argv[1])
    else:
        add(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
