"""``manage.py sign_checkpoint [--cosign]``: sign a checkpoint of the platform's log as it stands.

With ``--cosign`` the witness (司法局) key cosigns it too, after checking the consistency proof from
the last checkpoint it cosigned; a refusal is printed in Chinese and the exit status is non-zero.
The signed note (with any cosignatures) goes to standard output, so it can be saved or published.
"""

from django.core.management.base import BaseCommand, CommandError

from sanxiang.ledger import checkpoints
from sanxiang.ledger.models import Checkpoint


class Command(BaseCommand):
    help = "以平台密钥签署全过程记录当前的检查点；加 --cosign 时再由司法局见证密钥核对一致性后见证签名。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cosign", action="store_true", help="签署后由见证方（司法局）核对并见证签名")

    def handle(self, *args, **options) -> None:
        try:
            checkpoint = checkpoints.sign_checkpoint()
        except checkpoints.WitnessRefused as refusal:
            raise CommandError(f"拒绝签署：{refusal}") from refusal
        if options["cosign"]:
            self._cosign(checkpoint)
        self.stdout.write(checkpoints.cosigned_note(checkpoint), ending="")
        self.stderr.write(f"检查点：{checkpoint.log.name}，树大小 {checkpoint.size}")

    def _cosign(self, checkpoint: Checkpoint) -> None:
        try:
            checkpoints.cosign(checkpoint, None)
        except checkpoints.WitnessRefused as refusal:
            raise CommandError(f"见证方拒绝签署：{refusal}") from refusal
