"""Suite ``cassandra``: read + extract + write between tables of a real Cassandra node.

Input: a generated corpus of short documents (text_hashing's Zipf-distributed mixed-script
words, median 15 words) loaded into the table ``parafeat_bench.docs (id int PRIMARY KEY, text
text)`` of the node that ``scripts/cassandra-node`` runs on this machine (started for the suite
when it is not running, stopped after). Every contender reads every row, hashes its text with
HashingVectorizer(n_features=2**18) and writes ``(id, features map<int, double>)`` rows to its
own table:

- ``parafeat``: ``parafeat.cassandra.extract`` (token-range scans, the native engine, unlogged
  batches of prepared upserts; the same as ``parafeat extract --from cassandra://... --to ...``);
- ``cassandra-driver loop + scikit-learn``: the plain loop: page through ``SELECT id, text``,
  transform each page with scikit-learn, ``session.execute`` one prepared INSERT per row;
- ``cassandra-driver execute_concurrent + scikit-learn``: the same with the driver's
  ``execute_concurrent_with_args`` (100 requests in flight), what a driver expert would write.

Outputs are the feature tables, compared row by row with the plain loop's. The measurements
add the node's CPU share during each contender's runs (from /proc of the node's process) and one
round trip of ``ROUND_TRIP_ROWS`` rows through parafeat alone, checked for count and checksum.
"""

import os
import pathlib
import subprocess
import time
import zlib

import pyarrow as pa

from bench.runner import Contender, Goal, SuitePlan
from bench.suites.text_hashing import make_corpus

TITLE = "Cassandra read + extract + write: parafeat vs cassandra-driver with scikit-learn"
DEFAULT_SIZE_MB = 8.0
QUICK_SIZE_MB = 0.3
WORDS_PER_DOC = (15, 3, 60)  # median, min, max: short texts, as in a table of reviews or posts
N_FEATURES = 2**18
ROUND_TRIP_ROWS = 1_000_000
QUICK_ROUND_TRIP_ROWS = 20_000
KEYSPACE = "parafeat_bench"
NODE_SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "cassandra-node"
SPEC = f"""\
version: 1
extractors:
  - name: hashing_vectorizer
    column: text
    params: {{n_features: {N_FEATURES}}}
    output: features
"""


def _node(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(NODE_SCRIPT), command], capture_output=True, text=True,
                          check=False)  # fmt: skip


def _node_cpu_seconds(pid: int) -> float:
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _features_table(keyspace, table) -> dict:
    """{id: (indices, values)} of a features table (an empty map reads as null)."""
    import parafeat.cassandra as pc

    data = pc.read(keyspace, table, ["features"], n_jobs=4).read_all()
    cells = data.column("features").to_pylist()
    return {
        i: (c["indices"], c["values"]) if c else ([], [])
        for i, c in zip(data.column("id").to_pylist(), cells)
    }


def _first_difference(output, reference):
    """Compares two feature tables (their names) row by row."""
    mine, theirs = _features_table(KEYSPACE, output), _features_table(KEYSPACE, reference)
    if len(mine) != len(theirs):
        return f"{len(mine)} rows, the reference has {len(theirs)}"
    for key in sorted(theirs):
        if mine.get(key) != theirs[key]:
            return f"row id={key}: {mine.get(key)} != {theirs[key]}"
    return None


def _checksum(features: dict) -> tuple:
    crc, total = 0, 0.0
    for key in sorted(features):
        indices, values = features[key]
        crc = zlib.crc32(repr(indices).encode(), crc)
        total += sum(values)
    return len(features), total, crc


