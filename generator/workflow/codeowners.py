"""Generate ``.github/CODEOWNERS`` from the member units.

Each unit's folder ``records/units/<unit>/`` is owned by the accounts in its unit.yaml ``reviewers``,
so a change to a unit's lists, plans or results needs that unit's approval (with branch protection
"Require review from Code Owners"). County-level paths — county.yaml, holidays, the joint plan, the
draw registry and the CI configuration — are owned by the joint office's team ``COUNTY_OWNERS``.
A unit without reviewers falls back to the joint office, so no record path is ever unowned.

``COUNTY_OWNERS`` is a constant for now; it can move to county.yaml once the joint office's GitHub
team name is decided (the generated file is compared with the committed one by a test and by CI, so a
change in either place shows up at once).
"""

from __future__ import annotations

COUNTY_OWNERS = ("@joint-office",)
HEADER = (
    "# 由 `python -m generator codeowners` 根据各成员单位 unit.yaml 的 reviewers 生成，请勿手工编辑。\n"
    "# 后面的规则优先：县级路径归县联席办，各单位目录归本单位审核人。\n"
)


def render(corpus, records_prefix: str = "records") -> str:
    prefix = "/" + records_prefix.strip("/")
    county = " ".join(COUNTY_OWNERS)
    lines = [
        HEADER,
        f"* {county}",
        f"/.github/ {county}",
        f"{prefix}/county.yaml {county}",
        f"{prefix}/holidays/ {county}",
        f"{prefix}/joint/ {county}",
        f"{prefix}/draws/ {county}",
        "",
        "# 成员单位",
    ]
    for unit_id in sorted(corpus.units):
        reviewers = [r for r in corpus.units[unit_id].data.get("reviewers", []) if isinstance(r, str)]
        owners = " ".join(dict.fromkeys(reviewers)) or county
        lines.append(f"{prefix}/units/{unit_id}/ {owners}")
    return "\n".join(lines) + "\n"
