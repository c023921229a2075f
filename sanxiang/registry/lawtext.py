"""Plain text of a law → title, preamble and numbered articles. Pure Python, no Django.

The texts we ship (``registry/data/laws/*.md``) look like this::

    # 中华人民共和国行政处罚法
    1996年3月17日 第八届全国人民代表大会第四次会议通过
    …                                     (the preamble: one line per adoption/amendment)
    <!-- INFO END -->
    ## 第一章 总则
    ### 第一节 一般规定                    (sections, where the law has them)
    第一条 为了规范……                     (an article starts with its label and a space)
    设定和实施行政处罚……                   (a paragraph without a label continues it)

Paragraphs are separated by blank lines; every non-blank line is one paragraph. "第X条"
also appears inside articles as a cross-reference ("依照本法第二十一条规定"), so only a
paragraph that *starts* with a label followed by whitespace (or nothing) opens an article,
and the numbers must run 1, 2, 3 … without gaps: a gap means the text or the split is
wrong, and we refuse it rather than store a law with a missing article.
"""

import datetime
import re
from dataclasses import dataclass, field

INFO_END = "<!-- INFO END -->"

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_DIGIT_CHARS = "零一二三四五六七八九"
_NUMERAL_CLASS = "零〇一二三四五六七八九十百千两"

# A paragraph that opens an article: the label, then whitespace (ASCII or 全角) or the end.
_ARTICLE_START = re.compile(rf"^第([{_NUMERAL_CLASS}]+)条(?:[\s\u3000]+|$)")
_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
# "第一章  总 则" → number part and title; titles are Chinese and carry no meaningful spaces.
_DIVISION = re.compile(rf"^(第[{_NUMERAL_CLASS}]+[编分章节])[\s\u3000]*(.*)$")
_DATE = re.compile(r"([0-9０-９]{4}|[〇零一二三四五六七八九]{4})\s*年"
                   r"\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,4})\s*日")


class LawTextError(ValueError):
    """The text cannot be split into articles; the message (Chinese) says where and why."""


class NumeralError(ValueError):
    """Not a Chinese numeral we understand."""


# --- numerals -------------------------------------------------------------------------------


def cn_to_int(numeral: str) -> int:
    """Value of a Chinese numeral below 10,000: "十五" → 15, "一百一十" → 110, "一千零一" → 1001.

    Also accepts 〇 for 零, 两 for 二, and plain digit strings such as "二〇二一" (= 2021).
    Raises NumeralError on anything else (empty, unknown characters, "十十", "百一").
    """
    if not numeral or any(c not in _DIGITS and c not in _UNITS for c in numeral):
        raise NumeralError(f"无法识别的中文数字：“{numeral}”")
    if all(c in _DIGITS for c in numeral):
        return _digit_string(numeral)
    return _positional(numeral)


def _digit_string(numeral: str) -> int:
    """"二〇二一" style: every character is one decimal digit."""
    if len(numeral) > 1 and numeral[0] in "零〇":
        raise NumeralError(f"无法识别的中文数字：“{numeral}”")
    return int("".join(str(_DIGITS[c]) for c in numeral))


def _positional(numeral: str) -> int:
    """"一千零一" style: digits followed by descending units, 零 marking skipped places."""
    total, digit, last_unit, after_zero = 0, None, 10_000, False
    for char in numeral:
        if char in _DIGITS:
            value = _DIGITS[char]
            if digit is not None:  # two digits in a row are only legal as "零" + digit
                if digit != 0:
                    raise NumeralError(f"无法识别的中文数字：“{numeral}”")
            if value == 0:
                after_zero = True
            digit = value
            continue
        unit = _UNITS[char]
        if unit >= last_unit or digit == 0:
            raise NumeralError(f"无法识别的中文数字：“{numeral}”")
        # "十五" omits the leading 一, but only at the very start ("一百十" is not standard text).
        if digit is None and not (unit == 10 and total == 0):
            raise NumeralError(f"无法识别的中文数字：“{numeral}”")
        total += (1 if digit is None else digit) * unit
        last_unit, digit, after_zero = unit, None, False
    if digit == 0:
        raise NumeralError(f"无法识别的中文数字：“{numeral}”")
    if digit:
        # A trailing digit is units when a 零 precedes it; otherwise it is ambiguous ("一百五" = 150
        # colloquially); statutes always write "一百零五" or "一百五十", so we require that.
        if last_unit > 10 and not after_zero:
            raise NumeralError(f"无法识别的中文数字：“{numeral}”")
        total += digit
    return total


