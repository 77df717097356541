"""Batch benchmark: `copydesk run` against a plain trafilatura loop, on one WARC.

    /work/venv/bin/python benchmarks/batch_bench.py            # full run (~10 min on 2 cores)
    /work/venv/bin/python benchmarks/batch_bench.py --limit 300 --no-docs   # a quick look

What it does, in one run:

1. Builds a WARC (WARC/1.0, one gzip member per record, like Common Crawl) in a
   temporary folder (never the repo) from every `*.html.gz` page under
   `<shared>/benchmarks` (each as a `request` + `response` pair), with some
   non-HTML responses (image/png, application/pdf), 404s, corrupt gzip
   members, garbage between records, and truncated records mixed in. Also a
   4x copy (same pages, new URLs and record ids) for the memory check.
2. Runs `python -m copydesk.cli run WARC -o OUT --workers 1`, then `--workers 2`,
   timing the whole command (start-up, reading, extraction, Parquet writing),
   and sampling the resident memory of the process tree every 50 ms.
3. Runs a plain loop in a fresh process: the same records read with the same
   fastwarc reader (`copydesk.batch.sources.read_source`), `trafilatura.extract`
   on each HTML payload, nothing written.
4. Runs `--workers 2` on the 4x WARC and compares peak memory with 1x.
5. Checks the accounting (records in = sum of statuses = what was written,
   every injected fault an `error` row with a reason, exit code 0), prints
   everything and, unless `--no-docs`, writes the results into docs/batch.md
   between the `batch_bench` markers.

Pages/s everywhere = page records (rows) / wall-clock seconds of the command.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))  # the benchmarks package

from benchmarks.datasets import DatasetUnavailable, benchmarks_dir  # noqa: E402
from copydesk.batch.warcwrite import (  # noqa: E402
    compress_record, request_record, response_record, warcinfo_record,
)

DOC = REPO / "docs" / "batch.md"
BEGIN, END = "<!-- batch_bench:begin -->", "<!-- batch_bench:end -->"


def find_benchmarks(arg: str | None) -> Path:
    """The shared `benchmarks` folder: under `arg` when given, else where
    `benchmarks.datasets.benchmarks_dir` finds it ($COPYDESK_SHARED, ../shared)."""
    if arg:
        if (Path(arg) / "benchmarks").is_dir():
            return Path(arg) / "benchmarks"
        sys.exit(f"batch_bench: no benchmarks folder in {arg}")
    try:
        return benchmarks_dir()
    except DatasetUnavailable as e:
        sys.exit(f"batch_bench: {e} (or pass --shared DIR)")


def build_warc(path: Path, pages: list[Path], copy: int, level: int) -> dict:
    """Write the benchmark WARC; returns what was written (the expected accounting)."""
    rnd = random.Random(1234 + copy)
    n = len(pages)
    faults: dict[int, str] = {}
    slots = rnd.sample(range(n), k=min(n, 61))
    kinds = ["png"] * 20 + ["pdf"] * 10 + ["404"] * 15 + ["corrupt"] * 8 + ["garbage"] * 3 + ["truncated"] * 5
    for slot, kind in zip(slots, kinds):
        faults[slot] = kind
    exp = {"html": 0, "png": 0, "pdf": 0, "404": 0, "corrupt": 0, "garbage": 0, "truncated": 0, "truncated_tail": 0,
           "request": 0, "warcinfo": 1}

    def member(rec: bytes) -> bytes:
        return gzip.compress(rec, compresslevel=level, mtime=0)

    with open(path, "wb") as f:
        f.write(member(warcinfo_record()))
        for i, page in enumerate(pages):
            url = f"https://bench.example/c{copy}/{page.parent.parent.name}/{page.parent.name}/{page.name[:-3]}"
            body = gzip.open(page).read()
            f.write(member(request_record(url)))
            exp["request"] += 1
            f.write(member(response_record(url, body, content_type="text/html")))
            exp["html"] += 1
            kind = faults.get(i)
            if kind is None:
                continue
            furl = f"https://bench.example/c{copy}/fault/{i}/{kind}"
            if kind == "png":
                f.write(member(response_record(furl, b"\x89PNG\r\n\x1a\n" + os.urandom(2000), content_type="image/png")))
            elif kind == "pdf":
                f.write(member(response_record(furl, b"%PDF-1.4\n" + os.urandom(3000), content_type="application/pdf")))
            elif kind == "404":
                f.write(member(response_record(furl, b"<html><body><h1>Not found</h1></body></html>", status=404)))
            elif kind == "corrupt":
                g = bytearray(member(response_record(furl, body)))
                for k in range(40, min(len(g) - 8, 400)):
                    g[k] ^= 0xA5
                f.write(bytes(g))
            elif kind == "garbage":
                f.write(b"this is not a WARC record, nor gzip " * 50)
            elif kind == "truncated":
                g = member(response_record(furl, body))
                f.write(g[: len(g) // 2])
            exp[kind] += 1
        # a final record cut short: what a crawler killed mid-write leaves
        tail = response_record(f"https://bench.example/c{copy}/fault/tail", gzip.open(pages[0]).read(), content_type="text/html")
        f.write(compress_record(tail)[:-200])
        exp["truncated_tail"] += 1
    # garbage between records holds no record: it is skipped and counted, not a row
    exp["records"] = sum(exp[k] for k in ("html", "png", "pdf", "404", "corrupt", "truncated", "truncated_tail"))
    exp["error_rows"] = exp["corrupt"] + exp["truncated"] + exp["truncated_tail"]
    exp["skipped_rows"] = exp["png"] + exp["pdf"] + exp["404"]
    exp["bytes"] = path.stat().st_size
    return exp


class TreeRSS(threading.Thread):
    """Samples the summed RSS of a process and all its descendants every 50 ms."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.peak_single = 0
        self.stop = False
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.tick = os.sysconf("SC_CLK_TCK")
        self.cpu: dict[int, float] = {}
        self.sched: dict[int, tuple[float, float]] = {}  # pid -> (seconds on a CPU, seconds waiting for one)

    def run(self):
        while not self.stop:
            kids: dict[int, list[int]] = {}
            rss: dict[int, int] = {}
            cpus: dict[int, float] = {}
            sched: dict[int, tuple[float, float]] = {}
            for d in os.listdir("/proc"):
                if not d.isdigit():
                    continue
                try:
                    with open(f"/proc/{d}/stat") as f:
                        st = f.read()
                    fields = st.rsplit(")", 1)[1].split()
                    ppid = int(fields[1])
                    cpu_s = (int(fields[11]) + int(fields[12])) / self.tick
                    with open(f"/proc/{d}/statm") as f:
                        rss[int(d)] = int(f.read().split()[1]) * self.page
                except (OSError, ValueError, IndexError):
                    continue
                kids.setdefault(ppid, []).append(int(d))
                cpus[int(d)] = cpu_s
                try:
                    with open(f"/proc/{d}/schedstat") as f:
                        run_ns, wait_ns = (int(x) for x in f.read().split()[:2])
                    sched[int(d)] = (run_ns / 1e9, wait_ns / 1e9)
                except (OSError, ValueError):
                    pass
            tree, todo = [], [self.pid]
            while todo:
                p = todo.pop()
                tree.append(p)
                todo.extend(kids.get(p, []))
            total = sum(rss.get(p, 0) for p in tree)
            for p in tree:
                if p in cpus:
                    self.cpu[p] = max(self.cpu.get(p, 0.0), cpus[p])
                if p in sched and p != self.pid:
                    self.sched[p] = sched[p]
            self.peak = max(self.peak, total)
            self.peak_single = max([self.peak_single] + [rss.get(p, 0) for p in tree])
            time.sleep(0.05)


