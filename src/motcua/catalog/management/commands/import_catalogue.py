"""``motcua import-catalogue FILE``: load a ``motcua.catalog/1`` file (.json or .xlsx).

All or nothing: on any error every message is printed, nothing is written, and the exit
code is 1 so a deployment script stops.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog import exchange
from motcua.catalog.services import import_catalogue


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục từ tệp .json hoặc .xlsx (định dạng motcua.catalog/1)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="đường dẫn tệp .json hoặc .xlsx")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}.") from None
        try:
            report = import_catalogue(exchange.read_document(path.name, content))
        except exchange.CatalogueError as exc:
            for message in exc.errors:
                self.stderr.write(f"- {message}")
            raise CommandError(f"Tệp có {len(exc.errors)} lỗi; danh mục không thay đổi.") from None
        self.stdout.write(self.style.SUCCESS(f"Đã nhập danh mục: {report.summary()}."))
