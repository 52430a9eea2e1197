"""Every code the draw engine reports: a Chinese template (what was found), a fix, a summary.

``DrawError(code, **fields)`` renders the message from here, so no message is an inline f-string
and none shows a Python repr: values pass through ``entry.shown``.
Codes are stable (CI, the site and docs/errors.md quote them): never rename one, add a new one.
``{placeholders}`` are the error's details; docs/errors.md is generated from this table.
"""

from __future__ import annotations

from .entry import shown

# code -> (template, fix, one-line English summary)
DRAW_CATALOG: dict[str, tuple[str, str, str]] = {
    # -- request and its shape -------------------------------------------------------------
    "DRAW_INPUT_NOT_MAPPING": (
        "{where}应是“字段: 值”的映射，实为{value}。",
        "请按 docs/draw-protocol.md §4 的结构重新生成该文件。",
        "a request, pool file, entropy or bundle that is not a mapping",
    ),
    "DRAW_ALGORITHM_UNSUPPORTED": (
        "不支持的抽取算法版本“{value}”，本程序实现 {expected}。",
        "请用与抽取时相同版本的程序核验，或重新提交抽取申请。",
        "a request for an algorithm this engine does not implement",
    ),
    "DRAW_FIELD_MISSING": (
        "{where}缺少字段 {field}。",
        "请补上该字段（字段说明见 docs/draw-protocol.md §4）。",
        "a required field of a request, pool row or bundle is missing",
    ),
    "DRAW_FIELD_UNKNOWN": (
        "{where}有未知字段 {value}。",
        "请删除这些字段，或检查拼写（可用字段见 docs/draw-protocol.md §4.2）。",
        "a pool row with a field the protocol does not define",
    ),
    "DRAW_FIELD_INVALID": (
        "{where}的字段 {field} 的值“{value}”类型或取值无效，应为{expected}。",
        "请按 docs/draw-protocol.md §4 改正该值。",
        "a field of a request or pool row of the wrong type or form",
    ),
    "DRAW_INTEGER_INVALID": (
        "{where}必须是不小于 {minimum} 的整数，实为“{value}”。",
        "请改为整数（不加引号、不用小数）。",
        "a count, cap or size that is not a large enough integer",
    ),
    "DRAW_DATE_INVALID": (
        "{where}必须是 YYYY-MM-DD 日期，实为“{value}”。",
        "请写成例如 2026-03-05 的形式。",
        "a date in the request that is not YYYY-MM-DD",
    ),
    "DRAW_CHOICE_INVALID": (
        "{where}只能是 {expected}，实为“{value}”。",
        "请改为允许的取值之一。",
        "a mode or privacy setting outside its fixed list",
    ),
    "DRAW_INITIATOR_NOT_PARTICIPATING": (
        "发起单位“{value}”不在参与单位中。",
        "请把发起单位加入 task.units，或改正 initiating_unit。",
        "the initiating unit is not one of the task's units",
    ),
    "DRAW_STRATUM_RULE": (
        "分层“{stratum}”须且只须给出 ratio 或 count 之一。",
        "请删去其中一个，比例写成“p/q”，数量写成整数。",
        "a stratum with both or neither of ratio and count",
    ),
    "DRAW_STRATA_NAMES": (
        "分层名称必须唯一且至少有一个，实为 {value}。",
        "请为每个分层取不同的名称。",
        "no strata, or two strata with one name",
    ),
    "DRAW_RATIO_INVALID": (
        "{where}必须写成分数“p/q”（0≤p≤q，q>0），实为“{value}”。",
        "请写成例如 3/100，不用百分号或小数。",
        "a ratio that is not p/q with 0 ≤ p ≤ q",
    ),
    "DRAW_FLOAT_FORBIDDEN": (
        "不允许使用小数“{value}”。",
        "比例请写成“p/q”分数，数量写成整数。",
        "a float anywhere in the digested data",
    ),
    "DRAW_KEY_NOT_TEXT": (
        "字段名必须是文本，实为“{value}”。",
        "请给字段名加上引号或改为文字。",
        "a mapping key that is not a string",
    ),
    "DRAW_VALUE_NOT_SERIALISABLE": (
        "无法规范化的值类型 {value}（集合等无序类型不允许）。",
        "请改为列表、文本、整数或映射。",
        "a set or other value canonical JSON cannot hold",
    ),
    # -- randomness sources ----------------------------------------------------------------
    "DRAW_SOURCE_INVALID": (
        "随机源声明无效：{value}。",
        "kind 须为 drand、ceremony 或 commit_reveal，name 须为 1–32 位小写字母、数字、_ 或 -。",
        "a source entry of the request with a bad kind or name",
    ),
    "DRAW_SOURCE_CHAIN_UNKNOWN": (
        "drand 链“{value}”不受支持，可用：{expected}。",
        "请使用 quicknet（正式）或 county.yaml 声明的演示链。",
        "a drand source on a chain the engine does not know",
    ),
    "DRAW_SOURCE_REVEAL_RULE": (
        "承诺—揭示源“{name}”的 commitment 或 missing 规则无效。",
        "commitment 须为 64 位小写十六进制，missing 须为 drop 或 fail。",
        "a commit-reveal source with a bad commitment or missing rule",
    ),
    "DRAW_ENTROPY_MISSING": (
        "缺少 {source} 随机信标数据。",
        "请等信标产生后由 CI 获取（beacon 命令），不要手工填写。",
        "the request names drand but the entropy has no beacon",
    ),
    "DRAW_CEREMONY_INVALID": (
        "现场摇号“{name}”的数字缺失或格式不对（应为 1–200 位数字），实为“{value}”。",
        "请按现场记录填写摇出的数字，不加空格。",
        "ceremony digits missing or not 1-200 digits",
    ),
    "DRAW_REVEAL_MISSING": (
        "参与方“{party}”未揭示其随机值，按事先声明的规则（fail）本次抽取不能进行。",
        "请参与方提交揭示值；该抽取按协议记为失败并公开原因。",
        "a missing reveal under the rule fail",
    ),
    "DRAW_REVEAL_MISMATCH": (
        "参与方“{party}”揭示的值与其事先公布的承诺不符。",
        "揭示值须为 16–256 位 [0-9A-Za-z_-]，且 SHA-256 等于承诺；请核对原值。",
        "a reveal that does not open its commitment",
    ),
    # -- drand beacon ----------------------------------------------------------------------
    "DRAW_BEACON_BAD_ROUND": (
        "drand 轮次必须是 1 到 2^64−1 之间的整数。",
        "请改正抽取申请或信标数据中的 round。",
        "a round that is not an integer in [1, 2^64)",
    ),
    "DRAW_BEACON_ROUND_NOT_FUTURE": (
        "抽取申请指定的 drand 轮次 {requested_round} 不晚于受理时记录的轮次 {recorded_round} 加提前量 {margin}。",
        "请重新申请一个更晚的轮次（beacon latest 显示当前轮次）。",
        "a beacon round not later than the acceptance's recorded round plus margin",
    ),
    "DRAW_BEACON_BAD_HEX": (
        "drand 签名必须是 96 位小写十六进制文本（不含空格或其他字符）。",
        "请使用 CI 获取的原始签名，不要手工改动。",
        "a signature that is not exactly lower-case hex",
    ),
    "DRAW_BEACON_BAD_LENGTH": (
        "drand 签名应为 48 字节，实为 {length} 字节。",
        "请使用 CI 获取的原始签名。",
        "a signature of the wrong length",
    ),
    "DRAW_BEACON_INFINITY": (
        "drand 签名是无穷远点编码，无效。",
        "这不是真实的信标签名，请重新获取。",
        "the infinity encoding as signature",
    ),
    "DRAW_BEACON_NOT_COMPRESSED": (
        "drand 签名不是压缩格式的 G1 点。",
        "这不是真实的信标签名，请重新获取。",
        "a signature without the compression flag",
    ),
    "DRAW_BEACON_NO_BLS": (
        "本机没有可用的 BLS12-381 库，无法离线验证 drand 签名。",
        "请执行 bash scripts/setup.sh 安装项目依赖后再核验。",
        "no BLS library is importable",
    ),
    "DRAW_BEACON_BAD_POINT": (
        "drand 第 {round} 轮的签名或公钥不是有效的曲线点。",
        "这不是真实的信标签名，请重新获取。",
        "a signature or key off the curve or subgroup",
    ),
    "DRAW_BEACON_BAD_KEY": (
        "演示信标链的签名私钥不可用（{detail}）。",
        "请在 county.yaml 的演示信标链设置中填写正整数私钥；正式部署使用 drand quicknet，不需要私钥。",
        "a demo chain's signing secret that is not a positive integer",
    ),
    "DRAW_BEACON_BAD_SIGNATURE": (
        "drand 第 {round} 轮的签名验证失败（签名与轮次或公钥不符）。",
        "信标数据被改动或来自其他链，请由 CI 重新获取。",
        "a signature that does not verify under the chain's key",
    ),
    "DRAW_BEACON_WRONG_ROUND": (
        "drand 数据的轮次 {found} 与抽取申请指定的轮次 {expected} 不符。",
        "请获取申请指定轮次的信标。",
        "entropy for another round than the request names",
    ),
    "DRAW_BEACON_RANDOMNESS_MISMATCH": (
        "drand randomness 不等于 SHA-256(签名)。",
        "请使用 CI 获取的原始信标数据。",
        "a randomness field that is not the hash of the signature",
    ),
    # -- acceptance (protocol v2) ----------------------------------------------------------
    "DRAW_ACCEPTANCE_MISSING": (
        "抽取 {draw_id} 没有受理记录（acceptance），无法证明申请在信标产生前已登记。",
        "v2 抽取须带 CI 写入的受理记录；请等待 CI 受理后再抽取。",
        "a v2 draw without an acceptance",
    ),
    "DRAW_ACCEPTANCE_INVALID": (
        "受理记录的字段 {field} 无效：{problem}。",
        "受理记录只能由 CI 写入，请勿手工修改。",
        "an acceptance of the wrong shape or for another request",
    ),
    "DRAW_ACCEPTANCE_LATE": (
        "受理时记录的 drand 轮次 {recorded} 加提前量 {margin} 不早于申请的轮次 {round}：申请登记时信标可能已可预见。",
        "该申请不能抽取；请重新申请更晚的轮次。",
        "an acceptance whose recorded round + margin is not before the requested round",
    ),
    "DRAW_LOG_PATH_INVALID": (
        "登记簿包含路径无效：{problem}。",
        "请用公开登记簿（registry log）的内容重新生成数据包。",
        "an inclusion path that does not lead from the entry to the log head",
    ),
    # -- pools -----------------------------------------------------------------------------
    "DRAW_POOL_MISSING": (
        "抽取 {draw_id} 缺少冻结的候选池文件 {file}。",
        "候选池在申请时冻结，请从申请提交时的版本恢复该文件。",
        "a draw folder without its frozen pool file",
    ),
    "DRAW_ROW_NOT_MAPPING": (
        "{where}的每一行必须是字段表，第 {row} 行不是。",
        "请检查该行的格式。",
        "a pool row that is not a mapping",
    ),
    "DRAW_ID_MISSING": (
        "{where}第 {row} 行缺少编号 id 或编号不是非空文本。",
        "请为每一行填写非空的编号。",
        "a pool row without a text id",
    ),
    "DRAW_DUPLICATE_ID": (
        "{where}编号重复：{id}（按 Unicode NFC 规范化后比较）。",
        "请删除重复的行，或改正其中一个编号。",
        "two pool rows with the same NFC id",
    ),
    "DRAW_SALT_INVALID": (
        "检查对象 {id} 缺少 64 位小写十六进制盐值。",
        "commit 模式下每个对象都需要盐值；请由联合办公室重新生成候选池。",
        "a commit-mode object without a 64-hex salt",
    ),
    "DRAW_STRATUM_UNKNOWN": (
        "检查对象 {id} 的分层“{stratum}”不在抽取申请的分层中。",
        "请在申请中加入该分层，或改正对象的分层。",
        "an object whose stratum the request does not name",
    ),
    "DRAW_BLOCKED_KEY_INVALID": (
        "pools.blocked_key 必须是 64 位小写十六进制。",
        "请删除该字段（由名录派生），或改为 64 位十六进制。",
        "a recusal key that is not 64 lower-case hex",
    ),
    "DRAW_POOL_DIGEST_MISMATCH": (
        "名录 {pool} 的摘要与抽取申请登记的不符（名录在登记后被改动）。",
        "请恢复申请时冻结的名录；名录不能在登记后修改。",
        "a pool that does not hash to the digest pinned in the request",
    ),
    # -- the draw and the bundle -----------------------------------------------------------
    "DRAW_OPENING_MISSING": (
        "中签对象 {ref} 未公开其编号和盐值。",
        "数据包须为每个中签对象给出 id 和盐值；请重新生成数据包。",
        "a drawn ref with no published opening",
    ),
    "DRAW_OPENING_MISMATCH": (
        "对象 {id} 的盐值与承诺不符。",
        "公布的编号或盐值被改动；请重新生成数据包。",
        "a published salt and id that do not hash to the drawn ref",
    ),
    "DRAW_BUNDLE_FORMAT": (
        "数据包格式是“{value}”，不是 {expected}。",
        "请下载抽取页面上的数据包原件。",
        "a bundle of an unknown format",
    ),
    "DRAW_INFEASIBLE_UNIT_SHORTFALL": (
        "{unit}：合格且有效的执法检查人员只有 {have} 名，规则 {rule} 需要 {required} 名，缺 {missing} 名。",
        "请补充该单位的执法检查人员，或调整每组人数、每人上限后重新申请。",
        "a unit has fewer eligible inspectors than the team rule needs",
    ),
    "DRAW_INFEASIBLE_OBJECT_SHORTFALL": (
        "{unit}：检查对象 {object} 按{where}每人上限等抽取规则配不齐 {need} 名检查人员。",
        "请补充人员或放宽每人上限后重新申请。",
        "an object that cannot be staffed after recusals and caps",
    ),
    "DRAW_SUBSTITUTE_INVALID": (
        "检查对象 {object} 的替补无法按公布的顺序确定（{field}）：{problem}。",
        "替补只能替换该对象检查组中的人员，且由其所在参与部门的下一名合格人员接替（协议 §11）。",
        "a substitution naming an object not drawn or a department not participating",
    ),
    # -- county policy (issues) ------------------------------------------------------------
    "POLICY_DRAND_REQUIRED": (
        "本县规定必须使用 drand 随机信标，抽取申请未声明。",
        "请在 sources 中加入 drand 源（放在最后）。",
        "the policy requires drand",
    ),
    "POLICY_DRAND_DUPLICATE": (
        "抽取申请声明了多个 drand 随机信标，只允许一个。",
        "请只保留一个 drand 源。",
        "more than one drand source",
    ),
    "POLICY_DRAND_NOT_LAST": (
        "drand 随机信标必须是最后一个随机源。",
        "请把 drand 源移到 sources 的末尾。",
        "a source listed after drand",
    ),
    "POLICY_CEREMONY_REQUIRED": (
        "本县规定至少需要 {need} 个现场摇号随机源，抽取申请只声明了 {have} 个。",
        "请加入现场摇号源。",
        "fewer ceremony sources than the policy requires",
    ),
    "POLICY_COMMIT_REVEAL_REQUIRED": (
        "本县规定至少需要 {need} 个承诺—揭示随机源，抽取申请只声明了 {have} 个。",
        "请加入承诺—揭示源。",
        "fewer commit-reveal sources than the policy requires",
    ),
    "POLICY_MISSING_RULE": (
        "参与方“{party}”的未揭示处理规则 {rule} 不在本县允许的 {allowed} 中。",
        "请改用允许的规则。",
        "a missing-reveal rule the policy does not allow",
    ),
    "POLICY_SOURCE_DUPLICATE": (
        "抽取申请中有重复的随机源名称。",
        "请为每个随机源取不同的名称。",
        "two sources with one kind and name",
    ),
}


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "？"


def render(code: str, details: dict) -> str:
    """The message of ``code`` with ``details`` filled in (template + fix)."""
    template, fix, _ = DRAW_CATALOG[code]
    return template.format_map(_Fields({k: shown(v) for k, v in details.items()})) + fix