def timed(cmd: list[str], env: dict | None = None) -> dict:
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    mon = TreeRSS(proc.pid)
    mon.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    mon.stop = True
    mon.join()
    # the busy processes under the root (the workers): share of the wall time they were
    # running, and waiting for a CPU (ready to run: contention, not starvation for work)
    busy = [v for v in mon.sched.values() if v[0] > 0.2 * wall]
    run_share = sum(v[0] for v in busy) / len(busy) / wall if busy else 0.0
    wait_share = sum(v[1] for v in busy) / len(busy) / wall if busy else 0.0
    return {"wall": wall, "rc": proc.returncode, "stdout": out, "stderr": err[-3000:], "peak_tree_rss": mon.peak,
            "peak_proc_rss": mon.peak_single, "load_before": load, "cpu": sum(mon.cpu.values()),
            "workers": len(busy), "run_share": run_share, "wait_share": wait_share}


def _share(r: dict) -> str:
    return (f"workers on a CPU {100 * r.get('run_share', 0):.0f}% and waiting for one "
            f"{100 * r.get('wait_share', 0):.0f}% of the time")


def copydesk_run(warc: Path, out: Path, workers: int) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    r = timed([sys.executable, "-m", "copydesk.cli", "run", str(warc), "-o", str(out), "--workers", str(workers),
               "--no-progress"], env=dict(os.environ, PYTHONPATH=str(REPO / "src")))
    m = re.search(r"([\d,]+) records in = ([\d,]+) ok \+ ([\d,]+) no_content \+ ([\d,]+) skipped \+ ([\d,]+) error", r["stdout"])
    if m:
        vals = [int(x.replace(",", "")) for x in m.groups()]
        r["records"], r["counts"] = vals[0], dict(zip(("ok", "no_content", "skipped", "error"), vals[1:]))
    else:
        r["records"], r["counts"] = 0, {}
    r["pages_per_s"] = r["records"] / r["wall"] if r["wall"] else 0.0
    return r


