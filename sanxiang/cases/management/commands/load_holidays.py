"""``manage.py load_holidays FILE.json``: enter a year's State Council holiday schedule from a file.

The file: ``{"year": 2027, "holidays": ["2027-02-05~2027-02-11", …], "workdays": ["2027-02-14"],
"source": "国务院办公厅关于2027年部分节假日安排的通知"}`` (dates or ranges, both ends included).
It goes through the same service as the admin page (recorded in the ledger as 系统) and then
recomputes the deadlines of every open case.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.accounts.services import ServiceError
from sanxiang.cases.services.settings import enter_holiday_schedule, parse_dates


class Command(BaseCommand):
    help = "从 JSON 文件录入某一年的法定节假日安排（国务院放假调休通知），并重新计算在办案件的期限。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="JSON 文件：{\"year\":2027,\"holidays\":[…],\"workdays\":[…],\"source\":\"…\"}")

    def handle(self, *args, **options) -> None:
        data = self._read(options["file"])
        try:
            year = int(data["year"])
            holidays = parse_dates(_as_list(data.get("holidays"), "holidays"))
            workdays = parse_dates(_as_list(data.get("workdays") or [], "workdays"))
            changed = enter_holiday_schedule(None, year, holidays, workdays, str(data.get("source") or ""))
        except (KeyError, TypeError, ValueError) as error:  # ServiceError is a ValueError
            raise CommandError(_message(error)) from error
        self.stdout.write(f"已录入{year}年法定节假日安排：放假{len(holidays)}天，调休上班{len(workdays)}天；"
                          f"重新计算期限的在办案件{changed}件。")

    def _read(self, path: Path) -> dict:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{path} 不是有效的 JSON：{error}") from error
        if not isinstance(data, dict):
            raise CommandError("JSON 文件须为一个对象，含 year、holidays、workdays、source")
        return data


def _as_list(value: object, name: str) -> list[str]:
    if not isinstance(value, list):
        raise TypeError(f"{name} 须为日期字符串的列表")
    return [str(v) for v in value]


def _message(error: Exception) -> str:
    if isinstance(error, ServiceError):
        return str(error)
    if isinstance(error, KeyError):
        return f"JSON 文件缺少字段：{error.args[0]}"
    return f"JSON 文件内容有误：{error}"
