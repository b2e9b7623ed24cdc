"""A local fake of Anthropic's Messages API (`POST /v1/messages`) over real HTTP.

It listens on 127.0.0.1 on a free port (a stdlib `ThreadingHTTPServer` in a thread),
so the real `anthropic` SDK talks to it through its real HTTP stack. It checks what
the documented API requires: the API key (in `x-api-key`, or as `Authorization:
Bearer`, which is how the 2.x SDK sends it), an `anthropic-version` date, a JSON body
with `model` (string), `max_tokens` (positive integer) and `messages` (a non-empty
list of `user` / `assistant` turns). A request that breaks a rule gets the API's
error shape (401 `authentication_error` or 400 `invalid_request_error`) and the
problem is kept in `problems`.

Replies are scripted per test, used once each in order: `answer_json`, `answer_text`,
`answer_tool` (a `tool_use` block), `fail` (429 / 500 / 529 ...), `hang` (answers
only when the fake closes, for timeouts). With nothing scripted, `default` answers.
Tool use is checked as documented too: `tools` a list of tools with a `name` and an
object `input_schema`, `tool_choice` one of auto / any / tool (naming a listed
tool) / none, `temperature` between 0 and 1.
"""

from __future__ import annotations

import collections
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs

#: How often the server loop looks for a shutdown request (the stdlib waits 0.5 s).
SHUTDOWN_POLL_S = 0.01
API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@attrs.frozen(kw_only=True)
class Reply:
    """One scripted answer: a text block with usage, an error status, or a hang."""

    status: int = 200
    text: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    stop_reason: str = "end_turn"
    hang: bool = False
    tool_input: dict[str, Any] | None = None  # answer with a tool_use block
    headers: tuple[tuple[str, str], ...] = ()


@attrs.frozen(kw_only=True)
class SeenRequest:
    """A request the fake received: its headers (lower-cased names) and JSON body."""

    headers: dict[str, str]
    body: dict[str, Any]


