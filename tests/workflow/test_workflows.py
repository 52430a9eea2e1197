"""The GitHub workflow files: schema-valid, least privilege, pinned actions, only real commands."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.cli import commands

WORKFLOWS = sorted((Path(__file__).resolve().parents[2] / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_the_workflows_run_real_commands():
    """Both workflows exist and every ``python -m generator X`` they run is a command we ship."""
    import re

    from generator.cli import commands

    assert [p.name for p in WORKFLOWS] == ["publish.yml", "pull-request.yml"]
    used = {
        p.name: set(re.findall(r"python -m generator ([a-z-]+)", p.read_text(encoding="utf-8")))
        for p in WORKFLOWS
    }
    assert all(used.values()) and set().union(*used.values()) <= set(commands())
    assert {"validate", "append-check", "codeowners"} <= used["pull-request.yml"]
    assert {"accept", "draw", "verify", "build"} <= used["publish.yml"]


def test_schema_valid_with_vendored_schema():
    exe = shutil.which("check-jsonschema")
    assert exe, "check-jsonschema is a test dependency"
    proc = subprocess.run(
        [exe, "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_check_really_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    steps: [{run: echo}]\n", encoding="utf-8")
    proc = subprocess.run(
        [shutil.which("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "runs-on" in proc.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(path):
    wf = load(path)
    assert wf["permissions"] == {"contents": "read"}
    for name, job in wf["jobs"].items():
        perms = job.get("permissions")
        assert perms is not None, f"{name}: every job states its permissions"
        writes = sorted(k for k, v in perms.items() if v == "write")
        if "pull_request" in wf["on"] or "pull_request_target" in wf["on"]:
            assert writes == [], f"{name}: pull request runs never write"
        elif writes:
            assert (name, writes) in [("registry", ["contents"]), ("deploy", ["id-token", "pages"])], name


def test_deploy_job_conventions():
    wf = load(next(p for p in WORKFLOWS if p.name == "publish.yml"))
    deploy = wf["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert "pull_request" not in wf["on"]
    assert wf["concurrency"]["cancel-in-progress"] is False
    uses = [s.get("uses", "") for s in deploy["steps"]]
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    build_uses = [s.get("uses", "") for s in wf["jobs"]["build"]["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in build_uses)


def test_pull_request_cancels_superseded_runs():
    wf = load(next(p for p in WORKFLOWS if p.name == "pull-request.yml"))
    assert wf["concurrency"]["cancel-in-progress"] is True


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_to_commit_with_version_comment(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.search(r"\buses:", line)]
    assert lines
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_only_call_existing_commands(path):
    text = path.read_text(encoding="utf-8")
    called = set(re.findall(r"python -m generator ([a-z][a-z-]*)", text))
    assert called, "the logic lives in python -m generator commands"
    assert called <= set(commands()), called - set(commands())
