"""The demo's map and bodies: 示例省 清江市 with three districts, a 司法局 and four agencies.

Everything here is invented. Administrative codes start with 99, which GB/T 2260 does not
assign to any province; telephone numbers have local parts beginning with 1, which no
fixed-line number in China uses.
"""

from dataclasses import dataclass

from sanxiang.accounts.choices import AgencyKind, EnforcementKind, JurisdictionLevel


@dataclass(frozen=True)
class PlaceSpec:
    code: str
    name: str
    level: str
    parent: str | None  # code of the parent


@dataclass(frozen=True)
class AgencySpec:
    key: str  # used by the other demo tables
    name: str
    short_name: str
    kind: str
    jurisdiction: str  # code
    org_code: str  # 8 characters; the GB 11714 check digit is appended
    legal_basis: str
    address: str
    phone: str
    enforcement_kinds: tuple[str, ...]
    officers: int  # how many officers to generate


PROVINCE = PlaceSpec("990000", "示例省", JurisdictionLevel.PROVINCE, None)
CITY = PlaceSpec("990100", "清江市", JurisdictionLevel.CITY, "990000")

# district code → (name, its 街道)
DISTRICTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "990102": ("江北区", ("滨江街道", "北湖街道", "长宁街道")),
    "990103": ("城南区", ("南门街道", "文昌街道", "桂花街道")),
    "990104": ("新港区", ("港湾街道", "海月街道", "临港街道")),
}

ROADS = ("府前路", "人民路", "解放路", "建设路", "中山路", "滨江大道", "新华街", "文化路", "青年路",
         "和平路", "长江路", "湖滨路", "学院路", "工业大道", "创业路", "望海路", "桂园路", "清源路")


def places() -> list[PlaceSpec]:
    """Province, city, districts and 街道 in parent-before-child order."""
    result = [PROVINCE, CITY]
    for code, (name, streets) in DISTRICTS.items():
        result.append(PlaceSpec(code, name, JurisdictionLevel.COUNTY, CITY.code))
        result += [PlaceSpec(f"{code}{i:03d}", street, JurisdictionLevel.TOWNSHIP, code)
                   for i, street in enumerate(streets, start=1)]
    return result


_ADMIN_KINDS = (EnforcementKind.LICENSE, EnforcementKind.PENALTY, EnforcementKind.COERCION,
                EnforcementKind.INSPECTION)

AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "sfj", "清江市司法局", "清市司法", AgencyKind.JUDICIAL_BUREAU, CITY.code, "MB190001",
        "《中华人民共和国行政处罚法》；清江市人民政府关于全面推行行政执法公示制度执法全过程记录制度"
        "重大执法决定法制审核制度的实施方案",
        "清江市江北区府前路1号", "0799-10000101", (EnforcementKind.INSPECTION,), 0,
    ),
    AgencySpec(
        "scjg", "清江市市场监督管理局", "清市监", AgencyKind.ADMINISTRATIVE, CITY.code, "MB190002",
        "《中华人民共和国食品安全法》《中华人民共和国产品质量法》《中华人民共和国广告法》"
        "《中华人民共和国消费者权益保护法》《中华人民共和国药品管理法》；清江市市场监督管理局职能配置、"
        "内设机构和人员编制规定",
        "清江市江北区府前路18号", "0799-10000202", _ADMIN_KINDS, 20,
    ),
    AgencySpec(
        "whly", "清江市文化和旅游局", "清市文旅", AgencyKind.ADMINISTRATIVE, CITY.code, "MB190003",
        "《旅行社条例》《营业性演出管理条例》；清江市文化和旅游局职能配置、内设机构和人员编制规定",
        "清江市城南区文昌路26号", "0799-10000303",
        (EnforcementKind.LICENSE, EnforcementKind.PENALTY, EnforcementKind.INSPECTION), 8,
    ),
    AgencySpec(
        "wjw", "清江市卫生健康委员会", "清市卫健", AgencyKind.ADMINISTRATIVE, CITY.code, "MB190004",
        "《中华人民共和国传染病防治法》；清江市卫生健康委员会职能配置、内设机构和人员编制规定",
        "清江市城南区人民路88号", "0799-10000404", _ADMIN_KINDS, 8,
    ),
    AgencySpec(
        "jbwl", "清江市江北区文化和旅游局", "江北文旅", AgencyKind.ADMINISTRATIVE, "990102", "MB190105",
        "《娱乐场所管理条例》《营业性演出管理条例》；江北区文化和旅游局职能配置、内设机构和人员编制规定",
        "清江市江北区滨江大道66号", "0799-10000505",
        (EnforcementKind.LICENSE, EnforcementKind.PENALTY, EnforcementKind.INSPECTION), 8,
    ),
)

AGENCY_BY_KEY = {a.key: a for a in AGENCIES}
