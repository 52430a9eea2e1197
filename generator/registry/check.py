"""Verify the registry: each draw on its own (order, recomputation, failures), then the public log.

Every problem is a ``(draw id or file, code, Chinese message)`` line; no error of one draw stops the
others (a missing reveal with rule ``fail``, a malformed file, an engine error: all reported, the
loop goes on, the caller exits 1 at the end).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.draw import DrawError
from generator.registry import log, store
from generator.registry.accept import public_request
from generator.registry.catalog import render
from generator.registry.order import draw_blockers
from generator.registry.run import DrawFiles, read, verify

EVENT_FILE = {"accepted": store.ACCEPTED, "refused": store.REFUSED, "entropy": store.ENTROPY_ACCEPTED}
EVENT_FILE["failed"] = store.FAILED


@dataclass(frozen=True)
class Report:
    where: str
    code: str
    message: str


def verify_draw(files: DrawFiles, verify_beacon: bool = True) -> list[Report]:
    """Problems of one published (drawn or failed) draw; [] if it holds."""
    out = [Report(files.draw_id, p.code, p.message) for p in draw_blockers(files) if files.refused is None]
    if files.result is not None and files.failed is not None:
        out.append(Report(files.draw_id, "REGISTRY_DUPLICATE_FILE", render("REGISTRY_DUPLICATE_FILE")))
    try:
        if files.result is not None:
            for m in verify(files, verify_beacon=verify_beacon):
                out.append(
                    Report(
                        files.draw_id,
                        "REGISTRY_MISMATCH",
                        render(
                            "REGISTRY_MISMATCH",
                            field=m.field,
                            expected=_short(m.expected),
                            found=_short(m.found),
                        ),
                    )
                )
        elif files.failed is not None:
            out += _recheck_failure(files, verify_beacon)
    except DrawError as exc:
        out.append(Report(files.draw_id, exc.code, exc.message))
    except Exception as exc:  # noqa: BLE001 - one draw's crash is reported, the others go on
        out.append(
            Report(
                files.draw_id,
                "REGISTRY_INPUT_INVALID",
                render("REGISTRY_INPUT_INVALID", detail=f"无法核验：{type(exc).__name__}：{exc}"),
            )
        )
    return out


def _recheck_failure(files: DrawFiles, verify_beacon: bool) -> list[Report]:
    """A published failure must be genuine: the engine still fails, with the same code."""
    from generator.registry.run import make_result

    code = files.failed.get("code")
    try:
        make_result(files, files.failed.get("failed_on"), verify_beacon=verify_beacon)
    except DrawError as exc:
        if exc.code == code or code == "REGISTRY_INPUT_INVALID":
            return []
        return [
            Report(
                files.draw_id,
                "REGISTRY_FAILURE_MISMATCH",
                render(
                    "REGISTRY_FAILURE_MISMATCH", detail=f"失败记录的代码为 {code}，重新计算得到 {exc.code}"
                ),
            )
        ]
    except Exception:  # noqa: BLE001 - same boundary as above
        return (
            []
            if code == "REGISTRY_INPUT_INVALID"
            else [
                Report(
                    files.draw_id,
                    "REGISTRY_FAILURE_MISMATCH",
                    render(
                        "REGISTRY_FAILURE_MISMATCH", detail=f"失败记录的代码为 {code}，重新计算时输入无法处理"
                    ),
                )
            ]
        )
    return [
        Report(
            files.draw_id,
            "REGISTRY_FAILURE_MISMATCH",
            render("REGISTRY_FAILURE_MISMATCH", detail=f"记录为失败（{code}），但重新计算可以完成抽取"),
        )
    ]


def log_problems(records, draw_files: dict[str, DrawFiles]) -> list[Report]:
    """The log's chain holds, and it has exactly the events the draw folders record."""
    path = store.log_path(records)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    where = f"draws/{store.LOG}"
    broken = log.check_text(text)
    if broken:
        return [
            Report(
                f"{where}:{n}",
                "REGISTRY_LOG_BROKEN",
                render("REGISTRY_LOG_BROKEN", line=n, detail=msg.rstrip("。")),
            )
            for n, msg in broken
        ]
    logged: dict[tuple[str, str], int] = {}
    out = []
    for entry in log.entries(text):
        key = (str(entry.get("event")), str(entry.get("draw_id")))
        logged[key] = logged.get(key, 0) + 1
        files = draw_files.get(key[1])
        if key[0] == "accepted" and files is not None and "request_digest" in entry:
            now = public_request(files).get("request_digest")
            if now != entry["request_digest"]:
                out.append(
                    Report(
                        key[1],
                        "REGISTRY_LOG_REQUEST_CHANGED",
                        render("REGISTRY_LOG_REQUEST_CHANGED", found=now, logged=entry["request_digest"]),
                    )
                )
    for draw_id, files in sorted(draw_files.items()):
        for event, name in EVENT_FILE.items():
            present = getattr(files, _attr(name)) is not None
            count = logged.pop((event, draw_id), 0)
            if present and count != 1:
                out.append(
                    Report(
                        draw_id,
                        "REGISTRY_LOG_MISSING",
                        render(
                            "REGISTRY_LOG_MISSING",
                            detail=f"{name} 在登记簿日志中应有 1 条“{event}”记录，实有 {count} 条",
                        ),
                    )
                )
            elif not present and count:
                out.append(
                    Report(
                        draw_id,
                        "REGISTRY_LOG_MISSING",
                        render(
                            "REGISTRY_LOG_MISSING", detail=f"登记簿日志记有“{event}”，但抽取目录中没有 {name}"
                        ),
                    )
                )
    for (event, draw_id), _count in sorted(logged.items()):
        if draw_id not in draw_files:
            out.append(
                Report(
                    where,
                    "REGISTRY_LOG_MISSING",
                    render(
                        "REGISTRY_LOG_MISSING",
                        detail=f"登记簿日志记有 {draw_id} 的“{event}”，但没有该抽取目录",
                    ),
                )
            )
    return out


def _attr(name: str) -> str:
    return {
        store.ACCEPTED: "accepted",
        store.REFUSED: "refused",
        store.ENTROPY_ACCEPTED: "entropy_accepted",
        store.FAILED: "failed",
    }[name]


def read_all(records, ids) -> tuple[dict[str, DrawFiles], list[Report]]:
    out, problems = {}, []
    for draw_id in ids:
        try:
            out[draw_id] = read(records, draw_id)
        except Exception as exc:  # noqa: BLE001 - report and go on with the others
            problems.append(
                Report(
                    draw_id,
                    "REGISTRY_UNREADABLE",
                    render("REGISTRY_UNREADABLE", detail=f"{type(exc).__name__}：{exc}"),
                )
            )
    for stray in store.stray_draw_folders(records):
        rel = stray.relative_to(records).as_posix()
        problems.append(Report(rel, "REGISTRY_FOLDER_MISPLACED", render("REGISTRY_FOLDER_MISPLACED")))
    return out, problems


def _short(value: object, limit: int = 120) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