def int_to_cn(number: int) -> str:
    """Chinese numeral as statutes write it: 15 → "十五", 110 → "一百一十", 1001 → "一千零一"."""
    if not 0 < number < 10_000:
        raise NumeralError(f"条号超出范围：{number}")
    parts: list[str] = []
    pending_zero = False
    for unit, unit_char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(_DIGIT_CHARS[digit] + unit_char)
    text = "".join(parts)
    # 10-19 drop the leading 一 ("十五"); "一百一十" keeps it because it is not leading.
    return text[1:] if text.startswith("一十") else text


def article_label(number: int) -> str:
    """The label of article ``number``: 51 → "第五十一条"."""
    return f"第{int_to_cn(number)}条"


# --- dates ----------------------------------------------------------------------------------


def parse_cn_date(text: str) -> datetime.date:
    """The first date written "2021年1月22日" (or "二〇二一年一月二十二日") in ``text``.

    Raises ValueError when there is none or it is not a real day.
    """
    match = _DATE.search(text)
    if not match:
        raise ValueError(f"未找到日期：“{text}”")
    year, month, day = (_date_part(p) for p in match.groups())
    return datetime.date(year, month, day)


def find_cn_dates(text: str) -> list[datetime.date]:
    """Every date in ``text``, in order of appearance (impossible dates are skipped)."""
    found = []
    for match in _DATE.finditer(text):
        try:
            found.append(datetime.date(*(_date_part(p) for p in match.groups())))
        except ValueError:
            continue
    return found


