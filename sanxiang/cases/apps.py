from django.apps import AppConfig


def _handles(user, case) -> bool:
    """An officer acts on a case only as one of its handling officers."""
    return case.handlers.filter(officer__user=user).exists()


class CasesConfig(AppConfig):
    name = "sanxiang.cases"
    label = "cases"
    verbose_name = "执法办案"

    def ready(self) -> None:
        from sanxiang.accounts.access import Scope, register
        from sanxiang.accounts.choices import Role
        from sanxiang.cases import models as m

        editors = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.REVIEWER})
        register(m.Case, Scope(agency_field="agency", editor_roles=editors,
                               role_conditions={Role.OFFICER: _handles}))
        for model in (m.Party, m.CaseOfficer, m.Recusal, m.Pause, m.Document):
            register(model, Scope(agency_field="case__agency", editor_roles=frozenset()))
        register(m.CaseSettings, Scope(agency_field="agency"))
        register(m.DocumentTemplate, Scope(agency_field="agency"))
        register(m.AgencyRule, Scope(agency_field="agency"))
        register(m.ConflictDeclaration, Scope(agency_field="officer__agency"))
