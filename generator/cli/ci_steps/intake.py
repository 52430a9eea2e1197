"""ci intake: turn a sheet a clerk uploaded to ``inbox/<unit>/`` into records on the pull request.

Runs the BASE branch's code (the workflow checks the base out separately, like ``ci checks``) on the
pull request's tree, read as data. Each changed file under inbox/ is checked as hostile
(``inbox.py``), then converted by the ordinary import (merge by default, all or nothing, with the
repository-level validation). Each upload converts or is refused on its own: a refused upload
stays in inbox/ and the comment says what to correct, while the others' record changes and the
removal of those uploads become one commit by the bot (a link inside the records stops them all); ``--push`` sends it to the pull request's own branch only (a
fast-forward, refused if the commit touches anything but the uploads and the records of their
units). A pull request from a fork gets no commit: the records diff is attached as a patch.
Exactly one Chinese comment is printed, written (``--comment-file``) and posted (``--post``).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import tempfile
from pathlib import Path

import generator
from generator import paths
from generator.cli.ci_steps import forge_api
from generator.cli.ci_steps.forge import GITEA, GITHUB, GITLAB, Forge, detect
from generator.cli.ci_steps.gitops import commit_paths, git
from generator.cli.ci_steps.inbox import Upload, changed_uploads, collect
from generator.cli.ci_steps.intake_comment import Outcome, render
from generator.gitrepo import GitError, GitRepo
from generator.intake.catalog import problem

NAME = "intake"
HELP = "把合并请求中上传到 inbox/<单位>/ 的表格转换为记录：提交到该分支（复刻仓库附补丁）并发表一条中文评论"
BRANCH_OK = re.compile(r"(?!-)(?!.*\.\.)[\w./\-\u4e00-\u9fff]{1,200}")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tree", type=Path, default=Path("."), help="合并请求的检出目录（只当数据读取）")
    parser.add_argument("--base", default="", help="基准版本（默认按平台变量取 origin/<目标分支>）")
    parser.add_argument("--records", default="records", help="记录目录在仓库中的相对路径（默认 records）")
    parser.add_argument("--pr", default="", help="合并请求编号（默认从平台变量读取）")
    parser.add_argument("--branch", default="", help="合并请求的源分支（默认从平台变量读取）")
    parser.add_argument(
        "--fork", action="store_true", help="来自复刻仓库：不提交，把记录差异作为补丁附在评论中"
    )
    parser.add_argument("--push", action="store_true", help="把转换提交推送到合并请求的源分支")
    parser.add_argument(
        "--remote", default="", help="推送地址（默认环境变量 SSJ_INTAKE_PUSH_URL，否则 origin）"
    )
    parser.add_argument("--post", action="store_true", help="通过平台 API 发表评论（令牌取自环境变量）")
    parser.add_argument("--comment-file", type=Path, default=None, help="同时把评论写入此文件")
    parser.add_argument(
        "--local", action="store_true", help="允许转换代码位于被转换的目录内（本地自查；CI 中不要用）"
    )


def pull_request(forge: Forge, env=None) -> tuple[str, str, bool]:
    """(number, source branch, from a fork?) from the forge's event data."""
    env = os.environ if env is None else env
    if forge.name == GITLAB:
        fork = env.get("CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "") != env.get("CI_MERGE_REQUEST_PROJECT_ID", "")
        return env.get("CI_MERGE_REQUEST_IID", ""), env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", ""), fork
    if forge.name in (GITHUB, GITEA) and env.get("GITHUB_EVENT_PATH"):
        try:
            with open(env["GITHUB_EVENT_PATH"], encoding="utf-8") as fh:
                pr = json.load(fh).get("pull_request") or {}
        except (OSError, ValueError):
            pr = {}
        head, base = pr.get("head") or {}, pr.get("base") or {}
        head_repo = (head.get("repo") or {}).get("full_name")
        fork = head_repo is None or head_repo != (base.get("repo") or {}).get("full_name")
        return str(pr.get("number", "")), str(head.get("ref", "")), fork
    return "", "", False


def run(args: argparse.Namespace) -> int:
    forge = detect()
    tree = args.tree.resolve()
    code = Path(generator.__file__).resolve().parent
    if code.is_relative_to(tree) and not args.local:
        print(
            f"拒绝运行：转换代码 {code} 位于被转换的目录 {tree} 之内，合并请求可以改写它。"
            "请把基准分支检出到另一个目录，在那里运行本命令并用 --tree 指向合并请求（本地自查可加 --local）。"
        )
        return 2
    if not (tree / ".git").exists() or not (tree / args.records).is_dir():
        print(f"“{tree}”不是含记录目录“{args.records}”的 Git 检出目录。请用 --tree 指向合并请求的检出目录。")
        return 2
    number, branch, fork = pull_request(forge)
    number, branch, fork = args.pr or number, args.branch or branch, args.fork or fork
    repo = GitRepo(tree)
    try:
        base_rev = repo.merge_base(repo.resolve(args.base or forge.base_rev), repo.resolve("HEAD"))
        changed = changed_uploads(repo, base_rev)
        if not changed:
            print("合并请求没有在 inbox/ 中上传文件，无需转换。")
            return 0
        uploads = collect(repo, base_rev, changed)
        if not uploads:  # only the folders' README files changed
            print("合并请求只改动了 inbox/ 中的说明文件，无需转换。")
            return 0
        links = [problem("INBOX_LINK", path, path) for _, path in repo.special_entries("HEAD", args.records)]
    except GitError as exc:
        print(str(exc))
        return 2
    if links:  # never write through a link: no upload converts
        outcomes = [Outcome(u.path, u.unit, u.kind, problems=list(u.problems)) for u in uploads]
        outcomes[0].problems += links
    else:
        outcomes = convert(tree / args.records, uploads)
    done = [u for u, o in zip(uploads, outcomes, strict=True) if o.converted]
    state, patch, detail = "failed", "", ""
    if done:
        state, patch, detail = commit(tree, args.records, done, [o for o in outcomes if o.converted], fork)
        if state == "committed" and args.push:
            detail = push(tree, branch, forge, args.remote, args.records, done)
            state = "push_failed" if detail else state
    text = render(outcomes, state, patch, detail)
    print(text)
    if args.comment_file:
        args.comment_file.write_text(text, encoding="utf-8")
    posted = post(forge, number, text) if args.post else ""
    if posted:
        print(posted)
    converted = all(o.converted for o in outcomes) and state in ("committed", "fork")
    return 0 if converted and not posted else 1


def convert(records: Path, uploads: list[Upload]) -> list[Outcome]:
    """Import every upload in turn, each on its own (each sees the ones converted before it): an
    upload with any error, or one the converter fails on, writes nothing and is marked not converted."""
    outcomes = [Outcome(u.path, u.unit, u.kind, problems=list(u.problems)) for u in uploads]
    written: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ssj-intake-") as tmp:
        for i, (up, o) in enumerate(zip(uploads, outcomes, strict=True)):
            if o.errors:
                continue
            try:
                paths.inside(records, records / "units" / paths.check_unit(up.unit))
            except paths.PathRefused:
                o.problems.append(problem("INBOX_LINK", f"records/units/{up.unit}", up.unit))
                continue
            originals: dict[Path, bytes | None] = {}
            try:
                files = _convert_one(records, up, o, Path(tmp, str(i)), originals)
            except Exception as exc:  # noqa: BLE001 - the clerk gets a comment, never a bare traceback
                _restore(originals)
                detail = f"转换程序出错 {type(exc).__name__}，请把本评论转给联席办"
                o.problems.append(problem("IMPORT_FILE_UNREADABLE", up.path, detail=detail))
                continue
            o.converted = not o.errors
            written += files
    if any(o.kind == "results" and o.converted for o in outcomes):
        _notices(records, [o for o in outcomes if o.converted], written)
    return outcomes


def _convert_one(records: Path, up: Upload, o: Outcome, folder: Path, originals: dict) -> list[str]:
    """Import one upload into ``records`` (nothing written when it has errors); the files written."""
    from generator.intake import plan_import
    from generator.intake.store import write_atomically

    folder.mkdir()
    file = folder / up.name
    file.write_bytes(up.data)
    result = plan_import(file, up.kind, up.unit, records)
    o.sheet, o.header_row, o.problems = result.sheet, result.header_row, o.problems + result.problems
    o.summary, o.changes = result.counts.summary(), result.changes
    if result.errors:
        return []
    for path in result.files:
        originals[path] = path.read_bytes() if path.exists() else None
    write_atomically(result.files)
    return [p.relative_to(records).as_posix() for p in result.files]


def _restore(originals: dict[Path, bytes | None]) -> None:
    from generator.intake.store import write_atomically

    for path, data in originals.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            write_atomically({path: data.decode("utf-8")})


def _notices(records: Path, outcomes: list[Outcome], written: list[str]) -> None:
    """Warnings the converted records raise on the entries just added (a late result entry, …),
    shown at the entry's sheet row: flagged in the comment, never refused. Warnings about entries
    that were already in the file are not this upload's, and rows of other kinds are checked by the
    import itself, so one validation of the tree, for results only, is enough."""
    from generator.intake.repo_check import validate_tree_quiet, yaml_item_at

    rows = {c.key: (c.where, o) for o in outcomes for c in o.changes if c.action == "added"}
    texts: dict[str, str] = {}
    for f in validate_tree_quiet(records).warnings:
        if f.file not in written or "/results/" not in f.file or not f.line:
            continue
        if f.file not in texts:
            texts[f.file] = (records / f.file).read_text(encoding="utf-8")
        item = yaml_item_at(texts[f.file], "entries", f.line) or {}
        found = rows.get(f"{Path(f.file).stem}、{item.get('object', '')}")
        if found:
            found[1].notices.append(f"{found[0]}: 警告 {f.code} {f.message}")


def commit(tree: Path, records: str, uploads: list[Upload], outcomes: list[Outcome], fork: bool):
    """Remove the uploads and commit them with the record changes; a fork gets the patch instead."""
    for up in uploads:
        git(tree, "rm", "--quiet", "--", up.path)
    parts = [f"{o.unit} {o.kind}：{o.summary}" for o in outcomes]
    message = "网页上传转换为记录（ci intake）\n\n" + "\n".join(
        parts + [f"删除上传文件 {u.path}" for u in uploads]
    )
    if not commit_paths(tree, [records], message):
        return "committed", "", ""
    if fork:
        return "fork", git(tree, "diff", "HEAD~1", "HEAD", "--", records) + "\n", ""
    return "committed", "", ""


def allowed(repo: GitRepo, base: str, records: str, uploads: list[Upload]) -> list[str]:
    """Why the commits base..HEAD may not go to the branch: only uploads removed, own units' records."""
    units = tuple(f"{records}/units/{u.unit}/" for u in uploads)
    removed = {u.path for u in uploads}
    bad = []
    for c in repo.diff(base, "HEAD", "."):
        if (c.status == "D" and c.path in removed) or (c.status in ("A", "M") and c.path.startswith(units)):
            continue
        what = "删除了" if c.status == "D" else "改动了"
        own = c.path.startswith(units)  # a record deleted or turned into a link
        bad.append(f"{what}记录 {c.path}" if own else f"{what}上传和本单位记录以外的文件 {c.path}")
    return bad


def push(tree: Path, branch: str, forge: Forge, remote: str, records: str, uploads: list[Upload]) -> str:
    """Push HEAD to the pull request's branch; "" on success, else why not (a sentence)."""
    if not BRANCH_OK.fullmatch(branch or ""):
        return f"源分支名“{branch[:60]}”无法识别。"
    parent = git(tree, "rev-parse", "HEAD~1")
    problems = allowed(GitRepo(tree), parent, records, uploads)
    if problems:
        return "提交超出了允许的范围（" + "；".join(problems[:5]) + "）。"
    remote = remote or os.environ.get("SSJ_INTAKE_PUSH_URL", "") or "origin"
    try:
        git(tree, "push", "--quiet", remote, f"HEAD:refs/heads/{branch}", env=_credential(forge))
    except GitError as exc:
        return f"推送被拒绝（分支可能在转换期间有了新的提交）：{str(exc)[-200:]}。"
    return ""


def _credential(forge: Forge) -> dict[str, str]:
    token = os.environ.get("SSJ_INTAKE_TOKEN") or os.environ.get("GITHUB_TOKEN", "")
    if not token:
        return {}
    default_user = {GITHUB: "x-access-token", GITLAB: "oauth2"}.get(forge.name, "ssj-intake-bot")
    user = os.environ.get("SSJ_INTAKE_PUSH_USER", default_user)
    basic = base64.b64encode(f"{user}:{token}".encode()).decode()
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.extraHeader",
        "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
    }


def post(forge: Forge, number: str, text: str) -> str:
    req = forge_api.comment_request(forge.name, number)
    if req is None:
        return (
            "没有发表评论：缺少平台 API 地址、仓库、合并请求编号或令牌（SSJ_INTAKE_TOKEN / GITHUB_TOKEN）。"
        )
    return forge_api.post_comment(req, text)
