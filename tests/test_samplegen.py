"""The synthetic sample tree: deterministic, complete, valid, synthetic, and drawable."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from generator.cli import main
from generator.corpus import load
from generator.rules.uscc import check_uscc
from generator.samplegen import build, generate, objects, people, words
from generator.samplegen.county import TOWNSHIPS
from generator.validation import validate_corpus

ANNEX = (
    "县市场监管局、县发改局、县工信局、县教育局、县公安局、县民政局、县司法局、县人社局、县财政局、县资规局、县科技局、"
    "县住建局、县城管局、县交运局、县水利局、县农业农村局、县统战部（民宗局）、县商务局、县文旅局、县卫健局、县生态环境局、"
    "县应急管理局、县税务局、县气象局、县烟草局、县统计局、县医保局、县消防救援大队、县行政审批局、人行"
).split("、")


GENERATED: dict = {}


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "records"
    GENERATED["summary"] = generate(out)
    return out


@pytest.fixture(scope="module")
def corpus(tree):
    return load(tree)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_runs_write_identical_bytes(tree, tmp_path):
    again = tmp_path / "again"
    assert main(["sample", "--out", str(again)]) == 0
    first, second = _files(tree), _files(again)
    assert sorted(first) == sorted(second)
    assert [k for k in first if first[k] != second[k]] == []


def test_files_are_utf8_with_lf(tree):
    for rel, data in _files(tree).items():
        assert b"\r" not in data, rel
        data.decode("utf-8")


def test_counts_and_demo_flag(corpus):
    county = corpus.county.data
    assert county["demo"] is True and county["code"] == "321323" and county["name"] == "泗阳县"
    assert [u.data["name"] for u in sorted(corpus.of("unit"), key=lambda u: u.data["order"])] == ANNEX
    assert len(corpus.items_by_code) >= 40
    # every object the populations ask for (scale 1), each under its own id
    assert len(corpus.objects_by_id) == sum(p.count for p in objects.POPULATIONS) >= 2000
    assert len(corpus.inspectors) >= 150
    assert len(corpus.tasks) >= 10


def test_item_history_and_categories(corpus):
    versions = {code: rs for code, rs in corpus.items_by_code.items()}
    assert any(len(rs) >= 2 for rs in versions.values()), "at least one revised item"
    assert any(r.data["status"] == "已废止" for rs in versions.values() for r in rs)
    general = [r for r in corpus.of("items") if r.data["category"] == "一般"]
    assert general and all("ratio_cap" in r.data for r in general)
    assert any(r.data["category"] == "重点" for r in corpus.of("items"))


def test_validate_reports_no_errors(corpus):
    findings = validate_corpus(corpus)
    assert [f.message for f in findings.errors] == []
    # The two late unit plans and a few late result entries are there on purpose, for the report.
    codes = Counter(f.code for f in findings.warnings)
    assert set(codes) == {"CAL_UNIT_PLAN_LATE", "RESULT_ENTRY_LATE"}
    assert codes["CAL_UNIT_PLAN_LATE"] == 2 and 3 <= codes["RESULT_ENTRY_LATE"] <= 60


def test_every_uscc_is_valid_and_local(corpus):
    codes = [r.data["id"] for r in corpus.of("objects") if r.data["id_kind"] == "统一社会信用代码"]
    others = [r for r in corpus.of("objects") if r.data["id_kind"] != "统一社会信用代码"]
    # one code per enterprise (a code listed in several directories is one object)
    assert len(set(codes)) == len(corpus.objects_by_id) - len({r.data["id"] for r in others}) >= 2000
    for code in codes:
        normalised, problem, _ = check_uscc(code)
        assert problem is None and normalised == code, code
        assert code[2:8] == "321323"
    others = {r.data["id_kind"] for r in corpus.of("objects")} - {"统一社会信用代码"}
    assert others == {"产品编号", "项目编号"}


def test_same_object_has_one_row_everywhere(corpus):
    for object_id, rows in corpus.objects_by_id.items():
        first = {k: v for k, v in rows[0].data.items()}
        assert all(r.data == first for r in rows[1:]), object_id


def test_object_mix(corpus):
    unique = [rows[0].data for rows in corpus.objects_by_id.values()]
    classified = [o for o in unique if o["kind"] in objects.CLASSIFIED]
    risk = Counter(o["credit_risk"] for o in classified)
    for cls, share in {"A": 0.30, "B": 0.50, "C": 0.15, "D": 0.05}.items():
        assert abs(risk[cls] / len(classified) - share) < 0.04, (cls, risk)
    # A–D only on the subjects the classification covers: never on schools, projects, products…
    assert not [o["id"] for o in unique if o["kind"] not in objects.CLASSIFIED and "credit_risk" in o]
    assert {o["kind"] for o in unique} - set(objects.CLASSIFIED)  # other kinds do exist
    status = Counter(o["status"] for o in unique)
    assert status["存续"] / len(unique) > 0.9 and status["注销"] and status["吊销"]
    assert any(o["dishonest"] for o in unique)
    assert all(o["credit_risk"] == "D" for o in unique if o["dishonest"])  # 严重失信 → highest stratum
    assert {o["township"] for o in unique} == set(TOWNSHIPS)


def test_townships_are_current(corpus):
    """泗阳's 2020 adjustment: no abolished township and no 宿城区 town; areas (园区/场) are listed."""
    towns = set(corpus.county.data["townships"])
    assert not towns & {"八集乡", "三庄乡", "高渡镇", "南刘集乡", "里仁乡", "屠园镇", "众兴镇"}
    assert {"来安街道", "三庄镇", "卢集镇", "王集镇", "爱园镇", "城厢街道"} <= towns
    assert {"泗阳经济开发区", "泗阳棉花原种场", "泗阳农场"} <= towns
    for r in corpus.of("inspectors"):
        assert set(r.data["townships"]) <= towns, r.data["id"]


