"""The demo CA: created once, trusted, and the certificates its leaders sign with."""

from motcua.accounts.models import Role
from motcua.signing import authority, services
from motcua.signing.models import SignerCertificate, TrustedAuthority
from tests.factories import AgencyFactory, MembershipFactory, StaffFactory


def test_demo_ca_issues_leaders_and_agencies_and_is_idempotent(db, result_pdf):
    agency = AgencyFactory(name="Sở Xây dựng tỉnh Quảng Ngãi")
    leader = StaffFactory(full_name="Đặng Quốc Việt")
    MembershipFactory(user=leader, agency=agency, role=Role.APPROVER)
    receiver = StaffFactory(full_name="Lê Thị Thu")
    MembershipFactory(user=receiver, agency=agency, role=Role.RECEIVER)

    first = authority.seed_demo_certificates([leader, receiver], [agency])
    again = authority.seed_demo_certificates([leader, receiver], [agency])

    assert {c.pk for c in first} == {c.pk for c in again}
    assert SignerCertificate.objects.count() == 2
    assert not SignerCertificate.objects.filter(user=receiver).exists()
    ca = TrustedAuthority.objects.get()
    assert ca.is_demo and ca.active and ca.encrypted_key
    assert "BEGIN" not in ca.encrypted_key
    mine = services.usable_certificate(user=leader)
    assert mine.subject_name == "Đặng Quốc Việt"
    assert mine.issuer_name == authority.DEMO_CA_NAME
    seal = services.usable_certificate(agency=agency)
    assert seal.subject_name == "Sở Xây dựng tỉnh Quảng Ngãi"

    signed = services.sign_pdf(result_pdf, certificate=mine, reason="Ký duyệt", location="")
    check = services.verify_pdf(signed)
    assert check.valid, check.message
    assert check.last.organisation == "Sở Xây dựng tỉnh Quảng Ngãi"
