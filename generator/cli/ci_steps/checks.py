"""ci checks: the pull-request checks that guard the registry and ownership, run by TRUSTED code.

The workflow checks out the base branch (whose code runs this command) and, separately, the pull
request (``--tree``, only read as data). So a pull request that edits ``generator/`` to accept
everything still meets the base branch's append-only rule; its code changes take effect only after
the joint office has reviewed and merged them (CODEOWNERS). The command refuses to run when its own
code lies inside the tree it checks, unless ``--local`` says that is intended (a developer's run).

Checks: no symlinks or submodules (checked first; nothing else runs if there are any); record validation
(an error the base branch already has is a warning: it is not this pull request's); append-only registry and results;
CODEOWNERS current for every forge file present; every due draw can run (dry run). Changes to
protected paths are reported as warnings so the reviewers see them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import replace
from pathlib import Path

import generator
from generator.calendar import beijing_today
from generator.cli.ci_steps import annotate
from generator.cli.ci_steps.forge import detect
from generator.errors import ERROR, WARNING, Finding
from generator.gitrepo import GitError, GitRepo
from generator.workflow.findings import wfinding

NAME = "checks"
HELP = "合并请求的可信检查：用基准分支的代码检查合并请求的文件（校验、只追加、CODEOWNERS、试抽取）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tree", type=Path, default=Path("."), help="合并请求的检出目录（只当数据读取）")
    parser.add_argument("--base", default="", help="基准版本（默认按平台变量取 origin/<目标分支>）")
    parser.add_argument("--records", default="records", help="记录目录在仓库中的相对路径（默认 records）")
    parser.add_argument("--strict", action="store_true", help="把校验警告也当作错误")
    parser.add_argument(
        "--local", action="store_true", help="允许检查代码位于被检查的目录内（本地自查；CI 中不要用）"
    )


def run(args: argparse.Namespace) -> int:
    forge = detect()
    tree = args.tree.resolve()
    code = Path(generator.__file__).resolve().parent
    if code.is_relative_to(tree) and not args.local:
        print(
            f"拒绝运行：检查代码 {code} 位于被检查的目录 {tree} 之内，合并请求可以改写它。"
            "请把基准分支检出到另一个目录，在那里运行本命令并用 --tree 指向合并请求（本地自查可加 --local）。"
        )
        return 2
    if not (tree / args.records).is_dir():
        print(f"找不到记录目录“{tree / args.records}”。请用 --tree 和 --records 指定。")
        return 2
    base = args.base or forge.base_rev
    repo = GitRepo(tree)
    try:
        base_rev = repo.merge_base(repo.resolve(base), repo.resolve("HEAD"))
        changed = repo.diff(base_rev, "HEAD", ".")
    except GitError as exc:
        print(str(exc))
        return 2
    linked = links(repo, args.records)
    if linked:  # stop before any check reads through a link (e.g. to a secret on the runner)
        for f in linked:
            print(f.render())
        annotate.emit(linked, forge, report_dir=tree)
        print("可信检查未通过：合并请求含符号链接或子模块，其余检查未运行。")
        return 1
    sections = [
        ("记录校验", validate(tree, args.records, repo, base_rev)),
        ("只追加检查", append_only(repo, base, args.records)),
        ("CODEOWNERS", codeowners(tree, args.records)),
        (
            "试运行到期的抽取",
            dry_run_draws(tree / args.records, args.records, touched_draws(changed, args.records)),
        ),
        ("受保护的路径", protected([c.path for c in changed if c.status != "D"])),
    ]
    print(f"可信检查：代码 {code}，合并请求 {tree}，基准 {base}（平台：{forge.name}）")
    failed = []
    for title, findings in sections:
        errors = [f for f in findings if f.severity == "error" or (args.strict and title == "记录校验")]
        print(
            f"== {title}：{'未通过' if errors else '通过'}（{len(errors)} 个错误，"
            f"{len(findings) - len(errors)} 个警告）"
        )
        for f in sorted(findings, key=lambda f: (f.file, f.line, f.code)):
            print(f"  {f.render()}")
        annotate.emit(
            sorted(findings, key=lambda f: (f.file, f.line, f.code)),
            forge,
            report_dir=tree,
            strict=args.strict,
        )
        if title == "记录校验":
            from generator.cli.validate import demo_note

            note = demo_note(tree / args.records, len(findings) - len(errors))
            if note:
                print(f"  {note}")
        if errors:
            failed.append(title)
    if failed:
        print(f"可信检查未通过：{'、'.join(failed)}。")
        return 1
    print("可信检查全部通过。")
    return 0


def links(repo: GitRepo, records: str) -> list[Finding]:
    """Symlinks (mode 120000) and submodules (160000) anywhere in the pull request's tree."""
    out = []
    listing = repo._run("ls-tree", "-r", "-z", "HEAD").stdout.decode("utf-8", "replace")
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        if meta.split()[0] in ("120000", "160000"):
            out.append(wfinding("CI_LINK_IN_TREE", path))
    return out


