"""The one Chinese comment ``ci intake`` posts on the pull request.

Everything that comes from the upload (file names, cell values, messages quoting them) is shown
inside code spans or fenced blocks, whose fence is longer than any backtick run in the text: no
Markdown, HTML, link or @mention in a spreadsheet cell can become live in the forge's page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.cli.import_ import grouped
from generator.intake.catalog import Problem
from generator.intake.specs import SPECS

MARKER = "<!-- ssj-intake -->"
MAX_LINES = 400  # per block; a forge comment has a size limit and a clerk reads the first screens
MAX_PATCH = 40_000
BUDGET = 58_000  # characters: under forge_api.MAX_BODY, which cuts the text's end (the later uploads)


@dataclass
class Outcome:
    """What happened to one upload."""

    path: str
    unit: str = ""
    kind: str = ""
    sheet: str = ""
    header_row: int = 0
    summary: str = ""  # Counts.summary()
    changes: list = field(default_factory=list)  # importer Change rows
    problems: list[Problem] = field(default_factory=list)  # errors and warnings of the import
    notices: list[str] = field(default_factory=list)  # warnings the converted records raise (late entries)
    converted: bool = False  # written to the records (an upload with any error never is)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _clean(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "\ufffd", text)


def code_span(text: str) -> str:
    text = _clean(text).replace("\n", " ")
    ticks = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    return f"{ticks} {text} {ticks}"


def block(lines: list[str], lang: str = "text", max_lines: int = MAX_LINES) -> list[str]:
    if len(lines) > max_lines:
        lines = [*lines[:max_lines], f"……共 {len(lines)} 行，以上为前 {max_lines} 行，其余见 CI 日志"]
    text = _clean("\n".join(lines))
    fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    return [f"{fence}{lang}", text, fence]


def render(outcomes: list[Outcome], state: str, patch: str = "", detail: str = "") -> str:
    """``state``: "committed" (pushed to the branch), "fork" (patch attached), "failed" (errors),
    "push_failed" (converted but the push was refused: ``detail`` says why).

    The whole comment stays within :data:`BUDGET`: each upload's lists are shortened (the rest is in
    the CI log) so that every upload and the closing paragraph survive the forge's size limit."""
    max_lines = MAX_LINES
    text = _render(outcomes, state, patch, detail, max_lines)
    while len(text) > BUDGET and max_lines > 5:
        max_lines = max(5, max_lines * BUDGET // len(text) * 9 // 10)
        text = _render(outcomes, state, patch, detail, max_lines)
    return text


def _render(outcomes: list[Outcome], state: str, patch: str, detail: str, max_lines: int) -> str:
    ok = state != "failed"
    refused = [o for o in outcomes if not o.converted]
    title = "已转换为记录" if ok else "未转换，请改正后重新上传"
    if ok and refused:
        title = "部分转换：有错误的文件未转换，请改正后重新上传"
    out = [MARKER, f"### 表格转换结果：{title}", ""]
    for o in outcomes:
        out += _upload(o, max_lines)
    if state == "committed":
        out.append(
            "记录改动已提交到本分支，上传的文件已从 inbox/ 删除。请本单位审核人在“文件改动”中核对记录差异后批准合并；"
            "合并前联席办的可信检查（只追加、校验）同样适用。"
        )
    elif state == "fork":
        out.append(
            "本合并请求来自复刻（fork）仓库，转换程序对它没有写入权限，没有提交。记录改动见下面的补丁："
            "可在本地用 `git apply` 应用到分支，或在本仓库新建分支重新上传。"
        )
        if len(patch) > MAX_PATCH:
            patch = patch[:MAX_PATCH] + "\n……补丁过长，其余内容见 CI 日志\n"
        out += ["", *block(patch.rstrip("\n").split("\n"), "diff")]
    elif state == "push_failed":
        out.append(f"表格已转换，但提交没有推送到本分支：{detail}请在合并请求页面重新运行本检查。")
    else:
        out.append(
            "没有提交任何改动。请按上面的提示改正表格，再上传到同一个文件夹：用同一个文件名上传会覆盖旧文件；"
            "换了文件名请删除旧文件。上传后转换会自动重新运行。"
        )
    if ok and refused:
        shown = "、".join(code_span(o.path) for o in refused[:10])
        out += [
            "",
            f"有错误的文件没有转换，留在 inbox/ 中：{shown}。其余文件的转换不受影响。请按上面的提示改正，"
            "再用同一个文件名上传到同一个文件夹（会覆盖旧文件），转换会自动重新运行。",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def change_lines(kind: str, changes: list) -> list[str]:
    """The importer's diff rows; internal fields (credit-risk class, phone numbers) say that they
    changed, not their values: a comment travels further (notification mails) than the records."""
    internal = {f.label for f in SPECS[kind].fields if f.internal} if kind in SPECS else set()
    out = []
    for title, action in (("新增", "added"), ("修改", "changed"), ("删除", "removed")):
        for c in (c for c in changes if c.action == action):
            name = f"（{c.name}）" if c.name else ""
            out.append(f"{title} {c.key}{name}" + (f"  [{c.where}]" if c.where else ""))
            for label, old, new in c.fields:
                shown = (
                    "已修改（内部字段，值不在评论中显示）"
                    if label in internal
                    else f"{old or '（空）'} → {new or '（空）'}"
                )
                out.append(f"    {label}：{shown}")
    return out


def _upload(o: Outcome, max_lines: int = MAX_LINES) -> list[str]:
    label = f"，{SPECS[o.kind].label}" if o.kind in SPECS else ""
    unit = f"，单位 {o.unit}" if o.unit else ""
    out = [f"**文件** {code_span(o.path)}{label}{unit}", ""]
    if o.sheet:
        out.append(f"读取工作表“{_clean(o.sheet)}”，第 {o.header_row} 行为表头。")
    errors = o.errors
    if errors:
        out += [f"发现 {len(errors)} 个错误，每条写明 表名!单元格、表中的值和改法：", ""]
        out += block(grouped(errors, show_all=True), max_lines=max_lines) + [""]
    elif o.summary:
        out += [f"{o.summary}。", ""]
        if o.kind == "plans":
            from generator.intake.plan_sheet import WHOLE_PLAN_NOTE

            out += [WHOLE_PLAN_NOTE, ""]
        lines = change_lines(o.kind, o.changes)
        if lines:
            out += block(lines, max_lines=max_lines) + [""]
    warnings = [p for p in o.problems if p.severity != "error"]
    if warnings or o.notices:
        out += ["提示（不影响转换）：", ""]
        out += block(grouped(warnings, show_all=True) + o.notices, max_lines=max_lines) + [""]
    return out
