from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sanxiang.accounts"
    label = "accounts"
    verbose_name = "账户与机构"

    def ready(self) -> None:
        from sanxiang.accounts import access
        from sanxiang.accounts.models import Agency, User

        access.register(Agency, access.Scope(agency_field=""))
        access.register(User, access.Scope(agency_field="agency"))
