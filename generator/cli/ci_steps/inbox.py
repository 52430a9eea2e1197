"""The uploads of a pull request under ``inbox/<unit>/``: where they are, what kind, and are they safe.

Who controls an upload: anyone who can open a pull request (a clerk, or a stranger through a fork).
So everything here treats the file as hostile, and reads it through Git (``git show``), never
through the checkout, so a symbolic link can never make us read a file of the runner:

* place: exactly ``inbox/<unit>/<name>``, the unit one of the base branch's units, the name free of
  path characters; links and submodules under inbox/ are refused;
* size: the blob size is asked from Git before the blob is read;
* content: an ``.xlsx`` must really be a zip (HTML named .xlsx is refused), and every member of the zip
  is inflated here, counting bytes, before any spreadsheet library sees it: the real (not the
  declared) total size and each member's ratio are capped (zip bombs, overlapping members), only
  stored/deflated members are allowed, and sheet rows and formula cells are counted in the XML;
* formulas are never evaluated anywhere (the reader takes cached values); an upload with any formula
  cell is refused so what the clerk saw is what gets recorded.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from generator.gitrepo import GitRepo
from generator.intake.catalog import Problem, problem
from generator.intake.specs import SPECS
from generator.intake.tables import read_bytes, sheet_parts, sniff
from generator.records.common import UNIT_ID

INBOX = "inbox"
SUFFIXES = (".xlsx", ".xls", ".csv")
IGNORED = {"README.md", ".gitkeep"}  # the folder's own explanation, not an upload
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # forge web uploads stop at 25 MB; a county directory is ~5 MB
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # real inflated bytes of all zip members together
MAX_RATIO = 100  # inflated / compressed, for members over RATIO_FLOOR (sheet XML is 5-30x)
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 2000
MAX_ROWS = 200_000
NAME_OK = re.compile(r"[^\\/:*?\"<>|\x00-\x1f\x7f]+")
# UTF-8 bytes of a file name: the runner's file system stops at 255 (about 85 Chinese characters),
# and the converter writes the upload under its own name; a margin for the temporary copy.
MAX_NAME_BYTES = 200

# What a file name or a 说明 cell says about the kind (first match wins within a kind; a name that
# matches two kinds says nothing).
KEYWORDS = {
    "objects": ("检查对象", "对象", "objects"),
    "inspectors": ("执法检查人员", "执法人员", "检查人员", "inspectors"),
    "assistants": ("辅助人员", "assistants"),
    "items": ("抽查事项", "事项", "items"),
    "results": ("检查结果", "结果", "results"),
    "plans": ("年度抽查计划", "抽查计划", "年度计划", "plan"),
}


@dataclass
class Upload:
    path: str  # repository-relative
    unit: str = ""
    name: str = ""
    kind: str = ""
    data: bytes = b""
    problems: list[Problem] = field(default_factory=list)


def changed_uploads(repo: GitRepo, base_rev: str, head: str = "HEAD") -> list[str]:
    """Files under inbox/ that the pull request adds or changes (what is already on the base is not ours)."""
    return sorted(c.path for c in repo.diff(base_rev, head, INBOX) if c.status != "D")


def collect(repo: GitRepo, base_rev: str, paths: list[str], head: str = "HEAD") -> list[Upload]:
    """Each changed inbox file, checked; ``data`` is filled only when the file may be read."""
    special = {path for _, path in repo.special_entries(head, INBOX)}
    sizes = repo.sizes(head, INBOX)
    units = {
        PurePosixPath(p).parts[2] for p in repo.files(base_rev, "records/units") if p.endswith("/unit.yaml")
    }
    uploads = []
    for path in paths:
        parts = path.split("/")
        if parts[-1] in IGNORED and len(parts) <= 3:
            continue
        up = Upload(path)
        uploads.append(up)
        linked = special & {"/".join(parts[:i]) for i in range(2, len(parts) + 1)}
        if linked or path not in sizes:
            up.problems.append(problem("INBOX_LINK", path, path))
            continue
        if len(parts) != 3 or not NAME_OK.fullmatch(parts[2]) or parts[2].startswith((".", "-")):
            up.problems.append(problem("INBOX_PATH", path, path))
            continue
        why = name_problem(parts[2])
        if why:
            up.problems.append(problem("INBOX_NAME", path, parts[2], reason=why))
            continue
        up.unit, up.name = parts[1], parts[2]
        if not re.fullmatch(UNIT_ID, up.unit) or up.unit not in units:
            hint = "已登记的单位：" + "、".join(sorted(units)[:40]) + "。" if units else ""
            up.problems.append(problem("INBOX_UNIT_UNKNOWN", path, up.unit, hint=hint))
            continue
        suffix = PurePosixPath(up.name).suffix.lower()
        if suffix not in SUFFIXES:
            up.problems.append(problem("INBOX_FILE_TYPE", path, suffix or up.name))
            continue
        if sizes[path] > MAX_UPLOAD_BYTES:
            size, limit = _mb(sizes[path]), _mb(MAX_UPLOAD_BYTES)
            up.problems.append(problem("INBOX_TOO_LARGE", path, size, limit=limit))
            continue
        up.data = repo.show(head, path) or b""
        up.problems.extend(inspect(up.data, suffix, path))
        if not up.problems:
            up.kind = kind_of(up.name, up.data, suffix)
            if not up.kind:
                expected = "、".join(SPECS[k].label for k in KEYWORDS)
                up.problems.append(problem("INBOX_KIND_UNKNOWN", path, up.name, expected=expected))
    return uploads


def name_problem(name: str) -> str:
    """Why a file name cannot stand (too long for the runner, or characters nobody sees), or ""."""
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        return f"太长（{size} 字节，上限 {MAX_NAME_BYTES} 字节，约 {MAX_NAME_BYTES // 3} 个汉字）"
    hidden = [c for c in name if unicodedata.category(c) in ("Cf", "Co", "Cn", "Cs", "Zl", "Zp")]
    if hidden:
        shown = "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in hidden))
        return f"含有看不见的字符（{shown}，如文字方向控制符、零宽空格），显示的名字和真实的名字不一样"
    return ""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def inspect(data: bytes, suffix: str, where: str) -> list[Problem]:
    """Problems of the bytes themselves: wrong format for the name, bombs, too many rows, formulas."""
    found = sniff(data, suffix)
    names = {"xlsx": "压缩包（.xlsx）", "ole": "旧版 Excel（.xls）", "html": "网页（HTML）"}
    names |= {"xml2003": "Excel 2003 XML", "text": "文本"}
    allowed = {".xlsx": {"xlsx"}, ".csv": {"text"}, ".xls": {"ole", "html", "xml2003", "text", "xlsx"}}
    if found not in allowed[suffix]:
        return [problem("INBOX_NOT_SPREADSHEET", where, PurePosixPath(where).name, found=names[found])]
    if found == "xlsx":
        return scan_zip(data, where)
    rows = data.count(b"\n") if found == "text" else len(re.findall(rb"<(?:tr|row)[\s>]", data, re.I))
    if rows > MAX_ROWS:
        return [problem("INBOX_TOO_MANY_ROWS", where, rows, limit=MAX_ROWS)]
    return []


class _Bomb(Exception):
    pass


def inflate(data: bytes, info: zipfile.ZipInfo, budget: int, keep: bool = True) -> tuple[int, bytes]:
    """(real size, content if ``keep``) of a member, inflated from its local header on.

    The sizes in the zip directory are the uploader's claims; what a reader will actually produce
    is what the compressed stream inflates to, so that is what is counted — and inflating stops as
    soon as it passes ``budget`` or the ratio limit, so a bomb costs at most that much work."""
    offset = info.header_offset
    head = data[offset : offset + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("local header missing")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    start = offset + 30 + name_len + extra_len
    raw = data[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        if len(raw) > budget:
            raise _Bomb(f"解压后超过 {_mb(MAX_UNCOMPRESSED)}")
        return len(raw), raw if keep else b""
    ratio_cap = max(RATIO_FLOOR, MAX_RATIO * len(raw))
    inflater, out, size = zlib.decompressobj(-15), [], 0
    pending = raw
    while pending and not inflater.eof:
        chunk = inflater.decompress(pending, 1 << 20)
        pending = inflater.unconsumed_tail
        size += len(chunk)
        if size > budget:
            raise _Bomb(f"解压后超过 {_mb(MAX_UNCOMPRESSED)}")
        if size > ratio_cap:
            raise _Bomb(f"{info.filename[:60]} 压缩比超过 {MAX_RATIO}:1")
        if keep:
            out.append(chunk)
        if not chunk and not pending:
            break
    return size, b"".join(out)


class _Inflated:
    """What ``sheet_parts`` needs of a ZipFile (``read``), served from the bytes counted here."""

    def __init__(self, members: dict[str, bytes]):
        self.members = members

    def read(self, name: str) -> bytes:
        return self.members[name]


def scan_zip(data: bytes, where: str) -> list[Problem]:
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return [problem("IMPORT_FILE_UNREADABLE", where, detail=f"{type(exc).__name__}: {str(exc)[:80]}")]
    if len(infos) > MAX_MEMBERS:
        return [problem("INBOX_ZIP_BOMB", where, detail=f"{len(infos)} 个压缩成员")]
    total, kept = 0, {}
    for info in infos:
        if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            detail = f"压缩成员 {info.filename[:60]} 加密或使用了不支持的压缩方式"
            return [problem("IMPORT_FILE_UNREADABLE", where, detail=detail)]
        wanted = info.filename.endswith(".rels") or (
            info.filename.startswith("xl/") and info.filename.endswith(".xml")
        )
        try:
            size, content = inflate(data, info, MAX_UNCOMPRESSED - total, keep=wanted)
        except _Bomb as bomb:
            return [problem("INBOX_ZIP_BOMB", where, detail=str(bomb))]
        except (zipfile.BadZipFile, zlib.error) as exc:
            return [problem("IMPORT_FILE_UNREADABLE", where, detail=f"压缩数据损坏：{str(exc)[:60]}")]
        total += size
        if wanted:
            kept[info.filename] = content
    try:
        parts, _ = sheet_parts(_Inflated(kept))
    except (KeyError, SyntaxError, ValueError) as exc:
        return [problem("IMPORT_FILE_UNREADABLE", where, detail=f"{type(exc).__name__}: {str(exc)[:80]}")]
    rows, formulas = 0, []
    for name, part in parts.items():
        xml = kept.get(part, b"")
        rows += len(re.findall(rb"<(?:\w+:)?row[\s>/]", xml))
        formulas += [f"{name}!{ref}" for ref in formula_cells(xml)]
    if rows > MAX_ROWS:
        return [problem("INBOX_TOO_MANY_ROWS", where, rows, limit=MAX_ROWS)]
    if formulas:
        shown = "、".join(formulas[:10]) + (f" 等 {len(formulas)} 处" if len(formulas) > 10 else "")
        return [problem("INBOX_FORMULA", where, formulas[0], count=len(formulas), cells=shown)]
    return []


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')


def formula_cells(xml: bytes) -> list[str]:
    """A1 references of the cells holding a formula (``<f>`` inside ``<c r="…">``), in file order."""
    out = []
    for m in _FORMULA.finditer(xml):
        start = max(xml.rfind(b"<c ", 0, m.start()), xml.rfind(b":c ", 0, m.start()))
        ref = _CELL_REF.search(xml, start, m.start()) if start >= 0 else None
        out.append(ref.group(1).decode() if ref else "?")
    return out


def kind_of(name: str, data: bytes, suffix: str) -> str:
    """The kind the file name says, else the one a 说明 cell says; "" when neither says one clearly."""
    by_name = _kinds_in(PurePosixPath(name).stem)
    if len(by_name) == 1:
        return by_name.pop()
    sheets, _ = read_bytes(data, suffix, name)
    said = []
    for sheet in sheets:
        for row in sheet.rows[:5]:
            for cell in row[:10]:
                text = str(cell or "").strip()
                if sheet.name.strip() == "说明" or text.startswith("说明"):
                    said.append(text)
    explicit = {m for t in said for m in re.findall(r"--kind\s+([a-z]+)", t) if m in SPECS}
    if len(explicit) == 1:
        return explicit.pop()
    # "检查对象导入模板：在…表中填写" or "说明：检查结果" -> the words before the first colon that follows
    heads = [re.sub(r"^说明[:：\s]*", "", t).split("：")[0] for t in said]
    by_note = set().union(*(_kinds_in(h) for h in heads)) if heads else set()
    return by_note.pop() if len(by_note) == 1 else ""


def _kinds_in(text: str) -> set[str]:
    lowered = text.lower()
    return {kind for kind, words in KEYWORDS.items() if any(w in lowered for w in words)}
