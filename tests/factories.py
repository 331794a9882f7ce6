"""Factories shared by the whole suite. Values are valid Vietnamese data by construction."""

import datetime as dt

import factory
from django.utils import timezone

from motcua.accounts.models import Role, StaffMembership, User
from motcua.catalog.models import Agency, Component, FeeItem, Field, Procedure, ProcedureVersion

PASSWORD = "MatKhau2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"congdan{n}@example.vn")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    kind = User.Kind.CITIZEN
    phone = factory.Sequence(lambda n: f"09{n % 100000000:08d}")
    id_number = factory.Sequence(lambda n: f"0510900{n % 100000:05d}")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"canbo{n}@quangngai.gov.vn")
    kind = User.Kind.STAFF
    is_staff = True
    id_number = ""


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    # Three digits: the tests' hand-written codes (H48.13, H48.20, …) have two, and a
    # sequence reaching one of them would get_or_create that agency instead of a new one.
    code = factory.Sequence(lambda n: f"H48.{n + 100}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm số {n}")
    kind = Agency.Kind.DEPARTMENT
    valid_from = dt.date(2025, 7, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(StaffFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.RECEIVER


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n:03d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"1.{900000 + n:06d}")


class ProcedureVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureVersion
        skip_postgeneration_save = True

    procedure = factory.SubFactory(ProcedureFactory)
    valid_from = dt.date(2025, 7, 1)
    name = factory.Sequence(lambda n: f"Cấp giấy phép thử nghiệm số {n}")
    agency = factory.SubFactory(AgencyFactory)
    field = factory.SubFactory(FieldFactory)
    level = "toan_trinh"
    time_limit_value = 5
    delivery_methods = factory.LazyFunction(lambda: ["counter", "post", "online"])

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.refresh_search_text()
        obj.save()
        if not obj.components.exists():
            Component.objects.create(
                version=obj, position=0, name="Đơn đề nghị", allowed_types=["pdf", "docx"]
            )
            Component.objects.create(
                version=obj,
                position=1,
                name="Bản sao giấy tờ liên quan",
                required=False,
                multiple=True,
                allowed_types=["pdf", "jpg", "png"],
            )


def add_fee(version, amount, name="Lệ phí cấp giấy phép", kind="le_phi"):
    FeeItem.objects.create(version=version, name=name, amount=amount, kind=kind)
    version.fee_total = sum(version.fees.values_list("amount", flat=True))
    version.save(update_fields=["fee_total"])
