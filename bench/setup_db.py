"""Prepare the benchmark's temporary data folder: migrate, one jurisdiction, one agency."""

import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    django.setup()
    from django.core.management import call_command

    from sanxiang.accounts import services
    from sanxiang.accounts.choices import AgencyKind, JurisdictionLevel
    from sanxiang.testing import make_uscc

    call_command("migrate", verbosity=0)
    province = services.create_jurisdiction(name="基准省", code="990000", level=JurisdictionLevel.PROVINCE)
    city = services.create_jurisdiction(name="基准市", code="990100", level=JurisdictionLevel.CITY,
                                        parent=province)
    services.create_agency(name="基准市市场监督管理局", uscc=make_uscc(), kind=AgencyKind.ADMINISTRATIVE,
                           jurisdiction=city)


if __name__ == "__main__":
    main()
