"""Every logger ends in one stream, masked, with journald priorities under systemd."""

from __future__ import annotations

import io
import json
import logging
import os
import tempfile
from collections.abc import Iterator

import pytest
import structlog

from jorged import log as log_mod


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    config = structlog.get_config()
    yield
    for h in list(root.handlers):
        root.removeHandler(h)
    for h in handlers:
        root.addHandler(h)
    root.setLevel(level)
    structlog.configure(**config)


def _lines(stream: io.TextIOBase) -> list[str]:
    stream.seek(0)
    return [line for line in stream.read().splitlines() if line]


def test_library_loggers_are_json_and_masked() -> None:
    with tempfile.TemporaryFile("w+") as out:
        log_mod.configure(level="info", fmt="json", stream=out)
        logging.getLogger("httpx").warning("call to +1 (909) 555-0142 failed for a@b.example")
        logging.getLogger("uvicorn.error").info("below warning: not shown")
        structlog.get_logger().info("ours", phone="9095550142")
        out.flush()
        lines = [json.loads(line) for line in _lines(out)]
    assert len(lines) == 2
    lib, ours = lines
    assert lib["logger"] == "httpx"
    assert lib["level"] == "warning"
    assert lib["event"] == "call to ***-***-0142 failed for a***@b.example"
    assert ours["phone"] == "***-***-0142"


def test_library_exception_keeps_its_traceback() -> None:
    with tempfile.TemporaryFile("w+") as out:
        log_mod.configure(fmt="json", stream=out)
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("nicegui").exception("page failed")
        out.flush()
        (line,) = [json.loads(x) for x in _lines(out)]
    assert line["level"] == "error"
    assert line["exception"][0]["exc_type"] == "ValueError"


def test_journald_priorities_when_stderr_is_the_journal_stream(monkeypatch) -> None:
    with tempfile.TemporaryFile("w+") as out:
        st = os.fstat(out.fileno())
        monkeypatch.setenv("JOURNAL_STREAM", f"{st.st_dev}:{st.st_ino}")
        log_mod.configure(level="debug", fmt="json", stream=out)
        structlog.get_logger().error("bad")
        structlog.get_logger().info("fine")
        structlog.get_logger().debug("detail")
        logging.getLogger("redis").warning("slow")
        logging.getLogger("uvicorn").critical("gone")
        out.flush()
        lines = _lines(out)
    assert [line[:3] for line in lines] == ["<3>", "<6>", "<7>", "<4>", "<2>"]
    assert json.loads(lines[0][3:])["event"] == "bad"


def test_no_priority_prefix_for_another_stream(monkeypatch) -> None:
    monkeypatch.setenv("JOURNAL_STREAM", "1:2")
    with tempfile.TemporaryFile("w+") as out:
        log_mod.configure(fmt="json", stream=out)
        structlog.get_logger().error("bad")
        out.flush()
        (line,) = _lines(out)
    assert json.loads(line)["event"] == "bad"


def test_console_lines_on_a_terminal() -> None:
    primary, secondary = os.openpty()
    try:
        with os.fdopen(secondary, "w", closefd=True) as tty:
            log_mod.configure(fmt="auto", stream=tty)
            logging.getLogger("uvicorn.error").warning("port busy")
            tty.flush()
            text = os.read(primary, 4096).decode()
    finally:
        os.close(primary)
    assert "port busy" in text
    assert "[uvicorn.error]" in text or "uvicorn.error" in text
    assert not text.lstrip().startswith("{")
