"""How the FAQ decides: off-topic examples, the fast dictionary, a threshold from calibration."""

from __future__ import annotations

import numpy as np
import pytest
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie

from bench.faq_offline import CALIBRATION, EVAL, load_cases
from models.faq import guard
from models.faq import index as faq_index
from models.faq import vectors as faq_vectors
from models.faq.files import FaqError, read_dir, read_off_topic
from models.faq.index import FaqIndex
from models.faq.thai_text import TERMS, PrefixSetTrie, dictionary, normalise

PASSWORD = {
    "id": "itas-forgot-password",
    "questions": ["ลืมรหัสผ่าน ITAS ทำอย่างไร", "เข้า ITAS ไม่ได้ ลืมรหัส", "ขอรีเซ็ตรหัสผ่านระบบ ITAS"],
}
HOURS = {"id": "office-hours", "questions": ["สำนักงานเปิดกี่โมง", "ติดต่อได้ช่วงเวลาไหน", "เวลาทำการ"]}


def test_a_question_closest_to_an_off_topic_example_gets_no_answer():
    question = "ลืมพาสเวิร์ด e-GP เข้าไม่ได้ ทำไงดีคะ"
    plain = FaqIndex([PASSWORD, HOURS]).best(question)
    guarded = FaqIndex([PASSWORD, HOURS], ["ลืมรหัสผ่าน e-GP ต้องทำยังไงครับ"]).best(question)
    assert plain.entry["id"] == "itas-forgot-password"
    assert guarded.entry is None and not guarded.confident
    still = FaqIndex([PASSWORD, HOURS], ["ลืมรหัสผ่าน e-GP ต้องทำยังไงครับ"]).best(
        "ลืมรหัสผ่าน itas ทำไงดีคะ"
    )
    assert still.entry["id"] == "itas-forgot-password", "the ITAS question itself still matches"


def test_the_off_topic_file_skips_comments_and_refuses_an_overlong_line(tmp_path):
    path = tmp_path / "off_topic.txt"
    path.write_text("# หมายเหตุ\n\nพรุ่งนี้ประชุมกี่โมง\nพรุ่งนี้ประชุมกี่โมง\n", encoding="utf-8")
    assert read_off_topic(path) == ["พรุ่งนี้ประชุมกี่โมง"]
    path.write_text("# หมายเหตุ\nสั้น\n" + "ยาว" * 200 + "\n", encoding="utf-8")
    with pytest.raises(FaqError) as refused:
        read_off_topic(path)
    assert refused.value.line == 3 and "300" in str(refused.value)
    assert len(read_off_topic()) >= 100, "the shipped examples"


def test_the_fast_dictionary_segments_exactly_like_pythainlps_trie():
    terms = {t.strip() for t in TERMS.read_text(encoding="utf-8").splitlines()}
    reference = Trie(set(thai_words()) | {t for t in terms if t and not t.startswith("#")})
    texts = read_off_topic() + [q for e in read_dir() for q in e["questions"]]
    for path in (EVAL, *CALIBRATION):
        cases = load_cases(path)
        texts += [c["q"] for c in cases["in_scope"]] + cases["out_of_scope"]
        texts += cases.get("near_miss") or []
    assert len(texts) > 1900
    for text in map(normalise, texts):
        fast = word_tokenize(text, custom_dict=dictionary(), engine="newmm")
        assert fast == word_tokenize(text, custom_dict=reference, engine="newmm"), text
    assert dictionary().prefixes("ตัวชี้วัดที่ 9", 0) == reference.prefixes("ตัวชี้วัดที่ 9", 0)
    assert dictionary().prefixes("ตัวชี้วัด") == ["ตัว", "ตัวชี้วัด"] and "ตัวชี้วัด" in dictionary()
    small = PrefixSetTrie({"ตัว"})
    small.add("ตัวชี้วัด")
    small.remove("ตัว")
    assert small.prefixes("ตัวชี้วัดที่ 9") == ["ตัวชี้วัด"] and len(small) == 1


def test_the_guard_in_use_is_the_one_calibration_fits(faq_vector_file):
    """Fitted on the calibration sets (each against an index without its own off-topic lines),
    so nobody moves it by hand to flatter the held-out sets."""
    from bench.faq_guard import SETS, best_cut, fit, rows_of

    per_set = {path.name: rows_of(path, faq_vector_file) for path in SETS}
    weights, intercept = fit([row for rows in per_set.values() for row in rows])
    assert [round(w, 2) for w in weights] == list(guard.WEIGHTS), (
        "a refit disagrees: run bench/faq_guard.py and copy its numbers to models/faq/guard.py"
    )
    assert round(intercept, 2) == guard.INTERCEPT
    assert best_cut(per_set) == guard.CUT, "the cut calibration chooses"


def test_vectors_are_kept_between_starts_and_only_new_texts_are_encoded(tmp_path):
    calls = []

    def encode_new(texts):
        calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    path = tmp_path / "cache" / "faq-vectors.npz"
    first = faq_vectors.encode(["ก", "ขข", "ก"], path, encode_new)
    assert calls == [["ก", "ขข"]] and path.exists()
    again = faq_vectors.encode(["ขข", "ก", "คคค"], path, encode_new)
    assert calls[1:] == [["คคค"]], "a new process reads the file and encodes only what is new"
    assert again.tolist() == [first[1].tolist(), first[0].tolist(), [3.0, 1.0]]
    for damage in (b"not a numpy file", b""):
        path.write_bytes(damage)
        assert faq_vectors.encode(["ก"], path, encode_new).tolist() == [[1.0, 1.0]]
        assert calls[-1] == ["ก"], "a damaged file only costs encoding again"
    path.unlink()
    faq_vectors.write(path, {faq_vectors.key("ก"): np.ones(5, dtype=np.float32)})
    assert faq_vectors.encode(["ก", "ขข"], path, encode_new).tolist() == [[1.0, 1.0], [2.0, 1.0]]
    assert calls[-1] == ["ก", "ขข"], "vectors of another width are encoded afresh"


def test_an_unwritable_vector_file_is_logged_and_the_vectors_still_returned(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    vectors = faq_vectors.encode(["ก"], blocker / "sub" / "v.npz", lambda t: np.ones((len(t), 2)))
    assert vectors.tolist() == [[1.0, 1.0]] and "not written" in caplog.text


def test_an_index_built_from_kept_vectors_scores_like_a_fresh_one(tmp_path, monkeypatch):
    path = tmp_path / "faq-vectors.npz"
    question = "ลืมรหัส itas ทำไงดี"
    fresh = FaqIndex([PASSWORD, HOURS], ["พรุ่งนี้ประชุมกี่โมง"], vector_file=path).scores(question)

    def no_encoding(texts):
        raise AssertionError(f"encoded again: {texts}")

    monkeypatch.setattr(faq_index, "encode", no_encoding)
    kept = FaqIndex([PASSWORD, HOURS], ["พรุ่งนี้ประชุมกี่โมง"], vector_file=path)
    assert np.allclose(kept.scores(question), fresh, atol=1e-6)


def test_an_index_without_entries_answers_nothing():
    empty = FaqIndex([], ["พรุ่งนี้ประชุมกี่โมง"])
    assert empty.best("พรุ่งนี้ประชุมกี่โมง") is None and empty.size == 0
    assert [part.size for part in empty.parts("ประชุม")] == [0, 0]
