from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "sanxiang.evidence"
    label = "evidence"
    verbose_name = "证据与音像记录"

    def ready(self) -> None:
        from sanxiang.accounts.access import Scope, register
        from sanxiang.evidence.models import (
            Evidence,
            ManualFinding,
            RecordingRequirement,
            RecordingWaiver,
            UploadSession,
        )

        # Rows are written only by the ingest service, which checks the case's roles itself.
        register(Evidence, Scope(agency_field="case__agency", editor_roles=frozenset()))
        register(UploadSession, Scope(agency_field="case__agency", editor_roles=frozenset()))
        register(ManualFinding, Scope(agency_field="case__agency", editor_roles=frozenset()))
        register(RecordingWaiver, Scope(agency_field="case__agency", editor_roles=frozenset()))
        register(RecordingRequirement, Scope(agency_field="agency"))
