"""Verify the registry: each draw on its own (order, recomputation, failures), then the public log.

Every problem is a ``(where, code, Chinese message)`` line, ``where`` being the file at fault and
its line (``draws/2026/D2026-0001/result.yaml:42``, ``draws/log.jsonl:7``), a file that is missing
(``…/accepted.yaml``) or, when no one file is at fault, the draw folder (``…/D2026-0001/``). No error
of one draw stops the others (a missing reveal with rule ``fail``, a malformed file, an engine
error: all reported, the loop goes on, the caller exits 1 at the end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.bounded import FileRefused
from generator.catalog.registry import render
from generator.draw import DrawError
from generator.registry import log, store
from generator.registry.accept import public_request
from generator.registry.order import draw_blockers
from generator.registry.run import DrawFiles, read, verify

EVENT_FILE = {"accepted": store.ACCEPTED, "refused": store.REFUSED, "entropy": store.ENTROPY_ACCEPTED}
EVENT_FILE["failed"] = store.FAILED


@dataclass(frozen=True)
class Report:
    where: str  # file:line, a missing file, or the draw folder (see the module docstring)
    code: str
    message: str
    draw: str = ""  # the draw concerned, if any (verify counts draws, not lines)


def folder_of(records, draw_id: str) -> str:
    """``draws/<year>/<id>/`` relative to the records root (forward slashes)."""
    return store.folder(records, draw_id).relative_to(records).as_posix() + "/"


def at(files: DrawFiles, name: str | None, path: tuple = ()) -> str:
    """Where a problem of ``files`` is: ``name`` at the line of ``path`` if that file was read."""
    folder = f"draws/{files.path.parent.name}/{files.draw_id}/"
    if name is None:
        return folder
    line = files.line_of(name, path)
    return f"{folder}{name}:{line}" if line else f"{folder}{name}"


# The file and field each order rule is about (order.draw_blockers' codes).
_BLOCKER_AT = {
    "REGISTRY_NOT_ACCEPTED": (store.ACCEPTED, ()),
    "REGISTRY_ACCEPTANCE_NO_ROUND": (store.ACCEPTED, ("latest_round",)),
    "REGISTRY_ACCEPTANCE_LATE": (store.ACCEPTED, ("latest_round",)),
    "REGISTRY_ENTROPY_CHANGED": (store.ENTROPY, ("ceremony",)),
    "REGISTRY_ENTROPY_LATE": (store.ENTROPY_ACCEPTED, ("accepted_at",)),
}


def _blocker_at(files: DrawFiles, code: str) -> str:
    if code == "REGISTRY_ENTROPY_NOT_ACCEPTED":
        # no acceptance record: the digits are unproven; an incomplete one: the record is at fault
        name = store.ENTROPY if files.entropy_accepted is None else store.ENTROPY_ACCEPTED
        return at(files, name, ("latest_round",) if files.entropy_accepted is not None else ("ceremony",))
    name, path = _BLOCKER_AT.get(code, (None, ()))
    return at(files, name, path)


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def mismatch_at(files: DrawFiles, field: str) -> str:
    """The file and line a mismatching field lives in (an engine field is under result.yaml's output)."""
    head, _, rest = field.partition(".")
    if field in ("algorithm", "seed", "request_digest", "task"):
        return at(files, store.RESULT, (field,))
    if field == store.POOLS:
        return at(files, store.POOLS)
    if head == "entropy":
        return at(files, store.ENTROPY, _steps(rest))
    if head == "pool_digests":  # the frozen pools no longer have the digests the request pinned
        return at(files, store.POOLS)
    if field in ("draw", "result"):
        return at(files, store.RESULT if field == "result" else None, ("output",))
    return at(files, store.RESULT, ("output", *_steps(field)))


def _steps(field: str) -> tuple:
    return tuple(int(index) if index else key for key, index in _STEP.findall(field) if key != "length")


def unreadable(records, draw_id: str, exc: BaseException) -> Report:
    """A file that cannot be read: at its own line when the reader names one."""
    found = getattr(exc, "finding", None)
    where = folder_of(records, draw_id)
    if found is not None:
        try:
            shown = Path(found.file).relative_to(records).as_posix()
        except ValueError:
            shown = found.file
        where = f"{shown}:{found.line}" if found.line else shown
    elif isinstance(exc, OSError) and exc.filename:
        try:
            where = Path(exc.filename).relative_to(records).as_posix()
        except ValueError:
            pass
    detail = f"{type(exc).__name__}：{exc}" if found is None else f"{found.code}：{found.message}"
    return Report(where, "REGISTRY_UNREADABLE", render("REGISTRY_UNREADABLE", detail=detail), draw_id)


def verify_draw(files: DrawFiles, verify_beacon: bool = True) -> list[Report]:
    """Problems of one published (drawn or failed) draw; [] if it holds."""
    d = files.draw_id
    try:
        out = [Report(_blocker_at(files, p.code), p.code, p.message, d) for p in draw_blockers(files)]
    except Exception as exc:  # noqa: BLE001 - a request committed past the checks stops this draw only
        out = [_request_invalid(files, "无法核验抽取顺序", exc)]
    if files.has_result and files.failed is not None:
        out.append(
            Report(at(files, store.FAILED), "REGISTRY_DUPLICATE_FILE", render("REGISTRY_DUPLICATE_FILE"), d)
        )
    try:
        if files.has_result:
            for m in verify(files, verify_beacon=verify_beacon):
                out.append(
                    Report(
                        mismatch_at(files, m.field),
                        "REGISTRY_MISMATCH",
                        render(
                            "REGISTRY_MISMATCH",
                            field=m.field,
                            expected=_short(m.expected),
                            found=_short(m.found),
                        ),
                        d,
                    )
                )
        elif files.failed is not None:
            out += _recheck_failure(files, verify_beacon)
    except DrawError as exc:
        from generator.draw.engine import error_field

        out.append(Report(mismatch_at(files, error_field(exc)), exc.code, exc.message, d))
    except (FileRefused, OSError) as exc:  # a deferred file (pools, result) that cannot be read
        out.append(unreadable(files.path.parents[2], d, exc))
    except Exception as exc:  # noqa: BLE001 - one draw's crash is reported, the others go on
        out.append(
            Report(
                at(files, None),
                "REGISTRY_INPUT_INVALID",
                render("REGISTRY_INPUT_INVALID", detail=f"无法核验：{type(exc).__name__}：{exc}"),
                d,
            )
        )
    return out


def _request_invalid(files: DrawFiles, what: str, exc: Exception) -> Report:
    """A request.yaml the registry cannot read as a request (only a file committed past validate and
    the append check can be one): reported at that file, so every other draw is still verified."""
    detail = f"request.yaml 的结构{what}：{type(exc).__name__}：{exc}；已登记的申请只能从 Git 历史恢复"
    message = render("REGISTRY_UNREADABLE", detail=detail)
    return Report(at(files, store.REQUEST), "REGISTRY_UNREADABLE", message, files.draw_id)


def _recheck_failure(files: DrawFiles, verify_beacon: bool) -> list[Report]:
    """A published failure must be genuine: the engine still fails, with the same code."""
    from generator.registry.run import make_result

    code = files.failed.get("code")
    where, d = at(files, store.FAILED, ("code",)), files.draw_id
    files.load_pools()  # unreadable pools are reported as such, not as a changed failure
    try:
        make_result(files, files.failed.get("failed_on"), verify_beacon=verify_beacon)
    except DrawError as exc:
        if exc.code == code or code == "REGISTRY_INPUT_INVALID":
            return []
        return [
            Report(
                where,
                "REGISTRY_FAILURE_MISMATCH",
                render(
                    "REGISTRY_FAILURE_MISMATCH", detail=f"失败记录的代码为 {code}，重新计算得到 {exc.code}"
                ),
                d,
            )
        ]
    except Exception:  # noqa: BLE001 - same boundary as above
        return (
            []
            if code == "REGISTRY_INPUT_INVALID"
            else [
                Report(
                    where,
                    "REGISTRY_FAILURE_MISMATCH",
                    render(
                        "REGISTRY_FAILURE_MISMATCH", detail=f"失败记录的代码为 {code}，重新计算时输入无法处理"
                    ),
                    d,
                )
            ]
        )
    return [
        Report(
            where,
            "REGISTRY_FAILURE_MISMATCH",
            render("REGISTRY_FAILURE_MISMATCH", detail=f"记录为失败（{code}），但重新计算可以完成抽取"),
            d,
        )
    ]


def log_problems(records, draw_files: dict[str, DrawFiles], only: set[str] | None = None) -> list[Report]:
    """The log's chain holds, and it has exactly the events the draw folders record; with ``only``,
    the events of those draws alone (``verify --draw``: other draws' folders are not read)."""
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
    logged: dict[tuple[str, str], list[int]] = {}
    out = []
    for number, entry in enumerate(log.entries(text), start=1):
        key = (str(entry.get("event")), str(entry.get("draw_id")))
        if only is not None and key[1] not in only:
            continue
        logged.setdefault(key, []).append(number)
        files = draw_files.get(key[1])
        if key[0] == "accepted" and files is not None and "request_digest" in entry:
            try:
                now = public_request(files).get("request_digest")
            except Exception as exc:  # noqa: BLE001 - one unreadable request, not the whole log check
                out.append(_request_invalid(files, "无法与登记簿日志核对", exc))
                continue
            if now != entry["request_digest"]:
                out.append(
                    Report(
                        at(files, store.REQUEST),
                        "REGISTRY_LOG_REQUEST_CHANGED",
                        render("REGISTRY_LOG_REQUEST_CHANGED", found=now, logged=entry["request_digest"]),
                        key[1],
                    )
                )
    for draw_id, files in sorted(draw_files.items()):
        for event, name in EVENT_FILE.items():
            present = getattr(files, _attr(name)) is not None
            lines = logged.pop((event, draw_id), [])
            if present and len(lines) != 1:
                out.append(
                    Report(
                        at(files, name) if not lines else f"{where}:{lines[1]}",
                        "REGISTRY_LOG_MISSING",
                        render(
                            "REGISTRY_LOG_MISSING",
                            detail=f"{name} 在登记簿日志中应有 1 条“{event}”记录，实有 {len(lines)} 条",
                        ),
                        draw_id,
                    )
                )
            elif not present and lines:
                out.append(
                    Report(
                        f"{where}:{lines[0]}",
                        "REGISTRY_LOG_MISSING",
                        render(
                            "REGISTRY_LOG_MISSING", detail=f"登记簿日志记有“{event}”，但抽取目录中没有 {name}"
                        ),
                        draw_id,
                    )
                )
    for (event, draw_id), lines in sorted(logged.items()):
        if draw_id not in draw_files:
            out.append(
                Report(
                    f"{where}:{lines[0]}",
                    "REGISTRY_LOG_MISSING",
                    render(
                        "REGISTRY_LOG_MISSING",
                        detail=f"登记簿日志记有 {draw_id} 的“{event}”，但没有该抽取目录",
                    ),
                    draw_id,
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


def read_all(records, ids, defer: bool = False) -> tuple[dict[str, DrawFiles], list[Report]]:
    """The draws ``ids`` (``defer``: pools and results wait until verified, see ``run.read``), and
    every misplaced draw folder — only those named like one of ``ids`` when ``ids`` is a choice."""
    out, problems = {}, []
    for draw_id in ids:
        try:
            out[draw_id] = read(records, draw_id, defer=defer)
        except Exception as exc:  # noqa: BLE001 - report and go on with the others
            problems.append(unreadable(records, draw_id, exc))
    chosen = set(ids)
    everything = set(store.all_draw_ids(records)) <= chosen
    for stray in store.stray_draw_folders(records):
        if everything or stray.name in chosen:
            rel = stray.relative_to(records).as_posix() + "/"
            problems.append(Report(rel, "REGISTRY_FOLDER_MISPLACED", render("REGISTRY_FOLDER_MISPLACED")))
    return out, problems


def _short(value: object, limit: int = 120) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
