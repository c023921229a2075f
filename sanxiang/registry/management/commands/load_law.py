"""``manage.py load_law FILE …`` / ``manage.py load_law --shipped``: fill the law library."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sanxiang.registry.choices import LawLevel, LawStatus
from sanxiang.registry.laws import (
    LawImport,
    LawMeta,
    date_from_file_name,
    guess_meta,
    import_law_text,
    load_shipped_laws,
    shipped_meta_for,
)
from sanxiang.registry.lawtext import LawTextError, parse_law


class Command(BaseCommand):
    help = "从纯文本导入法律法规并按“第X条”拆分条款（可重复运行，不会产生重复记录）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, 
                            help="法规文本文件（Markdown，格式见 registry/lawtext.py）")
        parser.add_argument("--shipped", action="store_true", help="导入随平台发布的全部法律法规")
        parser.add_argument("--level", choices=LawLevel.values, help="效力级别；缺省时按文件名或题注推断")
        parser.add_argument("--issuing-body", help="制定机关；缺省时按文件名或题注推断")
        parser.add_argument("--promulgated", type=_date,
                            help="公布日期 YYYY-MM-DD；缺省取文件名或题注中的日期")
        parser.add_argument("--effective", type=_date, help="施行日期 YYYY-MM-DD")
        parser.add_argument("--status", choices=LawStatus.values, help="时效性，默认现行有效")

    def handle(self, *args: object, **options: object) -> None:
        files: list[Path] = options["files"]  # type: ignore[assignment]
        if not files and not options["shipped"]:
            raise CommandError("请指定法规文本文件，或使用 --shipped 导入随平台发布的法规")
        try:
            # All or nothing: a bad file among several leaves the library as it was.
            with transaction.atomic():
                results = load_shipped_laws() if options["shipped"] else []
                results += [import_law_text(_read(path), self._meta(path, options)) for path in files]
        except LawTextError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(_summary(result))

    def _meta(self, path: Path, options: dict[str, object]) -> LawMeta:
        """Command-line options win over the defaults of :func:`_defaults`."""
        base = _defaults(path)
        level = options["level"] or base.level
        if not level:
            raise CommandError(f"无法判断{path.name}的效力级别，请用 --level 指定")
        return LawMeta(
            level=str(level),
            issuing_body=str(options["issuing_body"] or base.issuing_body),
            promulgated_on=options["promulgated"] or base.promulgated_on,  # type: ignore[arg-type]
            effective_on=options["effective"] or base.effective_on,  # type: ignore[arg-type]
            status=str(options["status"] or base.status),
        )


def _defaults(path: Path) -> LawMeta:
    """The shipped table's entry for this file name; else the file name and the preamble's wording."""
    shipped = shipped_meta_for(path)
    if shipped:
        return shipped
    level, body = guess_meta(parse_law(_read(path)).preamble) or ("", "")
    return LawMeta(level=level, issuing_body=body, promulgated_on=date_from_file_name(path))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"无法读取{path}：{exc}") from exc


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _summary(result: LawImport) -> str:
    law = result.law
    if result.law_created:
        action = "新增"
    elif result.changed:
        action = "更新"
    else:
        action = "无变化"
    return (f"《{law.title}》（{law.promulgated_on}）{action}：条款新增{result.articles_created}、"
            f"更新{result.articles_updated}、删除{result.articles_deleted}，共{law.articles.count()}条")
