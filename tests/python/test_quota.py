"""Throttle.shared() and Throttle.redis(): the quota shared by processes
(through a mapped file) and by hosts (through Redis), from Python, by the C
libraries. The Redis tests use the CTest fixture's redis-server (its port in
$SIXMM_REDIS_DIR/quota.port) and skip only when redis-server is missing."""
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest

import sixmm_errinfo as se

LEASE_MS = 30000   # the spec's lease (policy lease), for every domain


def test_two_opens_of_one_file_share_the_agent_slots(tmp_path: Path) -> None:
    path = tmp_path / "agent.quota"
    a = se.Throttle.shared(path, "agent")
    b = se.Throttle.shared(str(path), "agent")
    assert a.try_acquire(1000) == 0
    assert b.try_acquire(1000) == 0
    assert a.try_acquire(1000) is None and b.try_acquire(1000) is None
    a.release(1000)
    assert b.try_acquire(1000) == 0        # the burst of 4: still no wait
    b.release(1000)
    b.release(1000)
    a.close()
    b.close()


def test_a_file_of_other_numbers_or_no_region_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.quota"
    path.write_bytes(b"not a throttle region\n")
    with pytest.raises(ValueError, match="not a sixmm throttle region"):
        se.Throttle.shared(path, "agent")
    assert path.read_bytes() == b"not a throttle region\n"
    with pytest.raises(ValueError, match="bad argument"):
        se.Throttle.shared(tmp_path / "rest.quota", "rest")   # REST documents no quota
    with pytest.raises(OSError):
        se.Throttle.shared(tmp_path / "no" / "such" / "dir.quota", "agent")


def _hold_both(path: str) -> None:
    t = se.Throttle.shared(path, "agent")
    assert t.try_acquire(1000) == 0 and t.try_acquire(1000) == 0
    os._exit(0)       # dies holding both slots, as a crash would


def test_a_process_that_dies_holding_slots_frees_them_after_the_lease(tmp_path: Path) -> None:
    path = str(tmp_path / "dead.quota")
    p = multiprocessing.get_context("fork").Process(target=_hold_both, args=(path,))
    p.start()
    p.join()
    assert p.exitcode == 0
    t = se.Throttle.shared(path, "agent")
    assert t.try_acquire(1000 + LEASE_MS - 1) is None
    assert t.try_acquire(1000 + LEASE_MS) is not None
    t.close()


def _redis_url() -> str:
    port_file = Path(os.environ.get("SIXMM_REDIS_DIR", ".")) / "quota.port"
    if not port_file.exists():
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed")
        pytest.fail(f"{port_file}: no port file, but redis-server is installed")
    return f"redis://127.0.0.1:{port_file.read_text().strip()}"


def test_the_agent_quota_from_redis() -> None:
    t = se.Throttle.redis(_redis_url(), "agent", key=f"py:{os.getpid()}:{time.time_ns()}")
    waits = []
    for _ in range(6):
        w = t.try_acquire()
        assert w is not None
        waits.append(w)
        t.release()
    assert waits[:4] == [0, 0, 0, 0]
    assert 400 <= waits[4] <= 500 and 900 <= waits[5] <= 1000
    assert t.try_acquire() is not None and t.try_acquire() is not None
    assert t.try_acquire() is None        # 2 slots
    stats = t.stats()                     # type: ignore[attr-defined]
    assert stats["mode"] == 0 and stats["shared_turns"] == 8 and stats["present"] == 1
    t.close()                             # type: ignore[attr-defined]


def test_without_redis_a_host_waits_then_takes_its_share() -> None:
    t = se.Throttle.redis("redis://127.0.0.1:1", "agent", hosts=2, lease_ms=1000,
                          presence_ms=300)
    # Host 0 of 2: 1/s, a burst of 2, 1 slot, after presence + max(lease,
    # burst / rate) = 300 + 2000 ms.
    assert t.try_acquire(5000) == 2300
    assert t.try_acquire(5000) is None
    assert t.stats()["mode"] == 1         # type: ignore[attr-defined]
    t.close()                             # type: ignore[attr-defined]


def test_bad_redis_options_are_refused() -> None:
    with pytest.raises(ValueError):
        se.Throttle.redis("redis://", "agent")
    with pytest.raises(ValueError):
        se.Throttle.redis("redis://127.0.0.1:1", "agent", hosts=2, host_index=2)
    with pytest.raises(ValueError):
        se.Throttle.redis("redis://127.0.0.1:1", "agent", burst=0)
    with pytest.raises(TypeError):
        se.Throttle.redis("redis://127.0.0.1:1", "agent", brust=3)
