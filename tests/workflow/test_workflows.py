"""The CI files of every forge: schema-valid, least privilege, thin, trusted where it matters.

GitHub and Gitea/Forgejo workflows are checked against the GitHub workflow schema (Gitea and
Forgejo read that syntax) plus our own checks of the differences; .gitlab-ci.yml against GitLab's
schema. Every ``python -m generator …`` command they call must exist, down to ``ci`` subcommands.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import commands
from generator.cli.ci_steps import subcommands

ROOT = Path(__file__).resolve().parents[2]
GITHUB = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
GITEA = sorted((ROOT / ".gitea" / "workflows").glob("*.yml"))
FORGEJO = sorted((ROOT / ".forgejo" / "workflows").glob("*.yml"))
ACTIONS = GITHUB + GITEA + FORGEJO
GITLAB = ROOT / ".gitlab-ci.yml"
ALL = [*ACTIONS, GITLAB]
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def commands_called(text: str) -> list[list[str]]:
    """Every `python -m generator …` command line in a CI file, as argument lists."""
    return [shlex.split(m) for m in re.findall(r"python -m generator ([^\n#]*)", text)]


def run_steps(path: Path) -> list[str]:
    if path == GITLAB:
        data = load(path)
        return [line for job in data.values() if isinstance(job, dict) for line in job.get("script", [])]
    return [s["run"] for job in load(path)["jobs"].values() for s in job["steps"] if "run" in s]


def schema_check(schema: str, paths: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_every_forge_has_its_workflows():
    names = {"trusted-checks.yml", "pull-request.yml", "publish.yml", "intake.yml"}
    for files in (GITHUB, GITEA, FORGEJO):
        assert {p.name for p in files} == names
    assert GITLAB.is_file()


def test_actions_workflows_valid_against_github_schema():
    proc = schema_check("vendor.github-workflows", ACTIONS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_gitlab_ci_valid_against_gitlab_schema():
    proc = schema_check("vendor.gitlab-ci", [GITLAB])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_checks_really_reject_broken_files(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    steps: [{run: echo}]\n", encoding="utf-8")
    proc = schema_check("vendor.github-workflows", [broken])
    assert proc.returncode == 1 and "runs-on" in proc.stdout
    bad_gitlab = tmp_path / ".gitlab-ci.yml"
    bad_gitlab.write_text("job:\n  script: echo\n  when: sometimes\n", encoding="utf-8")
    assert schema_check("vendor.gitlab-ci", [bad_gitlab]).returncode == 1


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_every_generator_command_exists_and_parses(path):
    from generator.cli import build_parser

    called = [argv for step in run_steps(path) for argv in commands_called(step)]
    assert called, "the logic lives in python -m generator commands"
    parser = build_parser()
    for argv in called:
        argv = ["VALUE" if "$" in a else a for a in argv]  # forge variables are filled in at run time
        assert argv[0] in commands(), argv
        if argv[0] == "ci":
            assert argv[1] in subcommands(), argv
        parser.parse_args(argv)  # exits (fails the test) on an unknown option


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_every_step_is_one_command(path):
    allowed = ("python -m generator", ".venv/bin/python -m", "bash ", "SKIP_CHROMIUM=1 bash ", "git ", "cd ")
    for step in run_steps(path):
        assert "\n" not in step.strip(), f"{rel(path)}: one command per step: {step!r}"
        assert step.startswith(allowed), f"{rel(path)}: {step!r}"
        assert "&&" not in step and ";" not in step, step


def _pinned_epoch(path: Path) -> dict[str, str | None]:
    """The SOURCE_DATE_EPOCH each pytest command of ``path`` runs with (None: not set)."""
    data = load(path)
    out = {}
    if path == GITLAB:
        top = (data.get("variables") or {}).get("SOURCE_DATE_EPOCH")
        for name, job in data.items():
            for line in job.get("script", []) if isinstance(job, dict) else []:
                if "pytest" in line:
                    out[f"{name}: {line}"] = (job.get("variables") or {}).get("SOURCE_DATE_EPOCH", top)
        return out
    for name, job in data["jobs"].items():
        for step in job["steps"]:
            if "pytest" in step.get("run", ""):
                env = {**(data.get("env") or {}), **(job.get("env") or {}), **(step.get("env") or {})}
                out[f"{name}: {step['run']}"] = env.get("SOURCE_DATE_EPOCH")
    return out


def test_every_forges_tests_read_the_demo_year_as_complete():
    """The bundled sample's records run to December of the demo year: without the date scripts/test.sh
    pins, its December dates are in the future until then, and a pull request's tests failed on the
    sample's own records (red team, dates)."""
    pinned = re.search(
        r"SOURCE_DATE_EPOCH:-(\d+)", (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    )[1]
    runs = {f"{rel(path)} {step}": epoch for path in ALL for step, epoch in _pinned_epoch(path).items()}
    assert runs and all(epoch == pinned for epoch in runs.values()), runs


@pytest.mark.parametrize("path", ACTIONS, ids=rel)
def test_least_privilege_and_no_stored_credentials(path):
    wf = load(path)
    assert wf["permissions"] == {"contents": "read"}
    for name, job in wf["jobs"].items():
        perms = job.get("permissions")
        assert perms is not None, f"{name}: every job states its permissions"
        writes = sorted(k for k, v in perms.items() if v == "write")
        if path.name == "intake.yml":  # the PR branch and its comment; a fork's run cannot write code
            assert writes == (["contents", "pull-requests"] if name == "intake" else ["pull-requests"]), name
        else:
            assert writes in ([], ["id-token", "pages"]), (
                f"{name}: {writes} (the registry pushes with its own key)"
            )
        if writes and path.name != "intake.yml":
            assert name == "deploy" and path.parent.parent.name == ".github"
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, (
                    f"{rel(path)}:{name}: checkout keeps no token"
                )
            secrets = re.findall(r"secrets\.\w+", yaml.safe_dump(step))
            if secrets and "ci site" in step.get("run", ""):
                # the publishing build signs its scan memo (docs/security.md, "The scan memo"): that
                # key only, and only where main's own code builds the site to publish it
                assert path.name == "publish.yml" and secrets == ["secrets.SSJ_CACHE_KEY"], (
                    f"{rel(path)}:{name}: the build step holds the memo's signing key and nothing else"
                )
            elif secrets:
                assert "ci push" in step.get("run", "") or "ci intake" in step.get("run", ""), (
                    f"{rel(path)}:{name}: only the push and intake steps hold a secret"
                )


@pytest.mark.parametrize("path", [p for p in ACTIONS if p.name == "trusted-checks.yml"], ids=rel)
def test_trusted_checks_run_base_code_on_the_pr_as_data(path):
    wf = load(path)
    assert list(wf["on"]) == ["pull_request_target"], "the base branch's workflow file, not the PR's"
    (job,) = wf["jobs"].values()
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert [c["with"]["path"] for c in checkouts] == ["trusted", "pr"]
    assert "ref" not in checkouts[0]["with"], "trusted = the base branch (pull_request_target's default)"
    assert checkouts[1]["with"]["ref"] == "${{ github.event.pull_request.head.sha }}"
    runs = [s for s in job["steps"] if "run" in s]
    assert runs[0]["run"].endswith("bash trusted/scripts/setup.sh")
    check = runs[-1]
    assert check["working-directory"] == "trusted" and "ci checks --tree ../pr" in check["run"]
    assert not any("cache" in s.get("with", {}) for s in job["steps"]), "no cache in a privileged context"


def test_gitlab_trusted_checks_use_the_target_branch_code():
    job = load(GITLAB)["trusted-checks"]
    script = job["script"]
    assert 'git worktree add --detach /tmp/trusted "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"' in script
    assert script.index("cd /tmp/trusted") < script.index(
        '.venv/bin/python -m generator ci checks --tree "$CI_PROJECT_DIR"'
    )
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"


def test_gitlab_deploy_key_only_in_the_push_job():
    data = load(GITLAB)
    jobs = {k: v for k, v in data.items() if isinstance(v, dict) and "script" in v}
    with_env = [k for k, v in jobs.items() if "environment" in v]
    assert with_env == ["push-registry"], "SSJ_DEPLOY_KEY is scoped to environment registry-push"
    assert jobs["registry"]["resource_group"] == jobs["push-registry"]["resource_group"] == "registry"
    assert "--bundle registry.bundle" in " ".join(jobs["registry"]["script"])
    assert jobs["pages"]["artifacts"]["paths"] == ["public"]


@pytest.mark.parametrize("path", GITEA + FORGEJO, ids=rel)
def test_gitea_and_forgejo_differences_are_handled(path):
    text = path.read_text(encoding="utf-8")
    wf = load(path)
    assert "concurrency" not in wf and all("concurrency" not in j for j in wf["jobs"].values())
    uses = [s.get("uses", "") for j in wf["jobs"].values() for s in j["steps"]]
    assert not any("setup-python" in u for u in uses), (
        "the runner image brings Python (setup-python downloads)"
    )
    assert "pages" not in text.replace("Pages", ""), "no GitHub Pages on Gitea/Forgejo"
    assert "GITHUB_STEP_SUMMARY" not in text and "GITHUB_ENV" not in text
    labels = {j["runs-on"] for j in wf["jobs"].values()}
    default = "docker" if path in FORGEJO else "ubuntu-latest"
    assert labels <= {default, "ssj-web"}


def test_forgejo_workflows_are_the_gitea_ones_with_forgejo_labels():
    for gitea, forgejo in zip(GITEA, FORGEJO, strict=True):
        a, b = load(gitea), load(forgejo)
        for job in a["jobs"].values():
            job["runs-on"] = job["runs-on"].replace("ubuntu-latest", "docker")
        assert a == b, forgejo.name


def test_gitea_publish_deploys_to_the_intranet_web_server():
    wf = load(ROOT / ".gitea" / "workflows" / "publish.yml")
    site = wf["jobs"]["site"]
    assert site["runs-on"] == "ssj-web"
    assert any("ci deploy" in s.get("run", "") for s in site["steps"])


def test_github_deploy_job_conventions():
    wf = load(ROOT / ".github" / "workflows" / "publish.yml")
    deploy = wf["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert wf["concurrency"]["cancel-in-progress"] is False
    uses = [s.get("uses", "") for s in deploy["steps"]]
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    steps = [s.get("run", "") + s.get("uses", "") for s in wf["jobs"]["registry"]["steps"]]
    order = [
        next(i for i, s in enumerate(steps) if key in s) for key in ("ci registry", "ci push", "ci site")
    ]
    assert order == sorted(order)


@pytest.mark.parametrize("path", ACTIONS, ids=rel)
def test_actions_pinned_to_commit_with_version_comment(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.search(r"\buses:", line)]
    assert lines
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w.-]+(/[\w.-]+)*@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_dependencies_installed_from_the_hashed_lock_everywhere():
    for path in ALL:
        text = path.read_text(encoding="utf-8")
        assert "pip install" not in text, f"{rel(path)}: install through scripts/setup.sh (the lock file)"
        assert "scripts/setup.sh" in text


@pytest.mark.parametrize("path", [p for p in ACTIONS if p.name == "intake.yml"], ids=rel)
def test_intake_runs_base_code_on_inbox_changes_and_writes_only_for_own_branches(path):
    wf = load(path)
    assert list(wf["on"]) == ["pull_request_target"], "the base branch's workflow file and code"
    assert wf["on"]["pull_request_target"]["paths"] == ["inbox/**"]
    own, fork = wf["jobs"]["intake"], wf["jobs"]["intake-fork"]
    assert own["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    assert fork["if"] == "github.event.pull_request.head.repo.full_name != github.repository"
    assert fork["permissions"]["contents"] == "read"
    for job, flags in ((own, "--push --post"), (fork, "--fork --post")):
        checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
        assert [c["with"]["path"] for c in checkouts] == ["trusted", "pr"]
        assert "ref" not in checkouts[0]["with"]
        assert checkouts[1]["with"]["ref"] == "${{ github.event.pull_request.head.sha }}"
        runs = [s for s in job["steps"] if "run" in s]
        assert runs[0]["run"].endswith("bash trusted/scripts/setup.sh")
        step = next(s for s in runs if "ci intake" in s["run"])
        assert step["working-directory"] == "trusted" and step["run"].endswith(f"--tree ../pr {flags}")
        assert not any("cache" in s.get("with", {}) for s in job["steps"])
    assert "SSJ_INTAKE_TOKEN" not in yaml.safe_dump(fork), "a fork's run gets no bot token"
    assert "ci checks --tree ../pr" in own["steps"][-1]["run"], "trusted checks on the converted records"


def test_gitlab_intake_job_uses_the_target_branch_code_on_inbox_changes():
    job = load(GITLAB)["intake"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"', "changes": ["inbox/**/*"]}]
    script = job["script"]
    assert 'git worktree add --detach /tmp/trusted "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"' in script
    convert = '.venv/bin/python -m generator ci intake --tree "$CI_PROJECT_DIR" --push --post'
    checks = '.venv/bin/python -m generator ci checks --tree "$CI_PROJECT_DIR"'
    assert script.index("cd /tmp/trusted") < script.index(convert) < script.index(checks)
    assert "environment" not in job, "no deploy key here"


@pytest.mark.parametrize("path", ACTIONS, ids=rel)
def test_the_build_cache_is_unpacked_only_where_nothing_is_held_or_run(path):
    """actions/cache unpacks its archive without keeping to its ``path`` (actions/toolkit#1927):
    whoever can write main's cache could rewrite any file of the runner that restores it (our code,
    .venv) before the step holding SSJ_CACHE_KEY runs it (red team 9). So a restore runs only in a
    job of its own that holds no secret, checks nothing out and runs no command; the build takes the
    folder as an artifact (download-artifact >= 4.1.8 keeps to its path), as untrusted bytes."""
    wf = load(path)
    for name, job in wf["jobs"].items():
        uses = [s.get("uses", "") for s in job.get("steps", [])]
        if not any(u.startswith(("actions/cache@", "actions/cache/restore@")) for u in uses):
            continue
        assert "secrets." not in yaml.safe_dump(job), f"{rel(path)}:{name}: a restoring job holds no secret"
        assert not any("run" in s for s in job["steps"]), f"{rel(path)}:{name}: and runs no command"
        assert all(u.startswith(("actions/cache", "actions/upload-artifact@")) for u in uses), (
            f"{rel(path)}:{name}: only restores and hands the folder on: {uses}"
        )
        for other in wf["jobs"].values():
            for step in other.get("steps", []):
                if step.get("uses", "").startswith("actions/download-artifact@"):
                    version = re.search(r"# v(\d+)\.(\d+)\.(\d+)", _uses_line(path, step["uses"]))
                    assert tuple(map(int, version.groups())) >= (4, 1, 8), "zip extraction kept to its path"


def _uses_line(path: Path, uses: str) -> str:
    return next(line for line in path.read_text(encoding="utf-8").splitlines() if uses in line)
