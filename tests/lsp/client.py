"""A minimal LSP client over a subprocess's stdio, as an editor drives a server.

JSON-RPC with ``Content-Length`` framing; a reader thread files responses by id and
notifications by method, so a test can wait for "the next publishDiagnostics".
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

TIMEOUT = 60.0


class LspClient:
    def __init__(self, command: Sequence[str], cwd: str) -> None:
        self.process = subprocess.Popen(
            list(command), cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self._next_id = 0
        self._responses: dict[int, queue.Queue[dict[str, Any]]] = defaultdict(queue.Queue)
        self._notifications: dict[str, queue.Queue[dict[str, Any]]] = defaultdict(queue.Queue)
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # -- sending --------------------------------------------------------------------------------
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params: Any) -> Any:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        response = self._responses[ident].get(timeout=TIMEOUT)
        assert "error" not in response, response
        return response.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def next_notification(self, method: str) -> dict[str, Any]:
        return self._notifications[method].get(timeout=TIMEOUT)["params"]

    # -- receiving ------------------------------------------------------------------------------
    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            if length is None:
                continue
            message = json.loads(stream.read(length))
            if "id" in message and "method" not in message:
                self._responses[message["id"]].put(message)
            elif "method" in message:
                if "id" in message:  # a request from the server (e.g. registerCapability): accept it
                    self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                self._notifications[message["method"]].put(message)

    def close(self) -> int:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            return self.process.wait(timeout=TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
