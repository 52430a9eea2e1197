"""libyaml's English error messages in Chinese, with the place an official should look at.

libyaml reports a *problem* ("did not find expected key") in a *context* ("while parsing a block
mapping"), each with a mark. The table below maps (context, problem) pairs to a Chinese explanation
and says which mark is the useful one: for an unclosed quote the problem mark is the end of the file,
while the context mark is where the quote was opened. Anything not in the table still gets a Chinese
sentence with the original wording in brackets, so a new libyaml message never reaches a clerk bare.
"""

from __future__ import annotations

import yaml

# (context prefix or None for any, problem prefix) -> (Chinese explanation, use the context mark?)
_TABLE: tuple[tuple[str | None, str, str, bool], ...] = (
    (
        "while scanning a quoted scalar",
        "found unexpected end of stream",
        "引号没有闭合：从这里开始的引号直到文件末尾都没有对应的结束引号",
        True,
    ),
    (
        "while scanning a quoted scalar",
        "found unexpected document indicator",
        "引号没有闭合：从这里开始的引号在遇到“---”或“...”之前没有结束",
        True,
    ),
    (
        None,
        "found unknown escape character",
        "双引号中的反斜杠“\\”后面跟了不认识的字符；如要写反斜杠本身请写成“\\\\”或改用单引号",
        False,
    ),
    (None, "found unexpected end of stream", "文件意外结束，可能缺少引号、括号或内容", False),
    (
        None,
        "mapping values are not allowed",
        "这里不能出现“键: 值”，通常是上一行缩进不对或值中含有未加引号的冒号（含冒号的值请加英文引号）",
        False,
    ),
    (None, "could not find expected ':'", "找不到应有的冒号“:”，或一个值跨了多行而没有加引号", False),
    (
        "while parsing a block mapping",
        "did not find expected key",
        "缩进不对：这一行的缩进与上面同一层级的字段不一致（同一层级的字段必须左对齐，只能用空格）",
        False,
    ),
    (
        "while parsing a block collection",
        "did not find expected '-' indicator",
        "缩进不对：列表中的每一项都应以同样缩进的“- ”开头",
        False,
    ),
    (None, "did not find expected key", "缩进不对或缺少字段名", False),
    (None, "did not find expected node content", "这里缺少值，或出现了不能作为值开头的字符", False),
    (
        None,
        "did not find expected ',' or ']'",
        "方括号列表“[ ]”没有正确结束：缺少“]”或项之间缺少英文逗号",
        True,
    ),
    (
        None,
        "did not find expected ',' or '}'",
        "花括号映射“{ }”没有正确结束：缺少“}”或项之间缺少英文逗号",
        True,
    ),
    (None, "block sequence entries are not allowed", "这里不能出现列表项“- ”，通常是缩进不对", False),
    (
        None,
        "expected a single document",
        "一个文件只能有一份记录：请删除“---”之后的第二份内容，或拆成两个文件",
        False,
    ),
    (None, "found undefined tag handle", "出现了不认识的标签（以“!”开头）。记录中不需要标签，请删除", False),
    (None, "found unknown directive name", "出现了不认识的指令（以“%”开头的行）。请删除该行", False),
    (None, "found incompatible YAML document", "不支持的 YAML 版本声明。请删除“%YAML”行", False),
    (None, "found duplicate", "重复的声明。请删除重复的行", False),
    (None, "exceeded maximum nesting depth", "嵌套层数过多。记录只需要很少几层嵌套，请检查括号", False),
    (
        None,
        "found undefined alias",
        "引用了未定义的锚点（“*”开头）。记录中不能使用锚点和引用，请写出完整的值",
        False,
    ),
    (None, "while scanning an anchor", "锚点写法不对。记录中不能使用锚点，请删除“&”", False),
    (None, "while scanning an alias", "引用写法不对。记录中不能使用引用，请删除“*”或给值加引号", False),
    (
        None,
        "did not find expected comment or line break",
        "值后面多了内容：含空格或特殊字符的值请整体加英文引号",
        False,
    ),
    (None, "found a tab character", "含有制表符（Tab），YAML 只能用空格缩进", False),
    (None, "found unexpected ':'", "冒号位置不对：含冒号的值请加英文引号", False),
    (None, "did not find expected hexdecimal number", "双引号中的“\\x”“\\u”转义后面应是十六进制数字", False),
    (None, "did not find URI escaped octet", "标签写法不对。记录中不需要标签，请删除", False),
    (None, "did not find expected tag URI", "标签写法不对。记录中不需要标签，请删除", False),
    (None, "found a document separator", "多余的“---”或“...”分隔线", False),
)

# What a character at the problem mark means when libyaml only says "cannot start any token".
_BAD_START = {
    "\t": "含有制表符（Tab），YAML 只能用空格缩进，请把 Tab 换成空格",
    "@": "“@”不能作为值的开头，请给这个值加英文引号",
    "`": "反引号“`”不能作为值的开头，请给这个值加英文引号",
    "%": "“%”不能作为值的开头，请给这个值加英文引号",
}


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """(line, column, Chinese explanation) for a libyaml error; 1-based, never (0, 0)."""
    context = (exc.context or "").strip()
    problem = (exc.problem or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if problem.startswith("found character that cannot start any token") and mark is not None:
        char = _char_at(text, mark.index)
        detail = _BAD_START.get(char, f"字符“{char}”不能作为值的开头，请给这个值加英文引号")
        return _pos(mark) + (detail,)
    unclosed = _unclosed_quote_before(text, mark.line if mark is not None else 0)
    if unclosed is not None and not context.startswith("while scanning a quoted scalar"):
        line, col = unclosed
        end = mark.line + 1 if mark is not None else line
        return line, col, f"这一行的英文引号没有闭合，引号内的内容一直延续到了第 {end} 行"
    for ctx_prefix, prob_prefix, chinese, use_context in _TABLE:
        if ctx_prefix is not None and not context.startswith(ctx_prefix):
            continue
        if problem.startswith(prob_prefix) or context.startswith(prob_prefix):
            chosen = exc.context_mark if use_context and exc.context_mark is not None else mark
            line, col = _pos(chosen)
            if use_context and exc.problem_mark is not None and chosen is exc.context_mark:
                chinese += f"（解析到第 {exc.problem_mark.line + 1} 行时发现）"
            return line, col, chinese
    english = "; ".join(x for x in (context, problem) if x) or "unknown"
    return _pos(mark) + (f"无法解析这里的写法，请检查缩进、冒号和引号（解析器原文：{english}）",)


def explain_reader(exc: yaml.reader.ReaderError, text: str) -> tuple[int, int, str]:
    """A character the YAML reader refuses (control characters, some non-characters)."""
    line = text.count("\n", 0, exc.position) + 1
    col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return line, col, f"含有不允许的控制字符 U+{char:04X}（第 {line} 行第 {col} 列），请删除该字符"


def _unclosed_quote_before(text: str, error_line: int) -> tuple[int, int] | None:
    """The first line before ``error_line`` (0-based) whose value opens a double quote and does not
    close it: a quoted value silently runs on over the next lines, and libyaml only notices later.
    """
    for number, line in enumerate(text.split("\n")[:error_line]):
        stripped = line.split(" #", 1)[0]
        if stripped.lstrip().startswith("#"):
            continue
        if (stripped.count('"') - stripped.count('\\"')) % 2 == 1:
            return number + 1, stripped.index('"') + 1
    return None


def _char_at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else "?"


def _pos(mark) -> tuple[int, int]:
    if mark is None:
        return (1, 1)
    return (mark.line + 1, mark.column + 1)