def test_names_come_only_from_the_word_lists(corpus):
    industries = objects.all_industries() + list(people.ASSISTANT_INDUSTRIES)
    pattern = words.name_pattern(industries, [], list(TOWNSHIPS))
    doubled = re.compile(r"(药店|药房|诊所|旅馆|宾馆|网吧|网咖|KTV|超市|便利店)(店|经营部|馆|坊)")
    for r in corpus.of("objects"):
        assert pattern.fullmatch(r.data["name"]), r.data["name"]
        assert not doubled.search(r.data["name"]), r.data["name"]  # no 药店店, 诊所坊
    for r in corpus.of("inspectors"):
        assert words.PERSON_PATTERN.fullmatch(r.data["name"]), r.data["name"]
    for r in corpus.of("unit"):
        assert words.PERSON_PATTERN.fullmatch(r.data["liaison"]["name"])
        assert r.data["liaison"]["office_phone"].startswith("0527-8")
    for r in corpus.of("assistants"):
        assert words.PERSON_PATTERN.fullmatch(r.data["name"]) or pattern.fullmatch(r.data["name"]), r.data[
            "name"
        ]


def test_plans_and_tasks(corpus):
    joint = next(p for p in corpus.of("plans") if p.data["unit"] == "joint")
    assert dt.date(2026, 3, 1) <= joint.data["filed_on"] <= dt.date(2026, 3, 10)
    included = set(joint.data["includes"])
    tasks = [t.data for t in corpus.of("tasks")]
    joint_tasks = [t for t in tasks if len(t["participants"]) > 1]
    assert 0.15 <= len(joint_tasks) / len(tasks) <= 0.25, (len(joint_tasks), len(tasks))
    credited = {u for t in joint_tasks for u in (t["initiator"], *t.get("co_initiators", []))}
    assert any(t.get("co_initiators") for t in joint_tasks)
    for u in corpus.of("unit"):
        exempt = {e["year"] for e in u.data.get("exemptions", [])}
        if u.data["initiates"] and 2026 not in exempt:
            assert u.data["id"] in credited, u.data["id"]
    temporary = [t for t in tasks if t["type"] == "临时"]
    assert len(temporary) == 1 and temporary[0]["reason"]
    owner = {code: versions[-1].owner["unit"] for code, versions in corpus.items_by_code.items()}
    for d in tasks:
        if d["type"] == "计划内":
            entry = corpus.plan_entries[d["plan_entry"]][1]
            assert (d["plan_entry"] in included) == (entry["type"] == "部门联合") == (d in joint_tasks)
        # every participant brings its own items; two officers per department
        assert {owner[c] for c in d["items"]} == set(d["participants"]), d["id"]
        assert d["inspectors"]["per_unit"] >= 2
        assert dt.date(2026, 4, 1) <= d["window"]["from"] < d["window"]["to"] <= dt.date(2026, 11, 30)
        assert d["meeting"]["date"] < d["created_on"] < d["window"]["from"]
        ratios = d["sampling"]["ratios"]
        if d["sampling"]["stratify"] == "credit_risk":
            assert ratios["A"] < ratios["B"] <= ratios["C"] <= ratios["D"], d["id"]
        else:
            assert set(ratios) == {"all"}
    units_with_items = {owner[c] for c in owner if corpus.items_by_code[c][-1].data["status"] == "有效"}
    planned = {p.data["unit"] for p in corpus.of("plans") if p.data["entries"]}
    assert units_with_items <= planned


