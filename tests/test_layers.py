"""The layers of docs/architecture.md hold: imports go from the faces down to the domain
apps and to ``core``, never up, and the domain apps do not import each other in a circle."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "motcua"
FACES = {"portal", "backoffice", "api"}
DOMAIN = {
    "accounts",
    "catalog",
    "dossiers",
    "documents",
    "notifications",
    "workcalendar",
    "signing",
    "workflow",
}
# The one module of core that reaches into apps: the worker collects their periodic tasks.
CORE_EXCEPTIONS = {PACKAGE / "core" / "management" / "commands" / "worker.py"}


def imported_apps(path: Path) -> set[str]:
    """The motcua apps a module imports, wherever the import statement is."""
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "motcua" and len(parts) > 1:
                apps.add(parts[1])
    return apps


def app_imports(app: str, *, skip: set[Path] = frozenset()) -> dict[str, set[Path]]:
    """Each other app ``app`` imports, with the modules that do."""
    found: dict[str, set[Path]] = {}
    for path in (PACKAGE / app).rglob("*.py"):
        if path in skip:
            continue
        for other in imported_apps(path) - {app}:
            found.setdefault(other, set()).add(path.relative_to(PACKAGE))
    return found


def test_the_helper_sees_imports():
    assert "dossiers" in app_imports("api")
    assert "core" in app_imports("dossiers")


def test_domain_apps_never_import_a_face_or_the_demo():
    wrong = {
        app: {other: sorted(map(str, paths)) for other, paths in app_imports(app).items()}
        for app in DOMAIN
    }
    wrong = {
        app: {o: p for o, p in imports.items() if o in FACES | {"demo"}}
        for app, imports in wrong.items()
    }
    assert not {app: imports for app, imports in wrong.items() if imports}


def test_core_imports_no_app():
    assert app_imports("core", skip=CORE_EXCEPTIONS) == {}


def test_no_import_cycle_between_domain_apps():
    graph = {app: set(app_imports(app)) & DOMAIN for app in DOMAIN}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start] - seen:
            if nxt == goal or reaches(nxt, goal, seen | {nxt}):
                return True
        return False

    cycles = sorted(app for app in DOMAIN if reaches(app, app, set()))
    assert not cycles, f"domain apps importing each other in a circle: {cycles} ({graph})"
