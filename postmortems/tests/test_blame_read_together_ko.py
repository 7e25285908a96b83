"""Korean sentences read and judged together give what each gives read and judged alone."""

from postmortems.blame import mask, morph_ko, rules_ko, triggers_ko
from postmortems.blame.sentences import split
from postmortems.tests.test_blame_eojeol_ko import PEOPLE, _korean_texts


def _korean_sentences():
    return [s.text for text in _korean_texts() for s in split(mask(text)) if s.korean]


def _forget():
    morph_ko.clear_caches()
    rules_ko.find.cache_clear()


def test_judging_the_sentences_of_a_text_together_finds_what_judging_each_finds():
    sentences = _korean_sentences()
    _forget()
    alone = [rules_ko.find(s, PEOPLE) for s in sentences]
    _forget()
    together = rules_ko.find_each(sentences, PEOPLE)
    assert together == alone
    assert sum(map(len, together)) > 300  # the comparison is about real hits


def test_reading_the_sentences_together_gives_each_its_own_reading():
    sentences = [s for s in _korean_sentences() if triggers_ko.could_fire(s, PEOPLE)]
    _forget()
    alone = [morph_ko.morphemes(s) for s in sentences]
    _forget()
    assert morph_ko.read_all(sentences) == alone
    assert len(sentences) > 300


def test_what_is_judged_together_is_cached_for_the_next_check():
    sentences = ["담당자가 설정을 확인하지 않았다.", "서버가 재시작되었다."]
    _forget()
    hits = rules_ko.find_each(sentences, PEOPLE)
    assert hits[0] and not hits[1]
    assert [rules_ko.find.lookup(s, PEOPLE) for s in sentences] == hits


def test_a_sentence_read_before_is_not_read_again(monkeypatch):
    sentence = "담당자가 설정을 확인하지 않았다."
    _forget()
    first = morph_ko.morphemes(sentence)

    def refuse(*args, **kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(morph_ko, "kiwi_morphemes", refuse)
    monkeypatch.setattr(morph_ko, "_kiwi_piece", refuse)
    monkeypatch.setattr(morph_ko, "kiwi_given", refuse)
    assert morph_ko.read_all([sentence, sentence]) == [first, first]


def test_a_sentence_a_text_repeats_is_read_and_judged_once(monkeypatch):
    sentence = "담당자가 설정을 확인하지 않았다."
    _forget()
    judged, read = [], []
    judge, read_known = rules_ko._judge, morph_ko.kiwi_morphemes
    monkeypatch.setattr(
        rules_ko, "_judge", lambda text, people: judged.append(text) or judge(text, people)
    )
    monkeypatch.setattr(
        morph_ko, "kiwi_morphemes", lambda text: read.append(text) or read_known(text)
    )
    morph_ko.force_kiwi(True)
    try:
        hits = rules_ko.find_each([sentence] * 3, PEOPLE)
    finally:
        morph_ko.force_kiwi(False)
    assert hits[0] and hits == [hits[0]] * 3
    assert judged == [sentence]
    assert read == [sentence]


def test_a_run_refused_for_kiwis_reading_of_it_is_refused_by_finish():
    from postmortems.blame import eojeol_ko

    refused = 0
    for sentence in set(_korean_sentences()):
        read = eojeol_ko.read_known(sentence, pieces=True)
        if read is None:
            continue
        pieces = [
            eojeol_ko.run_morphs(sentence, read, run, morph_ko.kiwi_piece, morph_ko.kiwi_given)
            for run in read[1]
        ]
        if any(eojeol_ko.refuses(read, number, piece) for number, piece in enumerate(pieces)):
            refused += 1
            assert eojeol_ko.finish(read, pieces) is None, sentence
    assert refused > 5  # the claim is about real sentences
