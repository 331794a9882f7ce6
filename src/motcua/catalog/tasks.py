"""The catalogue's periodic job, run by ``motcua worker``."""

from django_tasks import task

from motcua.catalog import services


@task()
def refresh_popularity() -> int:
    return services.refresh_popularity()
