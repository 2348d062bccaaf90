"""A team's repository as journeymap meets it: journeys with a shared library, workflows,
a compose file, and a git history."""

from __future__ import annotations

import subprocess
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

WORKFLOW = """\
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
"""
COMPOSE = """\
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
"""


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity; its stdout."""
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def make_team_repo(repo: Path, *, init_git: bool = True) -> Path:
    """journeys/team-a/returns.yaml imports ../shared/retail.yaml; team-b/bank.yaml stands
    alone; .github/workflows/ci.yml and docker-compose.yml are not journeys."""
    journeys = repo / "journeys"
    (journeys / "shared").mkdir(parents=True)
    (journeys / "team-a").mkdir()
    (journeys / "team-b").mkdir()
    (journeys / "shared" / "retail.yaml").write_bytes(
        (EXAMPLES / "shared" / "retail.yaml").read_bytes()
    )
    returns = (EXAMPLES / "retail-returns-current.yaml").read_text(encoding="utf-8")
    assert "imports: [shared/retail.yaml]" in returns
    (journeys / "team-a" / "returns.yaml").write_text(
        returns.replace("imports: [shared/retail.yaml]", "imports: [../shared/retail.yaml]"),
        encoding="utf-8",
    )
    (journeys / "team-b" / "bank.yaml").write_bytes((EXAMPLES / "bank.yaml").read_bytes())
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW, encoding="utf-8")
    (repo / "docker-compose.yml").write_text(COMPOSE, encoding="utf-8")
    if init_git:
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", "journeys")
    return repo
