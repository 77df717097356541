"""copydesk on Spark: `extract_articles(paths_df)` turns a DataFrame of WARC/WET/HTML
paths into a DataFrame of articles. Re-exported from `copydesk.batch.spark`
(see there and docs/batch.md); needs pyspark (`pip install copydesk[spark]`)."""

from copydesk.batch.spark import extract_articles, source_rows, spark_schema

__all__ = ["extract_articles", "source_rows", "spark_schema"]
