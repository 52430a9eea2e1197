"""append-check against the registry attacks of issue 11 (point 8): CI-only files, the log, folders."""

from __future__ import annotations

import pytest

from tests.workflow.gitutil import commit, make_repo
from tests.workflow.test_append_check import BASE, DRAW1, codes, request, run_check

LOG = "records/draws/log.jsonl"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("result.yaml", "DRAW_CI_FILE_BY_PR"),
        ("failed.yaml", "DRAW_CI_FILE_BY_PR"),
        ("refused.yaml", "DRAW_CI_FILE_BY_PR"),
        ("entropy-accepted.yaml", "DRAW_CI_FILE_BY_PR"),
        ("accepted.yaml", "DRAW_REQUEST_PREACCEPTED"),
    ],
)
def test_a_pull_request_cannot_add_files_only_ci_writes(tmp_path, capsys, name, code):
    # Attack: a PR adds result.yaml to a pending draw, after which CI would never draw it.
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"{DRAW1}/{name}": "id: D2026-0001\n"})
    result, out = run_check(repo, capsys)
    assert result == 1 and codes(out) == [code] and f"{DRAW1}/{name}" in out


def test_a_pull_request_cannot_write_the_drand_beacon(tmp_path, capsys):
    # Attack: entropy.drand for a wrong round, written by hand instead of fetched and verified by CI.
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"{DRAW1}/entropy.yaml": "id: D2026-0001\ndrand: {round: 123, signature: ab}\n"})
    result, out = run_check(repo, capsys)
    assert result == 1 and codes(out) == ["DRAW_ENTROPY_DRAND_BY_PR"]


@pytest.mark.parametrize("folder", ["records/draws/2025/D2026-0001", "records/draws/２０２６/D2026-0009"])
def test_a_result_in_another_year_or_a_full_width_year_is_refused(tmp_path, capsys, folder):
    # Attack: a second result.yaml under draws/<other year>/<id>/ (or a full-width year) for the same id.
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"{folder}/request.yaml": request(2, folder.rsplit("/", 1)[1])})
    result, out = run_check(repo, capsys)
    assert result == 1 and "REGISTRY_FOLDER_MISPLACED" in codes(out)


@pytest.mark.parametrize("change", ["edit", "append", "delete"])
def test_the_registry_log_is_ci_only(tmp_path, capsys, change):
    line = '{"draw_id":"D2026-0001","event":"accepted","prev":"' + "0" * 64 + '"}\n'
    repo = make_repo(tmp_path, BASE | {LOG: line})
    new = {"edit": line.replace("accepted", "refused"), "append": line + line, "delete": None}[change]
    commit(repo, {LOG: new})
    result, out = run_check(repo, capsys)
    assert result == 1 and codes(out) == ["DRAW_LOG_EDITED"]
