from django.core.management.base import BaseCommand

from motcua.catalog.services import load_administrative_units


class Command(BaseCommand):
    help = (
        "Nạp danh mục đơn vị hành chính hai cấp (tỉnh, xã) từ gói vietnam-provinces. Chạy lại được."
    )

    def handle(self, *args, **opts):
        count = load_administrative_units()
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {count} đơn vị hành chính."))
