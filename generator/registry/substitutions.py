"""Substitutes for drawn officers (protocol §11, issue 13): ``draws/<year>/<id>/substitutions.yaml``.

A department whose drawn officer cannot serve appends a substitution by pull request: the object,
the replaced officer, the substitute, the reason and the date. The substitute is not chosen: it is
the next id of ``substitute_order`` (generator/draw/substitutes.py), computed from the published
bundle, so ``validate`` here, the engine and ``verify_draw.py DRAW.json SUBSTITUTIONS.json`` agree.
Called by validation (a layer above the rules: it rebuilds the public bundle from the draw files).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.draw import DrawError
from generator.draw.substitutes import check_substitutions
from generator.errors import Finding, finding

CODES = {
    "object": "SUBSTITUTE_OBJECT_NOT_DRAWN",
    "replaced": "SUBSTITUTE_REPLACED_NOT_ON_TEAM",
    "substitute": "SUBSTITUTE_NOT_NEXT",
}


def substitution_findings(corpus) -> Iterator[Finding]:
    from generator.registry.run import public_bundle, read

    for record in corpus.of("draw_substitutions"):
        draw_id, entries = record.data.get("id"), record.data.get("substitutions")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            continue  # the schema check already reported the shape
        try:
            files = read(corpus.root, draw_id)
        except (OSError, ValueError, KeyError, TypeError):
            files = None
        if files is None or not files.result:
            yield finding("SUBSTITUTION_WITHOUT_DRAW", record.file, *record.loc("id"), "id", draw_id)
            continue
        drawn_on = files.result.get("drawn_on")
        for i, entry in enumerate(entries):
            day = entry.get("date")
            if isinstance(day, dt.date) and isinstance(drawn_on, dt.date) and day < drawn_on:
                path = ("substitutions", i, "date")
                yield finding(
                    "SUBSTITUTE_DATE_BEFORE_DRAW",
                    record.file,
                    *record.loc(*path),
                    path,
                    day.isoformat(),
                    expected=drawn_on.isoformat(),
                )
        try:
            bundle = public_bundle(files)
            problems = check_substitutions(bundle, entries)
        except (DrawError, KeyError, TypeError, ValueError, IndexError) as exc:
            message = getattr(exc, "message", None) or f"{type(exc).__name__}"
            yield finding(
                "SUBSTITUTION_WITHOUT_DRAW", record.file, *record.loc("id"), "id", draw_id, detail=message
            )
            continue
        for i, field, expected in problems:
            path = ("substitutions", i, field)
            yield finding(
                CODES[field],
                record.file,
                *record.loc(*path),
                path,
                entries[i].get(field),
                object=entries[i].get("object"),
                expected=expected,
            )
