from django.core.management.base import BaseCommand

from motcua.demo.services import seed_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn (tỉnh Quảng Ngãi, thủ tục, tài khoản). Chạy lại nhiều lần được."

    def handle(self, *args, **opts):
        seed_demo(stdout=self.stdout)
