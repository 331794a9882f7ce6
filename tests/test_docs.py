"""The documentation is part of the repository: whoever clones it has everything it names.

Every relative link of README.md and docs/*.md must lead to a file (and heading) that
exists here; no file anywhere may point at the team's notes outside the repository, or name
a Markdown file the repository does not have; the README must list every document in docs/
and explain every environment variable the settings read.
"""

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINKED = [ROOT / "README.md", *DOCS, ROOT / "bench" / "README.md"]

# What .gitignore keeps out of the repository: generated, installed or local files.
IGNORED_DIRS = {
    ".git",
    ".venv",
    "var",
    "__pycache__",
    "build",
    "dist",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    "test-results",
    "results",
    "node_modules",
}
TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".yaml",
    ".yml",
    ".toml",
    ".html",
    ".txt",
    ".po",
    ".cfg",
    ".ini",
    ".sh",
    ".css",
    ".js",
    ".json",
}
TEXT_NAMES = {"Makefile", "run"}

# Built from parts so that this file does not name the very thing it looks for.
OUTSIDE = ("..", "/", "shared")
MARKDOWN_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
MARKDOWN_NAME = re.compile(r"[\w./-]*\w\.md\b")


def repository_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part in IGNORED_DIRS or part.endswith(".egg-info") for part in relative.parts):
            continue
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES):
            files.append(path)
    return files


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to dashes
    (letters with diacritics are kept)."""
    text = unicodedata.normalize("NFC", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(markdown: Path) -> set[str]:
    text = markdown.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return {slug(m[1]) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*$", text, re.M)}


def links(markdown: Path) -> list[str]:
    text = markdown.read_text(encoding="utf-8")
    # Code blocks hold shell and JSON, not links.
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return MARKDOWN_LINK.findall(text)


@pytest.mark.parametrize("document", LINKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(document):
    broken = []
    for target in links(document):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        resolved = (document.parent / path_part).resolve() if path_part else document
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(f"{target}: no such file in the repository")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no heading #{anchor} in {resolved.name}")
    assert not broken, f"{document.name}: " + "; ".join(broken)


def test_no_file_points_outside_the_repository():
    outside = "".join(OUTSIDE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in repository_files()
        if outside in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert not offenders, f"{outside} is not in the repository; named by: {offenders}"


def test_every_markdown_file_named_exists():
    """A comment citing a section of the team's design notes, which live outside the
    repository, sends a contributor to a file nobody who clones it has."""
    present = {p.name for p in ROOT.rglob("*.md") if ".venv" not in p.parts}
    missing = []
    for path in repository_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for name in set(MARKDOWN_NAME.findall(text)):
            if "/" in name:
                candidates = [path.parent / name, ROOT / name]
                found = any(c.resolve().is_file() for c in candidates)
            else:
                found = name in present
            if not found:
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, "Markdown files named but not in the repository: " + ", ".join(missing)


def test_readme_lists_every_document_and_keeps_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = set(links(ROOT / "README.md"))
    unlisted = [f"docs/{d.name}" for d in DOCS if f"docs/{d.name}" not in targets]
    assert not unlisted, f"README.md does not link to {unlisted}"
    for required in ("docs/architecture.md", "docs/api.md", "docs/domain.md", "openapi.yaml"):
        assert required in targets, f"README.md does not link to {required}"
    assert "make demo" in readme and "make test" in readme


def test_readme_explains_every_environment_variable():
    settings = (ROOT / "src" / "motcua" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", settings))
    read |= set(re.findall(r"\"([A-Z][A-Z0-9_]*)\" in env\b", settings))
    assert {"DATABASE_URL", "SECRET_KEY", "MOTCUA_STAFF_2FA_REQUIRED"} <= read
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table_rows = [line for line in readme.splitlines() if line.startswith("| `")]
    undocumented = sorted(v for v in read if not any(f"`{v}`" in row for row in table_rows))
    assert not undocumented, f"README.md's configuration table lacks {undocumented}"


def test_slug_matches_github_for_vietnamese_headings():
    assert slug("Cấu hình") == "cấu-hình"
    assert slug("How a status change flows") == "how-a-status-change-flows"
    assert slug("Get a token, use it, revoke it") == "get-a-token-use-it-revoke-it"
