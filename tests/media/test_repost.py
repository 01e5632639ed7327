from __future__ import annotations

from varde.media.repost import RepostIndex, shingles, text_similarity

AD = "Trenger to gutter til en jobb i Bergen i kveld, 80k kontant, skriv til @natteravn77"


def test_similar_ocr_texts_are_similar_and_short_texts_are_ignored() -> None:
    noisy = "Trenger to gutter til en jobb i\nBergen i kveld, 8Ok kontant,\nskriv til @natteravn77"
    assert text_similarity(AD, noisy) > 0.6
    assert text_similarity(AD, "Loppemarked på skolen lørdag, kaffe og vafler selges til inntekt for klassetur") < 0.1
    assert shingles("SALG") == set()
    assert text_similarity("SALG", "SALG") == 0.0


def test_repost_index_matches_by_hash_then_by_text() -> None:
    index = RepostIndex()
    original = "a" * 64
    index.add("post-1", [original], AD)
    index.add("post-2", ["f" * 64], "Loppemarked på skolen lørdag kl 11, kaffe og vafler selges til alle")
    near = "b" + "a" * 63  # 0xa ^ 0xb: one bit
    by_hash = index.match([near])
    assert [(m.key, m.via, m.score) for m in by_hash] == [("post-1", "pdq", 1.0)]
    by_text = index.match(["0" * 64], "Videresendt: " + AD)
    assert [(m.key, m.via) for m in by_text] == [("post-1", "text")]
    assert index.match(["0" * 64], "Noe helt annet som ikke ligner på noen av tekstene over") == []
