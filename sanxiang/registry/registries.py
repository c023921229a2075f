"""The table of registries: one entry per master-data list.

Pages, API endpoints, Excel import/export and the access layer all read this table, so a
registry is described once. ``search`` lists the fields a free-text query matches; ``filters``
the fields offered as exact-match filters on lists.
"""

from dataclasses import dataclass, field

from django.db import models

from sanxiang.registry import models as m


@dataclass(frozen=True)
class RegistryEntry:
    key: str  # URL segment and url-name prefix: /registry/<key>/, registry:<key>_list
    model: type[models.Model]
    title: str
    search: tuple[str, ...]
    filters: tuple[str, ...] = ()
    columns: tuple[str, ...] = field(default=())


REGISTRIES: dict[str, RegistryEntry] = {
    e.key: e
    for e in [
        RegistryEntry("officers", m.Officer, "执法人员", ("name", "certificate_number", "position"),
                      ("agency", "status", "is_legal_reviewer"),
                      ("name", "agency", "position", "certificate_number", "expires_on", "status")),
        RegistryEntry("items", m.EnforcementItem, "执法事项", ("code", "name", "description"),
                      ("agency", "kind"), ("code", "name", "kind", "agency")),
        RegistryEntry("laws", m.Law, "法律法规", ("title", "issuing_body"),
                      ("level", "status"), ("title", "level", "issuing_body", "effective_on", "status")),
        RegistryEntry("benchmarks", m.DiscretionBenchmark, "裁量基准", ("violation", "sanction", "conditions"),
                      ("agency", "circumstance"), ("item", "violation", "circumstance", "fine_min", "fine_max")),
        RegistryEntry("targets", m.InspectionTarget, "检查对象", ("name", "uscc", "address", "industry"),
                      ("agency", "kind", "risk_level"), ("name", "uscc", "kind", "industry", "risk_level")),
        RegistryEntry("random_items", m.RandomInspectionItem, "随机抽查事项", ("name", "content", "target_type"),
                      ("agency",), ("name", "target_type", "method", "ratio", "frequency")),
    ]
}
