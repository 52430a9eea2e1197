"""The command line as an official meets it: exit codes, grouped output, exact Chinese wording."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from generator.cli import _help, build_parser, commands, main, new
from generator.corpus import load
from generator.records import BY_NAME, KINDS
from generator.starter import starter_text
from tests.support.tree import BASE


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_validate_passes_on_the_complete_tree(full_tree, capsys):
    code, out = run(capsys, "validate", "--records", str(full_tree))
    assert code == 0
    assert out.strip().endswith("校验通过：0 个错误，0 个警告。")


def test_validate_collects_every_error_before_exiting_1(full_tree, capsys):
    unit = full_tree / "units/health/unit.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("order: 2", "order: 二\nfoo: 1"), encoding="utf-8"
    )
    plan = full_tree / "units/market/plans/2026.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("ratio: 40%", "ratio: 四成"), encoding="utf-8")
    code, out = run(capsys, "validate", "--records", str(full_tree))
    assert code == 1
    assert "FIELD_TYPE" in out and "FIELD_UNKNOWN" in out and "FIELD_RATIO" in out
    assert "校验未通过：3 个错误，0 个警告。" in out


def test_exact_wording_of_a_check_digit_error(full_tree, capsys):
    objects = full_tree / "units/market/objects.csv"
    objects.write_text(
        objects.read_text(encoding="utf-8").replace("9132132323GD5QA4XJ", "9132132323GD5QA4XK"),
        encoding="utf-8",
    )
    _, out = run(capsys, "validate", "--records", str(full_tree))
    assert (
        f"{full_tree}/units/market/objects.csv:7:1: 错误 USCC_CHECK_DIGIT [id] "
        "统一社会信用代码“9132132323GD5QA4XK”的校验码应为“J”（GB 32100-2015），实际为“K”。"
        "请核对营业执照，通常是抄错了某一位。"
    ) in out


def test_exact_wording_of_a_late_entry_warning_and_strict(full_tree, capsys):
    results = full_tree / "units/market/results/T2026-market-01.yaml"
    text = results.read_text(encoding="utf-8")
    results.write_text(text.replace("entered_on: 2026-05-15", "entered_on: 2026-06-01", 1), encoding="utf-8")
    code, out = run(capsys, "validate", "--records", str(full_tree))
    assert code == 0  # late entry is a fact to report, not an invalid record
    assert (
        "检查结果在检查后第 15 个工作日录入（2026-06-01），超过本县“10 个工作日内录入”的要求，逾期 5 个工作日。"
        in out
    )
    code, out = run(capsys, "validate", "--records", str(full_tree), "--strict")
    assert code == 1


def test_repeated_errors_are_grouped(full_tree, capsys):
    inspectors = full_tree / "units/market/inspectors.csv"
    inspectors.write_text(
        inspectors.read_text(encoding="utf-8").replace(",有效,", ",在岗,"), encoding="utf-8"
    )
    _, out = run(capsys, "validate", "--records", str(full_tree))
    grouped = [line for line in out.splitlines() if "FIELD_ENUM" in line]
    assert len(grouped) == 1 and "同类问题共 4 处，行号：2、3、4、5）" in grouped[0]


def test_github_annotations(full_tree, capsys):
    unit = full_tree / "units/health/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("order: 2", "order: 0"), encoding="utf-8")
    _, out = run(capsys, "validate", "--records", str(full_tree), "--github")
    assert f"::error file={full_tree}/units/health/unit.yaml,line=4,col=1,title=FIELD_RANGE::" in out


def test_missing_records_directory(tmp_path, capsys):
    code, out = run(capsys, "validate", "--records", str(tmp_path / "nope"))
    assert code == 2 and "找不到记录目录" in out


@pytest.mark.parametrize("kind", [k.name for k in KINDS])
def test_every_starter_is_readable_and_names_every_field(kind):
    text = starter_text(BY_NAME[kind], dt.date(2026, 3, 1))
    if BY_NAME[kind].shape == "csv":
        assert text.strip().split(",") == [f.label for f in BY_NAME[kind].fields]
        return
    assert isinstance(yaml.safe_load(text), dict)
    for f in BY_NAME[kind].fields:
        assert f"# {f.label}（" in text


def test_new_writes_a_starter_that_validate_explains(tmp_path, capsys):
    import shutil

    root = tmp_path / "records"
    shutil.copytree(BASE, root)
    code, out = run(
        capsys, "new", "tasks", "--records", str(root), "--id", "T2026-market-02", "--year", "2026"
    )
    assert code == 0 and "已生成模板" in out
    path = root / "units/market/tasks/T2026-market-02.yaml"
    assert path.exists()
    findings = [f for f in load(root, "").findings if f.file.endswith("T2026-market-02.yaml")]
    assert findings and all(f.code.startswith("FIELD_") for f in findings)
    code, out = run(capsys, "new", "tasks", "--records", str(root), "--id", "T2026-market-02")
    assert code == 1 and "已存在" in out


def test_every_command_has_chinese_help():
    for name, module in commands().items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in module.HELP), name


def test_usage_errors_are_in_chinese(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["request", "T2026-market-01", "--date", "2026/13/01"])
    assert exit_info.value.code == 2
    assert "错误：参数 --date 的值“2026/13/01”格式不对（应为 日期 YYYY-MM-DD）" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["import", "x.xlsx"])
    assert "缺少必需的参数：--kind, --unit" in capsys.readouterr().err


def test_help_is_chinese_grouped_and_marks_ci_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["-h"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：python -m generator") and "usage:" not in out
    titles = [title for title, _ in _help.GROUPS]
    assert titles == ["记录", "抽取", "网站与报告", "导入导出", "CI"]
    positions = [out.index(f"\n{title}：\n") for title in titles]
    assert positions == sorted(positions)
    for title, names in _help.GROUPS:
        section = out.split(f"\n{title}：\n", 1)[1].split("\n\n", 1)[0]
        assert [line.split()[0] for line in section.splitlines()] == list(names)
        for line in section.splitlines():
            name = line.split()[0]
            assert ("〔CI〕" in line) == (name in _help.CI_ONLY), line
    assert {"accept", "draw", "append-check"} <= _help.CI_ONLY and "validate" not in _help.CI_ONLY


def test_every_command_is_in_one_group():
    grouped = [name for _, names in _help.GROUPS for name in names]
    assert sorted(grouped) == sorted(commands()) and len(grouped) == len(set(grouped))


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_help_has_a_chinese_usage_and_an_example_the_parser_accepts(name, capsys):
    import shlex

    with pytest.raises(SystemExit) as exit_info:
        main([name, "-h"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"用法：python -m generator {name} ") and "usage:" not in out
    assert "\n示例：\n  python -m generator " + name in out
    parser = build_parser()
    for example in _help.EXAMPLES[name]:
        args = parser.parse_args(shlex.split(example))
        assert args.command == name, example


def test_a_bare_invocation_prints_the_help_and_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("用法：") and "记录：" in captured.out and "退出码为 2" in captured.out
    assert captured.err == ""


def test_new_offers_only_kinds_a_person_writes(tmp_path, capsys):
    offered = set(new.PERSON_KINDS)
    assert offered == {k.name for k in KINDS} - {
        "draw_request",
        "draw_accepted",
        "draw_entropy",
        "draw_result",
    }
    with pytest.raises(SystemExit) as exit_info:
        main(["new", "draw_result", "--records", str(tmp_path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "参数 种类 的值“draw_result”无效，可选：assistants, county" in err and "'" not in err
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(SystemExit):
        main(["new", "-h"])
    help_text = "".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "抽取记录由accept（CI）、draw（CI）、entropy、request命令生成" in help_text
