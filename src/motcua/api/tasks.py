"""The API's periodic job, run by ``motcua worker``."""

from django_tasks import task

from motcua.api import idempotency


@task()
def purge_idempotency_records() -> int:
    return idempotency.purge_expired()
