"""Tests of docfetch.cite.quote: when a quotation is in a text, and where it is best found."""

from __future__ import annotations

import pytest

from docfetch.cite.quote import Haystack, Quote, best_location, divergence, quote_in, similarity

SECTION = """15.5.5.  404 Not Found

   The 404 (Not Found) status code indicates that the origin server did
   not find a current representation for the target resource or is not
   willing to disclose that one exists.  A 404 status code does not
   indicate whether this lack of representation is temporary or
   permanent; the 410 (Gone) status code is preferred over 404 if the
   origin server knows, presumably through some configurable means, that
   the condition is likely to be permanent.  The "Content-Type" header
   field is sent as is; see the represen-
   tation rules and the Content-
   Location field.
"""


@pytest.mark.parametrize(
    "quote",
    [
        "The 404 (Not Found) status code indicates that the origin server did not find a current representation",
        "the 404 (Not Found) status code",  # the first letter may change case
        "[T]he 404 (Not Found) status code",
        "Not willing to disclose that one exists.",  # a trailing period may be absent from the text
        "not willing to disclose that one exists,",
        "The 404 (Not Found) status code ... the target resource",
        "The 404 (Not Found) status code … the target resource",
        "The 404 (Not Found) status code [...] is preferred over 404",
        "The 404 [sic] (Not Found) status code",
        "...is preferred over 404...",
        "The “Content-Type” header field",
        "The \u201cContent-Type\u201d header\u00a0field",
        "the representation rules",  # hyphenated at a line end, without the hyphen
        "the Content-Location field",  # hyphenated at a line end, with the hyphen
        "is   likely\n to be permanent",
        "404 Not Found",  # the heading is part of the text
    ],
)
def test_found(quote: str) -> None:
    assert quote_in(quote, SECTION)


@pytest.mark.parametrize(
    "quote",
    [
        "The 404 (Not Found) status code indicates that the origin server did not find any current representation",
        "the 404 (NOT FOUND) status code",  # case matters beyond the first letter
        "the 404 (not found) status code",
        "the target resource ... The 404 (Not Found)",  # pieces out of order
        "the represen-tation rules and the ContentLocation field",  # both hyphenation readings in one quote
        "",
        "...",
        "MUST",
    ],
)
def test_not_found(quote: str) -> None:
    assert not quote_in(quote, SECTION)


def test_page_furniture_replaced_by_whitespace_does_not_break_a_match() -> None:
    cleaned = "the origin server did\n\n\n\n   not find a current representation\n"
    assert quote_in("the origin server did not find a current", cleaned)


def test_page_furniture_left_in_place_is_removed_as_a_safety_net() -> None:
    paged = (
        "   the origin server did not find a current\n"
        "\n"
        "Fielding, et al.             Standards Track                  [Page 59]\n"
        "\f\n"
        "RFC 7231             HTTP/1.1 Semantics and Content             June 2014\n"
        "\n"
        "\n"
        "   representation for the target resource\n"
    )
    assert quote_in("did not find a current representation for the target resource", paged)
    assert not quote_in("current Fielding", paged)


def test_quote_parts() -> None:
    assert Quote("a ... b [...] c [\u2026] d \u2026 e. ").parts == ("a", "b", "c", "d", "e")
    assert Quote("  one \n two.").parts == ("one two",)
    assert Quote(".").parts == ()


def test_haystack_variants() -> None:
    hay = Haystack("a Content-\n   Type b\fc")
    assert hay.variants() == ("a Content-Type b c", "a ContentType b c")
    assert Haystack("plain  text").variants() == ("plain text",)


def test_best_location_prefers_the_most_specific_exact_match() -> None:
    parent = "15.5.  Client Error 4xx\n\n" + SECTION + "\n15.5.6.  405 Method Not Allowed\n   text\n"
    candidates = [("15.5", parent), ("15.5.5", SECTION), ("15.5.6", "15.5.6.  405 Method Not Allowed\n   text\n")]
    found = best_location("the origin server did not find", candidates)
    assert found is not None
    assert (found.key, found.exact, found.score) == ("15.5.5", True, 1.0)
    found = best_location("405 Method Not Allowed", candidates)
    assert found is not None and found.key == "15.5.6"


def test_best_location_falls_back_to_the_closest_paraphrase() -> None:
    other = "The 410 (Gone) status code indicates that access to the target resource is no longer available."
    paraphrase = "The 404 (Not Found) status code means that the origin server did not find a current representation"
    found = best_location(paraphrase, [("other", other), ("404", SECTION)])
    assert found is not None
    assert (found.key, found.exact) == ("404", False)
    assert found.score == pytest.approx(similarity(paraphrase, SECTION))
    assert 0.5 < found.score < 1.0
    assert best_location("entirely unrelated words here", [("404", SECTION)]) is None
    assert best_location("...", [("404", SECTION)]) is None


def test_similarity_counts_word_triples() -> None:
    assert similarity("a b c d", "a b c d") == 1.0
    assert similarity("a b c d", "a b c x") == 0.5  # (a b c) found, (b c d) not
    assert similarity("a b", "x b a") == 1.0  # short quotes: single words
    assert similarity("", "x") == 0.0


def test_divergence_says_where_the_quote_parts_from_the_text() -> None:
    quote = "The 404 (Not Found) status code indicates that the origin server did not find any current representation"
    parted = divergence(quote, SECTION)
    assert parted is not None
    assert parted.matched == "the origin server did not find"  # the last six words that matched
    assert parted.quoted_next == "any current representation"
    assert parted.text_next == "a current representation for the target"
    assert divergence("The 404 (Not Found) status code", SECTION) is None  # found
    assert divergence("The 404 foo bar", SECTION) is None  # not even three words in common


def test_divergence_in_a_later_piece() -> None:
    parted = divergence("The 404 (Not Found) ... is preferred over 405 if", SECTION)
    assert parted is not None
    assert (parted.matched, parted.quoted_next) == ("is preferred over", "405 if")
