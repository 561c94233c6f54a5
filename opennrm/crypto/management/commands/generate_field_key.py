"""Print a new random key for OPENNRM_FIELD_KEYS (or OPENNRM_INDEX_KEY with --index)."""

import base64
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from opennrm.crypto.keys import FIELD_KEY_BYTES, INDEX_KEY_MIN_BYTES, KEY_ID


class Command(BaseCommand):
    help = "Print a new key: key-id:base64 for OPENNRM_FIELD_KEYS, or base64 for OPENNRM_INDEX_KEY."

    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--id", help="The key's id (default: k + today's date).")
        parser.add_argument("--index", action="store_true", help="A key for OPENNRM_INDEX_KEY.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["index"]:
            self.stdout.write(base64.b64encode(secrets.token_bytes(INDEX_KEY_MIN_BYTES)).decode())
            return
        key_id = options["id"] or f"k{timezone.localdate():%Y%m%d}"
        if not KEY_ID.match(key_id):
            raise CommandError("A key id is made of letters, digits, - and _ (at most 32).")
        key = base64.b64encode(secrets.token_bytes(FIELD_KEY_BYTES)).decode()
        self.stdout.write(f"{key_id}:{key}")
