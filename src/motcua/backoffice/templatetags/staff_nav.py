"""What the staff header offers: counter intake only to those who hold a one-stop desk."""

from django import template

from motcua.accounts.models import Role, StaffMembership

register = template.Library()


@register.simple_tag(takes_context=True)
def holds_receiver_desk(context, user) -> bool:
    # The same test as the intake page itself, so the link never leads to a refusal. The
    # queue pages have read the memberships already (``staff_selectors.Officer``).
    officer = context.get("officer")
    if officer is not None and hasattr(officer, "receiver_desk"):
        return officer.receiver_desk
    if not getattr(user, "is_authenticated", False):
        return False
    return StaffMembership.objects.filter(user=user, role=Role.RECEIVER).exists()
