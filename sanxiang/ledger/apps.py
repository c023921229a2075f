from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "sanxiang.ledger"
    label = "ledger"
    verbose_name = "全过程记录（防篡改日志）"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from sanxiang.ledger.services import forget_cached_logs

        # After migrate or flush (tests empty the database) a remembered log row may be gone.
        post_migrate.connect(forget_cached_logs, dispatch_uid="ledger_forget_cached_logs")
        from sanxiang.accounts import access
        from sanxiang.ledger.models import Entry

        # Entries are read by the agency's members and the jurisdiction's supervisors; nobody
        # edits one (no editor roles), and entries of no agency (platform events) are not listed.
        access.register(Entry, access.Scope(agency_field="agency", editor_roles=frozenset()))
