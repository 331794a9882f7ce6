"""``motcua rebuild-tracking-cards``: rewrite the public tracking card of every submitted
dossier from its rows. Run it after a release that changes the card's labels or shape, or
after loading dossiers by other means than the application (a restore, an import)."""

from django.core.management.base import BaseCommand

from motcua.dossiers import services


class Command(BaseCommand):
    help = "Viết lại thẻ tra cứu công khai của mọi hồ sơ đã nộp."

    def handle(self, *args, **options):
        written = services.rebuild_tracking_cards()
        self.stdout.write(f"Đã viết lại {written} thẻ tra cứu hồ sơ.")
