"""Acceptance (3): SIGKILL a `copydesk run` halfway, restart it: every record exactly once.

The kill is deterministic: workers sleep before each record (test hook), and
the parent is killed as soon as the first part file has been renamed into place.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from copydesk.batch.output import LOG, read_part
from copydesk.batch.sources import Source, read_source
from copydesk.batch.warcwrite import article_html, response_record, write_warc

REPO = Path(__file__).resolve().parents[1]
N = 60
PART = 5


def _cmd(warc: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "copydesk.batch", str(warc), "-o", str(out), "--workers", "2",
            "--part-size", str(PART), "--no-progress"]


def _env(**extra) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    env.pop("COPYDESK_BATCH_TEST_HOOK", None)
    env.update(extra)
    return env


def _parts(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.suffix == ".parquet") if out.exists() else []


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _rows(out: Path) -> list[dict]:
    rows = []
    for p in _parts(out):
        rows.extend(read_part(p, ["row_id", "record_index", "status"]).to_pylist())
    return rows


def _warc(tmp_path: Path) -> tuple[Path, list[str]]:
    warc = tmp_path / "in.warc.gz"
    write_warc(warc, [response_record(f"https://r.example/{i}", article_html(i, paragraphs=2)) for i in range(N)])
    ids = [r.record_id for r in read_source(Source(str(warc), "warc"), 20_000_000)]
    assert len(ids) == N and len(set(ids)) == N
    return warc, ids


def test_sigkill_halfway_then_restart_gives_every_record_once(tmp_path):
    warc, ids = _warc(tmp_path)
    out = tmp_path / "out"
    proc = subprocess.Popen(_cmd(warc, out), env=_env(COPYDESK_BATCH_TEST_HOOK="sleep=0.1"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    pgid = proc.pid
    try:
        deadline = time.monotonic() + 90
        while not _parts(out):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no part file appeared"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)  # the parent only: its workers must go too
        proc.wait(10)
        deadline = time.monotonic() + 15
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(pgid), "worker processes outlived the killed run"
    finally:
        if _group_alive(pgid):
            os.killpg(pgid, signal.SIGKILL)
        proc.stdout.close()
        proc.stderr.close()

    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in _parts(out)}
    assert 1 <= len(before) < N // PART, "the run was not interrupted halfway"

    r = subprocess.run(_cmd(warc, out), env=_env(), capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    assert f"{N} records in = {N} ok" in r.stdout and "(balanced)" in r.stdout

    rows = _rows(out)
    assert sorted(r["row_id"] for r in rows) == sorted(ids)  # every record, exactly once
    assert sorted(r["record_index"] for r in rows) == list(range(N))
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in _parts(out)}
    assert len(after) == N // PART
    assert all(after[name] == stamp for name, stamp in before.items()), "finished parts were rewritten"

    r2 = subprocess.run(_cmd(warc, out), env=_env(), capture_output=True, text=True, timeout=120)
    assert r2.returncode == 0 and "already complete" in r2.stdout
    assert len(_rows(out)) == N


def test_part_renamed_but_not_logged_is_adopted_not_redone(tmp_path):
    from copydesk.batch import run

    warc, ids = _warc(tmp_path)
    out = tmp_path / "out"
    run([str(warc)], out, workers=1, part_size=PART, progress=False)
    log = out / LOG
    lines = log.read_text().splitlines()
    # as if killed between a part's rename and its log line (and before the source's line)
    kept = [ln for ln in lines if '"complete"' not in ln][:-1]
    log.write_text("\n".join(kept) + "\n{\"part\": \"torn")
    stamps = {p.name: p.stat().st_mtime_ns for p in _parts(out)}
    s = run([str(warc)], out, workers=1, part_size=PART, progress=False)
    assert s.balanced and s.records == N and s.counts["ok"] == N
    assert {p.name: p.stat().st_mtime_ns for p in _parts(out)} == stamps
    assert sorted(r["row_id"] for r in _rows(out)) == sorted(ids)
    entries = [json.loads(ln) for ln in log.read_text().splitlines() if ln.startswith('{"part": "in')]
    assert len({e["part"] for e in entries}) == N // PART


def test_lost_part_is_rewritten_alone_even_next_to_corrupt_data(tmp_path):
    from copydesk.batch import run
    from copydesk.batch.warcwrite import compress_record

    recs = [response_record(f"https://k.example/{i}", article_html(i, paragraphs=2)) for i in range(12)]
    bad = bytearray(compress_record(recs[1]))
    for k in range(40, 90):
        bad[k] ^= 0x77
    warc = tmp_path / "in.warc.gz"
    write_warc(warc, [recs[0], ("raw", bytes(bad))] + recs[2:])
    out = tmp_path / "out"
    first = run([str(warc)], out, workers=1, part_size=3, progress=False)
    assert first.balanced and first.counts["error"] == 1
    parts = _parts(out)
    assert len(parts) == 4
    parts[2].unlink()  # lose one part (e.g. a disk mishap): only it is redone
    stamps = {p.name: p.stat().st_mtime_ns for p in _parts(out)}
    again = run([str(warc)], out, workers=1, part_size=3, progress=False)
    assert again.balanced and again.counts == first.counts
    assert {p.name: p.stat().st_mtime_ns for p in _parts(out) if p.name in stamps} == stamps
    rows = _rows(out)
    assert sorted(r["record_index"] for r in rows) == list(range(12)) and len({r["row_id"] for r in rows}) == 12
