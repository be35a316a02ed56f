"""The free-text corpus (tests/golden/free-texts.yaml): every sentence, written into its unit's file
at its field and checked as `check` checks it, gives exactly its expected L10–L13 findings — rule and
column inside the sentence — and a right sentence none. See free_texts.py."""
from __future__ import annotations

import pytest
from free_texts import expected, findings, load_corpus

ENTRIES = load_corpus()


def test_the_corpus_is_large_and_has_every_rule():
    rules = {f["rule"] for e in ENTRIES for f in e["findings"]}
    assert len(ENTRIES) >= 60 and rules == {"L10", "L11", "L12", "L13"}
    assert sum(not e["findings"] for e in ENTRIES) >= 60


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{i}-{e['field'][0]}" for i, e in enumerate(ENTRIES)])
def test_a_sentence_gives_exactly_its_findings(entry):
    for finding in entry["findings"]:
        assert entry["text"][finding["col"] - 1:].startswith(finding["at"]), finding
    assert findings(entry) == expected(entry), entry["text"]
