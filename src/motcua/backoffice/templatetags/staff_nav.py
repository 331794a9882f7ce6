"""What the staff header offers: counter intake only to those who hold a one-stop desk."""

from django import template

from motcua.accounts.models import Role, StaffMembership

register = template.Library()


@register.simple_tag
def holds_receiver_desk(user) -> bool:
    # The same test as the intake page itself, so the link never leads to a refusal.
    if not getattr(user, "is_authenticated", False):
        return False
    return StaffMembership.objects.filter(user=user, role=Role.RECEIVER).exists()
