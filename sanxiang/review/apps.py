from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reinstall_gate(using: str = "default", **kwargs: object) -> None:
    """Re-create the gate's triggers after every migrate: SQLite drops a table's triggers when a
    migration rebuilds the table (any later change to cases_case), which would open the gate
    silently."""
    from django.db import connections

    from sanxiang.review import gate

    with connections[using].schema_editor() as editor:
        gate.install(editor, drop=True)
        gate.install(editor)


class ReviewConfig(AppConfig):
    name = "sanxiang.review"
    label = "review"
    verbose_name = "重大执法决定法制审核"

    def ready(self) -> None:
        from sanxiang.accounts.access import Scope, register
        from sanxiang.review.models import CatalogRule, LegalReview, Opinion, ReviewSettings

        # Reviews are written only by the review services, which check the case's roles.
        register(LegalReview, Scope(agency_field="case__agency", editor_roles=frozenset()))
        register(Opinion, Scope(agency_field="review__case__agency", editor_roles=frozenset()))
        register(CatalogRule, Scope(agency_field="agency"))
        register(ReviewSettings, Scope(agency_field="agency"))
        post_migrate.connect(_reinstall_gate, sender=self, dispatch_uid="review_gate_triggers")
