"""Template tags of Excel import/export: which buttons a user gets, decided by the access layer."""

from django import template
from django.urls import reverse

from sanxiang.accounts.access import Action, can
from sanxiang.registry.registries import RegistryEntry

register = template.Library()


@register.simple_tag
def excel_actions(user: object, entry: RegistryEntry) -> dict[str, object]:
    """What ``user`` may do with ``entry``'s Excel files, and the URLs to do it.

    ``import``/``export`` are booleans from :func:`sanxiang.accounts.access.can` (False for
    anonymous users); ``template_url``, ``import_url``, ``export_url`` are the pages.
    """
    return {
        "import": can(user, Action.IMPORT, entry.model),
        "export": can(user, Action.EXPORT, entry.model),
        "template_url": reverse(f"registry:excel_{entry.key}_template"),
        "import_url": reverse(f"registry:excel_{entry.key}_import"),
        "export_url": reverse(f"registry:excel_{entry.key}_export"),
    }
