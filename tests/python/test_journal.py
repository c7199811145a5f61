"""The journal from Python: Journal over libsixmm-journal, with a real SQLite
file in a temporary folder, holding the order machine's records."""
import os
import sqlite3

import pytest

import sixmm_errinfo as se

T0 = 1_700_000_000_000
OK = (200, b'{"code": 0, "message": "success", "data": {"orderId": "1"}}')


def in_flight() -> se.Intent:
    """An order whose send went out and whose answer never came back."""
    c = se.Clock()
    c.sample(960, T0, 1000)
    it = se.Intent(se.IntentKind("place"), T0)
    n = it.next(c, mono_now_ms=1000, random=1)
    assert n.todo is se.Todo("send")
    it.sending(n.sign_ms)
    return it


def finished() -> se.Intent:
    c = se.Clock()
    c.sample(960, T0, 1000)
    it = se.Intent(se.IntentKind("place"), T0)
    n = it.next(c, mono_now_ms=1000, random=1)
    it.sending(n.sign_ms)
    it.answer(OK, mono_now_ms=1050)
    assert it.next(c, mono_now_ms=1050, random=1).todo is se.Todo("done")
    return it


def test_put_get_round_trip_keeps_the_record(tmp_path: "os.PathLike[str]") -> None:
    path = os.path.join(os.fspath(tmp_path), "j.sqlite")
    it = in_flight()
    with se.Journal(path) as j:
        j.put("order-1", it)
        got = j.get("order-1")
    assert got is not None and got.encode() == it.encode()
    with se.Journal(path) as j:     # and after closing and opening again
        again = j.get("order-1")
        assert again is not None and again.encode() == it.encode()
        assert j.get("order-2") is None


def test_pending_lists_only_intents_not_done(tmp_path: "os.PathLike[str]") -> None:
    path = os.path.join(os.fspath(tmp_path), "j.sqlite")
    with se.Journal(path) as j:
        j.put("b-open", in_flight())
        j.put("a-done", finished())
        j.put("c-open", in_flight())
        rows = j.pending()
    assert [cid for cid, _ in rows] == ["b-open", "c-open"]
    for _, it in rows:
        assert not it.done
        it.restart()                # a restarted process reconciles, never sends at once
        c = se.Clock()
        c.sample(960, T0, 1000)
        assert it.next(c, mono_now_ms=1000, random=1).todo is not se.Todo("send")


def test_a_foreign_file_is_refused_with_its_reason(tmp_path: "os.PathLike[str]") -> None:
    path = os.path.join(os.fspath(tmp_path), "other.sqlite")
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(se.JournalError) as e:
        se.Journal(path)
    assert "other.sqlite" in str(e.value)


def test_a_corrupt_file_is_refused(tmp_path: "os.PathLike[str]") -> None:
    path = os.path.join(os.fspath(tmp_path), "junk.sqlite")
    with open(path, "wb") as f:
        f.write(b"not a database at all" * 100)
    with pytest.raises(se.JournalError):
        se.Journal(path)


def test_bad_ids_and_a_closed_journal_are_errors(tmp_path: "os.PathLike[str]") -> None:
    j = se.Journal(os.path.join(os.fspath(tmp_path), "j.sqlite"))
    with pytest.raises(ValueError):
        j.put("", in_flight())
    with pytest.raises(ValueError):
        j.get("x" * 256)
    assert not repr(j).endswith(" closed>")
    j.close()
    j.close()
    assert repr(j).endswith(" closed>")
    with pytest.raises(ValueError):
        j.get("order-1")
