"""``python -m tools.bench generate --size quick|full|smoke [--seed N]`` and ``python -m tools.bench run``.

Both use DATABASE_URL (generate wants a fresh, migrated database). Production-like settings: DEBUG off,
the development secret key and no HTTPS redirect (SAFEGUARD_TESTING), as tools/bench_pages.py does.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
os.environ.setdefault("SAFEGUARD_TESTING", "1")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.bench")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="build the data set")
    gen.add_argument("--size", default="quick", choices=["smoke", "quick", "full"])
    gen.add_argument("--seed", type=int, default=2026)
    bench = sub.add_parser("run", help="measure pages and jobs on the data set")
    bench.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if args.command == "generate":
        from tools.bench.generate import generate

        generate(args.size, args.seed)
    else:
        from tools.bench.run import run, table

        print(table(run(args.requests)))


if __name__ == "__main__":
    main()
