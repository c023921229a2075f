from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "sanxiang.disclosure"
    label = "disclosure"
    verbose_name = "行政执法公示"

    def ready(self) -> None:
        from sanxiang.accounts.access import Scope, register
        from sanxiang.disclosure.models import DisclosureSettings, ErrorReport, Publication

        # Written only by the disclosure services (publisher role checked there).
        register(Publication, Scope(agency_field="agency", editor_roles=frozenset()))
        register(ErrorReport, Scope(agency_field="publication__agency", editor_roles=frozenset()))
        register(DisclosureSettings, Scope(agency_field="agency"))

        # The portal: service guides are written by the agency's publisher; the registry read
        # models follow every save of their sources.
        from sanxiang.accounts.choices import Role
        from sanxiang.disclosure import sync
        from sanxiang.disclosure.models import ServiceGuide

        register(ServiceGuide, Scope(agency_field="agency", editor_roles=frozenset({Role.PUBLISHER})))
        sync.connect()
