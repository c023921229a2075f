"""Natural persons' names: recognition without a model, and the pseudonyms that replace them.

Recognition works on the compact view (``张  三`` reads ``张三``) in three steps, most certain first:

1. context rules: a party or witness cue (当事人, 法定代表人, 证人, 经营者, 姓名 …) followed by a
   surname and one or two given-name characters, lists after it (证人王五、赵六), and a name right
   before the facts that only a person has (``张三，男，``, ``张三（身份证号…``);
2. already masked names: ``王*明``, ``王××`` are replaced (they still leak a character or the
   length); ``张某``, ``张某某`` are left as they are and their pseudonyms are not handed out again;
3. optionally (``guess=True``), jieba's segmentation: a word outside its dictionary that starts
   with a common surname and is not a place or an organisation (see ``guesses``).

Names after officer cues (执法人员, 承办人 …) are reported as officers' and kept. Where the name ends
is decided by what follows it (a delimiter, or a word such as 于/在/的/证实), and by jieba when that
is not enough.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import segmenter
from .surnames import COMPOUND_SURNAMES, SINGLE_SURNAMES, surname_at, surname_of

if TYPE_CHECKING:
    from .model import Replacement

_CJK = r"\u4e00-\u9fff"
_SUFFIXES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
_MASK = "*×X"

PARTY_CUES = (
    "当事人 被处罚人 违法行为人 行为人 法定代表人 主要负责人 现场负责人 负责人 实际经营者 经营者 投资人 "
    "个体工商户业主 业主 委托代理人 代理人 法定代理人 监护人 证人 见证人 举报人 投诉人 被投诉人 申请人 "
    "被申请人 第三人 驾驶人 驾驶员 司机 车主 户主 姓名 患者 就诊人 消费者 顾客 游客 乘客 员工 雇员 店员 "
    "从业人员 工作人员 厨师 收银员 营业员 服务员 学员 租户 房东 承租人 出租人 股东 监事 会计 出纳 联系人 "
    "签收人 受送达人 在场人员 实际控制人 医师 医生 护士 村民 居民 群众 被检查人 被询问人 陪同人 配偶 之子 之女 "
    "其子 其女 其妻 其夫 其兄 其弟 其姐 其妹 其父 其母 之兄 之弟 之姐 之妹 之妻 之夫 妻子 丈夫 儿子 女儿 父亲 母亲 "
    "产妇 孕妇 病人 伤者 死者 受害人 被害人 学生 家长 教练员 教练 导游 骑手 快递员 保安 保洁员"
).split()
OFFICER_CUES = (
    "执法人员 执法人 承办人 办案人员 办案人 检查人员 审核人 审批人 批准人 法制审核人员 记录人 询问人 "
    "调查人员 调查人 经办人 送达人"
).split()

_CUE_RE = re.compile(
    "(?P<cue>"
    + "|".join(sorted(PARTY_CUES + OFFICER_CUES, key=len, reverse=True))
    + r")(?:\([^()\n]{0,8}\))?(?:[:]|为|系|是)?"
)
# Facts only a natural person has, right after the name.
_PERSON_FACTS = re.compile(
    r"[,(](?:男|女|性别|身份证|公民身份|证件号|出生|汉族|回族|藏族|彝族|壮族|满族|苗族|土家族|蒙古族|维吾尔族|"
    r"民族|\d{4}年\d{1,2}月\d{1,2}日出?生|住|手机|联系电话|电话|联系方式|"
    r"系.{0,6}(?:法定代表人|负责人|经营者|员工))"
)
_BEFORE_OFFICER_FACTS = re.compile(r"[,(]?(?:执法证号|执法证件号|执法证编号|执法证)")

# What may follow a name: a delimiter, or a word that starts the rest of the sentence.
_DELIMITERS = frozenset(",.;:!?()[]<>\"'、。“”‘’《》【】\n/ ")
_FOLLOWERS = re.compile(
    "于|在|的|因|系|是|未|已|对|向|将|把|经|等|与|和|及|自|从|为|被|到|称|说|之|均|也|都|则|以|即|曾|又|还|并|且|给|"
    "让|请|无|不|家|所|现|同|个人|本人|同志|先生|女士|证实|陈述|表示|承认|驾驶|经营|销售|提供|使用|租用|擅自|持|签|"
    "拒绝|明知|当场|现场|同意|出具|接受|负责|担任|委托|申请|提出|说明|确认|指认|反映|投诉|举报|购买|购得|支付|"
    "收取|缴纳|居住|住|男|女|涉嫌|违法|非法|一起|共同|分别|通过|利用|组织|雇佣|雇用|没有|其|作为|发现|前往|"
    "进行|办理|私自|长期|多次|先后|一人|二人|两人|夫妇|父子|母子|签字|签名|捺印|按|受|出示|向其|送达|缴纳"
)
# A second given-name character that is more likely the next word (周杰向其送达 is 周杰, not 周杰向).
_FUNCTION_CHARS = frozenset("于在向对将被从与和及等为是把给让因系未已均也都则曾又还并且称说到自经")
_MASKED_GIVEN = re.compile(rf"某{{1,2}}[{_SUFFIXES}]?|[{_MASK}][{_CJK}]|[{_CJK}][{_MASK}]|[{_MASK}]{{1,3}}")
_NOT_GIVEN = frozenset("的了是在和与及等其该此某为于被把将对向从自个们这那有无不也都就之所以而或及即并且")
_PLACE_OR_BODY_END = frozenset(
    "省市县区镇乡村路街道巷局所院厂店站馆队部处科室组社园城楼州港湾山河湖江桥庄屯寨坊"
)
_NOT_NAMES = frozenset(
    "顾客 游客 乘客 车主 业主 户主 高新 金额 万元 于是 成交 程序 罗列 石油 黄金 白银 白酒 黄酒 江湖 海关 "
    "林业 农业 商业 工商 税务 公安 安全 安监 卫生 文化 宣传 齐全 余额 沙发 方便 方向 方式 方面 和解 时间 "
    "时期 单位 单价 连续 连锁 甘肃 任何 任务 尚未 应当 应予 向其 经营 许可 严重 及时 明显 明知 平台 国家 "
    "原告 原料 原因 华为 包装 包括 江西 贵州 云南 武汉 成都 成立 成本 成品 全部 全面 常年 常用 祝贺 上官 "
    "龙头 马上 周边 周年 周末 关于 关系 关闭 支付 支出 计算 计划 相关 相应 信息 信用 宁可 邢台 米粉 谷物 "
    "陈述 承认 强迫 应当 应予 于是 申请 申辩 提出 高于 低于 成立 依法 明确 通过 管理 安装 安排 宣传 尚未 "
    "将其 对其 对此 时任 未经 经营 经查 经营者 利用 组织 雇佣 拒绝 拒不 同意 同时 当场 当即 随即 另查 "
    "向本局 向其 于次日 其中 严禁 禁止 罗某 施工 施行 施工方 曾经 曾在 车辆 车主 车牌 车身 路面 路段 "
    "包括 包装 苗木 花卉 蔬菜 水果 茶叶 牛奶 牛肉 羊肉 鱼类 药品 药物 医疗 卫生 文化 文件 文书 毛重 "
    "公民 公司 公众 公共 公告 公开 公示 公章 毕业 单独 单据 单方 季度 项目 连续 范围 柏油 鲍鱼 华人 左侧 右侧 后厨 后期 前期 钱款 钟表".split()
)


@dataclass(frozen=True)
class Found:
    """A name found in the compact view: ``[start, end)`` there, the name as written, and whether it is
    an officer's (kept) and which rule found it."""

    start: int
    end: int
    name: str
    source: str
    officer: bool = False
    masked: bool = False


