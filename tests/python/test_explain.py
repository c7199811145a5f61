"""explain() and search() answer as `6mm-errinfo --json QUERY...` and
`6mm-errinfo --search --json WORD...` do, field by field: every entry's
name (in three cases), key, code, message and identifier, with and without
a domain prefix, misspelled names, codes of another domain, and the inputs
the CLI refuses. Entries are compared by domain and key, wherever the CLI's
record puts them."""
import json
import subprocess
from typing import Any, Dict, List, Optional, Tuple

import pytest

import sixmm_errinfo as se

JUNK = ["", " ", "-", "+", "--5", "1e3", "99999999999999999999", "-99999999999999999999",
        "1 2", "@@@", "x:1", "agent:", "agent: 6905", "rest:1002", "widget:1002",
        "agent:6905", "rest:TOKEN_EXPIRED", "agent:TOKEN_EXPIRED", "timeout: read failed",
        "SIXMM_E_TOKEN_EXPIRD", "sixmm_e_token_expired", "tokn", "ORDER_NOT_FUND",
        "a\u00e9b", "\u5df2\u8fc7\u671f", "  TOKEN_EXPIRED\t", "Rate limit triggered",
        "Token \u5df2\u8fc7\u671f", "nodomain:Rate limit triggered", "Nope:TOKEN_EXPIRED",
        "1002 ", " 1002", "+1002",
        "-1", "0", "1999", "6905", "987654", "x" * 70, "\u00e9" * 40]


def queries() -> List[str]:
    qs = list(JUNK)
    for e in se.entries():
        prefix = "" if e.domain is se.Domain.REST else e.domain.value + ":"
        qs += [e.name, e.name.lower(), prefix + e.name, e.key, prefix + e.key]
        if len(e.name) > 4:
            # One to four edits away: the limit is a third of the length.
            qs += [e.name[:2] + e.name[3:], e.name.lower()[:-1] + "x", e.name[:2] + e.name[4:],
                   e.name[:2] + e.name[5:], e.name[:1] + e.name[5:]]
        if e.code is not None:
            qs += [str(e.code), str(e.code_last)]
        for lang in ("en", "zh"):   # descriptions: exact up to case and blanks, or not
            d = e.description(lang)
            if d and "\n" not in d:
                qs += [d, d.upper(), " " + d.replace(" ", "  ") + "\t", d[:-1], prefix + d]
    return list(dict.fromkeys(qs))


def entry_id(e: Any) -> Optional[Tuple[str, str]]:
    if e is None:
        return None
    if isinstance(e, se.Entry):
        return (e.domain.value, e.key)
    return (e["domain"], e["key"])


def cli_json(cli: str, *args: str) -> Dict[str, Any]:
    p = subprocess.run([cli, "--json", *args], capture_output=True, text=True)
    assert p.returncode in (0, 1, 2), p.stderr
    doc: Dict[str, Any] = json.loads(p.stdout)
    return doc


def record(x: se.Explanation) -> Dict[str, Any]:
    return {"query": x.query, "status": x.status,
            "domain": x.domain.value if x.domain is not None else None,
            "match": x.match, "code": x.code, "entry": entry_id(x.entry),
            "suggestions": list(x.suggestions), "error": x.error}


def cli_record(r: Dict[str, Any]) -> Dict[str, Any]:
    return {"query": r["query"], "status": r["status"], "domain": r["domain"],
            "match": r["match"], "code": r["code"], "entry": entry_id(r["entry"]),
            "suggestions": r["suggestions"], "error": r.get("error")}


def test_explain_answers_every_query_as_the_cli_does(cli: str) -> None:
    qs = queries()
    results = cli_json(cli, "--", *qs)["results"]
    assert len(results) == len(qs)
    wrong = [(cli_record(r), record(se.explain(q))) for q, r in zip(qs, results)
             if cli_record(r) != record(se.explain(q))]
    assert not wrong, f"{len(wrong)} of {len(qs)} differ, first: {wrong[:3]}"


