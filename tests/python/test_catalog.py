"""The catalog from Python: every entry walked both ways, and compared with
what the CLI prints for it (6mm-errinfo --list --json)."""
import json
import subprocess
from typing import Any, Dict, List

import pytest

import sixmm_errinfo as se

ENTRIES = list(se.entries())


def cli_list(cli: str, lang: str) -> List[Dict[str, Any]]:
    out = subprocess.run([cli, "--list", "--json", "--lang", lang], check=True,
                         capture_output=True, text=True).stdout
    return [r["entry"] for r in json.loads(out)["results"]]


def test_the_catalog_is_not_empty_and_starts_with_success() -> None:
    assert len(ENTRIES) > 20
    first = ENTRIES[0]
    assert (first.code, first.kind, first.category) == (0, "code", se.Category.SUCCESS)


@pytest.mark.parametrize("e", ENTRIES, ids=lambda e: f"{e.domain.value}:{e.key}")
def test_every_entry_is_found_by_its_key_and_its_name(e: se.Entry) -> None:
    if e.kind == "code":
        assert se.lookup(e.code, e.domain) == se.Match(e, "exact")
        assert se.lookup_text(f" {e.code} ", e.domain) == se.Match(e, "exact")
    elif e.kind == "range":
        for c in (e.code, (e.code + e.code_last) // 2, e.code_last):
            assert se.lookup(c, e.domain) == se.Match(e, "range")
    elif e.kind == "message":
        assert se.lookup_message(e.key, e.domain) == se.Match(e, "exact")
        assert se.lookup_message(e.key.upper(), e.domain).entry is e
    else:
        assert e.kind == "id"
        assert se.lookup_id(e.key, e.domain) == se.Match(e, "exact")
    assert se.lookup_name(e.name, e.domain).entry is e
    assert se.lookup_name(e.name.lower(), e.domain).entry is e
    # ...and from the entry back to the same key.
    assert e.key == (str(e.code) if e.kind == "code" else
                     f"{e.code}-{e.code_last}" if e.kind == "range" else e.key)


def test_entries_match_the_cli_field_by_field(cli: str) -> None:
    for lang in ("en", "zh"):
        rows = cli_list(cli, lang)
        assert len(rows) == len(ENTRIES)
        for e, row in zip(ENTRIES, rows):
            assert (e.domain.value, e.kind, e.key, e.name) == \
                (row["domain"], row["kind"], row["key"], row["name"])
            assert (e.code, e.code_last, e.http_status) == \
                (row["code"], row["code_last"], row["http_status"])
            assert e.category.value == row["category"]
            retry = row["retry"]
            assert e.retry.value == (retry["class"] if isinstance(retry, dict) else retry)
            assert e.description(lang) == row["description"]
            assert e.remediation(lang) == row["remediation"]
            assert e.troubleshooting(lang) == row["troubleshooting"]
            assert e.doc_url_lang(lang) == row["doc_url"]   # zh: the Chinese page
            if lang == "en":
                assert e.doc_url == row["doc_url"]
            for field, prov in row["provenance"].items():
                p = e.provenance(field)
                assert p.source == prov["source"]
                assert p.text in prov.values()
            assert [(r.kind, r.key) for r in e.related] == \
                [(r["kind"], r["key"]) for r in row["related"]]


def test_related_entries_point_both_ways() -> None:
    links = [(e, r) for e in ENTRIES for r in e.related]
    assert links, "the spec links messages and codes"
    for e, r in links:
        assert e in r.related


def test_unknown_codes_fall_back_to_their_block_or_to_nothing() -> None:
    m = se.lookup(1999)
    assert m.kind == "class" and m.entry is not None
    assert m.entry.kind == "class" and m.entry.category is se.Category.AUTH
    assert se.lookup(1998).entry is m.entry
    assert se.lookup(987654) == se.Match(None, "unknown")
    assert se.lookup(1 << 80) == se.Match(None, "unknown")
    assert se.lookup_text("twelve") == se.Match(None, "unknown")
    assert se.lookup_name("NO_SUCH_NAME") == se.Match(None, "unknown")
    assert se.lookup_message("no such message\0") == se.Match(None, "unknown")
    assert se.lookup_id("no_such_id") == se.Match(None, "unknown")


def test_the_same_number_means_different_things_in_two_domains() -> None:
    agent = [e for e in ENTRIES if e.domain is se.Domain.AGENT and e.kind == "code"]
    assert agent
    for e in agent:
        assert se.lookup(e.code, "agent").entry is e
        assert se.lookup(e.code, se.Domain.AGENT).entry is e
        assert se.lookup(e.code, "rest").entry is not e


def test_entries_are_immutable_hashable_and_readable() -> None:
    e = se.lookup(1002).entry
    assert e is not None
    assert hash(e) == hash(se.lookup_name("TOKEN_EXPIRED").entry)
    assert len({x for x in ENTRIES} | {e}) == len(ENTRIES)
    assert e != se.lookup(1003).entry and e != "TOKEN_EXPIRED"
    with pytest.raises(AttributeError):
        e.name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del e.code  # type: ignore[misc]
    assert repr(e) == ("<Entry rest:1002 TOKEN_EXPIRED category=auth retry=reauthenticate "
                       "max_resends=1>")
    assert e.description("zh") != e.description("en")


def test_bad_arguments_get_clear_errors() -> None:
    with pytest.raises(ValueError, match="unknown domain 'nope'; one of rest, agent, widget"):
        se.lookup(1002, "nope")
    with pytest.raises(TypeError, match="code must be an int or its text, not float"):
        se.lookup(1002.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        se.lookup(True)
    e = ENTRIES[1]
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        e.description("fr")
    with pytest.raises(ValueError, match="no provenance for 'name'"):
        e.provenance("name")
    with pytest.raises(TypeError):
        se.lookup_name(42)  # type: ignore[arg-type]


def test_versions_come_from_the_library() -> None:
    assert se.catalog_version() == se._spec.CATALOG_VERSION
    assert se.catalog_digest() == se._spec.CATALOG_DIGEST
    assert len(se.catalog_digest()) == 64
    assert se.library_version() == se.__version__