def recognise(compact: str, guess: bool = False) -> list[Found]:
    """Every name the rules find in ``compact``; officers' names are marked, not dropped."""
    found = list(_by_cue(compact))
    found += _by_person_facts(compact)
    found += _partially_masked(compact)
    if guess:
        taken = [(f.start, f.end) for f in found]
        found += [f for f in guesses(compact) if not _overlaps(f, taken)]
    titles = [m.span() for m in _NO_NAMES_IN.finditer(compact)]
    return [f for f in found if not _overlaps(f, titles)]


# Titles of laws and documents (《中华人民共和国食品安全法》), quoted product names and document
# numbers (武文旅罚〔2024〕9号) hold no one's name.
_NO_NAMES_IN = re.compile(r"《[^《》\n]{1,60}》|“[^“”\n]{1,20}”|[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,6}号")


def reserved_pseudonyms(compact: str) -> set[str]:
    """Masked names already in the text (张某, 李某某, 王某甲): never handed out to someone else."""
    reserved = set()
    for match in re.finditer(rf"某{{1,2}}[{_SUFFIXES}]?", compact):
        for length in (2, 1):
            surname = compact[match.start() - length : match.start()]
            if len(surname) == length and (surname in COMPOUND_SURNAMES or surname in SINGLE_SURNAMES):
                reserved.add(surname + match.group())
                break
    return reserved


