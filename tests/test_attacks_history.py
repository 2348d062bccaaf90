"""Attacks on reading journeys from git history (build --history, diff --git): an old commit
whose evidence blob is gigabytes of zeros (a few KiB in git) was streamed to disk whole."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from journeymap.site import history
from journeymap.source.limits import DEFAULT_LIMITS

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

JOURNEY = """\
journeymap: 1
title: T
stages:
  - id: buy
    name: Buy
    touchpoints:
      - {id: pay, name: Pay, emotion: satisfied}
evidence:
  - {id: a, file: a.csv}
  - {id: b, file: b.csv}
"""


def _git(repo: Path, *args: str) -> str:
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_SYSTEM": "/dev/null", "HOME": str(repo)}
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    return done.stdout.decode().strip()


def test_evidence_blobs_of_an_old_version_are_limited_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "j.yaml").write_text(JOURNEY, encoding="utf-8")
    (repo / "a.csv").write_text("touchpoint,score\n" + "pay,9\n" * 100, encoding="utf-8")
    (repo / "b.csv").write_text("touchpoint,score\n" + "pay,1\n" * 100, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "data")
    sha = _git(repo, "rev-parse", "HEAD")
    monkeypatch.setattr(history, "MAX_DATA", 1000)  # each file is 617 bytes, 1,234 together
    into = tmp_path / "into"
    with pytest.raises(history.GitError) as caught:
        history.version_at(sha, repo / "j.yaml", repo, into, DEFAULT_LIMITS)
    message = str(caught.value)
    assert message.startswith(f"{sha[:12]}:") and message.endswith(
        ".csv: its evidence files come to 1,234 bytes, more than the limit of 1,000 bytes"
    ), message
    assert sum(f.stat().st_size for f in into.rglob("*.csv")) <= 1000
    monkeypatch.setattr(history, "MAX_DATA", 1234)
    shutil.rmtree(into)
    assert history.version_at(sha, repo / "j.yaml", repo, into, DEFAULT_LIMITS) == into / "j.yaml"
    assert (into / "a.csv").stat().st_size == (into / "b.csv").stat().st_size == 617
