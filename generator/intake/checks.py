"""Row rules that need only the row itself and county.yaml's dictionaries.

They run at import so a clerk sees them by cell (``检查对象名录!E17``); the repository-level check
afterwards (generator/intake/repo_check.py) runs every ``validate`` rule on the would-be tree.
"""

from __future__ import annotations

from generator.intake.catalog import Problem, problem
from generator.intake.specs import Spec
from generator.rules.uscc import check_uscc


def looks_like_excel_number(code: str) -> bool:
    """18 digits ending in zeros: what Excel leaves of a code it stored as a number (15 significant)."""
    return code.isdigit() and len(code) >= 16 and len(code.rstrip("0")) <= 15


def row_rules(spec: Spec, data: dict, raw: dict, ctx, where_of, problems: list[Problem]) -> None:
    """Rules that need only this row (and county.yaml's dictionaries)."""
    if spec.kind == "objects":
        if data.get("id") and data.get("id_kind", "统一社会信用代码") == "统一社会信用代码":
            normalised, bad, expected = check_uscc(str(raw.get("id")))
            if not bad and looks_like_excel_number(normalised):
                problems.append(problem("IMPORT_CODE_ZEROS", where_of("id"), normalised))
            if bad == "check" and looks_like_excel_number(normalised):
                # No check-digit advice for a damaged code: it invites inventing one that passes.
                label = next(f.label for f in spec.fields if f.name == "id")
                problems.append(
                    problem(
                        "IMPORT_CODE_AS_NUMBER", where_of("id"), normalised, label=label, shown=normalised
                    )
                )
                data.pop("id", None)
            elif bad == "check":
                problems.append(
                    problem(
                        "USCC_CHECK_DIGIT",
                        where_of("id"),
                        normalised,
                        expected=expected,
                        found=normalised[17],
                    )
                )
                data.pop("id", None)
            elif bad:
                problems.append(problem("USCC_FORMAT", where_of("id"), normalised, detail=bad))
                data.pop("id", None)
            elif normalised != data["id"]:
                problems.append(
                    problem("USCC_NORMALISED", where_of("id"), raw.get("id"), expected=normalised)
                )
                data["id"] = normalised
        township = data.get("township")
        if township and township not in ctx.townships:
            problems.append(
                problem(
                    "IMPORT_TOWNSHIP_UNKNOWN",
                    where_of("township"),
                    township,
                    expected="、".join(ctx.townships),
                )
            )
    if spec.kind == "inspectors":
        for township in data.get("townships") or ():
            if township not in ctx.townships:
                problems.append(
                    problem(
                        "IMPORT_TOWNSHIP_UNKNOWN",
                        where_of("townships"),
                        township,
                        expected="、".join(ctx.townships),
                    )
                )
    if spec.kind == "items":
        for method in data.get("methods") or ():
            if ctx.methods and method not in ctx.methods:
                problems.append(
                    problem(
                        "IMPORT_METHOD_UNKNOWN", where_of("methods"), method, expected="、".join(ctx.methods)
                    )
                )
    if spec.kind in ("inspectors", "assistants") and data.get("unit") and data["unit"] != ctx.unit:
        label = next(f.label for f in spec.fields if f.name == "unit")
        problems.append(
            problem("IMPORT_UNIT_MISMATCH", where_of("unit"), data["unit"], label=label, unit=ctx.unit)
        )
    pairs = {
        "inspectors": ("badge_valid_from", "badge_valid_to"),
        "items": ("effective_from", "effective_to"),
        "results": ("inspected_on", "entered_on"),
    }
    if spec.kind in pairs:
        first, last = pairs[spec.kind]
        if data.get(first) and data.get(last) and data[last] < data[first]:
            labels = {f.name: f.label for f in spec.fields}
            problems.append(
                problem(
                    "IMPORT_DATE_ORDER",
                    where_of(last),
                    data[last].isoformat(),
                    label=labels[last],
                    other_label=labels[first],
                    other=data[first].isoformat(),
                )
            )
    if spec.kind == "items" and data.get("category") == "一般" and not raw.get("ratio_cap"):
        problems.append(problem("ITEM_RATIO_CAP_MISSING", where_of("ratio_cap"), data.get("code", "")))
    if spec.kind == "results" and ctx.categories and data.get("categories"):
        by_code = {str(c.get("code")): str(c.get("code")) for c in ctx.categories}
        by_label = {str(c.get("label")): str(c.get("code")) for c in ctx.categories}
        mapped = []
        for value in data["categories"]:
            code = by_code.get(value) or by_label.get(value)
            if code is None:
                expected = "、".join(f"{c.get('code')} {c.get('label')}" for c in ctx.categories)
                problems.append(
                    problem("IMPORT_CATEGORY_UNKNOWN", where_of("categories"), value, expected=expected)
                )
            elif code not in mapped:
                mapped.append(code)
        data["categories"] = mapped
