"""Realistic published decisions for the disclosure benchmark, made fast.

Each text is put together from a few hundred fragments in the style of published decisions
(parties, products, violations, legal bases, sanctions); every fragment is segmented once with the
platform's own ``segment`` and cached, so a million entries need no per-entry jieba call. Numbers
(dates, amounts) are added as they would be segmented (digits apart from the characters).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

CITIES = ["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "义乌", "慈溪", "余姚",
          "瑞安", "乐清", "海宁", "桐乡", "诸暨", "上虞"]
BRANDS = ["鑫源", "华联", "永盛", "恒达", "金禾", "宏图", "瑞丰", "天成", "明辉", "嘉和", "新亚", "博远", "富春", "润泽",
          "东升", "安泰", "百川", "盛世", "佳美", "长兴", "开元", "汇通", "康宁", "兴旺", "福满", "宝利", "海川", "正大",
          "中和", "德信", "万家", "绿源", "顺发", "一品", "千禧", "同德", "春晖", "锦华", "红星", "国泰"]
TRADES = ["食品", "餐饮", "商贸", "科技", "贸易", "医药", "建材", "物流", "五金", "服装", "电子", "农业", "超市",
          "便利店", "药房", "燃气", "汽车服务", "教育咨询", "美容美发", "网络科技"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "经营部", "商行", "店"]
SURNAMES = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭",
            "马", "罗", "欧阳", "诸葛"]
PRODUCTS = ["牛奶", "酸奶", "面包", "月饼", "食用油", "大米", "面粉", "白酒", "啤酒", "饮料", "矿泉水", "茶叶", "蜂蜜",
            "保健食品", "婴幼儿配方奶粉", "儿童玩具", "电动自行车", "电线电缆", "液化石油气", "化妆品", "口罩",
            "消毒液", "眼镜", "蔬菜", "猪肉", "牛肉", "冷冻水产品", "糕点", "调味品", "酱油"]
VIOLATIONS = [
    ("销售超过保质期的{p}", "过期食品", 14),
    ("经营标签不符合规定的{p}", "标签", 8),
    ("在网站和微信公众号上对其{p}作虚假宣传，宣称具有治疗功效", "虚假宣传", 10),
    ("发布含有“最佳”“国家级”等用语的{p}广告", "广告", 7),
    ("未取得食品经营许可证从事{p}经营活动", "无证经营", 9),
    ("生产销售不符合强制性国家标准的{p}", "产品质量", 6),
    ("使用未经检定的计量器具销售{p}", "计量", 5),
    ("销售未经强制性产品认证的{p}", "认证", 4),
    ("未按规定建立并遵守进货查验记录制度，购进{p}未查验供货者的许可证和产品合格证明", "进货查验", 6),
    ("擅自改变燃气用途，违规储存{p}", "燃气", 3),
    ("侵犯他人注册商标专用权，销售假冒注册商标的{p}", "商标", 5),
    ("未按规定公示年度报告且销售{p}", "年报", 3),
]
BASES = [
    "《中华人民共和国食品安全法》第一百二十四条第一款",
    "《中华人民共和国食品安全法》第一百二十六条",
    "《中华人民共和国广告法》第五十五条第一款",
    "《中华人民共和国广告法》第五十七条",
    "《中华人民共和国反不正当竞争法》第二十条",
    "《中华人民共和国产品质量法》第四十九条",
    "《中华人民共和国计量法》第二十六条",
    "《中华人民共和国商标法》第六十条第二款",
    "《城镇燃气管理条例》第四十五条",
    "《中华人民共和国行政处罚法》第三十二条",
]
SANCTIONS = ["警告", "罚款", "没收违法所得", "没收违法所得并处罚款", "责令改正，给予警告", "责令改正，罚款",
             "责令停产停业", "吊销许可证"]
LICENSES = ["食品经营许可证", "药品经营许可证", "特种设备使用登记", "燃气经营许可证", "广告发布登记", "营业执照变更登记"]
INSPECTIONS = ["食品安全监督抽查", "产品质量监督抽查", "广告监测抽查", "计量器具专项检查", "企业年报公示信息抽查"]
RESULTS = ["未发现问题", "发现问题已责令改正", "未按规定公示即时信息", "通过登记的住所无法联系", "不予配合情节严重"]


class Segmented:
    """A text and its segmented form, built fragment by fragment (each fragment segmented once)."""

    cache: dict[str, str] = {}

    def __init__(self) -> None:
        self.raw: list[str] = []
        self.seg: list[str] = []

    def add(self, fragment: str) -> Segmented:
        from sanxiang.disclosure.search.segment import segment

        seg = self.cache.get(fragment)
        if seg is None:
            seg = self.cache[fragment] = segment(fragment)
        self.raw.append(fragment)
        if seg:
            self.seg.append(seg)
        return self

    def parts(self, fragments: list[str]) -> Segmented:
        for fragment in fragments:
            self.add(fragment)
        return self

    def number(self, value: object, unit: str) -> Segmented:
        self.raw.append(f"{value}{unit}")
        self.seg.append(f"{value} {unit}" if unit else str(value))
        return self

    def text(self) -> str:
        return "".join(self.raw)

    def words(self) -> str:
        return " ".join(self.seg)


def _company(rng: random.Random) -> list[str]:
    """A company name as its parts (each segmented once): 城市 + 字号 + 行业 + 组织形式."""
    return [f"{rng.choice(CITIES)}市", rng.choice(BRANDS), rng.choice(TRADES), rng.choice(FORMS)]


def _uscc(rng: random.Random) -> str:
    return "91" + "".join(rng.choice("0123456789") for _ in range(6)) + "".join(
        rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10))


def entry(i: int, rng: random.Random, start: dt.datetime) -> dict[str, Any]:
    """The fields of the ``i``-th published decision (search_text included)."""
    roll = rng.random()
    category = ("penalty" if roll < 0.62 else "license" if roll < 0.82 else "inspection_result" if roll < 0.92
                else "coercion" if roll < 0.96 else "inspection")
    person = rng.random() < 0.3 and category != "inspection_result"
    parts = [f"{rng.choice(SURNAMES)}某"] if person else _company(rng)
    party = "".join(parts)
    city = rng.choice(CITIES)
    agency = f"{city}市市场监督管理局"
    decided = (start + dt.timedelta(seconds=i * 60)).date()
    builders = {"penalty": _penalty, "coercion": _penalty, "license": _license,
                "inspection_result": _inspection, "inspection": _inspection}
    suffix, facts, basis, content, outcome, fine = builders[category](rng, parts)
    title = Segmented().parts(parts).add(suffix)
    segs = [title, Segmented().parts(parts), Segmented().add(agency), facts, basis, content, Segmented().add(outcome)]
    return {
        "public_id": uuid.uuid4(), "sequence": i + 1, "status": "published", "category": category,
        "agency_id_public": CITIES.index(city) + 1, "agency_name": agency,
        "document_number": f"{city[:2]}市监处罚〔{decided.year}〕{i % 100000}号", "title": title.text(), "party_name": party,
        "party_uscc": "" if person else _uscc(rng), "legal_representative": "" if person else f"{rng.choice(SURNAMES)}某某",
        "facts": facts.text(), "basis": basis.text(), "content": content.text(), "outcome": outcome, "fine": fine,
        "decided_on": decided, "published_at": start + dt.timedelta(seconds=i * 60 + 3600),
        "search_text": " ".join(s.words() for s in segs),
    }


def _penalty(rng: random.Random, party: list[str]) -> tuple:
    product = rng.choice(PRODUCTS)
    template, short, _ = rng.choices(VIOLATIONS, weights=[v[2] for v in VIOLATIONS])[0]
    facts = Segmented().add("经查，当事人").parts(party).add("于").number(rng.randint(2023, 2026), "年")
    facts.number(rng.randint(1, 12), "月").number(rng.randint(1, 28), "日").add("在其经营场所")
    facts.add(template.format(p=product)).add("，货值金额").number(rng.randint(50, 90000), "元")
    facts.add("，违法所得").number(rng.randint(0, 20000), "元").add("。以上事实有现场检查笔录、询问笔录等证据证实。")
    basis = Segmented().add("依据").add(rng.choice(BASES)).add("的规定")
    sanction = rng.choice(SANCTIONS)
    fine = Decimal(rng.choice([0, 500, 2000, 5000, 10000, 20000, 50000, 100000])) if "罚款" in sanction else None
    content = Segmented().add("决定对当事人作出如下行政处罚：").add(sanction)
    if fine:
        content.add("，罚款人民币").number(int(fine), "元")
    return f"{short}案", facts, basis, content, sanction.split("，")[-1], fine


def _license(rng: random.Random, party: list[str]) -> tuple:
    kind = rng.choice(LICENSES)
    facts = Segmented().add("申请人").parts(party).add("申请").add(kind).add("，提交的申请材料齐全、符合法定形式。")
    basis = Segmented().add("依据《中华人民共和国行政许可法》第三十八条第一款")
    content = Segmented().add("准予行政许可，有效期").number(rng.choice([3, 5]), "年")
    return kind, facts, basis, content, "准予许可", None


def _inspection(rng: random.Random, party: list[str]) -> tuple:
    kind, result = rng.choice(INSPECTIONS), rng.choice(RESULTS)
    facts = Segmented().add("根据“双随机、一公开”监管要求，对").parts(party).add("开展").add(kind).add("，检查结果：")
    facts.add(result).add("。")
    basis = Segmented().add("依据《市场监督管理随机抽查工作规定》")
    return f"{kind}结果", facts, basis, Segmented().add(result), result, None


def entries(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for i in range(n):
        yield entry(i, rng, start)
