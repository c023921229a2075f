from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "sanxiang.ledger"
    label = "ledger"
    verbose_name = "全过程记录（防篡改日志）"
