from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "sanxiang.inspections"
    label = "inspections"
    verbose_name = "双随机、一公开"

    def ready(self) -> None:
        from sanxiang.accounts.access import Scope, register
        from sanxiang.accounts.choices import Role
        from sanxiang.evidence.sweep import OTHER_REFERENCES
        from sanxiang.evidence.verify import OTHER_CHECKS
        from sanxiang.inspections.models import AvoidanceEntry, Exclusion, Plan, Task, TaskRecording
        from sanxiang.inspections.verify import verify_recordings

        editors = frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD})
        register(Plan, Scope(agency_field="agency", editor_roles=editors))
        # Exclusions and tasks are written only by the plan's services, which check roles themselves.
        register(Exclusion, Scope(agency_field="plan__agency", editor_roles=frozenset()))
        register(Task, Scope(agency_field="plan__agency", editor_roles=frozenset()))
        register(TaskRecording, Scope(agency_field="task__plan__agency", editor_roles=frozenset()))
        register(AvoidanceEntry, Scope(agency_field="officer__agency", editor_roles=frozenset()))
        # A task's recordings live in the evidence store: its sweep must not report them as orphans.
        OTHER_REFERENCES.append(lambda: TaskRecording.objects.values_list("sha256", flat=True).iterator(chunk_size=5000))
        OTHER_CHECKS.append(verify_recordings)  # verify_evidence rehashes them against the ledger
