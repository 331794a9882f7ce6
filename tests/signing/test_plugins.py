"""The plugin point: a signer that only ever sees a digest (a USB token, a remote service)."""

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from motcua.signing import plugins, services
from motcua.signing.models import SignerCertificate


class RemoteService(plugins.SignerPlugin):
    """Stands for a remote signing service: it holds the key, we send it the hash."""

    code = "remote-test"
    label = "Ký số từ xa (thử nghiệm)"
    key = None
    seen: list

    def sign_digest(self, certificate, digest, digest_algorithm):
        self.seen.append((certificate.pk, digest, digest_algorithm))
        return self.key.sign(digest, padding.PKCS1v15(), Prehashed(plugins.HASHES["sha256"]()))


@pytest.fixture
def remote(pki):
    plugins.register(RemoteService)
    plugin = plugins.get("remote-test")
    plugin.key, plugin.seen = pki.signer_key, []
    yield plugin
    plugins._registry.pop("remote-test")


def test_the_software_signer_is_registered_first():
    assert ("software", plugins.SoftwareSigner.label) in plugins.choices()
    assert isinstance(plugins.get("software"), plugins.SoftwareSigner)


def test_unknown_plugin_is_a_clear_error(certificate, result_pdf):
    SignerCertificate.objects.filter(pk=certificate.pk).update(plugin="khong-co")
    certificate.refresh_from_db()
    with pytest.raises(services.SigningError, match="Không có cách ký «khong-co»"):
        services.sign_pdf(result_pdf, certificate=certificate, reason="Ký", location="")


def test_a_plugin_gets_a_digest_and_gives_back_a_signature(
    trusted, certificate, remote, result_pdf
):
    # No key on our side at all: only the certificate, the key lives "elsewhere".
    SignerCertificate.objects.filter(pk=certificate.pk).update(
        plugin="remote-test", encrypted_key=""
    )
    certificate.refresh_from_db()
    signed = services.sign_pdf(result_pdf, certificate=certificate, reason="Ký từ xa", location="")
    [(pk, digest, algorithm)] = remote.seen
    assert pk == certificate.pk and algorithm == "sha256"
    assert len(digest) == hashlib.sha256().digest_size
    check = services.verify_pdf(signed)
    assert check.valid, check.message
    assert check.reason == "Ký từ xa"
