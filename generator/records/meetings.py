"""联席会议 (joint/meetings/<date>.yaml): a meeting of the joint conference, kept by the joint office.

方案 四（三）: each December the joint conference meets to sum up the year's joint inspections. The
record keeps the date, who attended and what was decided; the 年度总结 page shows it.
"""

from __future__ import annotations

from generator.records.common import UNIT_ID, UNIT_ID_HINT, note
from generator.schema.fields import Choice, Date, Field, Integer, ListOf, Ref, Text
from generator.schema.kind import Kind

MEETING_KINDS = ("年度总结", "专题", "其他")

KIND = Kind(
    name="meetings",
    label="联席会议",
    description="县“双随机、一公开”监管联席会议的会议记录（12 月的年度总结会议等）。",
    pattern=r"joint/meetings/(?P<id>\d{4}-\d{2}-\d{2})\.yaml",
    id_field="date",
    example_path="joint/meetings/2026-12-18.yaml",
    fields=(
        Field("date", "会议日期", "会议召开日期，与文件名相同。", Date()),
        Field("year", "总结年度", "会议总结的工作年度。", Integer(minimum=2000, maximum=2100)),
        Field("kind", "会议类型", "年度总结、专题或其他。", Choice(MEETING_KINDS)),
        Field("title", "会议名称", "如“2026 年度联席会议”。", Text()),
        Field(
            "attendees",
            "出席单位",
            "出席会议的成员单位代号。",
            ListOf(Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit"), min_items=1),
        ),
        Field("decisions", "会议议定事项", "总结经验、分析不足和议定的改进事项，逐条填写。", ListOf(Text(), min_items=1)),
        note(),
    ),
)