# --- context rules -------------------------------------------------------------------------------


def _by_cue(compact: str) -> Iterator[Found]:
    for cue in _CUE_RE.finditer(compact):
        officer = cue.group("cue") in OFFICER_CUES
        position = cue.end()
        while True:
            name = name_at(compact, position, cue_seen=True)
            if name is None:
                break
            end, masked = name
            yield Found(position, end, compact[position:end], "context", officer, masked)
            more = re.match(r"(?:、|和|及|与)", compact[end : end + 1])
            if not more:
                break
            position = end + 1


def _by_person_facts(compact: str) -> Iterator[Found]:
    for pattern, officer in ((_PERSON_FACTS, False), (_BEFORE_OFFICER_FACTS, True)):
        for facts in pattern.finditer(compact):
            found = _name_ending_at(compact, facts.start())
            if found:
                start, masked = found
                yield Found(start, facts.start(), compact[start : facts.start()], "context", officer, masked)


def _name_ending_at(compact: str, end: int) -> tuple[int, bool] | None:
    """The start of a name that ends right before ``end`` (``张三，男``), preferring the longest one
    that starts after a boundary."""
    options = []
    for length in (4, 3, 2):
        start = end - length
        if start < 0:
            continue
        name = name_at(compact, start, cue_seen=True, strict_end=end)
        if name and name[0] == end:
            options.append((start, name[1]))
    for start, masked in options:
        if start == 0 or not re.match(rf"[{_CJK}]", compact[start - 1]) or _cue_ends_at(compact, start):
            return start, masked
    return options[-1] if options else None


def _cue_ends_at(compact: str, index: int) -> bool:
    return any(cue.end() == index for cue in _CUE_RE.finditer(compact, max(0, index - 12), index))


def name_at(
    compact: str, start: int, *, cue_seen: bool = False, strict_end: int | None = None
) -> tuple[int, bool] | None:
    """``(end, masked)`` of a name starting at ``start``: a surname and one or two given-name
    characters (or a mask), followed by something that may follow a name. None if there is none."""
    surname = surname_at(compact, start)
    if surname is None:
        return None
    given_at = start + len(surname)
    masked = _MASKED_GIVEN.match(compact, given_at)
    if masked and (strict_end is None or given_at + len(masked.group()) == strict_end):
        return given_at + len(masked.group()), True
    for length in (2, 1):
        end = given_at + length
        if strict_end is not None and end != strict_end:
            continue
        given = compact[given_at:end]
        if len(given) != length or not _given_ok(given):
            continue
        if not _plausible(compact[start:end]):
            continue
        if strict_end is not None:
            return _with_trailing_mask(compact, end), False
        if length == 2 and given[1] in _FUNCTION_CHARS and _may_follow(compact, end - 1):
            continue
        if _may_follow(compact, end):
            return _with_trailing_mask(compact, end), False
    if cue_seen and strict_end is None:
        return _end_by_segmenter(compact, start, surname)
    return None


