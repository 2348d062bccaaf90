"""docs/security.md names the tests that hold each promise: every one it names must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_test_named_in_security_md_exists() -> None:
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    defined = {
        name
        for path in (ROOT / "tests").glob("test_*.py")
        for name in re.findall(r"^(?:async )?def (test_\w+)", path.read_text("utf-8"), re.M)
    }
    files = set(re.findall(r"`(tests/[\w/]+\.py)", doc))
    named = set(re.findall(r"\b(test_\w+)\b", doc)) - {Path(f).stem for f in files}
    assert files and named
    assert [f for f in sorted(files) if not (ROOT / f).is_file()] == []
    assert sorted(named - defined) == []
