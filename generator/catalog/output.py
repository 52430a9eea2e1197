"""The output-safety record codes (``validate``): ids that become page paths, the site address, and
private data in public text (mobile and ID numbers, declared conflicts, credit classes, internal
values). Merged into ``records.CATALOG`` in this place of its order, as ``planning.PLANNING_CODES``
is; split off to keep each catalog module readable.
"""

from __future__ import annotations

from .entry import Entry, error, warning

OUTPUT_CODES: dict[str, Entry] = {
    "ID_INVISIBLE_CHAR": error(
        "编号“{value}”中含有不可见字符或空白（{char}，如零宽空格、换行、控制字符）。这样的编号看起来与另一个"
        "编号相同却互不匹配。请删除该字符后重新输入编号（可先粘贴到记事本中再复制）。",
        "an id holding a control, format (zero-width, bidi), separator or white-space character",
    ),
    "ID_NOT_NORMALISED": error(
        "编号“{value}”中的“{char}”是全角、带圈、上标或组合形式的字符，看起来与普通写法的编号“{expected}”"
        "相同却互不匹配（另一个对象可以用普通写法的编号与它并存）。请将输入法切换到半角，重新输入编号。",
        "an id holding full-width or other compatibility forms of letters and digits, or decomposed accents",
    ),
    "TEXT_CONTROL_CHAR": error(
        "文字“{value}”中含有控制字符或不可见字符（{char}，常见于从 Word、网页或聊天软件复制的文字，如手动换行符、"
        "零宽空格、软连字符）。该字符在网页上看不见，在导出的表格中显示为乱码，还会使订阅源无法读取，或把号码、"
        "词语拆开躲过检查和搜索。请删除该字符后重新输入（可先粘贴到记事本中再复制）。",
        "a C0 or C1 control character other than tab, LF and CR (or a line/paragraph separator, a bidi "
        "control or mark, or an invisible format character: soft hyphen, zero-width space/joiners, word "
        "joiner, invisible operators, a BOM inside text) in record text",
    ),
    "TEXT_FORMULA_START": error(
        "单元格“{value}”以“{first}”开头：用 Excel 或 WPS 打开这个 CSV 文件时会被当作公式执行"
        "（例如 =HYPERLINK 生成可点击的链接）。请删除开头的“{first}”，或改写该内容。",
        "a record CSV cell that starts like a spreadsheet formula (formula injection into the repository's CSV files)",
    ),
    "SITE_BASE_URL": error(
        "网站地址“{value}”不是以 http:// 或 https:// 开头的完整网址。该地址用于网站链接和 Atom 订阅，"
        "请填写如 https://ssj.example.gov.cn/ 的地址，或删除这一行。",
        "site.base_url is not an absolute http(s) URL",
    ),
    "PRIVACY_MOBILE": error(
        "公开字段“{label}”中疑似含有手机号码（{value}）。该字段会在公开网站和公开数据中发布。"
        "请删除手机号码；联系电话请填写在内部字段（如联络员的手机号码）中。",
        "a mobile number (in any spelling: +86, 0086, spaces, dashes, full-width digits) in a public field",
    ),
    "PRIVACY_NUMBER_ACROSS_FIELDS": error(
        "公开字段“{label}”的结尾和紧接着显示的“{next}”的开头连起来是疑似{what}（{value}）：网页上两者相邻显示，"
        "站内搜索的摘要把它们连成一行。该记录会在公开网站中发布，网站生成时的最终检查会因此停止整个网站的发布。"
        "请删除这两部分号码。",
        "a mobile or resident ID number cut in two across neighbouring public values of one entry (the end of "
        "one, the start of the next): each passes alone, the page and the search excerpt join them",
    ),
    "PRIVACY_NUMBER_ACROSS_RECORDS": error(
        "公开字段“{label}”和 {other} 的“{other_label}”首尾相连是疑似{what}（{value}）：网页上两者可能在同一行"
        "相邻显示（如检查记录的“检查单位”和“抽查任务”两栏），网站生成时的最终检查会把它们读成一个号码并停止整个网站的发布。"
        "单看每个文件都不是号码：只与彼此相连的两处都报告，与多个单位的内容相连的一处单独报告。"
        "请删除这部分号码（通常是不该写进名称的数字）。",
        "a mobile or resident ID number cut in two across public values of two record files (the end of one, "
        "the start of the other): each file passes alone, a page row shows them side by side and the build's "
        "final scan stopped every unit's site",
    ),
    "PRIVACY_ID_NUMBER": error(
        "公开字段“{label}”中疑似含有居民身份证号码（{value}）。该字段会在公开网站和公开数据中发布。"
        "请删除身份证号码。",
        "a resident ID number (in any spelling; 18 digits, or 15 digits of a first-generation card that "
        "are not a valid 注册号) in a public field",
    ),
    "PRIVACY_CONFLICT_DISCLOSED": error(
        "公开字段“{label}”中写有人员 {person} 申报回避的检查对象编号“{value}”，且该文字属于此人（本人的记录、本人参加的"
        "检查记录，或文字中写有此人的编号或姓名）。申报的利害关系是内部信息，不公开；这样写，公开网站和公开数据就会把"
        "此人与该对象联系起来。请从该字段中删除这个编号或此人的编号、姓名（利害关系只填在“申报的利害关系”一栏）。",
        "a public text that pairs a person with an object the person declared a conflict with (internal): the "
        "person's own fields, a result entry the person inspected, or a text naming the person",
    ),
    "PRIVACY_CREDIT_CLASS": error(
        "公开字段“{label}”中写明了检查对象的信用风险分类（“{value}”）。该字段会在对象页、任务页和公开数据中发布，"
        "而信用风险分类是内部字段，不公开（抽取时分层也是密封的）。请删除这部分文字；需要说明抽查依据时，"
        "写“按信用风险分类抽取”即可，不写具体类别或风险高低。",
        "a text about one object (a result entry or its amendment, the object's own row, a referral receipt) "
        "that states its credit-risk class (信用风险分类为D类, C级企业, 信用风险较高): the class is internal",
    ),
    "PRIVACY_INTERNAL_VALUE": error(
        "公开字段“{label}”中写有 {owner} 的内部字段“{field}”的值（{value}）。该字段会在公开网站和公开数据中发布，"
        "内部字段不公开；网站生成时的最终检查发现它会停止整个网站的发布。请从公开字段中删除这个号码；"
        "如果这个号码本来就应公开（如单位的办公电话），请核对内部字段是否填错。",
        "the value of an internal field with a shape (an assistant's landline) in a public text: the build's final "
        "scan refuses the whole site on it",
    ),
    "PRIVACY_ID_OR_REG_NO": warning(
        "公开字段“{label}”中的 15 位数字（{value}）可能是一代居民身份证号码（前 6 位地区码、中间 6 位出生日期），"
        "也可能是旧的 15 位工商注册号。该字段会在公开网站和公开数据中发布。如是身份证号码，请删除；"
        "如是注册号，请在号码前写明“注册号：”。",
        "15 digits shaped like a first-generation resident ID number that are also a valid 15-digit 工商注册号 "
        "(check digit) and are not labelled 注册号 (a warning: the public site is not stopped on them)",
    ),
}
