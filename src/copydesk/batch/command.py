"""The `copydesk run` command (a click command; `copydesk.cli` delegates to it)."""

from __future__ import annotations

import sys

import click

from copydesk.cli import Seconds


@click.command("run", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Output directory (created). Re-running the same command resumes into it.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "jsonl"]), default="parquet", show_default=True,
              help="Part file format.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes for the local engine [default: all cores].")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True)
@click.option("--master", default=None, help="Spark master URL for --engine spark [default: local[*]].")
@click.option("--dedup", is_flag=True, help="Mark near-duplicate articles (dup_cluster) after extraction.")
@click.option("--timeout", type=Seconds(), default=None,
              help="Seconds per page, copydesk's own limit [default: 5].")
@click.option("--hard-timeout", type=Seconds(), default=None,
              help="Seconds per record after which a stuck worker is killed [default: max(30, 4 x timeout)].")
@click.option("--part-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Records per part file (the unit of resumption).")
@click.option("--worker-memory", type=click.IntRange(min=0), default=2000, show_default=True,
              help="MB of resident memory after which a worker is recycled (0: no limit).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr [default: when a terminal].")
def run_command(inputs, output, fmt, workers, engine, master, dedup, timeout, hard_timeout, part_size,
                worker_memory, progress):
    """Extract articles from WARC/WET files, folders of HTML files or path lists.

    Writes one row per page record (ok, no_content, skipped or error) to part
    files in OUTPUT, then prints the counts per status. Exit code 0 when every
    record is accounted for (error rows included), 1 on an accounting mismatch or
    a fatal error, 2 on bad usage, 130 when interrupted (re-run to resume).
    See docs/batch.md.
    """
    from copydesk.batch import InputError, OutputError, run

    try:
        summary = run(inputs, output, fmt=fmt, workers=workers, engine=engine, master=master, dedup=dedup,
                      timeout=timeout, hard_timeout=hard_timeout, part_size=part_size,
                      worker_memory=worker_memory * 1_000_000, progress=progress)
    except (InputError, OutputError, ValueError) as e:
        click.echo(f"copydesk run: error: {e}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("copydesk run: interrupted; run the same command again to resume", err=True)
        sys.exit(130)
    click.echo(summary.report())
    sys.exit(0 if summary.balanced else 1)