INHERITED = "（基准分支上已有这个问题，不是本合并请求引起的，不阻止合并；请由该记录所属单位另行改正。）"


def validate(tree: Path, records: str, repo: GitRepo | None = None, base_rev: str = "") -> list[Finding]:
    """Validation of the pull request's tree. An error the base branch already has (same code, file,
    line, field and value) is shown as a warning: one unit's broken record on main (two pull
    requests valid alone but not together, a rule made stricter by a code update) must not fail
    every other unit's pull request until that unit fixes it. Errors the pull request brings, in
    any file (deleting an object breaks a result elsewhere), still fail it."""
    from generator.corpus import _default_prefix, load
    from generator.validation import validate_corpus

    root = tree / records
    findings = list(validate_corpus(load(root)).sorted())
    if repo is None or not any(f.severity == ERROR for f in findings):
        return findings
    inherited = _base_errors(repo, base_rev, records, _default_prefix(root))
    return [
        replace(f, severity=WARNING, message=f.message + INHERITED)
        if f.severity == ERROR and _same(f) in inherited
        else f
        for f in findings
    ]


def _same(f: Finding) -> tuple:
    return (f.code, f.file, f.line, f.path, f.value)


def _base_errors(repo: GitRepo, base_rev: str, records: str, prefix: str) -> set[tuple]:
    import tempfile

    from generator.corpus import load
    from generator.validation import validate_corpus

    with tempfile.TemporaryDirectory(prefix="ssj-base-") as tmp:
        try:
            repo.export(base_rev, records, Path(tmp))
        except (GitError, OSError, ValueError):
            return set()  # no base to compare with: every error counts (the safe side)
        base = Path(tmp) / records
        if not base.is_dir():
            return set()
        return {_same(f) for f in validate_corpus(load(base, display_prefix=prefix)) if f.severity == ERROR}


def append_only(repo: GitRepo, base: str, records: str) -> list[Finding]:
    from generator.workflow.appendonly import check

    return check(repo, base, "HEAD", records)


def codeowners(tree: Path, records: str) -> list[Finding]:
    """Every forge's CODEOWNERS file that the tree has must be what the units' reviewers generate."""
    from generator.corpus import load
    from generator.workflow.codeowners import PATHS, render

    corpus = load(tree / records)
    out = []
    for forge, rel in PATHS.items():
        path = tree / rel
        if forge == "github" or path.exists():
            current = path.read_text(encoding="utf-8") if path.is_file() else None
            if current != render(corpus, records, forge):
                out.append(wfinding("CI_CODEOWNERS_STALE", rel))
    return out


def touched_draws(changed, records: str) -> set[str]:
    """Draw ids with a file changed by the pull request (``records/draws/<year>/<id>/…``)."""
    prefix = f"{records.rstrip('/')}/draws/"
    return {
        parts[1]
        for c in changed
        if c.path.startswith(prefix) and len(parts := c.path[len(prefix) :].split("/")) > 2
    }


def dry_run_draws(
    root: Path, records: str, touched: set[str] | None = None, today: dt.date | None = None
) -> list[Finding]:
    """Each open draw whose entropy is complete must run (nothing is written).

    A draw that fails blocks only the pull request that touches it (``touched``; None: every draw
    blocks): for any other pull request the failure is a warning, so one bad draw never jams the
    registry's unrelated work (CI records it as failed when it runs it).
    """
    import dataclasses

    from generator.catalog import WARNING
    from generator.draw import DrawError
    from generator.registry import store
    from generator.registry.run import is_due, make_result, read

    out = []
    for draw_id in store.all_draw_ids(root):
        rel = store.folder(root, draw_id).relative_to(root).as_posix()
        try:
            files = read(root, draw_id)
            if files.closed or not is_due(files):
                continue
            make_result(files, today or beijing_today(), verify_beacon=True)
            continue
        except DrawError as exc:
            detail = f"{exc.code}：{exc.message}"
        except Exception as exc:  # noqa: BLE001 - an unreadable draw is reported, never a traceback
            detail = f"{type(exc).__name__}：{exc}"
        found = wfinding("CI_DRAW_DRY_RUN", f"{records}/{rel}/request.yaml", detail=detail)
        if touched is not None and draw_id not in touched:
            found = dataclasses.replace(found, severity=WARNING)
        out.append(found)
    return out


def protected(paths: list[str]) -> list[Finding]:
    from generator.workflow.codeowners import protected_area

    return [wfinding("CI_PROTECTED_PATH", p, area=area) for p in paths if (area := protected_area(p))]
