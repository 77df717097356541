"""Benchmark harness: dataset loaders (`benchmarks.datasets`), peer adapters
(`benchmarks.peers`) and the runner (`python benchmarks/run.py`). See docs/benchmarks.md."""
