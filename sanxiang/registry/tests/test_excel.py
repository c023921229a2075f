"""Excel import and export of the registries: templates, round trips, every error kind, the
all-or-nothing rule, permissions, background jobs run by the real db_worker, the commands."""

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sanxiang.accounts.access import restrict
from sanxiang.accounts.choices import JurisdictionLevel
from sanxiang.registry import models as m
from sanxiang.registry.choices import JobStatus
from sanxiang.registry.excel import SPECS, export_rows, import_file, write_template
from sanxiang.registry.excel.cells import chinese_number
from sanxiang.registry.tasks import run_import_job
from sanxiang.testing import PASSWORD, make_jurisdiction, make_uscc

OFFICER_HEADERS = ["姓名", "职务", "执法证号", "执法类别", "发证日期", "有效期至", "证件状态", "法制审核人员", "法律职业资格"]


def write_sheet(path: Path, sheet: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    workbook.save(path)
    return path


def officer_row(cert: str, name: str = "张伟", issued: object = "2023-01-01", expires: object = "2028-12-31",
                status: str = "有效", categories: str = "行政处罚、行政检查") -> list[object]:
    return [name, "科员", cert, categories, issued, expires, status, "否", "是"]


def officers_file(tmp_path: Path, rows: Sequence[Sequence[object]], name: str = "officers.xlsx") -> Path:
    return write_sheet(tmp_path / name, "执法人员", OFFICER_HEADERS, rows)


def errors_at(outcome) -> set[tuple[str, int | None, str]]:
    return {(e["sheet"], e["row"], e["column"]) for e in outcome.errors}


def reason_for(outcome, row: int, column: str) -> str:
    return " ".join(e["reason"] for e in outcome.errors if e["row"] == row and e["column"] == column)


@pytest.fixture
def law(db) -> m.Law:
    law = m.Law.objects.create(title="中华人民共和国行政处罚法", level="law", status="in_force",
                               promulgated_on=datetime.date(2021, 1, 22))
    for number, label in [(51, "第五十一条"), (52, "第五十二条"), (9, "第九条")]:
        m.Article.objects.create(law=law, number=number, label=label, text="……")
    return law


@pytest.fixture
def sample(world, law) -> dict[str, object]:
    """One or two rows of every registry in world.agency."""
    agency = world.agency
    region = make_jurisdiction("甲市西区", JurisdictionLevel.COUNTY, world.city)
    item = m.EnforcementItem.objects.create(agency=agency, code="330217001000", name="对无照经营的处罚",
                                            kind="penalty", basis_text="无证无照经营查处办法", description="")
    item.legal_basis.set(law.articles.filter(number__in=[51, 52]))
    m.Officer.objects.create(name="李娜", agency=agency, position="科长", certificate_number="33010000001",
                             categories=["penalty", "license"], issued_on=datetime.date(2022, 3, 1),
                             expires_on=datetime.date(2027, 2, 28), status="suspended", is_legal_reviewer=True)
    m.DiscretionBenchmark.objects.create(agency=agency, item=item, violation="无照经营", circumstance="serious",
                                         sanction="罚款", fine_min=Decimal("5000.00"), fine_max=Decimal("10000.50"))
    m.InspectionTarget.objects.create(agency=agency, name="甲市某某贸易有限公司", uscc=make_uscc(), kind="enterprise",
                                      industry="批发业", address="西区示例路2号", region=region, risk_level="high")
    m.RandomInspectionItem.objects.create(agency=agency, item=item, name="经营主体登记事项检查", basis="条例第三条",
                                          target_type="企业", content="登记事项", method="现场检查",
                                          ratio=Decimal("5.5"), frequency="每年1次")
    m.Law.objects.create(title="甲市市场监管条例", level="local_regulation", agency=agency, status="in_force",
                         promulgated_on=datetime.date(2020, 5, 1), effective_on=datetime.date(2020, 7, 1))
    return {"item": item, "region": region}


def exported_values(key: str, queryset, path: Path) -> list[tuple[object, ...]]:
    """The rows of an export without the trailing agency column."""
    export_rows(key, queryset, path)
    sheet = load_workbook(path, read_only=True).active
    return [tuple(row[:-1]) for row in sheet.iter_rows(min_row=2, values_only=True)]


# ---- templates -------------------------------------------------------------------------------

@pytest.mark.parametrize("key", list(SPECS))
def test_template_has_headers_and_instructions(key: str, world, client) -> None:
    client.login(username="officer", password=PASSWORD)
    response = client.get(reverse(f"registry:excel_{key}_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [SPECS[key].sheet, "填写说明"]
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers == [col.header for col in SPECS[key].columns]
    help_text = " ".join(str(c.value) for row in workbook["填写说明"].iter_rows() for c in row if c.value)
    assert "YYYY-MM-DD" in help_text and "执法主体" in help_text


def test_officer_template_lists_status_labels(tmp_path: Path) -> None:
    write_template("officers", tmp_path / "t.xlsx")
    rows = list(load_workbook(tmp_path / "t.xlsx")["填写说明"].iter_rows(values_only=True))
    status = next(row for row in rows if row[0] == "证件状态")
    assert "有效、暂扣、注销" in status[2]
    assert "执法主体" not in [row[0] for row in rows]


# ---- round trips -----------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["items", "benchmarks", "targets", "random_items"])
def test_round_trip_into_another_agency(key: str, world, sample, tmp_path: Path) -> None:
    admin, other_admin = world.personas["admin"], world.personas["other_admin"]
    model = SPECS[key].model
    if key in {"benchmarks", "random_items"}:  # they cite items by code: the other agency needs them too
        items_file = tmp_path / "items.xlsx"
        export_rows("items", restrict(m.EnforcementItem.objects.all(), admin), items_file)
        assert import_file("items", items_file, world.other_agency, other_admin).ok
    source = exported_values(key, restrict(model.objects.all(), admin), tmp_path / "a.xlsx")
    outcome = import_file(key, tmp_path / "a.xlsx", world.other_agency, other_admin)
    assert outcome.ok, outcome.errors
    assert outcome.created == len(source) > 0
    copied = exported_values(key, model.objects.filter(agency=world.other_agency), tmp_path / "b.xlsx")
    assert copied == source


@pytest.mark.parametrize("key", ["officers", "laws"])
def test_round_trip_of_nationwide_unique_rows(key: str, world, sample, tmp_path: Path) -> None:
    """Certificate numbers and law versions are unique nationwide: importing the export elsewhere
    clashes with the originals; once they are gone it imports unchanged."""
    model = SPECS[key].model
    originals = model.objects.filter(agency=world.agency)
    source = exported_values(key, originals, tmp_path / "a.xlsx")
    clash = import_file(key, tmp_path / "a.xlsx", world.other_agency, world.personas["other_admin"])
    assert not clash.ok and "已存在" in clash.errors[0]["reason"]
    originals.delete()
    outcome = import_file(key, tmp_path / "a.xlsx", world.other_agency, world.personas["other_admin"])
    assert outcome.ok, outcome.errors
    assert exported_values(key, model.objects.filter(agency=world.other_agency), tmp_path / "b.xlsx") == source


def test_imported_values_are_stored_as_codes(world, tmp_path: Path) -> None:
    path = officers_file(tmp_path, [officer_row("A-1", categories="处罚、行政许可", status="暂扣",
                                                issued=datetime.datetime(2023, 5, 6))])
    assert import_file("officers", path, world.agency, world.personas["admin"]).ok
    officer = m.Officer.objects.get(certificate_number="A-1")
    assert officer.agency == world.agency
    assert officer.categories == ["penalty", "license"]
    assert officer.status == "suspended" and officer.issued_on == datetime.date(2023, 5, 6)
    assert (officer.is_legal_reviewer, officer.has_legal_qualification) == (False, True)


def test_item_legal_basis_resolves_articles(world, law, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "i.xlsx", "执法事项", ["事项编码", "事项名称", "执法类别", "法律依据"],
                       [["X1", "简易程序处罚", "行政处罚", "《中华人民共和国行政处罚法》第五十一条、第五十二条"]])
    assert import_file("items", path, world.agency, world.personas["admin"]).ok
    item = m.EnforcementItem.objects.get(code="X1")
    assert sorted(item.legal_basis.values_list("number", flat=True)) == [51, 52]


# ---- error kinds -----------------------------------------------------------------------------

def test_officer_errors_name_sheet_row_and_column(world, tmp_path: Path) -> None:
    m.Officer.objects.create(name="王强", agency=world.far_agency, certificate_number="IN-DB",
                             issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2030, 1, 1))
    rows = [
        officer_row("OK-1"),                                      # 2 valid
        officer_row("E-3", issued="2024/01/01"),                  # 3 date format
        officer_row("E-4", status="过期"),                        # 4 unknown choice label
        officer_row("E-5", name=""),                              # 5 missing required cell
        officer_row("E-6", issued="2025-01-01", expires="2024-01-01"),  # 6 expiry before issue
        officer_row("OK-1"),                                      # 7 duplicate inside the file
        officer_row("IN-DB"),                                     # 8 duplicate of another agency's row
        officer_row("E-9", categories="行政处罚、罚没"),           # 9 unknown list label
        officer_row("E-10", issued="2023-02-30"),                 # 10 no such day
        officer_row("E-11", name="张" * 51),                       # 11 too long
    ]
    outcome = import_file("officers", officers_file(tmp_path, rows), world.agency, world.personas["admin"])
    assert errors_at(outcome) == {
        ("执法人员", 3, "发证日期"), ("执法人员", 4, "证件状态"), ("执法人员", 5, "姓名"), ("执法人员", 6, "有效期至"),
        ("执法人员", 7, "执法证号"), ("执法人员", 8, "执法证号"), ("执法人员", 9, "执法类别"),
        ("执法人员", 10, "发证日期"), ("执法人员", 11, "姓名"),
    }
    assert "YYYY-MM-DD" in reason_for(outcome, 3, "发证日期")
    assert "有效、暂扣、注销" in reason_for(outcome, 4, "证件状态")
    assert "必填" in reason_for(outcome, 5, "姓名")
    assert "早于发证日期" in reason_for(outcome, 6, "有效期至")
    assert "第2行重复" in reason_for(outcome, 7, "执法证号")
    assert "已存在" in reason_for(outcome, 8, "执法证号")
    assert "罚没" in reason_for(outcome, 9, "执法类别")
    assert outcome.created == 0 and not m.Officer.objects.filter(agency=world.agency).exists()


def test_target_errors(world, tmp_path: Path) -> None:
    good = make_uscc()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    headers = ["名称", "统一社会信用代码", "对象类型", "所在区域", "风险等级"]
    rows = [["甲公司", good, "企业", "甲市", "低风险"],
            ["乙公司", bad, "企业", "甲市", "低风险"],
            ["丙公司", make_uscc(), "公司", world.city.code, "低风险"],
            ["丁公司", make_uscc(), "企业", "火星", "低风险"],
            ["戊公司", good, "企业", "", ""]]
    outcome = import_file("targets", write_sheet(tmp_path / "t.xlsx", "检查对象", headers, rows), world.agency,
                          world.personas["admin"])
    assert errors_at(outcome) == {("检查对象", 3, "统一社会信用代码"), ("检查对象", 4, "对象类型"),
                                  ("检查对象", 5, "所在区域"), ("检查对象", 6, "统一社会信用代码")}
    assert "校验位" in reason_for(outcome, 3, "统一社会信用代码")
    assert m.InspectionTarget.objects.count() == 0


def test_benchmark_errors(world, sample, tmp_path: Path) -> None:
    headers = ["执法事项", "违法行为", "违法情节", "处罚内容", "罚款下限（元）", "罚款上限（元）"]
    rows = [["330217001000", "无照经营", "一般", "罚款", 100, 200],
            ["NO-SUCH", "无照经营", "一般", "罚款", 100, 200],
            ["330217001000", "无照经营", "一般", "罚款", -5, 200],
            ["330217001000", "无照经营", "一般", "罚款", 500, 200],
            ["330217001000", "无照经营", "一般", "罚款", "五百", 200]]
    outcome = import_file("benchmarks", write_sheet(tmp_path / "b.xlsx", "裁量基准", headers, rows), world.agency,
                          world.personas["admin"])
    assert errors_at(outcome) == {("裁量基准", 3, "执法事项"), ("裁量基准", 4, "罚款下限（元）"),
                                  ("裁量基准", 5, "罚款上限（元）"), ("裁量基准", 6, "罚款下限（元）")}
    assert "NO-SUCH" in reason_for(outcome, 3, "执法事项")
    assert m.DiscretionBenchmark.objects.count() == 1  # only the sample's


def test_other_agencys_item_code_is_unknown(world, sample, tmp_path: Path) -> None:
    headers = ["执法事项", "违法行为", "违法情节", "处罚内容"]
    path = write_sheet(tmp_path / "b.xlsx", "裁量基准", headers, [["330217001000", "无照经营", "一般", "罚款"]])
    outcome = import_file("benchmarks", path, world.other_agency, world.personas["other_admin"])
    assert errors_at(outcome) == {("裁量基准", 2, "执法事项")}


def test_item_basis_errors(world, law, tmp_path: Path) -> None:
    headers = ["事项编码", "事项名称", "执法类别", "法律依据"]
    rows = [["A", "甲", "行政处罚", "《中华人民共和国行政处罚法》第九十九条"],
            ["B", "乙", "行政处罚", "《不存在的法》第一条"],
            ["C", "丙", "行政处罚", "行政处罚法第五十一条"],
            ["A", "丁", "处分", ""]]
    outcome = import_file("items", write_sheet(tmp_path / "i.xlsx", "执法事项", headers, rows), world.agency,
                          world.personas["admin"])
    assert errors_at(outcome) == {("执法事项", 2, "法律依据"), ("执法事项", 3, "法律依据"), ("执法事项", 4, "法律依据"),
                                  ("执法事项", 5, "事项编码"), ("执法事项", 5, "执法类别")}
    assert "第九十九条" in reason_for(outcome, 2, "法律依据")
    assert "不存在的法" in reason_for(outcome, 3, "法律依据")


def test_random_item_ratio_out_of_range(world, tmp_path: Path) -> None:
    headers = ["抽查事项", "抽查依据", "抽查对象", "抽查内容", "抽查方式", "抽查比例（%）", "抽查频次"]
    rows = [["甲", "依据", "企业", "内容", "现场检查", 150, "每年1次"],
            ["乙", "依据", "企业", "内容", "现场检查", 5, "每年1次"]]
    outcome = import_file("random_items", write_sheet(tmp_path / "r.xlsx", "随机抽查事项", headers, rows),
                          world.agency, world.personas["admin"])
    assert errors_at(outcome) == {("随机抽查事项", 2, "抽查比例（%）")}
    assert "100" in reason_for(outcome, 2, "抽查比例（%）")


def test_header_errors(world, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "h.xlsx", "执法人员", ["姓名", "执法证号", "发证日期", "备注"], [["张三", "X", "2024-01-01", ""]])
    outcome = import_file("officers", path, world.agency, world.personas["admin"])
    assert errors_at(outcome) == {("执法人员", 1, "备注"), ("执法人员", 1, "有效期至")}


def test_not_an_excel_file(world, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    outcome = import_file("officers", path, world.agency, world.personas["admin"])
    assert not outcome.ok and ".xlsx" in outcome.errors[0]["reason"]


def test_error_list_is_capped_but_counted(world, tmp_path: Path) -> None:
    rows = [officer_row(f"C-{i}", issued="bad") for i in range(1200)]
    outcome = import_file("officers", officers_file(tmp_path, rows), world.agency, world.personas["admin"])
    assert outcome.error_count == 1200
    assert len(outcome.errors) == 1001 and "共发现1200处错误" in outcome.errors[-1]["reason"]


def test_chinese_article_numbers() -> None:
    assert [chinese_number(t) for t in ["一", "十", "十二", "五十一", "一百零二", "一百一十", "二千零一", "86"]] == [
        1, 10, 12, 51, 102, 110, 2001, 86]


# ---- all or nothing --------------------------------------------------------------------------

def test_one_bad_row_among_many_writes_nothing(world, tmp_path: Path) -> None:
    rows = [officer_row(f"N-{i}") for i in range(2500)] + [officer_row("N-last", status="作废")]
    outcome = import_file("officers", officers_file(tmp_path, rows), world.agency, world.personas["admin"])
    assert errors_at(outcome) == {("执法人员", 2502, "证件状态")}
    assert m.Officer.objects.count() == 0


def test_failure_while_writing_rolls_back_earlier_batches(world, tmp_path: Path) -> None:
    """A certificate number saved by someone else after validation makes a later batch fail;
    the batches already inserted go too."""
    rows = [officer_row(f"W-{i}") for i in range(30)]
    seen: list[int] = []

    def race(stage: str, done: int, total: int) -> None:
        if stage == "write" and not seen:
            seen.append(done)
            m.Officer.objects.create(name="抢先", agency=world.far_agency, certificate_number="W-25",
                                     issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2030, 1, 1))

    outcome = import_file("officers", officers_file(tmp_path, rows), world.agency, world.personas["admin"],
                          progress=race, batch_size=10)
    assert seen == [10]
    assert not outcome.ok and "冲突" in outcome.errors[0]["reason"]
    assert m.Officer.objects.count() == 0


# ---- permissions -----------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["officer", "supervisor", "reviewer"])
def test_import_denied_to_non_admins(persona: str, world, client, tmp_path: Path) -> None:
    user = world.personas[persona]
    with pytest.raises(PermissionDenied):
        import_file("officers", officers_file(tmp_path, [officer_row("D-1")]), user.agency, user)
    client.login(username=persona, password=PASSWORD)
    assert client.get(reverse("registry:excel_officers_import")).status_code == 403
    with officers_file(tmp_path, [officer_row("D-2")]).open("rb") as f:
        assert client.post(reverse("registry:excel_officers_import"), {"file": f}).status_code == 403
    assert m.ImportJob.objects.count() == 0 and m.Officer.objects.count() == 0


def test_admin_cannot_import_into_another_agency(world, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        import_file("officers", officers_file(tmp_path, [officer_row("D-3")]), world.other_agency,
                    world.personas["admin"])


def test_list_page_shows_buttons_by_permission(world, client) -> None:
    client.login(username="admin", password=PASSWORD)
    page = client.get(reverse("registry:officers_list")).content.decode()
    assert "下载模板" in page and "导入" in page and "导出" in page
    client.logout()
    client.login(username="officer", password=PASSWORD)
    page = client.get(reverse("registry:officers_list")).content.decode()
    assert "下载模板" not in page and reverse("registry:excel_officers_import") not in page and "导出" in page


# ---- web upload and background jobs (the real db_worker) -------------------------------------

def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def upload(client, path: Path, key: str = "officers"):
    with path.open("rb") as f:
        return client.post(reverse(f"registry:excel_{key}_import"), {"file": f})


@pytest.mark.django_db(transaction=True)
def test_web_upload_is_imported_by_the_worker(world, client, tmp_path: Path, settings) -> None:
    settings.JOB_FILES_DIR = tmp_path / "jobs"
    client.login(username="admin", password=PASSWORD)
    response = upload(client, officers_file(tmp_path, [officer_row(f"U-{i}") for i in range(5)]))
    job = m.ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:excel_job_detail",
                                                                           kwargs={"pk": job.pk})
    assert job.status == JobStatus.QUEUED and job.user == world.personas["admin"] and job.agency == world.agency
    assert "排队中" in client.get(response["Location"]).content.decode()
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.processed_rows == job.total_rows == 10
    assert m.Officer.objects.filter(agency=world.agency, certificate_number__startswith="U-").count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and "已导入 5 行" in page and 'value="100"' in page
    # Running the task again (a duplicate delivery) leaves the finished job alone.
    assert run_import_job.call(job.pk) == "skipped"


@pytest.mark.django_db(transaction=True)
def test_failed_job_shows_the_error_report(world, client, tmp_path: Path, settings) -> None:
    settings.JOB_FILES_DIR = tmp_path / "jobs"
    client.login(username="admin", password=PASSWORD)
    response = upload(client, officers_file(tmp_path, [officer_row("F-1"), officer_row("F-2", expires="2028.1.1")]))
    run_worker()
    job = m.ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "失败" in page and "错误报告" in page and "未导入任何数据" in page
    assert "<td>执法人员</td><td>3</td><td>有效期至</td>" in page.replace("\n", "")
    report = client.get(reverse("registry:excel_job_errors", kwargs={"pk": job.pk}))
    rows = list(load_workbook(io.BytesIO(b"".join(report.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0] == ("工作表", "行号", "列", "错误原因") and rows[1][:3] == ("执法人员", 3, "有效期至")
    assert m.Officer.objects.count() == 0


def test_upload_rejects_non_xlsx_and_oversized(world, client, tmp_path: Path, settings) -> None:
    settings.JOB_FILES_DIR = tmp_path / "jobs"
    client.login(username="admin", password=PASSWORD)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("姓名,执法证号\n张三,1\n")
    assert "只接受 .xlsx" in upload(client, fake).content.decode()
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    assert "文件过大" in upload(client, officers_file(tmp_path, [officer_row("S-1")])).content.decode()
    assert m.ImportJob.objects.count() == 0


def test_job_page_shows_progress(world, client) -> None:
    admin = world.personas["admin"]
    job = m.ImportJob.objects.create(registry="officers", direction="import", agency=world.agency, user=admin,
                                     file_name="x.xlsx", status=JobStatus.RUNNING, total_rows=2000,
                                     processed_rows=1500)
    client.login(username="admin", password=PASSWORD)
    page = client.get(reverse("registry:excel_job_detail", kwargs={"pk": job.pk})).content.decode()
    assert "进行中" in page and 'value="75"' in page and "写入中：500 / 1000 行" in page
    status = client.get(reverse("registry:excel_job_status", kwargs={"pk": job.pk})).json()
    assert status["percent"] == 75 and status["status"] == "running"
    assert job.pk in [j.pk for j in client.get(reverse("registry:excel_jobs")).context["jobs"]]


JOB_VIEWERS = {  # persona → owners of jobs they see: own agency, supervised agencies
    "admin": {"own"}, "officer": {"own"}, "supervisor": {"own", "other", "bureau"},
    "other_admin": {"other"}, "far_admin": {"far"},
}


def test_job_page_matrix(world, client) -> None:
    """Job pages: visible to the owning agency and its supervisors, 404 to anyone else."""
    owners = {"own": ("admin", world.agency), "other": ("other_admin", world.other_agency),
              "far": ("far_admin", world.far_agency), "bureau": ("supervisor", world.bureau)}
    jobs = {owner: m.ImportJob.objects.create(registry="officers", direction="import", agency=agency,
                                              user=world.personas[user], file_name="x.xlsx")
            for owner, (user, agency) in owners.items()}
    for persona, visible in JOB_VIEWERS.items():
        client.logout()
        client.login(username=persona, password=PASSWORD)
        for owner, job in jobs.items():
            got = client.get(reverse("registry:excel_job_detail", kwargs={"pk": job.pk})).status_code
            assert got == (200 if owner in visible else 404), (persona, owner)
    client.logout()
    assert client.get(reverse("registry:excel_job_detail", kwargs={"pk": jobs["own"].pk})).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_export_contains_only_visible_rows(world, client, tmp_path: Path, settings) -> None:
    settings.JOB_FILES_DIR = tmp_path / "jobs"
    for agency, cert in [(world.agency, "V-own"), (world.other_agency, "V-other"), (world.far_agency, "V-far"),
                         (world.agency, "V-own-2")]:
        m.Officer.objects.create(name="赵" + cert, agency=agency, certificate_number=cert,
                                 issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2030, 1, 1))

    def exported(persona: str, query: str = "") -> set[str]:
        client.logout()
        client.login(username=persona, password=PASSWORD)
        response = client.post(reverse("registry:excel_officers_export") + query)
        run_worker()
        download = client.get(reverse("registry:excel_job_download", kwargs={"pk": response.url.split("/")[-2]}))
        assert download.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
        return {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert exported("officer") == {"V-own", "V-own-2"}
    assert exported("supervisor") == {"V-own", "V-own-2", "V-other"}
    assert exported("far_admin") == {"V-far"}
    assert exported("admin", "?q=own-2") == {"V-own-2"}
    # The file holds what its requester may see: nobody else downloads it.
    job = m.ImportJob.objects.filter(user=world.personas["supervisor"]).get()
    client.logout()
    client.login(username="admin", password=PASSWORD)
    assert client.get(reverse("registry:excel_job_download", kwargs={"pk": job.pk})).status_code == 404
    own_job = m.ImportJob.objects.filter(user=world.personas["officer"]).get()
    assert client.get(reverse("registry:excel_job_download", kwargs={"pk": own_job.pk})).status_code == 403


# ---- commands --------------------------------------------------------------------------------

def test_import_command_reports_errors_and_fails(world, tmp_path: Path, capsys) -> None:
    path = officers_file(tmp_path, [officer_row("K-1"), officer_row("K-2", status="吊销")])
    with pytest.raises(CommandError, match="共1处错误"):
        call_command("import_registry", "officers", str(path), "--agency", world.agency.uscc, "--no-progress")
    assert "工作表“执法人员” 第3行 “证件状态”列：" in capsys.readouterr().err
    assert m.Officer.objects.count() == 0


def test_import_and_export_commands(world, tmp_path: Path, capsys) -> None:
    path = officers_file(tmp_path, [officer_row(f"K-{i}") for i in range(3)])
    call_command("import_registry", "officers", str(path), "--agency", world.agency.name, "--user", "admin")
    assert m.Officer.objects.filter(agency=world.agency).count() == 3
    out = tmp_path / "out.xlsx"
    call_command("export_registry", "officers", str(out), "--agency", world.agency.name)
    assert "已导出 3 条记录" in capsys.readouterr().out
    assert load_workbook(out).active.max_row == 4
    call_command("registry_template", "targets", str(tmp_path / "t.xlsx"))
    assert load_workbook(tmp_path / "t.xlsx").sheetnames == ["检查对象", "填写说明"]


def test_import_command_refuses_a_non_admin_user_and_unknown_agency(world, tmp_path: Path) -> None:
    path = officers_file(tmp_path, [officer_row("K-9")])
    with pytest.raises(CommandError, match="系统管理员"):
        call_command("import_registry", "officers", str(path), "--agency", world.agency.name, "--user", "officer")
    with pytest.raises(CommandError, match="未找到执法主体"):
        call_command("import_registry", "officers", str(path), "--agency", "不存在的局")


def test_export_keeps_formula_like_text_as_text(world, sample, tmp_path: Path) -> None:
    """A value such as ``=HYPERLINK(…)`` is exported as a text cell, never as a live formula."""
    name = '=HYPERLINK("http://example.invalid","点此")'
    m.RandomInspectionItem.objects.filter(agency=world.agency).update(name=name)
    export_rows("random_items", restrict(m.RandomInspectionItem.objects.all(), world.personas["admin"]),
                tmp_path / "x.xlsx")
    cells = [cell for row in load_workbook(tmp_path / "x.xlsx").active.iter_rows(min_row=2) for cell in row
             if cell.value == name]
    assert cells and all(cell.data_type == "s" for cell in cells)