def traf_loop_main(warc: str) -> None:
    """Child-process mode: the plain trafilatura loop over the same records."""
    import trafilatura

    from copydesk.batch.sources import Source, read_source

    n = extracted = failed = 0
    for raw in read_source(Source(os.path.abspath(warc), "warc"), 20_000_000):
        n += 1
        if raw.status is not None or raw.mode != "html":
            continue
        try:
            if trafilatura.extract(raw.payload, url=raw.url):
                extracted += 1
        except Exception:
            failed += 1
    print(json.dumps({"records": n, "extracted": extracted, "failed": failed}))


def traf_run(warc: Path) -> dict:
    r = timed([sys.executable, __file__, "--traf-loop", str(warc)])
    try:
        r.update(json.loads(r["stdout"].strip().splitlines()[-1]))
    except (ValueError, IndexError):
        r["records"] = 0
    r["pages_per_s"] = r["records"] / r["wall"] if r["wall"] else 0.0
    return r


_IMPORT_PROBE = """
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 1e6
r0 = rss()
from copydesk.batch.dedup import Deduper
Deduper()
print(rss() - r0)
"""


def check_output(out: Path, exp: dict) -> dict:
    from collections import Counter

    import pyarrow.dataset as ds

    from copydesk.batch.runner import _reason_key

    t = ds.dataset(str(out), format="parquet").to_table(columns=["row_id", "status", "error", "url"])
    rows = t.to_pylist()
    errors = [r for r in rows if r["status"] == "error"]
    fault_urls = {r["url"] for r in rows if r["url"] and "/fault/" in r["url"]}
    return {
        "rows": len(rows),
        "unique_ids": len({r["row_id"] for r in rows}),
        "error_rows": len(errors),
        "error_rows_without_reason": sum(1 for r in errors if not r["error"]),
        "error_reasons": sorted(Counter(_reason_key(r["error"]) for r in errors).items(), key=lambda kv: -kv[1]),
        "expected_records": exp["records"],
        "expected_error_rows": exp["error_rows"],
        "fault_rows_seen": len(fault_urls),
    }


def mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", help="the shared data folder (default: $COPYDESK_SHARED, else ../shared beside the repo)")
    ap.add_argument("--limit", type=int, default=0, help="use only N pages, sampled evenly (quick look)")
    ap.add_argument("--no-docs", action="store_true", help="do not write the results into docs/batch.md")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--scaling-only", action="store_true",
                    help="only build the 1x WARC and time --workers 1 and 2 (to re-check scaling on a quiet machine)")
    ap.add_argument("--repeat", type=int, default=2, help="with --scaling-only: pairs of runs (best of N is reported)")
    ap.add_argument("--traf-loop", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.traf_loop:
        traf_loop_main(args.traf_loop)
        return

    bench = find_benchmarks(args.shared)
    pages = sorted(Path(p) for p in glob.glob(str(bench / "**" / "*.html.gz"), recursive=True))
    if args.limit:  # an even sample across the datasets
        pages = pages[:: max(1, len(pages) // args.limit)][: args.limit]
    tmp = Path(tempfile.mkdtemp(prefix="copydesk-batch-bench-"))
    print(f"batch_bench: {len(pages)} pages from {bench}; temp folder {tmp}", flush=True)
    try:
        t0 = time.perf_counter()
        w1 = tmp / "bench-1x.warc.gz"
        exp1 = build_warc(w1, pages, 0, 6)
        if args.scaling_only:
            best = {1: 0.0, 2: 0.0}
            for _ in range(args.repeat):
                a = copydesk_run(w1, tmp / "out-w1", 1)
                b = copydesk_run(w1, tmp / "out-w2", 2)
                best[1] = max(best[1], a["pages_per_s"])
                best[2] = max(best[2], b["pages_per_s"])
                print(f"workers 1: {a['wall']:.1f} s, {a['pages_per_s']:.1f} pages/s (load {a['load_before']:.2f}, "
                      f"{_share(a)}); workers 2: {b['wall']:.1f} s, {b['pages_per_s']:.1f} pages/s "
                      f"(load {b['load_before']:.2f}, {_share(b)}); ratio {b['pages_per_s'] / a['pages_per_s']:.2f}x",
                      flush=True)
            print(f"best of {args.repeat}: workers 1 {best[1]:.1f} pages/s, workers 2 {best[2]:.1f} pages/s, "
                  f"ratio {best[2] / best[1]:.2f}x")
            return
        w4 = tmp / "bench-4x.warc.gz"
        exp4 = {"records": 0, "bytes": 0, "error_rows": 0}
        with open(w4, "wb") as f:
            for c in range(4):
                part = tmp / f"copy{c}.warc.gz"
                e = build_warc(part, pages, c + 1, 1)
                exp4["records"] += e["records"]
                exp4["error_rows"] += e["error_rows"]
                with open(part, "rb") as p:
                    shutil.copyfileobj(p, f)
                part.unlink()
        exp4["bytes"] = w4.stat().st_size
        print(f"built WARCs in {time.perf_counter() - t0:.0f} s: 1x {exp1['records']:,} page records "
              f"({mb(exp1['bytes'])}), 4x {exp4['records']:,} ({mb(exp4['bytes'])})", flush=True)

        res = {}
        res["w1"] = copydesk_run(w1, tmp / "out-w1", 1)
        print(f"copydesk run --workers 1: {res['w1']['wall']:.1f} s, {res['w1']['pages_per_s']:.1f} pages/s, rc {res['w1']['rc']}", flush=True)
        res["w2"] = copydesk_run(w1, tmp / "out-w2", 2)
        print(f"copydesk run --workers 2: {res['w2']['wall']:.1f} s, {res['w2']['pages_per_s']:.1f} pages/s, rc {res['w2']['rc']}", flush=True)
        res["traf"] = traf_run(w1)
        print(f"trafilatura loop: {res['traf']['wall']:.1f} s, {res['traf']['pages_per_s']:.1f} pages/s", flush=True)
        res["w2x4"] = copydesk_run(w4, tmp / "out-w2x4", 2)
        print(f"copydesk run --workers 2 on 4x: {res['w2x4']['wall']:.1f} s, {res['w2x4']['pages_per_s']:.1f} pages/s, "
              f"rc {res['w2x4']['rc']}", flush=True)
        # the near-duplicate pass alone: re-run on the finished 4x output (every input is
        # complete, so no worker starts); the 4x input holds each page four times
        shutil.copytree(tmp / "out-w2x4", tmp / "out-dedup")
        res["dedup"] = timed([sys.executable, "-m", "copydesk.cli", "run", str(w4), "-o", str(tmp / "out-dedup"),
                              "--dedup", "--no-progress"], env=dict(os.environ, PYTHONPATH=str(REPO / "src")))
        base = timed([sys.executable, "-m", "copydesk.cli", "run", str(w4), "-o", str(tmp / "out-dedup"),
                      "--no-progress"], env=dict(os.environ, PYTHONPATH=str(REPO / "src")))
        res["dedup"]["baseline_rss"] = base["peak_tree_rss"]
        probe = subprocess.run([sys.executable, "-c", _IMPORT_PROBE], capture_output=True, text=True,
                               env=dict(os.environ, PYTHONPATH=str(REPO / "src")))
        res["dedup"]["import_mb"] = float(probe.stdout.strip() or 0)
        print(f"dedup pass on 4x: {res['dedup']['wall']:.1f} s, rc {res['dedup']['rc']}", flush=True)
        chk = check_output(tmp / "out-w2", exp1)
        chk4 = check_output(tmp / "out-w2x4", exp4)
        report = render(res, exp1, exp4, chk, chk4, len(pages))
        print(report)
        for k in ("w1", "w2", "w2x4"):
            if res[k]["rc"] != 0:
                print(f"--- {k} stderr ---\n{res[k]['stderr']}")
        if not args.no_docs and not args.limit:
            write_docs(report)
            print(f"results written to {DOC}")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def render(res: dict, exp1: dict, exp4: dict, chk: dict, chk4: dict, npages: int) -> str:
    w1, w2, tr, x4 = res["w1"], res["w2"], res["traf"], res["w2x4"]
    r1 = w1["pages_per_s"] / tr["pages_per_s"] if tr["pages_per_s"] else 0
    r2 = w2["pages_per_s"] / w1["pages_per_s"] if w1["pages_per_s"] else 0
    c = w2["counts"]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on this project's machine ({os.cpu_count()} cores, shared with other "
        f"developers; 1-minute load before each run in the table), by `python benchmarks/batch_bench.py`.",
        "",
        f"Input: {npages:,} pages (every `*.html.gz` under shared/benchmarks) as request + response records, plus "
        f"{exp1['png'] + exp1['pdf']} non-HTML responses, {exp1['404']} 404s, {exp1['corrupt']} corrupt gzip members, "
        f"{exp1['garbage']} runs of garbage between records, {exp1['truncated']} records cut in half and a truncated "
        f"final record: {exp1['records']:,} page records, {mb(exp1['bytes'])} gzipped. 4x: the same pages four times "
        f"with new URLs and ids, {exp4['records']:,} page records, {mb(exp4['bytes'])}.",
        "",
        "| run | wall s | pages/s | CPU s (tree) | pages per CPU-s | peak RSS, process tree | largest process | load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in (("copydesk run --workers 1", w1), ("copydesk run --workers 2", w2),
                    ("trafilatura.extract loop (1 process)", tr), ("copydesk run --workers 2, 4x input", x4)):
        per_cpu = r["records"] / r["cpu"] if r.get("cpu") else 0.0
        lines.append(f"| {name} | {r['wall']:.1f} | {r['pages_per_s']:.1f} | {r.get('cpu', 0):.1f} | {per_cpu:.1f} | "
                     f"{mb(r['peak_tree_rss'])} | {mb(r['peak_proc_rss'])} | {r['load_before']:.2f} |")
    lines += [
        "",
        f"- Throughput, 1 worker / trafilatura loop: **{r1:.2f}x** (target 4x).",
        f"- Throughput, 2 workers / 1 worker: **{r2:.2f}x** (target 1.7x). With 2 workers, each worker was "
        f"{_share(w2)} (1 worker: {_share(w1)}); the rest is waiting for tasks.",
        f"- Peak memory (process tree), 4x / 1x input with 2 workers: {mb(x4['peak_tree_rss'])} / "
        f"{mb(w2['peak_tree_rss'])} = **{x4['peak_tree_rss'] / max(1, w2['peak_tree_rss']):.2f}x**.",
        f"- Accounting (2 workers, 1x): {w2['records']:,} records in = {c.get('ok', 0):,} ok + "
        f"{c.get('no_content', 0):,} no_content + {c.get('skipped', 0):,} skipped + {c.get('error', 0):,} error; "
        f"{chk['rows']:,} rows in the output, {chk['unique_ids']:,} distinct row ids; {exp1['records']:,} page records "
        f"written into the WARC; exit code {w2['rc']} (1 worker: {w1['rc']}, 4x: {x4['rc']}).",
        f"- Injected damaged records: {chk['expected_error_rows']} (corrupt members, records cut in half, the truncated "
        f"final record); error rows: {chk['error_rows']} (the difference: pages copydesk itself failed on), "
        f"without a reason: {chk['error_rows_without_reason']}; the {exp1['garbage']} runs of garbage held no record and "
        f"are reported as skipped ranges ({'yes' if 'unreadable range' in w2['stdout'] else 'NO'}). Error reasons seen: "
        + "; ".join(f"{n} x `{r}`" for r, n in chk["error_reasons"][:8]) + ".",
        f"- 4x accounting: {x4['records']:,} records in, {chk4['rows']:,} rows, {chk4['unique_ids']:,} distinct ids, "
        f"{exp4['records']:,} written.",
        f"- trafilatura returned text for {tr.get('extracted', 0):,} of the HTML records ({tr.get('failed', 0)} raised).",
    ]
    d = res.get("dedup")
    if d:
        m = re.search(r"near-duplicates: ([\d,]+) rows in ([\d,]+) clusters of 2\+ \(of ([\d,]+) ok rows\)", d["stdout"])
        extra = d["peak_tree_rss"] - d["baseline_rss"]
        okrows = int(m.group(3).replace(",", "")) if m else 0
        lines.append(
            f"- `--dedup` on the finished 4x output (each page there four times): {d['wall']:.1f} s; "
            + (f"{m.group(1)} rows marked as copies in {m.group(2)} clusters of {m.group(3)} ok rows; " if m else "")
            + f"peak RSS {mb(d['peak_tree_rss'])} against {mb(d['baseline_rss'])} for the same command without "
            f"`--dedup`: {mb(extra)} for the pass, of which {d['import_mb']:.0f} MB is importing datasketch "
            f"(numpy, scipy)"
            + (f"; the rest is {(extra / 1e6 - d['import_mb']) * 1e3 / max(1, okrows):.1f} KB per ok row." if okrows else "."))
    return "\n".join(lines)


def write_docs(report: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    block = f"{BEGIN}\n{report}\n{END}"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n## Measured\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
