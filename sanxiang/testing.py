"""Factories and personas for tests (realistic, synthetic Chinese data; never real people)."""

import datetime
import itertools
import random
from dataclasses import dataclass

from sanxiang.accounts import services as account_services
from sanxiang.accounts.choices import AgencyKind, JurisdictionLevel, Role
from sanxiang.accounts.models import Agency, Jurisdiction, User
from sanxiang.accounts.validators import USCC_ALPHABET, id_check_char, uscc_check_char

PASSWORD = "Sx-test-Passw0rd!"
_counter = itertools.count(1)


def make_uscc(rng: random.Random | None = None) -> str:
    """A synthetic 统一社会信用代码 with a correct GB 32100 check character."""
    rng = rng or random.Random()
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def make_id_number(rng: random.Random | None = None, region: str = "331082") -> str:
    rng = rng or random.Random()
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15000))
    body = region + birth.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    return body + id_check_char(body)


def make_jurisdiction(name: str, level: str, parent: Jurisdiction | None = None) -> Jurisdiction:
    code = f"{next(_counter) + 100000:06d}"
    return account_services.create_jurisdiction(name=name, code=code, level=level, parent=parent)


def make_agency(name: str, jurisdiction: Jurisdiction, kind: str = AgencyKind.ADMINISTRATIVE) -> Agency:
    return account_services.create_agency(
        name=name, short_name=name[:4], uscc=make_uscc(), kind=kind, jurisdiction=jurisdiction,
        legal_basis="《中华人民共和国行政处罚法》", address="示例路1号", phone="0576-85000000",
        enforcement_kinds=["penalty", "inspection"],
    )


def make_user(agency: Agency, *roles: str, username: str | None = None) -> User:
    username = username or f"user{next(_counter)}"
    return account_services.create_user(actor=None, agency=agency, username=username, password=PASSWORD,
                                        full_name=username, roles=roles)


@dataclass
class World:
    """A province with two cities; city A has a 司法局 and two agencies, city B one agency."""

    province: Jurisdiction
    city: Jurisdiction
    other_city: Jurisdiction
    agency: Agency
    other_agency: Agency
    far_agency: Agency
    bureau: Agency
    personas: dict[str, User]


PERSONA_ROLES = {
    "officer": [Role.OFFICER],
    "unit_head": [Role.UNIT_HEAD],
    "reviewer": [Role.REVIEWER],
    "agency_head": [Role.AGENCY_HEAD],
    "publisher": [Role.PUBLISHER],
    "admin": [Role.ADMIN],
}


def build_world() -> World:
    province = make_jurisdiction("示例省", JurisdictionLevel.PROVINCE)
    city = make_jurisdiction("甲市", JurisdictionLevel.CITY, province)
    other_city = make_jurisdiction("乙市", JurisdictionLevel.CITY, province)
    county = make_jurisdiction("甲市东区", JurisdictionLevel.COUNTY, city)
    agency = make_agency("甲市市场监督管理局", city)
    other_agency = make_agency("甲市东区文化和旅游局", county)
    far_agency = make_agency("乙市卫生健康委员会", other_city)
    bureau = make_agency("甲市司法局", city, AgencyKind.JUDICIAL_BUREAU)
    personas = {name: make_user(agency, *roles, username=name) for name, roles in PERSONA_ROLES.items()}
    personas["supervisor"] = make_user(bureau, Role.SUPERVISOR, username="supervisor")
    personas["other_officer"] = make_user(other_agency, Role.OFFICER, username="other_officer")
    personas["other_admin"] = make_user(other_agency, Role.ADMIN, username="other_admin")
    personas["far_admin"] = make_user(far_agency, Role.ADMIN, username="far_admin")
    return World(province, city, other_city, agency, other_agency, far_agency, bureau, personas)
