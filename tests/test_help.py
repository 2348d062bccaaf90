"""Every subcommand's --help: a purpose, every option explained, examples that parse."""

from __future__ import annotations

import argparse
import shlex

import pytest

from journeymap.commands.cli import COMMANDS, build_parser


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_explains_every_option_and_gives_examples(name: str) -> None:
    command = _subparsers()[name]
    assert command.description and command.description.endswith(".")
    for action in command._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{name} {action.option_strings or action.dest} has no help"
        if action.choices is not None and action.option_strings:
            assert action.metavar, f"{name} {action.option_strings} shows raw choices"
    examples = [
        line.split("  ")[1].strip() if line.startswith("  ") else ""
        for line in (command.epilog or "").splitlines()[1:]
    ]
    examples = [e for e in examples if e.startswith("journeymap ")]
    assert 2 <= len(examples) <= 3, name
    for example in examples:  # each example is a valid command line
        argv = shlex.split(example)[1:]
        build_parser().parse_args(argv[: argv.index(">")] if ">" in argv else argv)


def test_render_and_curve_agree_about_output() -> None:
    parsers = _subparsers()
    for name in ("render", "curve", "cards"):
        (output,) = [a for a in parsers[name]._actions if "-o" in a.option_strings]
        assert output.metavar == "OUT" and not output.required and output.default is None
        assert "required unless journeymap.yaml sets 'output:'" in output.help
