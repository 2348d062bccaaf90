"""Record the real Mermaid's verdict on every ``corpus/*.mmd`` as ``corpus/*.json``.

Needs Chromium and the Mermaid package (``--install`` runs ``npm install`` into the git-ignored
``harness/node_modules/``). Run it after adding a diagram to the corpus or moving Mermaid's
version in ``harness/package.json``; ``--check`` only reports fixtures that differ.

    python3 tests/mermaid/refresh.py [--install] [--check]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import mermaid_oracle


def main(argv: list[str] | None = None) -> int:
    """Refresh (or with ``--check`` compare) the recorded results; exit 1 on differences."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="npm install the harness first")
    parser.add_argument("--check", action="store_true", help="compare only, write nothing")
    args = parser.parse_args(argv)
    if args.install:
        subprocess.run(
            ["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=mermaid_oracle.HARNESS,
            check=True,
        )
    if not mermaid_oracle.available():
        print("needs chromium and tests/mermaid/harness/node_modules (--install)", file=sys.stderr)
        return 2
    paths = sorted(mermaid_oracle.CORPUS.glob("*.mmd"))
    texts = [p.read_bytes().decode("utf-8") for p in paths]
    version = mermaid_oracle.version()
    changed = 0
    for path, result in zip(paths, mermaid_oracle.ask(texts), strict=True):
        record = json.dumps({"mermaid": version, **result}, indent=2, ensure_ascii=False) + "\n"
        target = path.with_suffix(".json")
        old = target.read_text(encoding="utf-8") if target.exists() else None
        if old != record:
            changed += 1
            print(f"{'differs' if args.check else 'wrote'}: {target.name}")
            if not args.check:
                target.write_text(record, encoding="utf-8")
    print(f"{len(paths)} diagrams, {changed} {'differ' if args.check else 'changed'}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
