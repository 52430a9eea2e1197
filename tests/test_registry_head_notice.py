"""What the citizen's verifiers tell a citizen to compare the proof's head with (protocol §9.3).

A bundle's inclusion path now ends at the last log line of the draw's year, so for every draw of a
past year its ``head`` is the hash of that line, never the head on 如何核验 nor one a citizen
archived later. verify_draw.py and the browser's verify-messages.js still said "confirm the head on
如何核验 or your archived head is the same (or that line n of registry/log.jsonl hashes to it)":
the first is false for an honest closed-year bundle, and the log is published as draws/log.jsonl
(no registry/ folder). A citizen following them concluded an honest draw "只对应一本别人没有见过
的登记簿". Both now name the published file and the chain from line n to the current head.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from generator.registry import log
from generator.site import draws

ROOT = Path(__file__).resolve().parents[1]
VERIFY = ROOT / "site_templates" / "verify" / "verify_draw.py"
MESSAGES = ROOT / "site_templates" / "theme" / "assets" / "verify-messages.js"


def _verify_draw():
    spec = importlib.util.spec_from_file_location("verify_draw", VERIFY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _closed_year_path():
    text = log.append("", {"event": "accepted", "at": "2025-12-30T09:00:00Z"})
    text = log.append(text, {"event": "entropy", "at": "2025-12-31T09:00:00Z"})
    text = log.append(text, {"event": "accepted", "at": "2026-01-05T09:00:00Z"})
    path = log.inclusion(text, 1)
    assert path["head"] != log.head(text)  # the proof ends at 2025's last line
    return path


def test_the_scripts_notice_names_the_published_log_and_the_chain_to_the_current_head(tmp_path):
    published = draws.load_registry_log(tmp_path)["path"]
    notice = _verify_draw().head_notice(_closed_year_path())
    assert published == "draws/log.jsonl" and published in notice, notice
    assert "registry/log.jsonl" not in notice
    assert "第 2 行" in notice and "受理当年" in notice and "prev" in notice, notice


def test_the_browsers_notice_names_the_published_log_too():
    source = MESSAGES.read_text(encoding="utf-8")
    start = source.index("请再核对登记簿头")
    notice = source[start : source.index("不能证明申请已公开登记", start)]
    assert "draws/log.jsonl" in notice and "registry/log.jsonl" not in notice, notice
    assert "受理当年" in notice and "prev" in notice, notice
