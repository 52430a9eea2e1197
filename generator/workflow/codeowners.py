"""Generate CODEOWNERS for GitHub, GitLab and Gitea/Forgejo from the member units.

Each unit's folder ``records/units/<unit>/`` is owned by the accounts in its unit.yaml ``reviewers``,
so a change to a unit's lists, plans or results needs that unit's approval (with branch protection
"Require review from Code Owners"). Everything else — county.yaml, holidays, the joint plan, the
draw registry, and above all the code and CI that check the records (``PROTECTED``) — is owned by
the joint office's team ``COUNTY_OWNERS``, so a pull request cannot weaken its own checks without
the joint office's review. A unit without reviewers falls back to the joint office, so no path is
ever unowned.

GitHub (``.github/CODEOWNERS``) and GitLab (``.gitlab/CODEOWNERS``) read the same gitignore-like
patterns, the last matching rule winning. Gitea/Forgejo (``.gitea/CODEOWNERS``) read Go regular
expressions and apply every matching rule, so there the joint office's catch-all rule excludes the
unit folders with a negative (``!``) rule.

Reviewer handles come from files a unit controls; ``render`` keeps only well-formed handles, so a
reviewer value cannot inject a line (the validator also reports it as an error).
"""

from __future__ import annotations

import re

COUNTY_OWNERS = ("@joint-office",)
HANDLE = re.compile(r"@[A-Za-z0-9][A-Za-z0-9-/]*")
PATHS = {"github": ".github/CODEOWNERS", "gitlab": ".gitlab/CODEOWNERS", "gitea": ".gitea/CODEOWNERS"}
# What decides how records are checked, drawn and published: only the joint office may change it.
PROTECTED = (
    ("generator/", "生成器代码"),
    ("schemas/", "记录的 JSON Schema"),
    ("scripts/", "安装和测试脚本"),
    ("site_templates/", "网站模板"),
    ("tests/", "测试"),
    ("requirements/", "依赖锁文件"),
    ("pyproject.toml", "依赖与打包配置"),
    (".ci/", "CI 入口"),
    (".github/", "GitHub 工作流与 CODEOWNERS"),
    (".gitea/", "Gitea 工作流与 CODEOWNERS"),
    (".forgejo/", "Forgejo 工作流"),
    (".gitlab/", "GitLab CODEOWNERS"),
    (".gitlab-ci.yml", "GitLab CI 配置"),
    ("ssj", "命令包装脚本"),
)
HEADER = (
    "# 由 `python -m generator codeowners` 根据各成员单位 unit.yaml 的 reviewers 生成，请勿手工编辑。\n"
    "# 代码、CI、Schema、脚本和县级记录归县联席办；各单位目录归本单位审核人。\n"
)


def protected_area(path: str) -> str | None:
    """Why ``path`` (repository-relative) needs the joint office, or ``None`` for record paths.

    >>> protected_area("generator/workflow/appendonly.py")
    '生成器代码'
    >>> protected_area("records/units/market/unit.yaml") is None
    True
    """
    for prefix, area in PROTECTED:
        if path == prefix.rstrip("/") or (prefix.endswith("/") and path.startswith(prefix)):
            return area
    return None


def _unit_owners(corpus) -> list[tuple[str, str]]:
    county = " ".join(COUNTY_OWNERS)
    out = []
    for unit_id in sorted(corpus.units):
        reviewers = corpus.units[unit_id].data.get("reviewers", [])
        handles = (
            [r for r in reviewers if isinstance(r, str) and HANDLE.fullmatch(r)]
            if isinstance(reviewers, list)
            else []
        )
        out.append((unit_id, " ".join(dict.fromkeys(handles)) or county))
    return out


def render(corpus, records_prefix: str = "records", forge: str = "github") -> str:
    """The CODEOWNERS text for ``forge`` (github, gitlab or gitea)."""
    if forge == "gitea":
        return _render_gitea(corpus, records_prefix)
    prefix = "/" + records_prefix.strip("/")
    county = " ".join(COUNTY_OWNERS)
    lines = [HEADER, f"* {county}", "", "# 代码、CI 与配置（合并请求不能改弱自己的检查）"]
    lines += [f"/{path} {county}" for path, _ in PROTECTED]
    lines += [
        "",
        "# 县级记录",
        f"{prefix}/county.yaml {county}",
        f"{prefix}/holidays/ {county}",
        f"{prefix}/joint/ {county}",
        f"{prefix}/draws/ {county}",
        "",
        "# 成员单位",
    ]
    lines += [f"{prefix}/units/{unit_id}/ {owners}" for unit_id, owners in _unit_owners(corpus)]
    return "\n".join(lines) + "\n"


def _render_gitea(corpus, records_prefix: str) -> str:
    prefix = re.escape(records_prefix.strip("/")).replace("\\", "\\\\")
    county = " ".join(COUNTY_OWNERS)
    lines = [
        HEADER + "# Gitea/Forgejo：规则是 Go 正则表达式，所有匹配的规则都生效。\n",
        f"!{prefix}/units/.* {county}",
        "",
        "# 成员单位",
    ]
    lines += [f"{prefix}/units/{unit_id}/.* {owners}" for unit_id, owners in _unit_owners(corpus)]
    return "\n".join(lines) + "\n"
