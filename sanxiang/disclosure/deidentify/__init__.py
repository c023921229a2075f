"""De-identification of decisions before they are published (行政执法公示). Pure Python, no Django.

    from sanxiang.disclosure.deidentify import deidentify, apply

    result = deidentify(text, people=[{"name": "张三", "id_number": "…", "address": "…", "phone": "…"}],
                        organisations=[{"name": "成都某某餐饮有限公司", "uscc": "91510100…"}])
    result.text            # the text to publish
    result.replacements    # Replacement(start, end, original, kind, replacement, source), sorted
    result.segments()      # the text cut at every replacement, for the side-by-side view
    apply(text, [r.to_dict() for r in result.replacements])   # the same result again, from JSON
    undo(result, result.replacements[0]); add(result, start, end, kind="name")   # the publisher's edits
    suggest_names(result)  # jieba's guesses at names the rules missed, for the publisher to accept

Rules (法释〔2016〕19号 as DOMAIN.md's "De-identification baseline" reads it):

* a natural person keeps the surname and the given name becomes 某 (张某; 欧阳某 for compound
  surnames); several people with one surname are 张某甲, 张某乙 … in order of first appearance; one
  person has one pseudonym throughout a text; names already written as 张某/张某某 stay;
* deleted items become a label saying what was there: 【身份证号码】, 【电话号码】, 【银行账号】,
  【车牌号码】, 【电子邮箱】, 【不动产权证号】, and an address keeps its 省/市/县(区) part:
  ``四川省成都市武侯区【详细地址】``;
* a legal representative (法定代表人) or 负责人 is a natural person and is pseudonymised in the text
  like any other; where a profile publishes that name, the pipeline takes it from the case's
  structured fields, not from this text;
* organisations keep their name and 统一社会信用代码 (a code with a valid GB 32100 check character,
  any code after 统一社会信用代码：, and whatever ``organisations`` names); officers' names are kept;
* an 18-digit number with a wrong GB 11643 check character is still taken as an ID number when
  a 身份证 cue precedes it or it has a region code and a real birth date; the old 15-digit numbers
  likewise;
* everything found of a known person is replaced in every written form (full-width digits, spaces
  or dashes inside numbers, 张  三); names are recognised without known people by context rules
  (当事人/证人/法定代表人…：NAME, NAME，男，…); jieba's guesses at other names are offered to the
  publisher (``suggest_names``), or applied with ``guess_names=True``.

Offsets are Python string indices into the original text. Recognition is a help, not a guarantee:
the publisher reviews every replacement before anything is published.
"""

from .engine import deidentify, suggest_names
from .model import KIND_LABELS, Deidentified, Replacement, Segment, add, apply, label, undo

__all__ = [
    "KIND_LABELS",
    "Deidentified",
    "Replacement",
    "Segment",
    "add",
    "apply",
    "deidentify",
    "label",
    "suggest_names",
    "undo",
]
