"""The `copydesk` command line: exit codes, inputs (files, directories, stdin, URLs),
outputs (stdout, -o DIR), formats and the progress bar."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import copydesk
from conftest import FIXTURES, SEED
from copydesk.cli import main
from local_server import Route, serve
from pages import ENGLISH_PARAGRAPHS, article_page

SEED_PAGE = FIXTURES / f"{SEED}.page.html"
SEED_TITLE = "Kim Jong Un meets China's Xi again ahead of Trump summit"
TITLE = "Council approves tram extension"
PAGE = article_page(TITLE, ENGLISH_PARAGRAPHS)
EMPTY_PAGE = "<html><head><title>Login</title></head><body><nav><a href='/'>Home</a></nav></body></html>"


def run(*args, input=None):
    """Invoke the CLI in-process; stdout and stderr are kept apart (result.stdout, result.stderr)."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def write(path: Path, text: str = PAGE, gz: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("copydesk: error: ")]


# --- exit codes ---------------------------------------------------------------------

def test_good_page_exit_0():
    result = run("extract", SEED_PAGE)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["title"] == SEED_TITLE
    assert result.stderr == ""


def test_one_failure_among_several_exit_1(tmp_path):
    good = write(tmp_path / "good.html")
    big = write(tmp_path / "big.html", article_page("Big", ENGLISH_PARAGRAPHS * 40))
    corrupt = tmp_path / "corrupt.html.gz"
    corrupt.write_bytes(gzip.compress(PAGE.encode())[:60])
    result = run("extract", good, big, corrupt, "--max-bytes", "10k")
    assert result.exit_code == 1
    errs = errors(result)
    assert len(errs) == 2
    assert errs[0].startswith(f"copydesk: error: {big}: ") and "limit" in errs[0]
    assert errs[1].startswith(f"copydesk: error: {corrupt}: ") and "gzip" in errs[1]
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["title"] == TITLE
    assert "Traceback" not in result.output


def test_missing_path_among_good_ones_exit_1(tmp_path):
    good = write(tmp_path / "good.html")
    result = run("extract", good, tmp_path / "nope.html")
    assert result.exit_code == 1
    assert errors(result) == [f"copydesk: error: {tmp_path / 'nope.html'}: no such file or directory"]
    assert json.loads(result.stdout.splitlines()[0])["title"] == TITLE


def test_only_missing_paths_exit_2(tmp_path):
    result = run("extract", tmp_path / "nope.html", tmp_path / "gone")
    assert result.exit_code == 2
    assert len(errors(result)) == 2
    assert result.stdout == ""


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_exit_1(tmp_path):
    good = write(tmp_path / "good.html")
    locked = write(tmp_path / "locked.html")
    locked.chmod(0)
    result = run("extract", good, locked)
    assert result.exit_code == 1
    assert errors(result) == [f"copydesk: error: {locked}: Permission denied"]


def test_directory_given_as_file_argument_is_searched(tmp_path):
    write(tmp_path / "d" / "a.html")
    result = run("extract", tmp_path / "d")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"].endswith("a.html")


@pytest.mark.parametrize("args", [
    ["extract", "--no-such-flag", "x.html"],
    ["extract", "--format", "pdf", "x.html"],
    ["extract", "--input-format", "pdf", "x.html"],
    ["extract", "--timeout", "0", "x.html"],
    ["extract", "--timeout", "soon", "x.html"],
    ["extract", "--max-bytes", "lots", "x.html"],
    ["extract", "--max-bytes", "0", "x.html"],
    ["no-such-command"],
])
def test_bad_usage_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr or "Error:" in result.stderr
    assert result.stdout == ""


def test_output_dir_that_is_a_file_is_usage_error(tmp_path):
    f = write(tmp_path / "a.html")
    result = run("extract", f, "-o", f)
    assert result.exit_code == 2


def test_no_main_content_is_a_warning_not_a_failure(tmp_path):
    good = write(tmp_path / "good.html")
    empty = write(tmp_path / "empty.html", EMPTY_PAGE)
    result = run("extract", empty, good)
    assert result.exit_code == 0
    assert f"copydesk: warning: {empty}: no main content found" in result.stderr
    assert errors(result) == []
    assert [json.loads(x)["title"] for x in result.stdout.splitlines()] == [TITLE]


