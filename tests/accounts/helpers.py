import re

from motcua.notifications.models import OutboundMessage

VIETNAMESE_LETTERS = set("àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ")


def is_vietnamese(message: str) -> bool:
    """A message shown to a citizen must be Vietnamese: it carries Vietnamese letters and
    none of Django's or DRF's English defaults."""
    lowered = str(message).lower()
    english = ("this ", "the ", "must ", "ensure ", "enter a", "not a valid", "may not", "invalid")
    return bool(VIETNAMESE_LETTERS & set(lowered)) and not any(w in lowered for w in english)


def last_link_secret(email: str, path: str) -> str:
    """The secret at the end of the newest link of kind ``path`` e-mailed to ``email``."""
    message = OutboundMessage.objects.filter(recipient=email).order_by("-id").first()
    assert message is not None, f"no e-mail queued for {email}"
    found = re.search(rf"/{path}/([\w-]+)", message.body_text)
    assert found, message.body_text
    return found.group(1)
