"""Rewrite the golden pages from the fixture records: ``python -m tests.site.update_golden``.

Run it after an intended change to templates or page models, then review ``git diff tests/site/golden``
before committing: the diff is the change citizens will see.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.site.conftest import build_fixture_site
from tests.site.golden_pages import write_golden


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = build_fixture_site(Path(tmp) / "site")
        changed = write_golden(site)
    print("已更新：" + "、".join(changed) if changed else "黄金页面没有变化。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