@attrs.define(eq=False)
class FakeAnthropic:
    """The fake server; use `open_fake_anthropic()` to run one."""

    api_key: str
    default: Reply
    requests: list[SeenRequest] = attrs.field(factory=list)
    problems: list[str] = attrs.field(factory=list)
    _script: collections.deque[Reply] = attrs.field(factory=collections.deque)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)
    _release: threading.Event = attrs.field(factory=threading.Event)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer_json(
        self, answer: object, *, input_tokens: int = 100, output_tokens: int = 20
    ) -> None:
        """Answer the next request with `answer` as JSON text."""
        self.script(
            Reply(
                text=json.dumps(answer),
                input_tokens=input_tokens,
                output_tokens=output_tokens,
            )
        )

    def answer_text(
        self, text: str, *, input_tokens: int = 100, output_tokens: int = 20
    ) -> None:
        """Answer the next request with `text` as is (malformed JSON, prose...)."""
        self.script(
            Reply(text=text, input_tokens=input_tokens, output_tokens=output_tokens)
        )

    def answer_tool(
        self, tool_input: dict[str, Any], *, input_tokens: int = 300, output_tokens: int = 60
    ) -> None:
        """Answer the next request by calling its forced tool with `tool_input`."""
        self.script(
            Reply(
                tool_input=tool_input,
                stop_reason="tool_use",
                input_tokens=input_tokens,
                output_tokens=output_tokens,
            )
        )

    def fail(self, status: int, *, retry_after_ms: int | None = None) -> None:
        """Answer the next request with an API error of `status`."""
        headers = () if retry_after_ms is None else (("retry-after-ms", str(retry_after_ms)),)
        self.script(Reply(status=status, headers=headers))

    def hang(self) -> None:
        """Hold the next request unanswered until the fake closes."""
        self.script(Reply(hang=True))

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def _next_reply(self, request: SeenRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            return self._script.popleft() if self._script else self.default

    def _problem(self, problem: str) -> str:
        with self._lock:
            self.problems.append(problem)
        return problem

    def check(self, headers: dict[str, str], body: object) -> tuple[int, str] | None:
        """The status and message for a request that breaks the API's rules."""
        bearer = headers.get("authorization", "").removeprefix("Bearer ")
        if self.api_key not in {headers.get("x-api-key"), bearer}:
            return 401, self._problem("invalid x-api-key")
        if not API_VERSION.match(headers.get("anthropic-version", "")):
            return 400, self._problem("anthropic-version: header is required")
        if not headers.get("content-type", "").startswith("application/json"):
            return 400, self._problem("content-type: must be application/json")
        if not isinstance(body, dict):
            return 400, self._problem("body: must be a JSON object")
        problem = _body_problem(body)
        return None if problem is None else (400, self._problem(problem))


def _body_problem(body: dict[str, Any]) -> str | None:
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "model: Field required"
    max_tokens = body.get("max_tokens")
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
        return "max_tokens: must be a positive integer"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: must be a non-empty list"
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in {
            "user",
            "assistant",
        }:
            return f"messages.{i}.role: must be 'user' or 'assistant'"
        if not isinstance(message.get("content"), str | list):
            return f"messages.{i}.content: must be a string or a list of blocks"
    if messages[0]["role"] != "user":
        return "messages.0.role: the first message must use the 'user' role"
    if "system" in body and not isinstance(body["system"], str | list):
        return "system: must be a string or a list of blocks"
    return _tools_problem(body)


def _tools_problem(body: dict[str, Any]) -> str | None:
    temperature = body.get("temperature", 1.0)
    if isinstance(temperature, bool) or not isinstance(temperature, int | float):
        return "temperature: must be a number"
    if not 0 <= temperature <= 1:
        return "temperature: must be between 0 and 1"
    tools = body.get("tools", [])
    if not isinstance(tools, list):
        return "tools: must be a list"
    names = []
    for i, tool in enumerate(tools):
        if not isinstance(tool, dict) or not isinstance(tool.get("name"), str):
            return f"tools.{i}.name: Field required"
        schema = tool.get("input_schema")
        if not isinstance(schema, dict) or schema.get("type") != "object":
            return f"tools.{i}.input_schema: must be a JSON schema of type object"
        names.append(tool["name"])
    choice = body.get("tool_choice")
    if choice is None:
        return None
    if not isinstance(choice, dict) or choice.get("type") not in {"auto", "any", "tool", "none"}:
        return "tool_choice.type: must be one of auto, any, tool, none"
    if choice["type"] == "tool" and choice.get("name") not in names:
        return "tool_choice.name: must name one of the tools"
    return None


def _handler(fake: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Keep test output quiet."""

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            if self.path.split("?")[0] != "/v1/messages":
                self._send(404, _error(404, f"no route {self.path}"))
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(400, _error(400, fake._problem("body: not valid JSON")))
                return
            bad = fake.check(headers, body)
            if bad is not None:
                self._send(bad[0], _error(*bad))
                return
            reply = fake._next_reply(SeenRequest(headers=headers, body=body))
            if reply.hang:
                fake._release.wait()
                self.close_connection = True
                return
            if reply.status != 200:
                self._send(reply.status, _error(reply.status, "scripted error"), reply.headers)
                return
            tool = (body.get("tool_choice") or {}).get("name")
            message = _message(body["model"], reply, len(fake.requests), tool)
            self._send(200, message, reply.headers)

        def _send(
            self,
            status: int,
            payload: dict[str, Any],
            headers: tuple[tuple[str, str], ...] = (),
        ) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("request-id", f"req_fake_{len(fake.requests)}")
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


def _message(model: str, reply: Reply, n: int, tool: str | None = None) -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "text", "text": reply.text}]
    if reply.tool_input is not None:
        content = [
            {
                "type": "tool_use",
                "id": f"toolu_fake_{n}",
                "name": tool or "tool",
                "input": reply.tool_input,
            }
        ]
    return {
        "id": f"msg_fake_{n}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": reply.stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": reply.input_tokens,
            "output_tokens": reply.output_tokens,
        },
    }


def _error(status: int, message: str) -> dict[str, Any]:
    kind = ERROR_TYPES.get(status, "api_error")
    return {"type": "error", "error": {"type": kind, "message": message}}


@contextmanager
def open_fake_anthropic(
    api_key: str = "test-key", default: Reply | None = None
) -> Iterator[FakeAnthropic]:
    """Run a fake Messages API on a free 127.0.0.1 port for the `with` block."""
    fake = FakeAnthropic(
        api_key=api_key,
        default=default or Reply(text="{}", input_tokens=10, output_tokens=2),
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake._server = server
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": SHUTDOWN_POLL_S},
        name="fake-anthropic",
    )
    thread.start()
    try:
        yield fake
    finally:
        fake._release.set()
        server.shutdown()
        thread.join()
        server.server_close()
