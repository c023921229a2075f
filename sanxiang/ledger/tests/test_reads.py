"""A supervisor's read of another agency's record (调阅) is itself recorded; ordinary reads are not."""

from django.urls import reverse

from sanxiang.ledger.labels import event_label
from sanxiang.ledger.models import Entry
from sanxiang.registry.models import Officer
from sanxiang.registry.services import create_object
from sanxiang.testing import PASSWORD


def _officer(world) -> Officer:
    return create_object(world.personas["admin"], Officer, {
        "name": "郑某", "certificate_number": "R-0001", "issued_on": "2024-01-01", "expires_on": "2029-01-01"})


def test_supervisor_read_is_recorded(world, client) -> None:
    officer = _officer(world)
    assert client.login(username="supervisor", password=PASSWORD)
    assert client.get(reverse("registry:officers_detail", kwargs={"pk": officer.pk})).status_code == 200
    assert client.get(reverse("accounts:agency_detail", kwargs={"pk": world.agency.pk})).status_code == 200
    reads = Entry.objects.filter(event_type__startswith="read.").order_by("index")
    assert [(e.event_type, e.object_id, e.actor.username) for e in reads] == [
        ("read.registry.officer", str(officer.pk), "supervisor"),
        ("read.accounts.agency", str(world.agency.pk), "supervisor"),
    ]
    assert reads[0].agency == world.agency and reads[0].snapshot_hash == ""
    assert event_label("read.registry.officer") == "监督调阅执法人员"


def test_own_agency_reads_are_not_recorded(world, client) -> None:
    officer = _officer(world)
    before = Entry.objects.count()
    assert client.login(username="admin", password=PASSWORD)
    client.get(reverse("registry:officers_detail", kwargs={"pk": officer.pk}))
    client.logout()
    assert client.login(username="supervisor", password=PASSWORD)
    client.get(reverse("accounts:agency_detail", kwargs={"pk": world.bureau.pk}))  # the supervisor's own
    assert Entry.objects.count() == before
