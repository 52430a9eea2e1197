"""国务院节假日安排 (holidays/<year>.yaml): a year's holiday schedule recorded by the joint office.

The ``chinesecalendar`` package carries the schedules it knows (2004 through its latest release).
When the State Council announces a new year before the package is updated, or corrects one, the joint
office records it here; a recorded year replaces the package's data for that year entirely.
"""

from __future__ import annotations

from generator.schema.fields import Date, Field, Integer, ListOf, Obj, Text
from generator.schema.kind import Kind

HOLIDAY = Obj(
    (
        Field("name", "节日", "如“春节”。", Text()),
        Field("from", "放假开始", "放假第一天。", Date()),
        Field("to", "放假结束", "放假最后一天。", Date()),
    )
)

KIND = Kind(
    name="holidays",
    label="节假日安排",
    description="国务院办公厅公布的年度节假日安排，用于计算工作日（含调休）。",
    pattern=r"holidays/(?P<year>\d{4})\.yaml",
    id_field="year",
    example_path="holidays/2027.yaml",
    fields=(
        Field("year", "年度", "安排适用的年度，与文件名相同。", Integer(minimum=2000, maximum=2100)),
        Field("source", "文件依据", "国务院办公厅通知的文号和标题。", Text()),
        Field("published_on", "公布日期", "通知公布日期。", Date()),
        Field("holidays", "放假安排", "每个节日的放假起止日期（含周末）。", ListOf(HOLIDAY, min_items=1)),
        Field(
            "workdays",
            "调休上班日期",
            "因调休需要上班的周六、周日。",
            ListOf(Date()),
            required=False,
            default=[],
        ),
    ),
)
