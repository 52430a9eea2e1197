"""移交接收 (units/<unit>/referrals/<task-id>.yaml): the receiving unit acknowledges referrals.

方案 五（三）: violations found that belong to another department's remit are handed over to it. The
referring unit records the referral in its result entry; the *receiving* unit records here that it
received it and what it did, so a referral is closed by the receiver's own record, not by the sender.
"""

from __future__ import annotations

from generator.records.common import UNIT_ID, UNIT_ID_HINT, note
from generator.records.tasks import TASK_ID, TASK_ID_HINT
from generator.schema.fields import Date, Field, ListOf, Obj, Ref, Text
from generator.schema.kind import Kind

UNIT_REF = Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit")

RECEIPT = Obj(
    (
        Field("object", "检查对象", "移交所涉的检查对象编号。", Ref(max_length=64, target="object")),
        Field("from_unit", "移交单位", "作出移交的单位代号。", UNIT_REF),
        Field("received_on", "接收日期", "本单位登记接收的日期。", Date()),
        Field("handling", "处理情况", "立案、责令改正、不予处理等及其理由。", Text(multiline=True), required=False),
    )
)

KIND = Kind(
    name="referrals",
    label="移交接收",
    description="接收单位对其他单位移交的违法线索登记接收和处理情况，一个任务一个文件。",
    pattern=r"units/(?P<unit>[^/]+)/referrals/(?P<id>[^/]+)\.yaml",
    id_field="task",
    example_path="units/ecology/referrals/T2026-market-01.yaml",
    fields=(
        Field(
            "task",
            "抽查任务",
            "移交所出自的任务编号，与文件名相同。",
            Ref(pattern=TASK_ID, pattern_hint=TASK_ID_HINT, target="task"),
        ),
        Field("unit", "接收单位", "接收移交的单位代号，须与所在目录一致。", UNIT_REF),
        Field("receipts", "接收登记", "每个移交一条。", ListOf(RECEIPT, min_items=1)),
        note(),
    ),
)