@pytest.mark.parametrize("domain", list(se.Domain))
def test_explain_with_a_domain_answers_as_the_cli_with_domain(cli: str,
                                                              domain: se.Domain) -> None:
    qs = [q for q in queries() if q.strip()][:400]
    results = cli_json(cli, "--domain", domain.value, "--", *qs)["results"]
    wrong = [(cli_record(r), record(se.explain(q, domain=domain)))
             for q, r in zip(qs, results)
             if cli_record(r) != record(se.explain(q, domain=domain.value))]
    assert not wrong, f"{len(wrong)} differ, first: {wrong[:3]}"


def test_explain_reads_what_a_caller_holds() -> None:
    x = se.explain("5003")
    assert (x.status, x.match, x.code, x.entry) == ("found", "exact", 5003, se.lookup(5003).entry)
    assert se.explain("token_expird").suggestions == ("TOKEN_EXPIRED",)
    assert se.explain(b"agent:6905").entry is se.lookup(6905, "agent").entry
    assert se.explain("6905").suggestions == ("agent:6905",)
    assert se.explain("").error == "empty argument"
    assert se.explain(b"\xff").error == "argument is not valid UTF-8"
    assert se.explain("a\nb").error == "argument contains a control character"
    with pytest.raises(TypeError):
        se.explain(1002)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown domain"):
        se.explain("1002", domain="nowhere")


@pytest.mark.parametrize("prefix", ["AGENT", "Agent", "aGeNt"])
def test_a_domain_prefix_is_read_in_any_case(prefix: str) -> None:
    x = se.explain(f"{prefix}:6905")
    assert (x.status, x.domain, x.entry) == ("found", se.Domain.AGENT,
                                             se.lookup(6905, "agent").entry)
    assert se.explain(f"{prefix}:QUOTA_EXHAUSTED").entry is x.entry


def test_lookup_takes_a_code_as_text() -> None:
    assert se.lookup("5003") == se.lookup(5003)
    assert se.lookup(b" 1002 ") == se.lookup(1002)
    assert se.lookup("6905", "agent").entry is not None
    assert se.lookup("junk").kind == "unknown"
    with pytest.raises(TypeError):
        se.lookup(1.5)  # type: ignore[arg-type]


SEARCHES = [["rate"], ["RATE", "limit"], ["token"], ["quota", "exhausted"], ["order"],
            ["\u9650\u6d41"], ["\u5df2\u8fc7\u671f"], ["backoff"], ["agent"], ["widget", "auth"],
            ["sig"], ["no-such-word-anywhere"], ["re", "sign"], ["timestamp\twindow"]]


def cli_hits(doc: Dict[str, Any]) -> List[Tuple[Any, List[str]]]:
    out = []
    for i, r in enumerate(doc["results"]):
        entry = r.get("entry", r)
        matched = r.get("matched", doc.get("matched", [None] * (i + 1))[i])
        out.append((entry_id(entry), matched))
    return out


@pytest.mark.parametrize("words", SEARCHES, ids=" ".join)
def test_search_ranks_as_the_cli_does(cli: str, words: List[str]) -> None:
    want = cli_hits(cli_json(cli, "--search", *words))
    got = [(entry_id(h.entry), list(h.matched)) for h in se.search(*words)]
    assert got == want


@pytest.mark.parametrize("flag,kw,value", [("--domain", "domain", "agent"),
                                           ("--category", "category", "auth"),
                                           ("--retry", "retry", "backoff")])
def test_search_filters_as_the_cli_does(cli: str, flag: str, kw: str, value: Any) -> None:
    want = cli_hits(cli_json(cli, "--search", flag, str(value), "e"))
    got = [(entry_id(h.entry), list(h.matched)) for h in se.search("e", **{kw: value})]
    assert got and got == want


def test_search_refuses_what_the_cli_refuses() -> None:
    for bad in [(), ("  ",), ("w " * 33,), ("x" * 256,), (b"\xff",)]:
        with pytest.raises(ValueError):
            se.search(*bad)
    assert se.search("no-such-word-anywhere") == []
