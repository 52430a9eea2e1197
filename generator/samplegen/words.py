"""Word lists for synthetic names. Every name in the sample tree is assembled from these lists,
so tests can prove no name was typed in by hand (and none copies a real company or person).

Trade names (字号) pair two characters chosen for being unusual together; people's names pair a
common surname with one or two given-name characters.
"""

from __future__ import annotations

import re

COUNTY_PREFIX = "泗阳县"
BRAND_FIRST = "青澄栎岚沐柘苇棠菁泓砚槿朴蔚芃翊"
BRAND_SECOND = "禾川岭湾泽源翎舟芮岫汀桐曦珂榆苒"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "子涵宇轩思远浩然雨欣嘉怡俊杰晓峰文博佳琪志强海燕丽娟明辉建国红梅春雷秋月冬梅晨阳慧敏"
ROADS = ("育才", "安澜", "清风", "和顺", "兴盛", "长乐", "景明", "致远", "瑞禾", "临川")
PERSONAL_SUFFIXES = ("店", "经营部", "馆", "坊")
COMPANY_SUFFIXES = ("有限公司", "有限责任公司")


def brands() -> list[str]:
    return [a + b for a in BRAND_FIRST for b in BRAND_SECOND if a != b]


def person_name(rng) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def address(rng, township: str) -> str:
    return f"{township}{rng.choice(ROADS)}路{rng.randint(1, 399)}号"


def name_pattern(industries: list[str], extra_suffixes: list[str], townships: list[str]) -> re.Pattern:
    """The shape of every synthetic name, for tests: prefix, optional township, brand, words."""
    alt = lambda words: "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))  # noqa: E731
    suffixes = list(PERSONAL_SUFFIXES) + list(COMPANY_SUFFIXES) + extra_suffixes
    return re.compile(
        rf"({re.escape(COUNTY_PREFIX)})?({alt(townships)})?({alt(brands())})(牌)?({alt(industries)})"
        rf"({alt(suffixes)})?(（({alt(townships)})(第[1-9][0-9]*分部)?）)?"
    )


PERSON_PATTERN = re.compile(rf"[{SURNAMES}][{GIVEN}]{{1,2}}")
