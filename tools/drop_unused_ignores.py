"""Remove the `# type: ignore` comments (or codes) that mypy reports as unused.

    .venv/bin/mypy > /tmp/mypy.txt; .venv/bin/python tools/drop_unused_ignores.py /tmp/mypy.txt

For merges: code written against plain ``HttpRequest`` carries ignores to reach ``request.org``; once its
views take ``OrgRequest`` those ignores are unused and mypy fails on them. Only the comment is touched.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

UNUSED = re.compile(
    r'^(?P<file>.+?):(?P<line>\d+): error: Unused "type: ignore(?P<codes>\[[^\]]*\])?" comment'
)
COMMENT = re.compile(r"(\s*)# type: ignore(\[([^\]]*)\])?")


def drop(line: str, codes: str | None) -> str:
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


def main(report: str) -> int:
    todo: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
    for row in Path(report).read_text().splitlines():
        match = UNUSED.match(row)
        if match:
            todo[match["file"]].append((int(match["line"]), match["codes"]))
    for name, items in todo.items():
        lines = Path(name).read_text().splitlines(keepends=True)
        for number, codes in items:
            lines[number - 1] = drop(lines[number - 1], codes)
        Path(name).write_text("".join(lines))
    print(f"{sum(len(i) for i in todo.values())} unused ignores removed in {len(todo)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