def test_internal_error_is_reported_not_raised(tmp_path, monkeypatch):
    a = write(tmp_path / "a.html")
    b = write(tmp_path / "b.html", article_page("Second story about trams", ENGLISH_PARAGRAPHS))
    real = copydesk.extract

    def flaky(html, url=None, **kw):
        if b"Second story" in html:
            raise RuntimeError("stage exploded")
        return real(html, url, **kw)

    monkeypatch.setattr(copydesk, "extract", flaky)
    result = run("extract", a, b)
    assert result.exit_code == 1
    (err,) = errors(result)
    assert err.startswith(f"copydesk: error: {b}: internal error (RuntimeError: stage exploded)")
    assert json.loads(result.stdout)["title"] == TITLE


# --- inputs ---------------------------------------------------------------------------

def test_directory_recursion_with_gz(tmp_path):
    write(tmp_path / "in" / "a.html")
    write(tmp_path / "in" / "sub" / "b.htm", article_page("Bridge to close for repairs", ENGLISH_PARAGRAPHS))
    write(tmp_path / "in" / "sub" / "deeper" / "c.html.gz", article_page("Cycle lanes divide opinion", ENGLISH_PARAGRAPHS), gz=True)
    write(tmp_path / "in" / "notes.txt", "not a page")
    write(tmp_path / "in" / "style.css", "body{}")
    result = run("extract", tmp_path / "in", "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["title"] for r in records] == [TITLE, "Bridge to close for repairs", "Cycle lanes divide opinion"]
    assert [Path(r["source"]).name for r in records] == ["a.html", "b.htm", "c.html.gz"]


def test_empty_directory_warns(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("extract", tmp_path / "empty")
    assert result.exit_code == 0
    assert "copydesk: warning:" in result.stderr and "no .html" in result.stderr


def test_gzip_file_given_directly(tmp_path):
    f = write(tmp_path / "page.html.gz", gz=True)
    result = run("extract", f, "--format", "text")
    assert result.exit_code == 0
    assert result.stdout.startswith(ENGLISH_PARAGRAPHS[0])


def test_gzip_bomb_is_capped(tmp_path):
    f = tmp_path / "bomb.html.gz"
    f.write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>"))
    assert f.stat().st_size < 50_000
    result = run("extract", f, "--max-bytes", "1M")
    assert result.exit_code == 1
    assert "limit" in errors(result)[0]


def test_stdin():
    result = run("extract", "-", "--format", "text", input=PAGE.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip("\n").split("\n\n") == ENGLISH_PARAGRAPHS


def test_piped_stdin_without_a_path():
    # "cat page.html | copydesk extract" reads the pipe, as "-" does.
    result = run("extract", "--format", "text", input=PAGE.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip("\n").split("\n\n") == ENGLISH_PARAGRAPHS


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_no_path_at_a_terminal_is_bad_usage():
    master, slave = os.openpty()
    try:
        cmd = [sys.executable, "-c", "from copydesk.cli import main; main()", "extract"]
        proc = subprocess.run(cmd, stdin=slave, capture_output=True, timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert proc.returncode == 2 and b"at least one PATH" in proc.stderr


def test_stdin_gzip_and_size_cap():
    result = run("extract", "-", "--format", "json", input=gzip.compress(PAGE.encode("utf-8")))
    assert json.loads(result.stdout)["title"] == TITLE
    result = run("extract", "-", "--max-bytes", "100", input=PAGE.encode("utf-8"))
    assert result.exit_code == 1
    assert errors(result)[0].startswith("copydesk: error: <stdin>: ")


def test_example_flag_and_command():
    result = run("example")
    assert result.exit_code == 0
    path = Path(result.stdout.strip())
    assert path.is_file() and path.read_bytes() == SEED_PAGE.read_bytes()
    result = run("extract", "--example", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"# {SEED_TITLE}\n")


# --- outputs ----------------------------------------------------------------------------

def test_output_dir_mirrors_paths_and_never_overwrites(tmp_path):
    write(tmp_path / "in" / "a" / "index.html", article_page("First index", ENGLISH_PARAGRAPHS))
    write(tmp_path / "in" / "b" / "index.html", article_page("Second index", ENGLISH_PARAGRAPHS))
    write(tmp_path / "in" / "b" / "index.htm", article_page("Third index", ENGLISH_PARAGRAPHS))
    out = tmp_path / "out"
    result = run("extract", tmp_path / "in", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    # Inputs are taken in sorted order: b/index.htm comes before b/index.html and gets the short name.
    assert files == ["a/index.json", "b/index.html.json", "b/index.json"]
    assert json.loads((out / "a" / "index.json").read_text())["title"] == "First index"
    assert json.loads((out / "b" / "index.json").read_text())["title"] == "Third index"
    assert json.loads((out / "b" / "index.html.json").read_text())["title"] == "Second index"


def test_output_dir_with_files_from_two_directories(tmp_path):
    a = write(tmp_path / "x" / "story.html", article_page("Story from x", ENGLISH_PARAGRAPHS))
    b = write(tmp_path / "y" / "story.html", article_page("Story from y", ENGLISH_PARAGRAPHS))
    out = tmp_path / "out"
    result = run("extract", a, b, "-o", out, "--format", "markdown")
    assert result.exit_code == 0
    assert (out / "x" / "story.md").read_text().startswith("# Story from x\n")
    assert (out / "y" / "story.md").read_text().startswith("# Story from y\n")


def test_html_output_into_the_input_directory_does_not_overwrite_input(tmp_path):
    page = write(tmp_path / "page.html")
    result = run("extract", page, "-o", tmp_path, "--format", "html")
    assert result.exit_code == 0
    assert page.read_text() == PAGE  # input untouched
    assert (tmp_path / "page.html.html").read_text().startswith("<article>")


def test_output_dir_single_file_stdin_and_url_names(tmp_path, no_proxy):
    out = tmp_path / "out"
    with serve({"/news/tram.html": Route(body=PAGE.encode())}) as (base, _):
        result = run("extract", SEED_PAGE, "-", base + "/news/tram.html", "-o", out, "--format", "text",
                     input=PAGE.encode())
    assert result.exit_code == 0, result.stderr
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    host = base.split("//")[1].replace(":", "_")
    assert files == sorted([f"{SEED}.page.txt", "stdin.txt", f"{host}/news/tram.txt"])


@pytest.mark.parametrize("fmt, check", [
    ("text", lambda s: s.startswith(ENGLISH_PARAGRAPHS[0]) and "<" not in s),
    ("markdown", lambda s: s.startswith(f"# {TITLE}\n\n{ENGLISH_PARAGRAPHS[0]}")),
    ("html", lambda s: s.startswith(f"<article>\n<h1>{TITLE}</h1>") and f"<p>{ENGLISH_PARAGRAPHS[0]}</p>" in s),
    ("json", lambda s: json.loads(s)["blocks"][0]["text"] == ENGLISH_PARAGRAPHS[0]),
])
def test_formats(tmp_path, fmt, check):
    f = write(tmp_path / "page.html")
    result = run("extract", f, "--format", fmt)
    assert result.exit_code == 0
    assert result.stdout.strip() and check(result.stdout), result.stdout[:300]


def test_several_inputs_json_lines_with_source(tmp_path):
    a = write(tmp_path / "a.html")
    result = run("extract", a, SEED_PAGE)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == [str(a), str(SEED_PAGE)]
    assert [r["title"] for r in records] == [TITLE, SEED_TITLE]


def test_several_inputs_text_separated_by_blank_line(tmp_path):
    a = write(tmp_path / "a.html")
    result = run("extract", a, a.parent / "a.html", "--format", "text")  # the same file twice counts once
    assert result.stdout.rstrip("\n").split("\n\n") == ENGLISH_PARAGRAPHS


def flags_page(tmp_path) -> Path:
    html = article_page(TITLE, ENGLISH_PARAGRAPHS).replace("tram line by four", '<a href="/map">tram line</a> by four')
    html = html.replace("</article>", "<figure><img src='/img/tram.jpg' alt='A tram'><figcaption>The new tram at the depot.</figcaption></figure>"
                        "<table><tr><th>Stop</th><th>Opens</th></tr><tr><td>Riverside</td><td>2027</td></tr>"
                        "<tr><td>Old Yard</td><td>2028</td></tr></table></article>")
    return write(tmp_path / "page.html", html)


def test_images_flag(tmp_path):
    f = flags_page(tmp_path)
    on = json.loads(run("extract", f).stdout)
    assert "figure" in {b["kind"] for b in on["blocks"]}
    assert [i["src"] for i in on["images"]] == ["/img/tram.jpg"]
    off = json.loads(run("extract", f, "--no-images").stdout)
    assert off["images"] == []
    assert "figure" not in {b["kind"] for b in off["blocks"]}


def test_tables_flag(tmp_path):
    f = flags_page(tmp_path)
    on = json.loads(run("extract", f).stdout)
    (table,) = [b for b in on["blocks"] if b["kind"] == "table"]
    assert table["rows"] == [["Stop", "Opens"], ["Riverside", "2027"], ["Old Yard", "2028"]] and table["header"]
    off = json.loads(run("extract", f, "--no-tables").stdout)
    assert "table" not in {b["kind"] for b in off["blocks"]}
    assert "Riverside" not in off["text"]


def test_links_flag(tmp_path):
    f = flags_page(tmp_path)
    on = json.loads(run("extract", f, "--links").stdout)
    assert ["tram line", "/map"] in [link for b in on["blocks"] for link in b.get("links", [])]
    assert "[tram line](/map)" in run("extract", f, "--links", "--format", "markdown").stdout


def test_no_links_flag(tmp_path):
    f = flags_page(tmp_path)
    off = json.loads(run("extract", f, "--no-links").stdout)
    assert not any(b.get("links") for b in off["blocks"])
    assert "](/map)" not in run("extract", f, "--format", "markdown").stdout


# --- URLs -------------------------------------------------------------------------------

def test_url_against_local_server(no_proxy):
    russian = ["Городской совет во вторник проголосовал за продление трамвайной линии вдоль реки на четыре километра.",
               "Строительство должно начаться следующей весной и займёт около трёх лет, сообщили в администрации."]
    koi8 = article_page("Совет одобрил продление трамвайной линии", russian, lang="ru").encode("koi8-r")
    routes = {
        "/page": Route(body=PAGE.encode()),
        "/ru": Route(body=koi8, content_type="text/html; charset=koi8-r"),
        "/logo.png": Route(body=b"\x89PNG\r\n", content_type="image/png"),
        "/slow": Route(body=PAGE.encode(), delay=2),
    }
    with serve(routes) as (base, srv):
        result = run("extract", base + "/page")
        assert result.exit_code == 0, result.stderr
        out = json.loads(result.stdout)
        assert out["title"] == TITLE and out["url"] == base + "/page"
        assert srv.seen_headers[-1]["User-Agent"].startswith("copydesk/")

        result = run("extract", base + "/ru", "--format", "text")  # charset from Content-Type
        assert result.stdout.rstrip("\n").split("\n\n") == russian

        result = run("extract", base + "/page", base + "/missing", base + "/logo.png", base + "/slow", "--timeout", "0.3")
        assert result.exit_code == 1
        errs = errors(result)
        assert errs[0] == f"copydesk: error: {base}/missing: HTTP 404 Not Found"
        assert errs[1].startswith(f"copydesk: error: {base}/logo.png: not a web page")
        assert errs[2].startswith(f"copydesk: error: {base}/slow: no response within 0.3 s")
        assert len(result.stdout.splitlines()) == 1


# --- text input -----------------------------------------------------------------------

def test_binary_file_in_text_mode_is_an_error_not_an_article(tmp_path):
    import random

    f = tmp_path / "noise.txt"
    f.write_bytes(random.Random(3).randbytes(5000))
    result = run("extract", "--input-format", "text", f)
    assert result.exit_code == 1
    assert "binary data, not page text" in result.stderr and result.stdout == ""


def test_input_format_text_calls_extract_text(tmp_path, monkeypatch):
    calls = []

    def fake_extract_text(text, url=None, **options):
        calls.append((text, url, options))
        return copydesk.Article(title="From text", blocks=(copydesk.Block("paragraph", "Body line."),))

    monkeypatch.setattr(copydesk, "extract_text", fake_extract_text, raising=False)
    f = tmp_path / "page.txt"
    f.write_bytes("Menu\nFrom text\nBody line é.\n".encode("utf-8"))
    write(tmp_path / "dir" / "other.txt", "Another page\n")
    result = run("extract", "--input-format", "text", f, tmp_path / "dir", "--format", "json", "--timeout", "3")
    assert result.exit_code == 0, result.stderr
    assert calls[0][0] == "Menu\nFrom text\nBody line é.\n".encode("utf-8")  # the bytes, decoded by extract_text
    assert calls[0][2]["timeout"] == 3 and calls[0][2]["images"] is True
    assert len(calls) == 2
    assert [json.loads(x)["title"] for x in result.stdout.splitlines()] == ["From text", "From text"]


def test_input_format_text_missing_gives_clear_error(monkeypatch, tmp_path):
    import builtins

    monkeypatch.delattr(copydesk, "extract_text", raising=False)
    real_import = builtins.__import__

    def no_textmode(name, *args, **kwargs):
        if name == "copydesk.textmode":
            raise ModuleNotFoundError("No module named 'copydesk.textmode'", name="copydesk.textmode")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_textmode)
    f = write(tmp_path / "p.txt", "hello\n")
    result = run("extract", "--input-format", "text", f)
    assert result.exit_code == 1
    assert "extract_text" in result.stderr and "Traceback" not in result.output


def test_input_format_text_on_seed_text():
    if not hasattr(copydesk, "extract_text"):
        pytest.skip("copydesk.extract_text is not in this tree yet")
    result = run("extract", "--input-format", "text", FIXTURES / f"{SEED}.txt", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["title"] == SEED_TITLE


# --- progress bar and the real console script -------------------------------------------

def test_progress_bar_goes_to_stderr_only(tmp_path):
    for i in range(25):
        write(tmp_path / "many" / f"p{i:02}.html")
    result = run("extract", tmp_path / "many")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 25
    assert all(json.loads(line)["title"] == TITLE for line in result.stdout.splitlines())
    assert "25/25" in result.stderr
    result = run("extract", tmp_path / "many", "--no-progress")
    assert result.stderr == ""


def test_console_script(tmp_path):
    script = Path(sys.executable).parent / "copydesk"
    if not script.exists():
        pytest.skip("copydesk console script not installed next to this Python")
    proc = subprocess.run([str(script), "extract", str(SEED_PAGE), "--format", "text"], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert b"DALIAN/BEIJING -- " in proc.stdout and proc.stderr == b""
    proc = subprocess.run([str(script), "extract", "--bogus"], capture_output=True, timeout=60)
    assert proc.returncode == 2 and b"No such option" in proc.stderr and b"Traceback" not in proc.stderr
    proc = subprocess.run([str(script), "--version"], capture_output=True, timeout=60)
    assert proc.returncode == 0 and copydesk.__version__.encode() in proc.stdout


def test_timeout_must_be_finite_and_at_most_a_day():
    from click.testing import CliRunner

    from copydesk.cli import main

    for value in ("nan", "inf", "1e9", "0"):
        result = CliRunner().invoke(main, ["extract", "--example", "--timeout", value])
        assert result.exit_code == 2, (value, result.output)
    assert CliRunner().invoke(main, ["extract", "--example", "--timeout", "5", "-f", "text"]).exit_code == 0


def test_a_warc_archive_given_to_extract_is_refused_with_a_pointer_to_run(tmp_path):
    warc = "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/\r\nContent-Length: 10\r\n\r\n" + PAGE
    arc = write(tmp_path / "crawl.warc.gz", warc, gz=True)
    good = write(tmp_path / "good.html")
    result = run("extract", arc, good, "--format", "text")
    assert result.exit_code == 1
    assert "WARC/WET archive" in result.stderr and "copydesk run" in result.stderr
    assert "WARC-Target-URI" not in result.stdout and "tram" in result.stdout


def test_render_is_there_after_a_plain_import():
    # The README's `copydesk.render.render(article, fmt)`: a fresh interpreter, where
    # nothing else has imported the submodule.
    code = "import copydesk; a = copydesk.extract('<h1>T</h1><p>' + 'Words of a sentence here. ' * 20 + '</p>'); print(copydesk.render.render(a, 'text')[:5])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_extract_and_run_read_the_same_html_names():
    from copydesk import cli
    from copydesk.batch import sources

    assert set(cli.HTML_SUFFIXES) == set(sources.HTML_SUFFIXES)
