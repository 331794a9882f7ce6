"""Fixtures for the admin and the staff two-factor pages."""

import datetime as dt
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import (
    AgencyFactory,
    FieldFactory,
    MembershipFactory,
    ProcedureVersionFactory,
    StaffFactory,
    add_fee,
)


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` periods later: a code is
    accepted once, so a second login in the same 30 seconds needs the next one)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {totp_code(device, n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


@pytest.fixture
def superuser(db):
    return StaffFactory(
        is_superuser=True, email="quantri@quangngai.gov.vn", full_name="Quản Trị Viên"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def device_for():
    def make(user, confirmed=True):
        return TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=confirmed)

    return make


@pytest.fixture
def catalogue(db):
    """A small catalogue touching every part of the exchange format."""
    province = AgencyFactory(code="H48", name="UBND tỉnh Quảng Ngãi", kind="province_committee")
    old = AgencyFactory(
        code="H34.13",
        name="Sở Văn hóa tỉnh Kon Tum",
        valid_to=dt.date(2025, 6, 30),
        valid_from=dt.date(2020, 1, 1),
    )
    dept = AgencyFactory(
        code="H48.13",
        name="Sở Văn hóa, Thể thao và Du lịch",
        short_name="Sở VHTTDL",
        parent=province,
        phone="0255 3822 111",
        email="svhttdl@quangngai.gov.vn",
    )
    dept.predecessors.add(old)
    field = FieldFactory(code="VHCS", name="Văn hóa cơ sở")
    first = ProcedureVersionFactory(
        procedure__code="1.004650",
        agency=dept,
        field=field,
        name="Thông báo sản phẩm quảng cáo trên bảng quảng cáo",
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2025, 6, 30),
        time_limit_online=3,
        legal_basis=[{"number": "16/2012/QH13", "title": "Luật Quảng cáo", "date": "2012-06-21"}],
        publication_decision="38/QĐ-UBND",
        publication_date=dt.date(2022, 1, 24),
        requirements="Không",
    )
    second = ProcedureVersionFactory(
        procedure=first.procedure,
        agency=dept,
        field=field,
        valid_from=dt.date(2025, 7, 1),
        name="Thông báo sản phẩm quảng cáo trên bảng quảng cáo, băng-rôn",
        level="mot_phan",
        delivery_methods=["counter", "post"],
    )
    add_fee(second, 150000, name="Phí thẩm định")
    other = ProcedureVersionFactory(
        agency=dept,
        level="truc_tiep",
        no_appointment=True,
        time_limit_value=0.5,
        time_limit_unit="days",
        delivery_methods=["counter"],
    )
    return {"agencies": [province, old, dept], "field": field, "versions": [first, second, other]}


@pytest.fixture
def membership(db):
    return MembershipFactory()
