"""parafeat.cassandra: read raw inputs from and write features to Apache Cassandra, in parallel
and resumably.

- :func:`read` scans a table by token ranges in parallel into Arrow record batches;
- :func:`write` upserts feature rows with bounded concurrency, retries and schema checks;
- :func:`extract` runs a pipeline from one table into another, range by range, recording
  finished ranges in a progress table so that a rerun after a crash resumes;
- :func:`spark_read` and :func:`spark_extract` do the same with the token ranges spread over
  Spark tasks (``mapInArrow``; no connector jar).

Needs the ``cassandra-driver`` package. ``scripts/cassandra-node`` starts a local test node.
"""

from parafeat.cassandra._extract import PROGRESS_TABLE, extract, job_id
from parafeat.cassandra._read import read
from parafeat.cassandra._session import is_uri, parse_uri
from parafeat.cassandra._spark import spark_extract, spark_read
from parafeat.cassandra._write import write

__all__ = ["PROGRESS_TABLE", "extract", "is_uri", "job_id", "parse_uri", "read", "spark_extract",
           "spark_read", "write"]
