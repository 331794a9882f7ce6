"""Background tasks of the dossiers domain: the periodic clean-ups the worker schedules."""

from django_tasks import task

from motcua.dossiers import services


@task()
def purge_abandoned_drafts() -> int:
    return services.purge_abandoned_drafts()


@task()
def purge_orphan_files() -> int:
    return services.purge_orphan_files()
