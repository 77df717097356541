"""Acceptance (4): the Spark engine (local[2]) gives the same rows as the local engine.

Skipped when pyspark or Java is missing. One Spark session for the module,
stopped (with its JVM) at the end.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

from copydesk.batch import run
from copydesk.batch.output import read_part
from copydesk.batch.warcwrite import (
    article_html, compress_record, conversion_record, request_record, response_record, warcinfo_record, write_warc,
)

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed"),
    pytest.mark.skipif(shutil.which("java") is None and not os.environ.get("JAVA_HOME"), reason="Java is not installed"),
]


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    s = (SparkSession.builder.master("local[2]").appName("copydesk-test")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.session.timeZone", "UTC").config("spark.driver.memory", "1g")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()
    from pyspark import SparkContext

    gw = getattr(SparkContext, "_gateway", None)
    if gw is not None:
        gw.shutdown()
        proc = getattr(gw, "proc", None)
        if proc is not None:
            proc.kill()
            proc.wait(30)
        SparkContext._gateway = None
        SparkContext._jvm = None


def _inputs(tmp_path: Path) -> list[str]:
    recs = [warcinfo_record()]
    for i in range(14):
        recs.append(request_record(f"https://s.example/{i}"))
        recs.append(response_record(f"https://s.example/{i}", article_html(i)))
    recs.append(response_record("https://s.example/img", b"GIF89a...", content_type="image/gif"))
    bad = bytearray(compress_record(response_record("https://s.example/bad", article_html(99))))
    for k in range(40, 90):
        bad[k] ^= 0x33
    recs.append(("raw", bytes(bad)))
    recs.append(response_record("https://s.example/last", article_html(50)))
    a = tmp_path / "a.warc.gz"
    write_warc(a, recs)
    b = tmp_path / "b.warc.wet.gz"
    write_warc(b, [warcinfo_record(), conversion_record("https://s.example/wet", "Headline\n" + "A sentence of text. " * 30)])
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3):
        (pages / f"p{i}.html").write_bytes(article_html(200 + i))
    return [str(a), str(b), str(pages)]


def _key(r: dict) -> tuple:
    return (r["row_id"], r["status"], r["record_index"], r["url"], r["title"], r["text"], r["error"])


def test_extract_articles_matches_the_local_engine(tmp_path, spark):
    from copydesk.batch.sources import expand_inputs
    from copydesk.spark import extract_articles

    inputs = _inputs(tmp_path)
    local = run(inputs, tmp_path / "local", workers=2, progress=False)
    local_rows = []
    for p in sorted((tmp_path / "local").glob("*.parquet")):
        local_rows.extend(read_part(p).to_pylist())
    assert local.balanced and len(local_rows) == 21 and local.counts["error"] == 1

    paths = spark.createDataFrame([(s.path,) for s in expand_inputs(inputs)], "path string")
    df = extract_articles(paths)
    spark_rows = [r.asDict(recursive=True) for r in df.collect()]
    assert sorted(map(_key, spark_rows)) == sorted(map(_key, local_rows))
    assert set(df.columns) == set(local_rows[0])


def test_run_engine_spark_writes_the_same_rows(tmp_path, spark):
    import pyarrow.parquet as pq

    inputs = _inputs(tmp_path)
    s = run(inputs, tmp_path / "sp", engine="spark", master="local[2]", progress=False)
    assert s.balanced and s.records == 21 and s.counts["error"] == 1 and s.counts["skipped"] == 1
    assert s.ignored == {"warcinfo": 2, "request": 14}
    rows = pq.read_table(tmp_path / "sp").to_pylist()
    local = run(inputs, tmp_path / "local", workers=1, progress=False)
    local_rows = []
    for p in sorted((tmp_path / "local").glob("*.parquet")):
        local_rows.extend(read_part(p).to_pylist())
    assert local.counts == s.counts
    assert sorted((r["row_id"], r["status"]) for r in rows) == sorted((r["row_id"], r["status"]) for r in local_rows)
    again = run(inputs, tmp_path / "sp", engine="spark", master="local[2]", progress=False)
    assert again.sources_skipped == 3 and again.counts == s.counts
