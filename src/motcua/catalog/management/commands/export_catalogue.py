"""``motcua export-catalogue [--format json|xlsx] [--output FILE]``: the whole catalogue in
the format ``import-catalogue`` reads back unchanged."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog import exchange
from motcua.catalog.services import export_catalogue


class Command(BaseCommand):
    help = "Xuất toàn bộ danh mục thủ tục ra JSON hoặc Excel (định dạng motcua.catalog/1)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=("json", "xlsx"),
            help="mặc định: theo phần mở rộng của --output, nếu không thì json",
        )
        parser.add_argument("--output", help="tệp ghi ra; mặc định: đầu ra chuẩn (chỉ với json)")

    def handle(self, *args, format=None, output=None, **options):
        fmt = format or ("xlsx" if output and output.lower().endswith(".xlsx") else "json")
        if fmt == "xlsx" and not output:
            raise CommandError("Tệp Excel là dữ liệu nhị phân: hãy chỉ định --output TỆP.xlsx.")
        doc = export_catalogue()
        if fmt == "xlsx":
            content = exchange.to_excel(doc)
        else:
            content = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"Đã ghi {len(doc['procedures'])} phiên bản thủ tục vào {output}.")
        else:
            self.stdout.write(content.decode(), ending="")
