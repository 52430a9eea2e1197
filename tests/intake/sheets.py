"""Column headings shared by the intake tests that build inspector sheets by hand."""

INSPECTOR_COLUMNS = [
    "人员编号",
    "姓名",
    "所属单位",
    "执法证号",
    "执法证生效日期",
    "执法证失效日期",
    "执法资质",
    "业务专长",
    "负责乡镇（街道）",
    "人员状态",
]