def _date_part(part: str) -> int:
    if part[0] in "0123456789０１２３４５６７８９":
        return int(part.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    return cn_to_int(part)


def infer_dates(preamble: str) -> tuple[datetime.date | None, datetime.date | None]:
    """(promulgated, effective) read from a preamble.

    A line mentioning 施行 gives the effective date; the latest other date is the date the
    current version was adopted or promulgated. Either may be None.
    """
    promulgated: datetime.date | None = None
    effective: datetime.date | None = None
    for line in preamble.splitlines():
        dates = find_cn_dates(line)
        if not dates:
            continue
        if "施行" in line:
            effective = dates[0]
        else:
            promulgated = max(dates + ([promulgated] if promulgated else []))
    return promulgated, effective


# --- splitting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedArticle:
    number: int
    label: str  # as written in the text, e.g. "第五十一条"
    chapter: str  # e.g. "第五章 行政处罚的决定 · 第三节 普通程序"; "" for laws without chapters
    text: str  # the paragraphs, without the label, joined by "\n"


@dataclass(frozen=True)
class ParsedLaw:
    title: str
    preamble: str  # the 通过/修正/公布 lines joined by "\n"
    articles: list[ParsedArticle] = field(default_factory=list)

    def article(self, number: int) -> ParsedArticle:
        """Article ``number`` (numbers are consecutive from 1, so this is an index)."""
        return self.articles[number - 1]


def parse_law(text: str) -> ParsedLaw:
    """Split a whole law file into title, preamble and articles.

    Raises LawTextError if there is no "# title", no article, a paragraph before the first
    article, or a gap or repetition in the article numbers.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title_index = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if title_index is None:
        raise LawTextError("法规文本缺少标题行（以“# ”开头）")
    title = _squash(lines[title_index][2:])
    rest = lines[title_index + 1:]
    marker = next((i for i, line in enumerate(rest) if line.strip() == INFO_END), None)
    if marker is None:
        # Without the marker the preamble runs up to the first heading or article.
        marker = next((i for i, line in enumerate(rest) if _HEADING.match(line.strip())
                       or _ARTICLE_START.match(line.strip())), len(rest))
        head, body_start = rest[:marker], marker
    else:
        head, body_start = rest[:marker], marker + 1
    preamble = "\n".join(p for p in (_clean(line) for line in head) if p)
    # rest[0] is line title_index + 2 of the file (1-based).
    articles = split_articles(rest[body_start:], first_line=title_index + 2 + body_start)
    return ParsedLaw(title=title, preamble=preamble, articles=articles)


def split_articles(lines: list[str], first_line: int = 1) -> list[ParsedArticle]:
    """Articles of the body ``lines`` (headings and paragraphs). ``first_line`` is the 1-based
    line number of ``lines[0]`` in the file, used in error messages."""
    builder = _Builder()
    for offset, raw in enumerate(lines):
        line = _clean(raw)
        if line:
            builder.feed(line, first_line + offset)
    return builder.finish()


class _Builder:
    """Accumulates paragraphs into articles while tracking the chapter/section headings."""

    def __init__(self) -> None:
        self.headings: dict[int, str] = {}
        self.articles: list[ParsedArticle] = []
        self.current: tuple[int, str, str, list[str]] | None = None

    def feed(self, line: str, line_number: int) -> None:
        heading = _HEADING.match(line)
        if heading:
            self._close()
            self._set_heading(len(heading.group(1)), heading.group(2))
            return
        start = _ARTICLE_START.match(line)
        if start:
            self._open(start, line, line_number)
        elif self.current is None:
            raise LawTextError(f"第{line_number}行：第一条之前出现了不属于任何条文的段落：“{line[:20]}”")
        else:
            self.current[3].append(line)

    def _set_heading(self, level: int, text: str) -> None:
        # "##" is a chapter, "###" a section; a new heading drops the deeper ones.
        self.headings = {k: v for k, v in self.headings.items() if k < level}
        self.headings[level] = _division_label(text)

    def _open(self, start: re.Match[str], line: str, line_number: int) -> None:
        self._close()
        try:
            number = cn_to_int(start.group(1))
        except NumeralError as exc:
            raise LawTextError(f"第{line_number}行：条号“第{start.group(1)}条”无法识别") from exc
        expected = len(self.articles) + 1
        if number != expected:
            previous = f"第{int_to_cn(expected - 1)}条之后" if expected > 1 else "开头"
            raise LawTextError(
                f"第{line_number}行：条号不连续，{previous}应为{article_label(expected)}，"
                f"实际为第{start.group(1)}条"
            )
        chapter = " · ".join(self.headings[k] for k in sorted(self.headings) if k > 1)
        first = line[start.end():].strip()
        self.current = (number, f"第{start.group(1)}条", chapter, [first] if first else [])

    def _close(self) -> None:
        if self.current is None:
            return
        number, label, chapter, paragraphs = self.current
        self.articles.append(ParsedArticle(number, label, chapter, "\n".join(paragraphs)))
        self.current = None

    def finish(self) -> list[ParsedArticle]:
        self._close()
        if not self.articles:
            raise LawTextError("法规文本中没有找到以“第一条”开头的条文")
        return self.articles


def _division_label(text: str) -> str:
    """"第一章  总 则" → "第一章 总则"; other headings just lose their extra spaces."""
    match = _DIVISION.match(_squash(text))
    if not match:
        return _squash(text)
    title = re.sub(r"[\s\u3000]+", "", match.group(2))
    return f"{match.group(1)} {title}".strip()


def _clean(line: str) -> str:
    return line.strip().strip("\u3000").strip()


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000]+", " ", text).strip()
