"""The attack on serve's rule cache (site/rule_cache.py): after any sequence of edits to a records tree,
the findings the cached runner gives equal a fresh full validation's — same codes, files, lines,
columns, values and messages, in the same order — and no finding outlives the edit that removed its
cause.

A seeded random walk over a copy of the bundled sample ``records/``, each edit kind dealt once per
round: result texts (half a mobile in one file and its other half in another — joined_numbers'
FILE_PART —, a declared conflict told by id or by the object's name — conflict_text's CONTEXT —, a
mobile, a control character), a line added on top, a result filed in another unit's name, object
rows (duplicated, copied to another unit with a fact changed, a firm under a second id, renamed, a
lower-case code, a row of the conflicted object — same_object), inspector and assistant rows (a
declared conflict added or removed, a certificate that ends early, a name, a duplicate), a task's
name, participants or items, a unit's names, county.yaml's entry deadline, broken files (not YAML,
no entries, a bad date, a directory cut to its header or to a short row), renamed, deleted, added
and reverted files. After each step the cached findings are compared with ``validate_corpus`` on a
fresh load; at the end every edit is reverted and the findings are the first ones again."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from generator.corpus import load
from generator.site.record_cache import RecordCache
from generator.validation import validate_corpus

RECORDS = Path(__file__).resolve().parents[2] / "records"

# Object ids named in conflicts, and a person who may declare one (rules/conflict_text.py)
CONFLICT_PERSON = "SCJG-003"
CONFLICT_OBJECT = "91321323MADU1Y9972"

PAYLOADS = (
    "已当场责令改正，负责人手机 138 00138",  # a mobile's first half ...
    "000 号回执已告知，未发现问题",  # ... and its second, in another file
    "131 2345",
    "6789 号整改通知书已送达",
    f"{CONFLICT_PERSON}与{CONFLICT_OBJECT}有利害关系，已回避",
    f"江娟与{CONFLICT_OBJECT}共用后厨",
    "苏明子与泗阳县芃岫彩印有限公司有利害关系",  # SCJG-002 names the conflicted object by its name
    "泗阳县甲乙丙商店已整改",
    "联系人 13812345678",
    '"留样不全\\x0b已改正"',
    "冷藏柜内缺 2 份留样。",
)


def _findings(found) -> list[tuple]:
    return [(f.code, f.file, f.line, f.column, f.path, str(f.value), f.message) for f in found]


class Walk:
    """A records tree under random edits, each one undoable."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng = root, rng
        self.original: dict[str, bytes | None] = {}  # relative path -> bytes before the first edit
        self.log: list[str] = []
        self.deck: list[str] = []

    # -- helpers -------------------------------------------------------------------------------

    def _files(self, pattern: str) -> list[Path]:
        return sorted(self.root.glob(pattern))

    def _pick(self, pattern: str) -> Path | None:
        files = self._files(pattern)
        return self.rng.choice(files) if files else None

    def _remember(self, path: Path) -> None:
        rel = path.relative_to(self.root).as_posix()
        if rel not in self.original:
            self.original[rel] = path.read_bytes() if path.exists() else None

    def _write(self, path: Path, text: str) -> None:
        self._remember(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # -- edits ---------------------------------------------------------------------------------

    def result_text(self) -> str | None:
        path = self._pick("units/*/results/*.yaml")
        if path is None:
            return None
        lines = path.read_text(encoding="utf-8").splitlines(True)
        at = [i for i, x in enumerate(lines) if x.startswith("  findings: ")]
        if not at:
            return None
        i = self.rng.choice(at)
        lines[i] = f"  findings: {self.rng.choice(PAYLOADS)}\n"
        self._write(path, "".join(lines))
        return f"findings of {self._rel(path)}:{i + 1} -> {lines[i].strip()}"

    def result_shift(self) -> str | None:
        path = self._pick("units/*/results/*.yaml")
        if path is None:
            return None
        self._write(path, "# 新增一行\n" + path.read_text(encoding="utf-8"))
        return f"line added at the top of {self._rel(path)}"

    def result_unit(self) -> str | None:
        path = self._pick("units/*/results/*.yaml")
        if path is None:
            return None
        text = path.read_text(encoding="utf-8")
        unit = self.rng.choice(["market", "health", "education"])
        lines = text.splitlines(True)
        at = [i for i, x in enumerate(lines) if x.startswith("unit: ")]
        if not at:
            return None
        lines[at[0]] = f"unit: {unit}\n"
        self._write(path, "".join(lines))
        return f"unit of {self._rel(path)} -> {unit}"

    def _csv(self, pattern: str) -> tuple[Path, list[str]] | None:
        path = self._pick(pattern)
        if path is None:
            return None
        lines = path.read_text(encoding="utf-8").splitlines(True)
        return (path, lines) if len(lines) > 1 else None

    def object_row(self) -> str | None:
        got = self._csv("units/*/objects.csv")
        if got is None:
            return None
        path, lines = got
        i = self.rng.randrange(1, len(lines))
        cells = lines[i].rstrip("\n").split(",")
        if len(cells) < 10:  # a row cut short by ``broken``
            return None
        how = self.rng.choice(["dup", "elsewhere", "second_id", "name", "township", "lower", "conflicted"])
        target = path
        if how == "dup":
            lines.insert(i + 1, lines[i])
        elif how in ("elsewhere", "conflicted"):
            if how == "conflicted":
                cells[0], cells[2] = CONFLICT_OBJECT, self.rng.choice(["泗阳县甲乙丙商店", "泗阳县丁戊商行"])
            else:
                cells[4] = self.rng.choice(["王集镇", "众兴街道", "爱园镇"])
            target = self._pick("units/*/objects.csv") or path
            self._remember(target)
            other = target.read_text(encoding="utf-8").splitlines(True) if target != path else lines
            other.append(",".join(cells) + "\n")
            if target != path:
                self._write(target, "".join(other))
                return f"row {cells[0]} of {self._rel(path)} copied to {self._rel(target)}"
        elif how == "second_id":
            cells[0] = cells[0][:-3] + self.rng.choice(["00A", "11B", "X7Y"])
            lines.insert(i + 1, ",".join(cells) + "\n")
        elif how == "name":
            cells[2] = cells[2] + self.rng.choice(["（仓库）", "分店", "138"])
            lines[i] = ",".join(cells) + "\n"
        elif how == "township":
            cells[4] = self.rng.choice(["王集镇", "众兴街道", "爱园镇"])
            lines[i] = ",".join(cells) + "\n"
        else:
            cells[0] = cells[0].lower()
            lines[i] = ",".join(cells) + "\n"
        self._write(path, "".join(lines))
        return f"object row {how} in {self._rel(path)}:{i + 1}"

    def inspector_row(self) -> str | None:
        got = (
            self._csv("units/*/inspectors.csv")
            if self.rng.random() < 0.8
            else self._csv("units/*/assistants.csv")
        )
        if got is None:
            return None
        path, lines = got
        i = self.rng.randrange(1, len(lines))
        cells = lines[i].rstrip("\n").split(",")
        how = self.rng.choice(["conflict", "conflict", "unconflict", "expires", "name", "dup"])
        if how == "conflict":
            cells[-1] = self.rng.choice([CONFLICT_OBJECT, CONFLICT_OBJECT.lower(), self._some_object_id()])
        elif how == "unconflict":
            cells[-1] = ""
        elif how == "expires" and "inspectors" in path.name:
            cells[5] = "2026-04-21"
        elif how == "name":
            cells[1] = cells[1] + "华"
        else:
            how = "dup"
            lines.insert(i + 1, lines[i])
        if how != "dup":
            lines[i] = ",".join(cells) + "\n"
        self._write(path, "".join(lines))
        return f"inspector row {how} in {self._rel(path)}:{i + 1} -> {lines[i].strip()}"

    def _some_object_id(self) -> str:
        path = self._pick("units/*/results/*.yaml")
        ids = (
            [
                x.split(": ", 1)[1].strip()
                for x in path.read_text(encoding="utf-8").splitlines()
                if x.startswith("- object: ")
            ]
            if path
            else []
        )
        return self.rng.choice(ids) if ids else CONFLICT_OBJECT

    def task(self) -> str | None:
        path = self._pick("units/*/tasks/*.yaml")
        if path is None:
            return None
        text = path.read_text(encoding="utf-8")
        how = self.rng.choice(["name", "participants", "items"])
        if how == "name":
            name = self.rng.choice(["0013 8000 专项抽查", "2026 年专项抽查", "8000 号专项抽查"])
            text = _first_line_set(text, "name: ", f"name: {name}\n")
            if text is None:
                return None
        elif how == "participants":
            text = text.replace("participants: [", "participants: [health, ", 1)
        else:
            text = text.replace("items: [", "items: [SCJG-04, ", 1)
        self._write(path, text)
        return f"task {how} in {self._rel(path)}"

    def unit(self) -> str | None:
        path = self._pick("units/*/unit.yaml")
        if path is None:
            return None
        field = self.rng.choice(["name", "legal_name", "short_name"])
        value = self.rng.choice(["县市场监管局", "泗阳县某局第138", "苏明子办公室", "市场监管"])
        text = _first_line_set(path.read_text(encoding="utf-8"), field + ": ", f"{field}: {value}\n")
        if text is None:
            return None
        self._write(path, text)
        return f"{field} of {self._rel(path)} -> {value}"

    def county(self) -> str | None:
        path = self.root / "county.yaml"
        days = self.rng.choice([2, 5, 10, 30])
        text = _first_line_set(
            path.read_text(encoding="utf-8"),
            "  result_entry_working_days:",
            f"  result_entry_working_days: {days}\n",
        )
        if text is None:
            return None
        self._write(path, text)
        return f"county.yaml entry days -> {days}"

    def broken(self) -> str | None:
        path = self._pick(self.rng.choice(["units/*/results/*.yaml", "units/*/objects.csv"]))
        if path is None:
            return None
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".csv":
            how = self.rng.choice(["header only", "a short row"])
            text = text.splitlines(True)[0] + (
                "" if how == "header only" else "91321323MA00000000,统一社会信用代码\n"
            )
        else:
            how = self.rng.choice(["not YAML", "no entries", "a bad date"])
            if how == "not YAML":
                text += "\n: [\n"
            elif how == "no entries":
                text = text.split("entries:", 1)[0] + "entries: []\n"
            else:
                text = text.replace("inspected_on: 2026-0", "inspected_on: 2026-1", 1)
        self._write(path, text)
        return f"{self._rel(path)}: {how}"

    def rename(self) -> str | None:
        path = self._pick("units/*/results/*.yaml")
        if path is None:
            return None
        unit = self.rng.choice(["market", "health", path.parent.parent.name])
        name = self.rng.choice([path.name, path.name.replace(".yaml", "-b.yaml")])
        target = self.root / "units" / unit / "results" / name
        if target.exists():
            return None
        self._remember(path)
        self._remember(target)
        path.rename(target)
        return f"{self._rel(path)} renamed {self._rel(target)}"

    def delete(self) -> str | None:
        pattern = self.rng.choice(["units/*/results/*.yaml", "units/*/objects.csv", "units/*/inspectors.csv"])
        path = self._pick(pattern)
        if path is None:
            return None
        self._remember(path)
        path.unlink()
        return f"{self._rel(path)} deleted"

    def add(self) -> str | None:
        pattern = self.rng.choice(["units/*/results/*.yaml", "units/*/results/*.yaml", "units/*/objects.csv"])
        path = self._pick(pattern)
        if path is None:
            return None
        unit = self.rng.choice(["market", "health", "education", "tax"])
        if path.name == "objects.csv":
            target = self.root / "units" / unit / "objects.csv"
        else:
            target = self.root / "units" / unit / "results" / path.name
        if target.exists():
            target = target.with_name(target.stem + "-new" + target.suffix)
            if target.exists():
                return None
        self._write(target, path.read_text(encoding="utf-8"))
        return f"{self._rel(path)} copied as {self._rel(target)}"

    def revert(self) -> str | None:
        changed = [
            rel
            for rel, before in sorted(self.original.items())
            if (self.root / rel).exists() != (before is not None)
            or (before is not None and (self.root / rel).read_bytes() != before)
        ]
        if not changed:
            return None
        rel = self.rng.choice(changed)
        before, path = self.original[rel], self.root / rel
        if before is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(before)
        return f"{rel} reverted"

    EDITS = (
        "result_text",
        "result_text",
        "result_text",
        "result_shift",
        "result_unit",
        "object_row",
        "object_row",
        "inspector_row",
        "inspector_row",
        "task",
        "unit",
        "county",
        "broken",
        "rename",
        "delete",
        "add",
        "revert",
        "revert",
    )

    def step(self) -> str:
        """One edit, dealt from a shuffled deck of the kinds above (every kind comes up once per
        round); a kind that finds nothing to edit (a revert with nothing changed) passes its turn."""
        while True:
            if not self.deck:
                self.deck = list(self.EDITS)
                self.rng.shuffle(self.deck)
            done = getattr(self, self.deck.pop())()
            if done is not None:
                self.log.append(done)
                return done

    def revert_all(self) -> None:
        for rel, before in sorted(self.original.items()):
            path = self.root / rel
            if before is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(before)
        self.log.append("every edit reverted")


def compare(root: Path, cache: RecordCache) -> tuple[list, list]:
    corpus = load(root, cache=cache)
    cached = _findings(validate_corpus(corpus, cache.rules.runner(corpus, cache.signatures)))
    fresh = _findings(validate_corpus(load(root)))
    return cached, fresh


def walk(root: Path, seed: int, steps: int) -> list[str]:
    """``steps`` random edits of the tree at ``root``, then every edit reverted: after each, the
    cached findings equal a fresh validation's; at the end, the findings before the first edit.
    The edits made, in order."""
    cache = RecordCache()
    walker = Walk(root, random.Random(seed))
    clean, fresh = compare(root, cache)
    assert clean == fresh
    for n in range(steps + 1):
        if n < steps:
            walker.step()
        else:
            walker.revert_all()
        cached, fresh = compare(root, cache)
        if cached != fresh:
            stale = [f for f in cached if f not in fresh]
            missing = [f for f in fresh if f not in cached]
            raise AssertionError(
                f"seed {seed}, step {n}: {walker.log}\nstale: {stale}\nmissing: {missing}"
                + ("\n(order differs)" if not stale and not missing else "")
            )
    assert cached == clean
    return walker.log


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798675200")
    monkeypatch.chdir(tmp_path)  # display prefixes relative to here, as serve shows them
    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    return root


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_keep_the_cached_findings_equal_to_a_fresh_validation(tree, seed):
    walk(tree, seed, 8)


def _first_line_set(text: str, start: str, line: str) -> str | None:
    """``text`` with its first line starting with ``start`` replaced by ``line``; None if none does."""
    lines = text.splitlines(True)
    at = next((i for i, x in enumerate(lines) if x.startswith(start)), None)
    if at is None:
        return None
    lines[at] = line
    return "".join(lines)
