"""1,000 synthetic 检查对象 with valid 统一社会信用代码, spread over districts, industries and
risk levels, generated deterministically from a seed."""

import random
from dataclasses import dataclass

from sanxiang.accounts.validators import USCC_ALPHABET, uscc_check_char
from sanxiang.registry.choices import RiskLevel, TargetKind
from sanxiang.registry.demo.places import DISTRICTS, ROADS

# agency key → (how many targets, its industries, the districts it covers or None for all)
TARGET_PLAN: dict[str, tuple[int, tuple[str, ...], tuple[str, ...] | None]] = {
    "scjg": (600, ("食品销售", "餐饮服务", "食品生产", "药品零售", "化妆品经营", "日用品零售", "广告经营",
                   "家用电器销售"), None),
    "whly": (80, ("旅行社", "旅行社分社"), None),
    "jbwl": (120, ("歌舞娱乐场所", "游艺娱乐场所", "演出场所", "演出经纪机构"), ("990102",)),
    "wjw": (200, ("集中式供水单位", "二次供水单位", "住宿场所", "沐浴场所", "美容美发场所", "诊所"), None),
}

BRAND_CHARS = "禾丰瑞祥嘉和兴隆源泰安信诚益康宁福德昌盛新宏达鑫华美佳悦聚鸿恒润晟锦航凯蓝松逸"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
# Industry → word used in enterprise names and the shop word for 个体工商户.
_NAME_WORDS = {
    "食品销售": ("食品", "食品店"), "餐饮服务": ("餐饮管理", "小吃店"), "食品生产": ("食品科技", "糕点坊"),
    "药品零售": ("大药房", "药店"), "化妆品经营": ("化妆品", "美妆店"), "日用品零售": ("商贸", "便利店"),
    "广告经营": ("广告传媒", "广告部"), "家用电器销售": ("电器", "电器行"), "旅行社": ("国际旅行社", ""),
    "旅行社分社": ("旅行社", ""), "歌舞娱乐场所": ("娱乐", "歌舞厅"), "游艺娱乐场所": ("游艺", "游艺厅"),
    "演出场所": ("文化演艺", ""), "演出经纪机构": ("演出经纪", ""), "集中式供水单位": ("水务", ""),
    "二次供水单位": ("物业服务", ""), "住宿场所": ("酒店管理", "旅馆"), "沐浴场所": ("休闲", "浴室"),
    "美容美发场所": ("美容美发", "理发店"), "诊所": ("医疗管理", "诊所"),
}
_RISK_WEIGHTS = ((RiskLevel.LOW, 6), (RiskLevel.MEDIUM, 3), (RiskLevel.HIGH, 1))


@dataclass(frozen=True)
class TargetPlan:
    agency: str
    name: str
    uscc: str
    kind: str
    industry: str
    address: str
    region_code: str  # a 街道
    risk_level: str


def plan_targets(seed: int = 2026) -> list[TargetPlan]:
    """The 1,000 demo targets; names are unique and USCCs unique within each agency."""
    rng = random.Random(seed)
    used_names: set[str] = set()
    used_codes: set[str] = set()
    targets: list[TargetPlan] = []
    for agency, (count, industries, districts) in TARGET_PLAN.items():
        for i in range(count):
            industry = industries[i % len(industries)]
            targets.append(_target(agency, industry, districts, rng, used_names, used_codes))
    return targets


def _target(agency: str, industry: str, districts: tuple[str, ...] | None, rng: random.Random,
            used_names: set[str], used_codes: set[str]) -> TargetPlan:
    district = rng.choice(districts or tuple(DISTRICTS))
    district_name, streets = DISTRICTS[district]
    street_index = rng.randrange(len(streets))
    kind = _kind(industry, rng)
    name = _unique(lambda: _name(kind, industry, district_name, rng), used_names)
    uscc = _unique(lambda: make_demo_uscc(kind, district, rng), used_codes)
    address = f"清江市{district_name}{streets[street_index]}{rng.choice(ROADS)}{rng.randrange(1, 300)}号"
    risk = rng.choices([r for r, _ in _RISK_WEIGHTS], [w for _, w in _RISK_WEIGHTS])[0]
    return TargetPlan(agency, name, uscc, kind, industry, address, f"{district}{street_index + 1:03d}", risk)


def _kind(industry: str, rng: random.Random) -> str:
    shop_word = _NAME_WORDS[industry][1]
    if industry == "诊所" and rng.random() < 0.3:
        return TargetKind.OTHER_ORGANISATION  # 民办非企业单位 clinics
    if shop_word and rng.random() < 0.35:
        return TargetKind.INDIVIDUAL_BUSINESS
    return TargetKind.ENTERPRISE


def _name(kind: str, industry: str, district_name: str, rng: random.Random) -> str:
    company_word, shop_word = _NAME_WORDS[industry]
    brand = "".join(rng.sample(BRAND_CHARS, 2))
    if kind == TargetKind.INDIVIDUAL_BUSINESS:
        return f"清江市{district_name}{rng.choice(SURNAMES)}记{shop_word}"
    if kind == TargetKind.OTHER_ORGANISATION:
        return f"清江市{district_name}{brand}社区诊所"
    if industry == "旅行社分社":
        return f"清江{brand}国际旅行社有限公司{district_name}分社"
    return f"清江{brand}{company_word}有限公司"


def _unique(make, used: set[str]) -> str:  # type: ignore[no-untyped-def]
    while True:
        value = make()
        if value not in used:
            used.add(value)
            return value


# 登记管理部门代码 + 机构类别代码 (GB 32100 table 1) by target kind.
_PREFIX = {TargetKind.ENTERPRISE: "91", TargetKind.INDIVIDUAL_BUSINESS: "92",
           TargetKind.OTHER_ORGANISATION: "52"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def make_demo_uscc(kind: str, region: str, rng: random.Random) -> str:
    """A USCC: prefix, 6-digit region, a 9-character 组织机构代码 whose own GB 11714 check
    character is right, and the GB 32100 check character."""
    body = "".join(rng.choice(USCC_ALPHABET[:10] if i < 2 else USCC_ALPHABET) for i in range(8))
    first17 = _PREFIX[kind] + region + body + org_code_check(body)
    return first17 + uscc_check_char(first17)


def org_code_check(first8: str) -> str:
    """GB 11714 check character of an 8-character 组织机构代码 body."""
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))
