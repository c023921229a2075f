"""Synthetic rows for the benchmark, in the import layout of the officer and target registries.

Deterministic (row ``i`` is always the same) so the file writer and the baseline writer produce
the same cells without keeping them in memory.
"""

import datetime
from collections.abc import Iterator

from sanxiang.accounts.validators import USCC_ALPHABET, uscc_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英"]
INDUSTRIES = ["批发业", "零售业", "餐饮业", "住宿业", "食品制造业", "道路运输业", "建筑装饰业"]
TARGET_KINDS = ["企业", "个体工商户", "其他组织"]
RISKS = ["低风险", "中风险", "高风险"]
STATUSES = ["有效"] * 8 + ["暂扣", "注销"]
CATEGORIES = ["行政处罚、行政检查", "行政许可", "行政处罚、行政强制、行政检查"]

OFFICER_HEADERS = ["姓名", "职务", "执法证号", "执法类别", "发证日期", "有效期至", "证件状态",
                   "法制审核人员", "法律职业资格"]
TARGET_HEADERS = ["名称", "统一社会信用代码", "对象类型", "行业", "地址", "所在区域", "风险等级"]
REGION = "基准市"


def officer_rows(count: int) -> Iterator[list[object]]:
    start = datetime.date(2019, 1, 1)
    for i in range(count):
        issued = start + datetime.timedelta(days=i % 1500)
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        yield [name, "科员", f"BENCH{i:09d}", CATEGORIES[i % 3],
               issued.isoformat(), (issued + datetime.timedelta(days=5 * 365)).isoformat(),
               STATUSES[i % len(STATUSES)], "是" if i % 20 == 0 else "否", "是" if i % 10 == 0 else "否"]


def uscc_for(i: int) -> str:
    """A valid, unique 统一社会信用代码 for row ``i``."""
    digits, tail = f"{330100 + i % 900:06d}", ""
    n = i
    for _ in range(9):
        n, r = divmod(n, len(USCC_ALPHABET))
        tail = USCC_ALPHABET[r] + tail
    body = "91" + digits + tail
    return body + uscc_check_char(body)


def target_rows(count: int) -> Iterator[list[object]]:
    for i in range(count):
        yield [f"基准{SURNAMES[i % len(SURNAMES)]}记{i}号商贸有限公司", uscc_for(i), TARGET_KINDS[i % 3],
               INDUSTRIES[i % len(INDUSTRIES)], f"基准市示例路{i % 999 + 1}号", REGION, RISKS[i % 3]]


ROWS = {"officers": (OFFICER_HEADERS, officer_rows), "targets": (TARGET_HEADERS, target_rows)}
