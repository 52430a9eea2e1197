"""The wall clock of CI steps, overridable for tests (``--now``): Unix seconds or ISO 8601."""

from __future__ import annotations

import datetime as dt
import time

from generator.calendar import CHINA, beijing_today


def parse_now(text: str | None) -> int:
    """Unix seconds from ``text`` (digits, or ISO 8601; naive times are Beijing time); now if empty.

    >>> parse_now("2026-05-01T08:00:00+08:00")
    1777593600
    >>> parse_now("1777593600")
    1777593600
    """
    if not text:
        return int(time.time())
    if text.isdigit() and text.isascii():
        return int(text)
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return int(moment.timestamp())


def moment(text: str) -> str:
    """An argparse ``type`` for ``--now`` and ``--drand-at``: ``text`` unchanged when ``parse_now``
    reads it as a time the calendar can show, else ValueError (argparse's Chinese usage error, exit
    2, instead of an internal error after the records were read).

    >>> moment("2026-05-01T08:00:00+08:00"), moment("1777593600")
    ('2026-05-01T08:00:00+08:00', '1777593600')
    """
    try:
        today(parse_now(text))
    except (ValueError, OverflowError, OSError) as exc:
        raise ValueError(text) from exc
    return text


def today(now: int) -> dt.date:
    return beijing_today(now)
