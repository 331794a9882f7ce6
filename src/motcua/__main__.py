"""The ``motcua`` command: Django's manage.py under the project's name.

``motcua demo``, ``serve``, ``worker`` and ``seed-demo`` are management commands (in
``core/management/commands``); hyphens are accepted so the documented spelling works.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "motcua"
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
