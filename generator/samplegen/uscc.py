"""Synthetic 统一社会信用代码 (GB 32100-2015) for sample objects.

The check character comes from the validator in generator/rules/uscc.py, so generated codes are
valid by the same rule that checks them. Positions 9–17 also carry a correct GB 11714
organisation-code check, which real codes have and an optional stricter rule may test.

>>> import random
>>> from generator.rules.uscc import check_uscc
>>> check_uscc(make(random.Random(1), "9", "1", "321323"))[1] is None
True
"""

from __future__ import annotations

import random

from generator.rules.uscc import CHARSET, check_digit

ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_check_char(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation-code body (A=10 … Z=35).

    >>> org_check_char("74555531")
    '8'
    """
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def make(rng: random.Random, registry: str, category: str, region: str) -> str:
    """A synthetic, well-formed code; newer registrations look like ``MA…`` bodies."""
    if rng.random() < 0.6:
        body = "MA" + "".join(rng.choice(CHARSET) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = f"{registry}{category}{region}{body}{org_check_char(body)}"
    return first17 + check_digit(first17)
