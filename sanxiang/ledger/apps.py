from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "sanxiang.ledger"
    label = "ledger"
    verbose_name = "全过程记录（防篡改日志）"

    def ready(self) -> None:
        from sanxiang.accounts import access
        from sanxiang.ledger.models import Entry

        # Entries are read by the agency's members and the jurisdiction's supervisors; nobody
        # edits one (no editor roles), and entries of no agency (platform events) are not listed.
        access.register(Entry, access.Scope(agency_field="agency", editor_roles=frozenset()))