# Parts of speech of dictionary words that are not names even after a cue (导游强迫其…, 当事人陈述称):
# verbs, adjectives, adverbs, conjunctions, prepositions …; nouns stay possible (温暖, 白雪, 向阳).
_NOT_NAME_TAGS = ("v", "a", "d", "c", "p", "u", "r", "m", "q", "f", "vn", "ad", "vd", "ag", "dg")


# The last character of an organisation's name (成都好味道餐饮有限公司，住所… is no 公司).
_ORGANISATION_END = frozenset("司店厂部社院馆所站场局队处科行")


def _plausible(name: str) -> bool:
    if name in _NOT_NAMES or name[-1] in _ORGANISATION_END:
        return False
    tag = segmenter.dictionary_tag(name)
    return tag is None or tag not in _NOT_NAME_TAGS


def _given_ok(given: str) -> bool:
    return all(re.match(rf"[{_CJK}]", char) and char not in _NOT_GIVEN for char in given)


def _may_follow(compact: str, index: int) -> bool:
    if index >= len(compact) or compact[index] in _DELIMITERS:
        return True
    return bool(_FOLLOWERS.match(compact, index))


def _with_trailing_mask(compact: str, end: int) -> int:
    """``张三某某``: a name followed by 某 is replaced together with the 某."""
    while end < len(compact) and compact[end] == "某":
        end += 1
    return end


def _end_by_segmenter(compact: str, start: int, surname: str) -> tuple[int, bool] | None:
    words = segmenter.words(compact[start : start + 8])
    if not words:
        return None
    first = words[0]
    if segmenter.in_dictionary(first) and (not _plausible(first) or segmenter.dictionary_tag(first) == "ns"):
        return None  # 应当, 陈述, 成都市: a word of the dictionary that is no name
    if first.startswith(surname) and 1 <= len(first) - len(surname) <= 2 and _given_ok(first[len(surname) :]):
        return start + len(first), False
    if first == surname:
        given = ""
        for word in words[1:3]:
            if len(word) != 1 or not _given_ok(word) or len(given) == 2:
                break
            given += word
        if given:
            return start + len(surname) + len(given), False
    return None


# --- masked names ----------------------------------------------------------------------------------


def _partially_masked(compact: str) -> Iterator[Found]:
    """王*明, 王**, 王×, 欧阳*, 王小*: a surname next to a mask."""
    for mask in re.finditer(rf"[{_MASK}]{{1,3}}", compact):
        span = _masked_name_around(compact, *mask.span())
        if span and _mask_boundary(compact, *span):
            yield Found(span[0], span[1], compact[span[0] : span[1]], "pattern", masked=True)


def _masked_name_around(compact: str, i: int, j: int) -> tuple[int, int] | None:
    for length in (2, 1):  # the surname right before the mask: 王*明, 王**
        start = i - length
        if start >= 0 and surname_at(compact, start) == compact[start:i]:
            end = j
            if j - i == 1 and j < len(compact) and _given_ok(compact[j]) and not _may_follow(compact, j):
                end = j + 1
            return start, end
    for length in (2, 1):  # a surname and one character before it: 王小*
        start = i - 1 - length
        if start >= 0 and surname_at(compact, start) == compact[start : i - 1] and _given_ok(compact[i - 1]):
            return start, j
    return None


def _mask_boundary(compact: str, start: int, end: int) -> bool:
    before_ok = start == 0 or not compact[start - 1].isascii() or not compact[start - 1].isalnum()
    after_ok = end >= len(compact) or not (compact[end].isascii() and compact[end].isalnum())
    return before_ok and after_ok


def is_partial_mask(name: str) -> bool:
    """``王*明``, ``王××``: a mask that still has to be replaced (``张某`` has not)."""
    return any(char in _MASK for char in name)


def mask_matches(masked: str, name: str) -> bool:
    """Whether the partially masked ``masked`` (王*明) can be ``name`` (王小明)."""
    if len(masked) != len(name):
        return False
    return all(m == n or m in _MASK for m, n in zip(masked, name, strict=True))


# --- segmenter guesses ------------------------------------------------------------------------------


