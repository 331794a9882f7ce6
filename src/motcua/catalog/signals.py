"""A change of the synonym table reaches search at once, in every process: it bumps the
catalogue generation that the search snapshots (``catalog.search.index``) are keyed on."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from motcua.catalog.models import SearchSynonym
from motcua.catalog.services import bump_generation


@receiver(post_save, sender=SearchSynonym)
@receiver(post_delete, sender=SearchSynonym)
def synonyms_changed(sender, **kwargs):
    bump_generation()
