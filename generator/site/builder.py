"""Build the site atomically: MkDocs + Pagefind into a temporary directory next to the target, then
swap. A failed build removes its temporary directory and leaves the previous site untouched."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "mkdocs.yml"
# Pinned when the caller sets none, so two builds of the same records are byte-identical.
DEFAULT_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


class BuildFailed(Exception):
    pass


def build_site(
    records: Path, out: Path, config_file: Path = CONFIG, quiet: bool = True, cache: Path | None = None
) -> Path:
    """Render ``records`` into ``out``. Raises BuildFailed (Chinese message) and keeps ``out`` as it was.
    ``cache``: a folder passed by ``build_cache.check_folder`` (work whose inputs are unchanged is
    reused from it: ``build_cache``)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from generator.corpus import collector_frozen_after_loading
    from generator.site import phases

    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    os.environ["SSJ_RECORDS"] = str(Path(records).resolve())
    from generator.site.build_cache import ENV

    if cache is None:
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = str(Path(cache).resolve())
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    logger = logging.getLogger("mkdocs")
    level = logger.level
    errors = _ErrorCollector()
    logger.addHandler(errors)
    if quiet:
        logger.setLevel(logging.WARNING)
    phases.reset()
    try:
        config = load_config(str(config_file), site_dir=str(tmp))
        with collector_frozen_after_loading(), phases.phase("合计"):
            build(config)
    except (MkDocsException, Exception) as e:  # noqa: B014 - MkDocs raises both kinds
        shutil.rmtree(tmp, ignore_errors=True)
        # MkDocs logs the real cause and raises a generic Abort; report the cause.
        raise BuildFailed("\n".join(errors.messages) or str(e)) from e
    finally:
        logger.setLevel(level)
        logger.removeHandler(errors)
    _swap(tmp, out)
    return out


class _ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` with ``new`` by two renames; the old tree is removed only afterwards."""
    new.chmod(0o755)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    new.rename(out)
    if old is not None:
        _remove_in_background(out.parent, f".{out.name}.old-")


def _remove_in_background(parent: Path, prefix: str) -> None:
    """Delete the replaced trees (and any a crash left behind) in a detached process.

    Unlinking tens of thousands of files took longer than rendering them; the new site is already in
    place, so nobody needs to wait for that."""
    from generator import parallel

    script = (
        "import shutil, sys, pathlib\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).glob(sys.argv[2] + '*')):\n"
        "    shutil.rmtree(p, ignore_errors=True)\n"
    )
    parallel.detach(script, str(parent), prefix)