def guesses(compact: str) -> Iterator[Found]:
    """Words jieba makes up from characters outside its dictionary (that is how an unknown name
    comes out) that start with a common surname and are not glued to a place or a number.

    jieba's dictionary tags are no help: it tags 陈述, 许可, 卫星 and 银行卡 as person names (nr).
    Less precise than the context rules: ``deidentify`` takes them only with ``guess_names``; the
    publisher's page can offer them as suggestions (``suggest_names``).
    """
    for word, start, _ in segmenter.tokens(compact):
        name = _name_like(word)
        if name is None or _inside_place(compact, start, start + len(name)):
            continue
        if start > 0 and compact[start - 1].isdigit():
            continue  # 22时许
        yield Found(start, start + len(name), name, "segmenter")


def _name_like(word: str) -> str | None:
    if not 2 <= len(word) <= 4 or word in _NOT_NAMES:
        return None
    surname = surname_at(word, 0)
    if surname is None:
        return None
    if len(word) == len(surname) + 2 and _FOLLOWERS.fullmatch(word[-1]):
        word = word[:-1]  # 李华于 → 李华
    given = word[len(surname) :]
    if not 1 <= len(given) <= 2 or not _given_ok(given) or word[-1] in _PLACE_OR_BODY_END:
        return None
    if word in _NOT_NAMES or not _rare_name_or_unknown(word):
        return None
    if len(word) == 3 and segmenter.in_dictionary(word[:2]):
        return None  # 高中生, 银行卡: a word with one more character
    return word


def _rare_name_or_unknown(word: str) -> bool:
    """Outside the dictionary, or one of its rare person names (刘建华, 陈建国: frequency 3); its
    frequent "names" are words (陈述 763, 许可 623, 卫星 3057)."""
    if not segmenter.in_dictionary(word):
        return True
    return segmenter.dictionary_tag(word) == "nr" and segmenter.frequency(word) < 10


def _inside_place(compact: str, start: int, end: int) -> bool:
    """A name-like word glued to a place or organisation word (张江路, 王府井店) is not a name."""
    following = compact[end : end + 1]
    return bool(following) and following in _PLACE_OR_BODY_END


# --- pseudonyms ----------------------------------------------------------------------------------------


def assign_pseudonyms(people_in_order: Iterable[tuple[str, str]], reserved: set[str]) -> dict[str, str]:
    """``{person key: pseudonym}`` for ``(key, surname)`` pairs in order of first appearance.

    Alone with a surname: 张某. Two or more with the same surname: 张某甲, 张某乙 … in order of
    appearance. Pseudonyms already in the text (``reserved``) are skipped.
    """
    by_surname: dict[str, list[str]] = {}
    for key, surname in people_in_order:
        by_surname.setdefault(surname, []).append(key)
    result: dict[str, str] = {}
    for surname, keys in by_surname.items():
        if len(keys) == 1 and surname + "某" not in reserved:
            result[keys[0]] = surname + "某"
            continue
        free = (surname + "某" + suffix for suffix in _suffixes() if surname + "某" + suffix not in reserved)
        for key in keys:
            result[key] = next(free)
    return result


def _suffixes() -> Iterator[str]:
    yield from _SUFFIXES
    number = len(_SUFFIXES)
    while True:
        number += 1
        yield str(number)


def pseudonym_for_new(name: str, replacements: Iterable[Replacement]) -> str:
    """The pseudonym for a name the publisher marks by hand: the one this name already has in the
    text, else the surname with 某 and the first suffix no one has."""
    used: dict[str, str] = {}
    for item in replacements:
        if item.kind == "name":
            used[item.original] = item.replacement
    if name in used:
        return used[name]
    surname = surname_of(name.strip())
    taken = set(used.values())
    if surname + "某" not in taken:
        return surname + "某"
    return next(surname + "某" + s for s in _suffixes() if surname + "某" + s not in taken)


def _overlaps(found: Found, taken: list[tuple[int, int]]) -> bool:
    return any(found.start < end and start < found.end for start, end in taken)
