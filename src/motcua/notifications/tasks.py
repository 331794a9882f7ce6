"""Background tasks of the notifications domain."""

from django_tasks import task

from motcua.notifications import services


@task()
def send_message(message_id: int) -> bool:
    return services.deliver(message_id)


@task()
def sweep_outbox() -> int:
    return services.deliver_due()
