"""A local drand relay on 127.0.0.1 (random port, in a thread) that replays recorded quicknet beacons.

One server plays several relays, selected by the first path segment:
``/good`` answers honestly, ``/slow`` sleeps past the client's timeout, ``/bad`` returns round 1000's
signature for every round (a lying relay), ``/err`` answers 500, ``/flaky`` answers 500 on the first
request for a path and honestly afterwards, ``/empty`` knows no rounds (404).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = json.loads((Path(__file__).parent / "fixtures" / "quicknet_beacons.json").read_text(encoding="utf-8"))
CHAIN = DATA["chain_hash"]
BEACONS = {b["round"]: b for b in DATA["beacons"]}
LATEST = max(BEACONS)


class RelayServer:
    def __init__(self, slow_seconds: float = 1.5):
        self.hits: Counter = Counter()
        self.slow_seconds = slow_seconds
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):
                outer.hits[self.path] += 1
                mode, _, rest = self.path.lstrip("/").partition("/")
                parts = rest.split("/")
                if len(parts) != 3 or parts[0] != CHAIN or parts[1] != "public":
                    return self._send(404, {"error": "not found"})
                if mode == "slow":
                    time.sleep(outer.slow_seconds)
                if mode == "err" or (mode == "flaky" and outer.hits[self.path] == 1):
                    return self._send(500, {"error": "internal"})
                if mode == "empty":
                    return self._send(404, {"error": "no beacon"})
                wanted = LATEST if parts[2] == "latest" else int(parts[2])
                if wanted not in BEACONS:
                    return self._send(425, {"error": "round in the future"})
                beacon = dict(BEACONS[wanted])
                if mode == "bad":
                    beacon["signature"] = BEACONS[1000 if wanted != 1000 else 2]["signature"]
                self._send(200, beacon)

            def _send(self, status: int, body: dict):
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, mode: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{mode}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
