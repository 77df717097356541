"""copydesk.batch: reading WARC/WET/HTML inputs, accounting, output formats, limits, dedup.

Every test writes its own small archives in tmp_path (no shared data needed).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from copydesk.batch import SCHEMA, SCHEMA_VERSION, InputError, OutputError, run
from copydesk.batch.output import read_part
from copydesk.batch.sources import SKIPPED_RANGE, ReadStats, Source, expand_inputs, read_source
from copydesk.batch.warcwrite import (
    article_html, compress_record, conversion_record, request_record, resource_record, response_record,
    warcinfo_record, write_warc,
)

REPO = Path(__file__).resolve().parents[1]


def mixed_records(n: int = 12) -> list[bytes]:
    """warcinfo, then per page a request + response; plus non-HTML, 404, resource, conversion records."""
    recs = [warcinfo_record()]
    for i in range(n):
        url = f"https://news.example/{i}"
        recs.append(request_record(url))
        recs.append(response_record(url, article_html(i)))
    recs.append(response_record("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png"))
    recs.append(response_record("https://news.example/gone", b"<html><p>gone</p></html>", status=404))
    recs.append(resource_record("https://news.example/res", article_html(100)))
    recs.append(conversion_record("https://news.example/wet", "Story\nA line of flattened text about the harbour.\n"))
    return recs


def read_rows(out: Path) -> list[dict]:
    rows = []
    for p in sorted(out.iterdir()):
        if p.name.startswith(("_", ".")):
            continue
        rows.extend(read_part(p).to_pylist())
    return rows


def corrupt_member(rec: bytes) -> bytes:
    g = bytearray(compress_record(rec))
    for k in range(40, 80):
        g[k] ^= 0x5A
    return bytes(g)


# -- reading ------------------------------------------------------------------


def test_reader_takes_page_records_and_counts_the_rest(tmp_path):
    p = tmp_path / "a.warc.gz"
    write_warc(p, mixed_records(3))
    stats = ReadStats()
    recs = list(read_source(Source(str(p), "warc"), 20_000_000, stats=stats))
    assert stats.ignored == {"warcinfo": 1, "request": 3}
    assert [r.index for r in recs] == list(range(7))
    html = recs[0]
    assert html.mode == "html" and html.status is None and html.http_status == 200
    assert html.url == "https://news.example/0" and html.record_id.startswith("<urn:uuid:")
    assert html.charset == "utf-8" and html.fetch_date.year == 2024 and html.payload.startswith(b"<!DOCTYPE")
    by_url = {r.url: r for r in recs}
    assert by_url["https://news.example/logo.png"].status == "skipped"
    assert "image/png" in by_url["https://news.example/logo.png"].reason
    assert by_url["https://news.example/gone"].reason == "HTTP status 404"
    assert by_url["https://news.example/res"].mode == "html" and by_url["https://news.example/res"].warc_type == "resource"
    assert by_url["https://news.example/wet"].mode == "text"


@pytest.mark.parametrize("compression,suffix", [("gzip", ".warc.gz"), ("none", ".warc"), ("lz4", ".warc.lz4")])
def test_reader_compressions(tmp_path, compression, suffix):
    p = tmp_path / f"a{suffix}"
    write_warc(p, mixed_records(2), compression)
    recs = list(read_source(Source(str(p), "warc"), 20_000_000))
    assert len(recs) == 6 and sum(r.mode == "html" and r.status is None for r in recs) == 3


def test_corrupt_and_truncated_records_are_error_rows_and_reading_resumes(tmp_path):
    good = [response_record(f"https://c.example/{i}", article_html(i)) for i in range(6)]
    p = tmp_path / "bad.warc.gz"
    entries = [good[0], ("raw", corrupt_member(good[1])), good[2],
               ("raw", b"garbage between records " * 20), good[3],
               ("raw", compress_record(good[4])[:-60])]  # truncated final record
    write_warc(p, entries)
    stats = ReadStats()
    recs = list(read_source(Source(str(p), "warc"), 20_000_000, stats=stats))
    ok_urls = [r.url for r in recs if r.status is None]
    assert ok_urls == ["https://c.example/0", "https://c.example/2", "https://c.example/3"]
    errors = [r for r in recs if r.status == "error"]
    # the corrupt member and the truncated record are rows; the garbage held no record: counted only
    assert len(errors) == 2, [(r.url, r.reason) for r in recs]
    assert "unreadable WARC data" in errors[0].reason and "Gzip" in errors[0].reason
    assert "1 record start in this range could not be read" in errors[0].reason
    assert errors[1].url == "https://c.example/4" and "truncated record" in errors[1].reason
    assert stats.ignored == {SKIPPED_RANGE: 1}


def test_unreadable_file_is_one_error_row(tmp_path):
    p = tmp_path / "noise.warc.gz"
    p.write_bytes(os.urandom(3000).replace(b"\x1f\x8b", b"xx"))
    (rec,) = read_source(Source(str(p), "warc"), 20_000_000)
    assert rec.status == "error" and "no record could be read from this file" in rec.reason


def test_uncompressed_truncated_file(tmp_path):
    p = tmp_path / "t.warc"
    data = b"".join(response_record(f"https://t.example/{i}", article_html(i)) for i in range(3))
    p.write_bytes(data[:-500])
    recs = list(read_source(Source(str(p), "warc"), 20_000_000))
    assert [r.status for r in recs] == [None, None, "error"]
    assert "truncated record" in recs[2].reason


def test_lz4_corruption_loses_the_rest_of_the_file_and_says_so(tmp_path):
    good = [response_record(f"https://l.example/{i}", article_html(i)) for i in range(3)]
    p = tmp_path / "bad.warc.lz4"
    with open(p, "wb") as f:
        f.write(compress_record(good[0], "lz4"))
        f.write(b"\x04\x22\x4d\x18" + b"\xff" * 64)
        f.write(compress_record(good[2], "lz4"))
    recs = list(read_source(Source(str(p), "warc"), 20_000_000))
    assert recs[0].status is None
    assert recs[-1].status == "error" and "rest of the file" in recs[-1].reason


def test_oversized_payload_is_an_error_row_without_reading_it(tmp_path):
    p = tmp_path / "big.warc.gz"
    write_warc(p, [response_record("https://b.example/", b"<p>" + b"x" * 5000 + b"</p>")])
    (rec,) = read_source(Source(str(p), "warc"), 1000)
    assert rec.status == "error" and "InputTooLarge" in rec.reason and rec.payload is None


def test_gzip_content_encoding_and_chunking_are_undone(tmp_path):
    body = article_html(7)
    gz = gzip.compress(body)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(gz), gz)
    p = tmp_path / "enc.warc.gz"
    write_warc(p, [response_record("https://e.example/", chunked,
                                   http_headers=[("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")])])
    (rec,) = read_source(Source(str(p), "warc"), 20_000_000)
    assert rec.status is None and rec.payload == body


def test_expand_inputs_dirs_lists_and_missing(tmp_path):
    d = tmp_path / "pages"
    (d / "sub").mkdir(parents=True)
    (d / "a.html").write_bytes(article_html(1))
    (d / "sub" / "b.html.gz").write_bytes(gzip.compress(article_html(2)))
    (d / "notes.txt").write_text("not a page")
    w = tmp_path / "x.warc.gz"
    write_warc(w, mixed_records(1))
    lst = tmp_path / "inputs.txt"
    lst.write_text(f"# inputs\n{w.name}\n\npages\nmissing.warc.gz\n")
    srcs = expand_inputs([str(lst)])
    assert [(Path(s.path).name, s.kind) for s in srcs] == [("x.warc.gz", "warc"), ("pages", "dir"),
                                                           ("missing.warc.gz", "missing")]
    recs = list(read_source(srcs[1], 20_000_000))
    assert [Path(r.file).name for r in recs] == ["a.html", "b.html.gz"]
    assert recs[1].payload == article_html(2)
    with pytest.raises(InputError):
        expand_inputs([str(tmp_path / "nope.warc.gz")])


# -- running ------------------------------------------------------------------


def test_run_local_parquet_accounts_for_every_record(tmp_path):
    w = tmp_path / "in.warc.gz"
    recs = mixed_records(12)
    # a page whose charset is declared only by HTTP, in windows-1252
    recs.append(response_record("https://news.example/latin", article_html(5, extra_text="Café crème brûlée", charset="cp1252"),
                                content_type="text/html; charset=windows-1252"))
    recs.append(("raw", corrupt_member(response_record("https://news.example/corrupt", article_html(6)))))
    recs.append(response_record("https://news.example/after", article_html(8)))
    write_warc(w, recs)
    out = tmp_path / "out"
    s = run([str(w)], out, workers=2, part_size=5, progress=False)
    assert s.balanced and s.records == 19 == s.rows
    assert s.counts["skipped"] == 2 and s.counts["error"] == 1 and s.counts["ok"] >= 14
    assert s.ignored == {"warcinfo": 1, "request": 12}
    rows = read_rows(out)
    assert len(rows) == 19 and len({r["row_id"] for r in rows}) == 19
    assert [r["record_index"] for r in rows] == list(range(19))
    files = sorted(p for p in out.iterdir() if p.suffix == ".parquet")
    assert len(files) == 4  # 19 records in parts of 5
    md = pq.read_schema(files[0]).metadata
    assert md[b"copydesk.schema_version"] == str(SCHEMA_VERSION).encode()
    assert pq.read_schema(files[0]).names == SCHEMA.names
    first = rows[0]
    assert first["status"] == "ok" and first["title"].startswith("Story 0") and first["authors"] == ["Ana Rivera"]
    assert first["url"] == "https://news.example/0" and first["fetch_date"].year == 2024 and first["source"] == str(w)
    assert isinstance(json.loads(first["blocks"]), list) and first["text"]
    latin = next(r for r in rows if r["url"] == "https://news.example/latin")
    assert "Café crème brûlée" in latin["text"] and latin["charset"] == "windows-1252"
    err = next(r for r in rows if r["status"] == "error")
    assert "unreadable WARC data" in err["error"]
    assert next(r for r in rows if r["url"] == "https://news.example/after")["status"] == "ok"
    manifest = json.loads((out / "_copydesk_manifest.json").read_text())
    assert manifest["finished"] and manifest["totals"]["balanced"] and manifest["schema_version"] == SCHEMA_VERSION


def test_run_jsonl_html_folder(tmp_path):
    d = tmp_path / "pages"
    d.mkdir()
    for i in range(5):
        (d / f"p{i}.html").write_bytes(article_html(i))
    (d / "empty.html").write_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    out = tmp_path / "out"
    s = run([str(d)], out, fmt="jsonl", workers=1, progress=False)
    assert s.balanced and s.records == 6 and s.counts["ok"] == 5 and s.counts["no_content"] == 1
    (part,) = [p for p in out.iterdir() if p.suffix == ".jsonl"]
    rows = [json.loads(line) for line in part.read_text().splitlines()]
    assert [Path(r["source"]).name for r in rows] == ["empty.html"] + [f"p{i}.html" for i in range(5)]
    assert rows[1]["row_id"] == str(d / "p0.html") and rows[1]["title"].startswith("Story 0")


def test_a_file_name_that_is_not_utf8_is_one_row_not_a_dead_run(tmp_path):
    d = tmp_path / "pages"
    d.mkdir()
    (d / "good.html").write_bytes(article_html(0))
    bad = os.fsencode(d) + b"/\xff\xfe bad name.html"
    with open(bad, "wb") as f:
        f.write(article_html(1))
    s = run([str(d)], tmp_path / "out", workers=1, progress=False)
    assert s.balanced and s.counts["ok"] == 2
    assert any("\ufffd" in r["source"] for r in read_rows(tmp_path / "out"))


def test_timeout_option_turns_slow_pages_into_error_rows(tmp_path):
    w = tmp_path / "in.warc.gz"
    write_warc(w, [response_record(f"https://t.example/{i}", article_html(i, paragraphs=200)) for i in range(3)])
    s = run([str(w)], tmp_path / "out", workers=1, timeout=1e-6, progress=False)
    assert s.balanced and s.counts["error"] == 3
    assert all("ExtractionTimeout" in r["error"] for r in read_rows(tmp_path / "out"))


def test_watchdog_kills_a_hung_worker_and_the_run_finishes(tmp_path, monkeypatch):
    w = tmp_path / "in.warc.gz"
    write_warc(w, [response_record(f"https://h.example/{i}", article_html(i)) for i in range(10)])
    monkeypatch.setenv("COPYDESK_BATCH_TEST_HOOK", "hang=h.example/3,crash=h.example/6")
    t0 = time.monotonic()
    s = run([str(w)], tmp_path / "out", workers=2, hard_timeout=1.5, progress=False)
    assert time.monotonic() - t0 < 60
    assert s.balanced and s.counts["ok"] == 8 and s.counts["error"] == 2
    rows = {r["url"]: r for r in read_rows(tmp_path / "out")}
    assert "hard time limit" in rows["https://h.example/3"]["error"]
    assert "SIGSEGV" in rows["https://h.example/6"]["error"]


def test_dedup_marks_syndicated_copies(tmp_path):
    w = tmp_path / "in.warc.gz"
    recs = [response_record(f"https://a.example/{i}", article_html(i)) for i in range(6)]
    recs += [response_record(f"https://b.example/{i}", article_html(i, author="Wire Service")) for i in (1, 4)]
    write_warc(w, recs)
    s = run([str(w)], tmp_path / "out", workers=1, dedup=True, progress=False)
    assert s.dedup["duplicates"] == 2 and s.dedup["clusters_multi"] == 2
    assert "near-duplicates: 2 clusters of 2 or more rows, holding 2 later copies (of 8 ok rows)" in s.report()
    rows = {r["url"]: r for r in read_rows(tmp_path / "out")}
    assert rows["https://b.example/1"]["dup_cluster"] == rows["https://a.example/1"]["row_id"]
    assert rows["https://b.example/4"]["dup_cluster"] == rows["https://a.example/4"]["row_id"]
    assert rows["https://a.example/2"]["dup_cluster"] == rows["https://a.example/2"]["row_id"]


def test_output_dir_guards(tmp_path):
    w = tmp_path / "in.warc.gz"
    write_warc(w, [response_record("https://g.example/", article_html(1))])
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "data.csv").write_text("x")
    with pytest.raises(OutputError):
        run([str(w)], foreign, workers=1, progress=False)
    run([str(w)], tmp_path / "out", workers=1, progress=False)
    with pytest.raises(OutputError):
        run([str(w)], tmp_path / "out", fmt="jsonl", workers=1, progress=False)


def test_cli_run_prints_counts_and_exits_0(tmp_path):
    w = tmp_path / "in.warc.gz"
    recs = mixed_records(3) + [("raw", corrupt_member(response_record("https://x.example/", article_html(9))))]
    write_warc(w, recs)
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    r = subprocess.run([sys.executable, "-m", "copydesk.cli", "run", str(w), "-o", str(tmp_path / "out"),
                        "--workers", "1", "--no-progress"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "8 records in = " in r.stdout and "1 error" in r.stdout and "(balanced)" in r.stdout


def test_row_article_columns_match_article_to_dict():
    import copydesk
    from copydesk.batch.rows import base_row, fill_article
    from copydesk.batch.sources import RawRecord

    extra = ("</p><ul><li>first point of the list</li><li>second point of the list</li></ul>"
             "<table><tr><th>Year</th><th>Budget</th></tr><tr><td>2023</td><td>4.1m</td></tr>"
             "<tr><td>2024</td><td>4.6m</td></tr></table>"
             "<figure><img src='/a.jpg' alt='Harbour'><figcaption>The harbour at dawn. Photo: Jo Bloggs</figcaption></figure>"
             "<p>Read the <a href='/report'>full council report</a> online.")
    art = copydesk.extract(article_html(4, extra_text=extra), "https://news.example/4", links=True)
    row = base_row(RawRecord("x", 0), "ok")
    fill_article(row, art)
    d = art.to_dict()
    assert json.loads(row["blocks"]) == d["blocks"]
    assert {b["kind"] for b in d["blocks"]} >= {"paragraph", "list", "table"}
    for k in ("title", "authors", "images", "text", "language", "page_type", "confidence", "paywalled"):
        assert row[k] == d[k], k
    assert row["canonical_url"] == d["url"]


def test_a_file_without_page_records_says_what_copydesk_reads(tmp_path):
    w = tmp_path / "only-requests.warc.gz"
    write_warc(w, [warcinfo_record(), request_record("https://news.example/a")])
    s = run([str(w)], tmp_path / "out", workers=1, progress=False)
    assert s.balanced and s.records == 0
    assert "no page records at all" in s.report() and "WAT" in s.report()


def test_a_wet_record_of_binary_bytes_is_an_error_row(tmp_path):
    """Bytes that are not text (control bytes: see copydesk.decode.looks_binary) give
    an error row, as an HTML response of binary bytes does, not an article of mojibake."""
    import random

    from copydesk.batch.warcwrite import warc_record

    noise = random.Random(5).randbytes(5000)
    w = tmp_path / "in.warc.wet.gz"
    write_warc(w, [warc_record("conversion", noise, url="https://x.example/bin", content_type="text/plain")])
    run([str(w)], tmp_path / "out", workers=1, progress=False)
    (row,) = read_rows(tmp_path / "out")
    assert row["status"] == "error" and "binary data" in row["error"]


def test_a_wet_records_first_line_is_its_title_hint(tmp_path):
    # Common Crawl writes the page's <title> as a WET record's first line.
    text = "\n".join([
        "Lindenhof - Wikipedia, the free encyclopedia", "Main menu", "Search", "Contents", "1 History",
        "Lindenhof", "Village in Lower Saxony", "52°24′59″N 9°0′23″E", "Lindenhof",
        "Lindenhof is a village in the district of Harburg in Lower Saxony, Germany, on the edge of the heath, with about 900 inhabitants.",
        "The village lies 40 metres above sea level, 12 km south of the district town, and its parish takes in two hamlets.",
    ]) + "\n"
    w = tmp_path / "in.warc.wet.gz"
    write_warc(w, [conversion_record("https://en.example.org/wiki/Lindenhof", text)])
    run([str(w)], tmp_path / "out", workers=1, progress=False)
    (row,) = read_rows(tmp_path / "out")
    assert row["mode"] == "text" and row["title"] == "Lindenhof"


def test_supervised_rows_outlive_a_hung_and_a_crashed_record(monkeypatch):
    """The watched worker Spark tasks use (`supervised_rows`): every record gives one
    row, in order; the hung and the crashed ones are error rows."""
    from copydesk.batch.local import TASK_RECORDS, supervised_rows
    from copydesk.batch.sources import RawRecord
    from copydesk.options import Options

    monkeypatch.setenv("COPYDESK_BATCH_TEST_HOOK", "hang=h.example/3,crash=h.example/6")
    n = TASK_RECORDS + 4
    recs = [RawRecord("in.warc", i, url=f"https://h.example/{i}", mode="html", http_status=200,
                      payload=article_html(i)) for i in range(n)]
    t0 = time.monotonic()
    rows = list(supervised_rows(recs, Options(), hard_timeout=1.5))
    assert time.monotonic() - t0 < 60
    assert [r["url"] for r in rows] == [f"https://h.example/{i}" for i in range(n)]
    assert "hard time limit" in rows[3]["error"] and "SIGSEGV" in rows[6]["error"]
    assert [r["status"] for r in rows].count("ok") == n - 2


def test_a_worker_spinning_after_its_parent_was_killed_ends(tmp_path):
    """SIGKILL the process that runs the pool while its worker loops in C-like code:
    the orphaned worker is ended by its CPU limit (`cpu_limit_for`), not left spinning."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, signal, sys, time\n"
        "os.environ['COPYDESK_BATCH_TEST_HOOK'] = 'spin=s.example/0'\n"
        "from copydesk.batch.local import Task, WorkerPool\n"
        "from copydesk.batch.sources import RawRecord\n"
        "from copydesk.options import Options\n"
        "if __name__ == '__main__':\n"
        "    pool = WorkerPool(1, Options(), hard_timeout=0.5, memory_limit=0)\n"
        "    rec = RawRecord('x', 0, url='https://s.example/0', mode='html', payload=b'<p>x</p>')\n"
        "    pool.submit(Task(1, 0, 0, [rec]))\n"
        "    t = time.monotonic()\n"
        "    while not pool.workers[0].heartbeat[2] and time.monotonic() - t < 30:\n"
        "        time.sleep(0.05)  # until the worker is on the record\n"
        "    print(pool.workers[0].proc.pid, flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60).stdout
    pid = int(out.split()[0])

    def running() -> bool:
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 20
    while running() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not running()


