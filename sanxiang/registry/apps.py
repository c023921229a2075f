from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sanxiang.registry"
    label = "registry"
    verbose_name = "基础信息库"

    def ready(self) -> None:
        from sanxiang.accounts.access import Scope, register
        from sanxiang.registry import models as m

        for model in (m.Officer, m.EnforcementItem, m.DiscretionBenchmark, m.InspectionTarget,
                      m.RandomInspectionItem, m.ImportJob):
            register(model, Scope(agency_field="agency"))
        register(m.Law, Scope(agency_field="agency", shared_read=True))
        register(m.Article, Scope(agency_field="law__agency", shared_read=True))