def test_unit_lifecycle_and_legal_names(corpus):
    pboc = corpus.units["pboc"].data
    assert pboc["changes"][0]["type"] == "撤销" and pboc["changes"][0]["effective_on"].year == 2024
    assert "pboc" not in {p.data["unit"] for p in corpus.of("plans")}
    assert all(t.data["created_on"] > pboc["changes"][0]["effective_on"] for t in corpus.of("tasks"))
    assert all("pboc" not in t.data["participants"] for t in corpus.of("tasks"))
    assert corpus.units["agriculture"].data["legal_name"] == "泗阳县农业农村局"
    assert all(
        u.data["legal_name"].startswith(("泗阳县", "宿迁市泗阳", "国家税务总局泗阳县", "中国人民银行泗阳县"))
        for u in corpus.of("unit")
    )


def test_findings_fit_each_department_its_items_and_the_object(corpus):
    from generator.samplegen.guidance import POINTS

    owner = {code: versions[-1].owner["unit"] for code, versions in corpus.items_by_code.items()}
    kinds = {oid: rows[0].data["kind"] for oid, rows in corpus.objects_by_id.items()}
    seen = Counter()
    for r in corpus.of("results"):
        task = corpus.tasks[r.data["task"]].data
        for e in r.data["entries"]:
            assert e["items"] and all(owner[c] == r.data["unit"] and c in task["items"] for c in e["items"])
            problems = {p.problem for c in e["items"] for p in POINTS[c]}
            cats = e["categories"]
            seen[cats[0]] += 1
            if set(cats) & {"E", "A", "5"}:
                assert any(p in e["findings"] for p in problems), (r.file, e["object"], e["findings"])
            if "6" in cats:
                assert kinds[e["object"]] in objects.CLASSIFIED  # 无法联系 only for registered subjects
            if cats == ["5"]:  # 抄告: always with the referral it announces
                assert e["referrals"] and e["disposition"] == "违反其他部门相关规定，抄告相关部门"
            assert e["published_on"] >= e["entered_on"]
    assert seen["1"] and seen["E"] and seen["A"] and seen["5"] and seen["6"]
    closed = [e for r in corpus.of("results") for e in r.data["entries"] if e.get("amendments")]
    assert closed and all(a["changes"]["categories"] == ["E"] for e in closed for a in e["amendments"])
    assert corpus.of("referrals") and corpus.of("meetings")


def test_annual_summary_shows_the_december_meeting(corpus):
    from generator.reports.summary import annual_summary

    [meeting] = annual_summary(corpus, 2026)["meetings"]
    assert meeting["kind"] == "年度总结" and meeting["date"].startswith("2026-12")
    assert "市场监管" in meeting["attendees"] and meeting["decisions"]


def test_publication_export_fits_the_public_system(corpus):
    """Acceptance: no 事业单位/社会组织 row, legal authority names only, each department's own items."""
    from generator.intake.export import publication_rows

    pub = publication_rows(corpus, 2026, None)
    kinds = {oid: rows[0].data["kind"] for oid, rows in corpus.objects_by_id.items()}
    legal = {u.data["legal_name"] for u in corpus.of("unit")}
    item_unit = {v.data["catalog_code"]: v.owner["unit"] for vs in corpus.items_by_code.values() for v in vs}
    legal_of = {u.data["id"]: u.data["legal_name"] for u in corpus.of("unit")}
    assert pub.rows and pub.others
    for row in pub.rows:
        assert kinds[row[1]] in ("企业", "个体工商户", "农民专业合作社"), row
        assert row[3] in legal, row[3]
        assert row[7] in ("定向", "不定向") and row[11] is not None
        assert row[9] and all(legal_of[item_unit[code]] == row[3] for code in row[9].split("、")), row
        assert row[10].startswith("DEMO-RW-T2026-")  # keyed by the platform task number
    assert all(kinds[row[1]] not in ("企业", "个体工商户", "农民专业合作社") for row in pub.others)
    assert {kinds[row[1]] for row in pub.others} >= {"事业单位", "社会组织"}


