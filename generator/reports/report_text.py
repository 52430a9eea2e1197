"""Render the compliance model (``compliance.compliance``) as Chinese text for the ``report`` command."""

from __future__ import annotations

import re

from generator.reports.texttable import table


def render_text(m: dict, county: str = "") -> str:
    parts = [f"{county}{m['year']} 年“双随机、一公开”联合监管合规报告（截至 {m['today']}）", ""]
    up = m["unit_plans"]
    parts += [
        f"一、单位年度抽查计划备案（期限 {up['due']}）",
        table(
            ["单位", "备案日期", "状态", "逾期天数"],
            [[r["name"], r["filed_on"], r["status"], r["days_late"] or ""] for r in up["rows"]],
        ),
        "",
    ]
    jp = m["joint_plan"]
    parts += [
        f"二、全县部门联合抽查计划（目标 {jp['target']}，最迟 {jp['latest']}）：发布日期 {jp['filed_on'] or '—'}，{jp['status']}",
        "",
    ]
    ini = m["initiators"]
    parts += [
        "三、牵头发起单位年度至少发起 1 次部门联合抽查",
        table(
            ["单位", "发起领域", "本年联合任务", "状态"],
            [
                [
                    r["name"],
                    "、".join(r["initiates"]),
                    "、".join(r["tasks"]) or "—",
                    r["status"] + (f"（{r['exempt_reason']}）" if r["exempt_reason"] else ""),
                ]
                for r in ini["rows"]
            ],
        ),
        "",
    ]
    res = m["results"]
    on_time = res["on_time"]
    parts += [
        f"四、检查结果录入时限（{res['limit_working_days']} 个工作日）：共 {res['entries']} 条，"
        f"按时 {on_time['num']} 条（{on_time['percent'] or '—'}），逾期 {len(res['late'])} 条"
        + (f"，{res['calendar_unknown']} 条因节假日安排未公布暂不计算" if res["calendar_unknown"] else ""),
        table(
            ["单位", "任务", "检查对象", "检查日期", "录入日期", "工作日", "逾期工作日", "位置"],
            [
                [
                    r["unit"],
                    r["task"],
                    r["object"],
                    r["inspected_on"],
                    r["entered_on"],
                    r["working_days"],
                    r["days_late"],
                    f"{r['file']}:{r['line']}",
                ]
                for r in res["late"]
            ],
        ),
        "",
        "    各单位按时录入率：",
        table(
            ["单位", "按时", "计时条数", "按时录入率"],
            [
                [r["name"], r["on_time"]["num"], r["on_time"]["den"], r["on_time"]["percent"]]
                for r in res["by_unit"]
            ],
        ),
        "",
        "    已过录入期限仍未录入的结果：",
        table(
            ["单位", "任务", "检查对象", "录入期限", "已超工作日"],
            [
                [r["unit"], r["task"], r["object"], r["due"], r["working_days_overdue"]]
                for r in res["missing"]
            ],
        ),
        "",
    ]
    for number, key in (("五", "ratio_caps"), ("六", "teams"), ("七", "certificates")):
        section = m["rules"][key]
        parts.append(f"{number}、{section['title']}：{section['count']} 个问题")
        for code, hits in section["codes"].items():
            for h in hits:
                parts.append(f"    {h['file']}:{h['line']} {code} {h['message']}")
        parts.append("")
    js = m["joint_share"]
    parts += [
        f"八、部门联合抽查占比：本年任务 {js['tasks']} 个，其中部门联合 {js['joint']} 个（{js['share']['percent'] or '—'}）",
        "",
    ]
    ob = m["object_burden"]
    parts += [
        f"九、检查对象年度受检次数（上限 {ob['cap']} 次）：{ob['objects_drawn']} 个对象被抽中受检，最多 {ob['max']} 次",
        table(
            ["检查对象", "名称", "次数", "涉及单位", "任务"],
            [
                [r["object"], r["name"], r["inspections"], "、".join(r["units"]), "、".join(r["tasks"])]
                for r in ob["over"]
            ],
        ),
    ]
    parts += _tracking_text(m)
    return "\n".join(parts) + "\n"


def _tracking_text(m: dict) -> list[str]:
    """Sections 十–十二 (issue 13): plan execution, open follow-ups, unacknowledged referrals."""
    pe = m.get("plan_execution")
    if not pe:
        return []
    empty = "、".join(pe["empty_plans"]) or "无"
    return [
        "",
        f"十、年度计划执行：计划条目 {len(pe['rows'])} 条，未实施或未达频次 {len(pe['not_done'])} 条；空计划（不计为按时）：{empty}",
        table(
            ["单位", "计划条目", "频次", "任务", "状态"],
            [
                [r["unit"], r["entry"], r["frequency"], "、".join(r["tasks"]) or "—", r["status"]]
                for r in pe["rows"]
                if r["status"] != "已实施"
            ],
        ),
        f"十一、逾期未办结的待后续处理事项：{len(m['open_follow_ups'])} 条",
        table(
            ["单位", "任务", "检查对象", "检查日期", "办结期限", "已超（日）"],
            [
                [r["unit"], r["task"], r["object"], r["inspected_on"], r["due"], r["days_overdue"]]
                for r in m["open_follow_ups"]
            ],
        ),
        f"十二、逾期未确认接收的移交：{len(m['unacknowledged_referrals'])} 条",
        table(
            ["移交单位", "接收单位", "任务", "检查对象", "移交日期", "确认期限"],
            [
                [r["from_unit"], r["to_unit"], r["task"], r["object"], r["referred_on"], r["due"]]
                for r in m["unacknowledged_referrals"]
            ],
        ),
    ]


def as_markdown_literal(text: str) -> str:
    """``text`` as one fenced block, for $GITHUB_STEP_SUMMARY (rendered as Markdown).

    Record text (unit and county names, objects, finding messages) must stay text there: a name such
    as ``[点此](https://…)`` or ``<img src=…>`` would otherwise become a link or an image in the job
    summary, and the table rules would turn lines into headings. Inside a fence nothing is
    interpreted; the fence is longer than any run of backticks in the text, so nothing can close it.
    """
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip(chr(10))}\n{fence}\n"
