"""The committed openapi.yaml must be what the code generates: integrators read the file."""

from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def test_committed_openapi_is_current(tmp_path, db):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    committed = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    assert generated.read_text(encoding="utf-8") == committed, (
        "openapi.yaml đã cũ so với mã nguồn: chạy `make openapi` rồi commit lại."
    )