def test_every_participating_unit_has_four_valid_inspectors(corpus):
    season_end = dt.date(2026, 11, 30)
    valid = Counter(
        r.data["unit"]
        for r in corpus.of("inspectors")
        if r.data["status"] == "有效" and r.data["badge_valid_to"] >= season_end
    )
    for t in corpus.of("tasks"):
        for unit in t.data["participants"]:
            assert valid[unit] >= 4, (t.data["id"], unit)
    assert valid["market"] > 4 * max(v for u, v in valid.items() if u != "market") / 2
    statuses = Counter(r.data["status"] for r in corpus.of("inspectors"))
    assert statuses["失效"] >= 1
    assert any(r.data["badge_valid_to"] < dt.date(2026, 1, 1) for r in corpus.of("inspectors"))
    assert any(r.data["conflicts"] for r in corpus.of("inspectors"))


def test_every_task_has_an_engine_draw_that_verifies_and_results_for_every_drawn_object(tree, corpus):
    from generator.registry import store
    from generator.registry.run import read, verify

    draws = {read(tree, i).request["task"]: read(tree, i) for i in store.all_draw_ids(tree)}
    assert sorted(draws) == sorted(corpus.tasks)
    entered = {
        (r.data["task"], r.data["unit"], e["object"]) for r in corpus.of("results") for e in r.data["entries"]
    }
    for task_id, files in draws.items():
        assert verify(files) == [], task_id
        participants = corpus.tasks[task_id].data["participants"]
        for obj in files.result["output"]["objects"]:
            for unit in participants:
                assert (task_id, unit, obj["id"]) in entered, (task_id, unit, obj["id"])


def test_committed_sample_is_what_the_generator_writes(tree):
    """records/ is generated: a change to the generator must be followed by `python -m generator sample`."""
    committed = Path(__file__).resolve().parents[1] / "records"
    assert _files(committed) == _files(tree)


def test_refuses_to_overwrite_records_it_did_not_write(tmp_path, capsys):
    (tmp_path / "county.yaml").write_text("name: 真实数据\n", encoding="utf-8")
    assert main(["sample", "--out", str(tmp_path)]) == 2
    assert "不是 sample 命令生成的示例数据" in capsys.readouterr().out
    assert (tmp_path / "county.yaml").read_text(encoding="utf-8") == "name: 真实数据\n"


def test_scale_multiplies_directories():
    _, one = build(1)
    _, two = build(2)
    assert two.counts["objects"] == 2 * one.counts["objects"]
    assert two.counts["inspectors"] == 2 * one.counts["inspectors"]
    assert two.counts["tasks"] == one.counts["tasks"]


def test_the_report_lists_exactly_the_late_entries_the_generator_made(tree, corpus):
    """The generator counts the entries it makes late; validator and compliance report must agree."""
    from generator.reports.compliance import compliance

    made_late = GENERATED["summary"].counts["late"]
    assert made_late >= 3
    warnings = [f for f in validate_corpus(corpus).warnings if f.code == "RESULT_ENTRY_LATE"]
    assert len(warnings) == made_late
    report = compliance(corpus, 2026, dt.date(2026, 12, 31))
    assert len(report["results"]["late"]) == made_late


def test_check_sheet_and_item_guidance_render(tree, corpus):
    """The printable check sheet lists each item's check points and a signature line with 执法证号
    for every team member; the item list shows the guidance."""
    from generator.site import draws
    from generator.site.models_hubs import hub_pages
    from generator.site.models_records import record_pages
    from generator.site.render import make_env, render_page
    from generator.site.site_data import build_site_data

    draw_data = draws.load_draws(corpus)
    site_data = build_site_data(corpus, {d: v["page"] for d, v in draw_data.items()})
    env = make_env(site_data)
    sheet = next(p for p in record_pages(site_data) if p.path == "tasks/T2026-market-01-sheet.md")
    html = render_page(env, sheet)
    badges = {r.data["id"]: r.data["badge_no"] for r in corpus.of("inspectors")}
    drawn = next(v["page"] for v in draw_data.values() if v["page"]["task"] == "T2026-market-01")
    for team in drawn["teams"]:
        assert all(badges[m] in html for m in team["member_ids"])
    assert "留样" in html and "签字" in html  # a check point of SCJG-04 and the signature column
    items = next(p for p in hub_pages(site_data) if p.path == "items/index.md")
    page = render_page(env, items)
    assert "随机抽查工作指引" in page and "DEMO-SCJG-04" in page and "食品留样" in page
