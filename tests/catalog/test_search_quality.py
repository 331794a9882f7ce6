"""Search finds what citizens mean: the query set of ``bench/search_quality.py`` against the
demo catalogue, held to the targets of issue 8 on whichever database the suite runs."""

import pytest
from bench import search_quality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_synonyms")]


def test_citizen_queries_meet_the_targets():
    search_quality.load_demo_catalogue()
    assert len(search_quality.QUERIES) >= 40
    scores = search_quality.evaluate(search_quality.search_codes)
    misses = [m for kind in search_quality.TARGETS for m in scores[kind].misses]
    assert not search_quality.failures(scores), "\n".join(misses)
    # Names, with or without a typo, come first every time.
    assert scores[search_quality.NAME].share("top1") == 1.0
    assert scores[search_quality.TYPO].share("top1") == 1.0