class _Bench:
    def __init__(self, session, documents):
        import parafeat

        self.session = session
        self.documents = documents
        self.pipeline = parafeat.Pipeline.from_yaml(SPEC)
        self.pid = int(_node("status").stdout.split("pid ")[1].rstrip(")\n"))
        self.node_cpu, self.wall = {}, {}

    def timed_on_node(self, label, run):
        """``run()``, adding the node's CPU seconds and the wall seconds to ``label``'s."""

        def measured():
            cpu, started = _node_cpu_seconds(self.pid), time.perf_counter()
            output = run()
            self.wall[label] = self.wall.get(label, 0.0) + time.perf_counter() - started
            self.node_cpu[label] = self.node_cpu.get(label, 0.0) + _node_cpu_seconds(self.pid) - cpu
            return output

        return measured

    def features_table(self, name):
        self.session.execute(
            f"CREATE TABLE IF NOT EXISTS {KEYSPACE}.{name} "
            "(id int PRIMARY KEY, features frozen<map<int, double>>)"
        )
        return name

    def parafeat(self):
        import parafeat.cassandra as pc

        target = self.features_table("features_parafeat")
        pc.extract(self.pipeline, f"cassandra://127.0.0.1/{KEYSPACE}/docs",
                   f"cassandra://127.0.0.1/{KEYSPACE}/{target}", restart=True)  # fmt: skip
        return target

    def _sklearn_pages(self):
        from sklearn.feature_extraction.text import HashingVectorizer

        vectorizer = HashingVectorizer(n_features=N_FEATURES)
        select = self.session.prepare(f"SELECT id, text FROM {KEYSPACE}.docs")
        select.fetch_size = 5000
        page = []
        for row in self.session.execute(select):
            page.append(row)
            if len(page) == 5000:
                yield page, vectorizer.transform([r[1] for r in page])
                page = []
        if page:
            yield page, vectorizer.transform([r[1] for r in page])

    def _insert(self, target):
        return self.session.prepare(f"INSERT INTO {KEYSPACE}.{target} (id, features) VALUES (?, ?)")

    def plain_loop(self):
        target = self.features_table("features_loop")
        insert = self._insert(target)
        for page, matrix in self._sklearn_pages():
            for i, row in enumerate(page):
                start, end = matrix.indptr[i], matrix.indptr[i + 1]
                features = dict(zip(matrix.indices[start:end].tolist(),
                                    matrix.data[start:end].tolist()))  # fmt: skip
                self.session.execute(insert, (row[0], features))
        return target

    def concurrent(self):
        from cassandra.concurrent import execute_concurrent_with_args

        target = self.features_table("features_concurrent")
        insert = self._insert(target)
        for page, matrix in self._sklearn_pages():
            args = []
            for i, row in enumerate(page):
                start, end = matrix.indptr[i], matrix.indptr[i + 1]
                args.append((row[0], dict(zip(matrix.indices[start:end].tolist(),
                                              matrix.data[start:end].tolist()))))  # fmt: skip
            execute_concurrent_with_args(self.session, insert, args, concurrency=100,
                                         raise_on_first_error=True)  # fmt: skip
        return target

    def measurements(self, round_trip_rows, seed) -> dict:
        figures = {}
        for label, wall in self.wall.items():
            share = self.node_cpu[label] / wall
            figures[f"node CPU during {label}"] = f"{share:.2f} CPUs ({share / 2:.0%} of 2)"
        figures.update(self.round_trip(round_trip_rows, seed))
        return figures

    def round_trip(self, rows, seed) -> dict:
        """Loads ``rows`` documents, extracts them with parafeat, reads them back and checks
        every row, the count and the checksum against the local pipeline."""
        import parafeat.cassandra as pc

        documents = (self.documents * (rows // len(self.documents) + 1))[:rows]
        ids = pa.array(range(rows), pa.int32())
        self.session.execute(f"DROP TABLE IF EXISTS {KEYSPACE}.round_trip_docs", timeout=120)
        self.session.execute(f"DROP TABLE IF EXISTS {KEYSPACE}.round_trip_features", timeout=120)
        started = time.perf_counter()
        pc.write(pa.table({"id": ids, "text": documents}), KEYSPACE, "round_trip_docs",
                 key=["id"], create=True)  # fmt: skip
        loaded = time.perf_counter()
        cpu = _node_cpu_seconds(self.pid)
        summary = pc.extract(self.pipeline, f"cassandra://127.0.0.1/{KEYSPACE}/round_trip_docs",
                             f"cassandra://127.0.0.1/{KEYSPACE}/round_trip_features")  # fmt: skip
        extracted = time.perf_counter()
        node_share = (_node_cpu_seconds(self.pid) - cpu) / (extracted - loaded)
        stored = _features_table(KEYSPACE, "round_trip_features")
        read_back = time.perf_counter()
        local = self.pipeline.transform({"text": documents}).column("features").to_pylist()
        expected = {i: (c["indices"], c["values"]) for i, c in enumerate(local)}
        equal = stored == expected and _checksum(stored) == _checksum(expected)
        return {
            f"round trip of {rows:,} rows: load (parafeat.cassandra.write)":
                f"{loaded - started:.1f} s ({rows / (loaded - started):,.0f} rows/s)",
            f"round trip of {rows:,} rows: read + extract + write (parafeat)":
                f"{extracted - loaded:.1f} s ({summary['rows'] / (extracted - loaded):,.0f} "
                f"rows/s; node CPU {node_share:.2f} CPUs)",
            f"round trip of {rows:,} rows: read back (parafeat.cassandra.read)":
                f"{read_back - extracted:.1f} s",
            f"round trip of {rows:,} rows: every row, count and checksum equal the local "
            "pipeline": "yes" if equal else "**no**",
        }  # fmt: skip


def prepare(size_mb: float, seed: int) -> SuitePlan:
    """Starts the node if needed, loads the corpus, and plans the three contenders."""
    import parafeat.cassandra as pc
    from parafeat.cassandra._session import connect

    started_here = _node("status").returncode != 0
    if started_here:
        result = _node("start")
        if result.returncode != 0:
            raise RuntimeError(f"the Cassandra node could not start: {result.stderr}")
    context = connect(request_timeout=120)
    session = context.__enter__()
    session.execute(f"DROP KEYSPACE IF EXISTS {KEYSPACE}", timeout=120)
    session.execute(
        f"CREATE KEYSPACE {KEYSPACE} WITH replication = "
        "{'class': 'SimpleStrategy', 'replication_factor': 1}"
    )
    documents = make_corpus(size_mb, seed, words_per_doc=WORDS_PER_DOC)
    pc.write(pa.table({"id": pa.array(range(len(documents)), pa.int32()), "text": documents}),
             KEYSPACE, "docs", key=["id"], create=True)  # fmt: skip
    bench = _Bench(session, documents)
    label_parafeat = "parafeat"
    loop = Contender("cassandra-driver loop + scikit-learn",
                     bench.timed_on_node("plain loop", bench.plain_loop))  # fmt: skip
    concurrent = Contender("cassandra-driver execute_concurrent + scikit-learn",
                           bench.timed_on_node("execute_concurrent", bench.concurrent))  # fmt: skip
    mine = Contender(label_parafeat, bench.timed_on_node("parafeat", bench.parafeat), threads=2)
    round_trip_rows = QUICK_ROUND_TRIP_ROWS if size_mb <= QUICK_SIZE_MB else ROUND_TRIP_ROWS

    def close():
        context.__exit__(None, None, None)
        if started_here:
            _node("stop")

    return SuitePlan(
        title=TITLE,
        description=(
            f"generated short documents (seed {seed}, median {WORDS_PER_DOC[0]} words) in a "
            "table of a real single Cassandra node on loopback (scripts/cassandra-node, "
            "num_tokens 16, 1 GB heap, on the same 2 CPUs); read every row, "
            f"HashingVectorizer(n_features=2**18), write (id, map<int, double>) rows"
        ),
        input={"generator": "bench/suites/text_hashing.py:make_corpus",
               "words_per_doc": dict(zip(("median", "min", "max"), WORDS_PER_DOC)),
               "spec": SPEC},  # fmt: skip
        input_bytes=sum(len(d.encode("utf-8")) for d in documents),
        input_items=len(documents),
        item_unit="rows",
        contenders=[loop, concurrent, mine],
        reference=loop,
        first_difference=_first_difference,
        goals=[Goal(mine, loop, 10.0), Goal(mine, concurrent, 1.0)],
        measurements=lambda: bench.measurements(round_trip_rows, seed),
        close=close,
    )