def test_a_run_of_crashing_records_does_not_end_the_task(monkeypatch):
    """25 records in a row that each kill their worker (more than the 20 deaths without
    progress `WorkerPool` allows): each is an error row and the records after them are
    read (a death blamed on a record is progress)."""
    from copydesk.batch.local import supervised_rows
    from copydesk.batch.sources import RawRecord
    from copydesk.options import Options

    monkeypatch.setenv("COPYDESK_BATCH_TEST_HOOK", "crash=c.example/bad")
    recs = [RawRecord("in.warc", i, url=f"https://c.example/bad{i}", mode="html", http_status=200,
                      payload=article_html(i)) for i in range(25)]
    recs.append(RawRecord("in.warc", 25, url="https://c.example/good", mode="html", http_status=200,
                          payload=article_html(25)))
    rows = list(supervised_rows(recs, Options(), hard_timeout=5))
    assert [r["status"] for r in rows] == ["error"] * 25 + ["ok"]


def test_a_file_of_text_is_not_taken_for_a_list_of_paths(tmp_path):
    """Flattened page text named .txt: none of its lines is a path, so it is refused
    as a list (it gave one "cannot open" row a line); a list with one good path of
    several keeps its missing ones as rows."""
    page = tmp_path / "page.txt"
    page.write_text("Council votes\nThe council approved the budget on Tuesday.\nBy Jane Doe\n")
    with pytest.raises(InputError, match="not a list of paths"):
        expand_inputs([str(page)])
    (tmp_path / "a.html").write_bytes(article_html(1))
    lst = tmp_path / "some.txt"
    lst.write_text("a.html\ngone.html\n")
    assert [s.kind for s in expand_inputs([str(lst)])] == ["html", "missing"]
