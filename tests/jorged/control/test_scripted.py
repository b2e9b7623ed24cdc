"""`jorgectl test`: scripted conversations against the engine, without a daemon."""

from __future__ import annotations

from pathlib import Path

import pytest

from jorged.config import Config
from jorged.control import cli
from jorged.control.scripted import load_script, run_script

ROOT = Path(__file__).resolve().parents[3]
CONVERSATIONS = sorted((ROOT / "tests" / "conversations").glob("**/*.toml"))


def test_the_project_has_conversations() -> None:
    assert len(CONVERSATIONS) >= 5


@pytest.mark.parametrize(
    "path", CONVERSATIONS, ids=[str(p.relative_to(ROOT)) for p in CONVERSATIONS]
)
def test_conversation(path: Path) -> None:
    """Every scripted conversation of the project holds, turn by turn."""
    script = load_script(path)
    failed = [
        f"turn {r.index} {r.seller!r} -> {r.replies!r}: {f}"
        for r in run_script(script, Config().seller)
        for f in r.failures
    ]
    assert not failed, "\n".join(failed)


def write(tmp_path: Path, text: str, name: str = "chat.toml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_a_failing_turn_exits_1_naming_turn_and_expectation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        '[[turn]]\nseller = "moving to boise for my wifes job"\n'
        'expect.stage = "q_timeline"\n'
        '[[turn]]\nseller = "no problem at all"\n'
        "expect.slots = { timeline_ok = false }\n",
    )
    assert cli.main(["test", path]) == 1
    out = capsys.readouterr().out
    assert "ok   turn 1" in out
    assert "FAIL turn 2" in out
    assert f"{path}: turn 2: expect.slots.timeline_ok: wanted False, got True" in out


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[[turn]]\nseller = "hi"\nexpect.stagez = "new"\n', "turn 1: expect.stagez"),
        (
            '[[turn]]\nseller = "hi"\n[[turn]]\nseller = "x"\nexpect.acts = ["nope"]\n',
            "turn 2: expect.acts: unknown act 'nope'",
        ),
        (
            '[[turn]]\nseller = "hi"\nexpect.slots = { colour = "red" }\n',
            "turn 1: expect.slots.colour: unknown",
        ),
        ('[[turn]]\nexpect.stage = "new"\n', "turn 1: seller: must be a text"),
        ('name = "x"\n', "turn: needs at least one [[turn]]"),
        ("[[turn]\n", "file: not valid TOML"),
        (
            '[config]\ntone = "shouty"\n[[turn]]\nseller = "hi"\n',
            "seller.tone: must be one of 'direct', 'friendly'",
        ),
    ],
)
def test_a_bad_file_exits_2_naming_file_turn_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, named: str
) -> None:
    path = write(tmp_path, text)
    assert cli.main(["test", path]) == 2
    out = capsys.readouterr().out
    assert path in out
    assert named in out
    assert "Traceback" not in out


def test_config_overrides_and_the_config_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`[config]` and `--config` change the words the conversation is checked on."""
    friendly = write(
        tmp_path,
        '[config]\ntone = "friendly"\n[[turn]]\nseller = "who is this"\n'
        'expect.reply_contains = ["Hi! It\'s Jorge"]\n',
    )
    assert cli.main(["test", friendly]) == 0
    config = tmp_path / "jorged.toml"
    config.write_text('[seller.answers]\nwho = "Ana here, from Casa Realty."\n')
    plain = write(
        tmp_path,
        '[[turn]]\nseller = "who is this"\n'
        'expect.reply_contains = ["Ana here, from Casa Realty."]\n',
        "who.toml",
    )
    assert cli.main(["test", plain]) == 1
    assert cli.main(["test", "--config", str(config), plain]) == 0
    capsys.readouterr()


def test_the_readme_example_passes(tmp_path: Path) -> None:
    """The example of the README is a script that holds as written."""
    readme = (ROOT / "README.md").read_text()
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    assert "[[turn]]" in example
    assert cli.main(["test", write(tmp_path, example)]) == 0
