"""The ``parafeat`` command line (also ``python -m parafeat``).

  parafeat fit --spec s.yaml --input in.{jsonl,csv,parquet} --state s.pfstate [--threads N]
  parafeat extract (--spec s.yaml | --state s.pfstate) --input in.{jsonl,csv,parquet}
                   --output out.parquet [--threads N]
  parafeat extract (--spec s.yaml | --state s.pfstate) --from cassandra://host/keyspace/table
                   --to cassandra://host/keyspace/features_table [--threads N] [--restart]
  parafeat serve (--spec s.yaml | --state s.pfstate) [--host H] [--port P] [--threads N]
                 [native server options, see parafeat serve --help]
  parafeat bench SUITE [suite options]

Exit status is 0 on success, 1 on an error (reported on one line), 2 on a usage error and 130
when interrupted; an output file is only ever written whole.
"""

import argparse
import os
import signal
import sys
import time

from tqdm import tqdm

from parafeat._atomic import file_to_write
from parafeat.io import InputFile, atomic_parquet_writer
from parafeat.pipeline import Pipeline

_USER_ERRORS = (ValueError, TypeError, KeyError, OSError, NotImplementedError)


def _error_text(error: BaseException) -> str:
    # KeyError's str() adds quotes around its message; show the message itself.
    return str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)


def _progress_bar(args, total, description):
    show_progress = sys.stderr.isatty() if args.progress is None else args.progress
    return tqdm(
        total=total, unit=" rows", unit_scale=True, disable=not show_progress,
        desc=description, file=sys.stderr,
    )  # fmt: skip


def _fit(args) -> int:
    pipeline = Pipeline.from_yaml(args.spec)
    source = InputFile(args.input, pipeline.input_columns, args.batch_rows)
    started = time.perf_counter()
    rows = 0
    with _progress_bar(args, source.num_rows, "fit") as bar:

        def count(batch_rows):
            nonlocal rows
            rows += batch_rows
            bar.update(batch_rows)

        pipeline.fit_batches(source.batches(), n_jobs=args.threads, on_batch=count)
    pipeline.save(args.state)
    seconds = time.perf_counter() - started
    print(
        f"parafeat fit: {rows:,} rows from {args.input} in {seconds:.2f} s "
        f"({source.size_bytes / 1e6 / seconds:,.1f} MB/s) -> {args.state}"
    )
    return 0


def _extract(args) -> int:
    pipeline = Pipeline.load(args.state) if args.state else Pipeline.from_yaml(args.spec)
    if not pipeline.is_fitted:
        raise ValueError(
            "the spec has steps that learn from data; fit them first with `parafeat fit "
            "--spec ... --state s.pfstate` and extract with --state s.pfstate"
        )
    if _is_cassandra(args.input) or _is_cassandra(args.output):
        return _extract_cassandra(args, pipeline)
    if pipeline.long_format is not None:
        return _extract_long(args, pipeline)
    source = InputFile(args.input, pipeline.input_columns, args.batch_rows)
    bar = _progress_bar(args, source.num_rows, "extract")
    started = time.perf_counter()
    rows = 0
    with bar:
        batches = source.batches()
        first = next(batches, None)
        if first is None:
            raise ValueError(f"input file {args.input!r} has no rows")
        output = pipeline.transform_batch(first, n_jobs=args.threads, first_row=0)
        with atomic_parquet_writer(args.output, output.schema) as writer:
            while True:
                writer.write_batch(output)
                rows += output.num_rows
                bar.update(output.num_rows)
                batch = next(batches, None)
                if batch is None:
                    break
                output = pipeline.transform_batch(batch, n_jobs=args.threads, first_row=rows)
    seconds = time.perf_counter() - started
    megabytes = source.size_bytes / 1e6
    print(
        f"parafeat extract: {rows:,} rows from {args.input} in {seconds:.2f} s "
        f"({rows / seconds:,.0f} rows/s, {megabytes / seconds:,.1f} MB/s) -> {args.output}"
    )
    return 0


def _extract_long(args, pipeline) -> int:
    """A spec with a long_format stage: the whole file is read (grouping needs every row of an
    id), grouped into one row per id and extracted; the output starts with the id column."""
    started = time.perf_counter()
    source = InputFile(args.input, pipeline.input_columns, args.batch_rows, as_text=False)
    table = source.table()
    with _progress_bar(args, None, "extract") as bar:
        output = pipeline.transform(table, n_jobs=args.threads, progress=False)
        bar.update(output.num_rows)
    with atomic_parquet_writer(args.output, output.schema) as writer:
        writer.write_table(output)
    seconds = time.perf_counter() - started
    print(
        f"parafeat extract: {table.num_rows:,} rows ({output.num_rows:,} ids) from {args.input} "
        f"in {seconds:.2f} s -> {args.output}"
    )
    return 0


def _is_cassandra(path) -> bool:
    return path.startswith("cassandra://")


def _extract_cassandra(args, pipeline) -> int:
    """Cassandra table to Cassandra table, token range by token range, resumable."""
    from parafeat.cassandra import extract

    if not (_is_cassandra(args.input) and _is_cassandra(args.output)):
        raise ValueError("--from and --to must both be cassandra://host/keyspace/table addresses")
    with _progress_bar(args, None, "extract") as bar:
        summary = extract(
            pipeline, args.input, args.output, n_jobs=args.threads, fetch_size=args.batch_rows,
            restart=args.restart, on_rows=bar.update,
        )  # fmt: skip
    rows, seconds = summary["rows"], summary["seconds"]
    print(
        f"parafeat extract: {rows:,} rows from {args.input} in {seconds:.2f} s "
        f"({rows / seconds:,.0f} rows/s) -> {args.output}; {summary['ranges']} token ranges "
        f"done, {summary['skipped_ranges']} ({summary['skipped_rows']:,} rows) done before"
    )
    return 0


def _serve(args) -> int:
    # The native server replaces this process, so signals (SIGTERM drains) reach it directly.
    # A saved state is resolved here into a spec carrying its fitted parameters, handed over
    # through an anonymous in-memory file that the server inherits.
    from parafeat.serve import exec_server

    spec = Pipeline.load(args.state).to_yaml() if args.state else None
    exec_server(args.spec, spec, [
        "--host", args.host, "--port", str(args.port), "--threads", str(args.threads),
        *args.server_args,
    ])  # fmt: skip
    return 1  # not reached: exec_server only returns by raising


def _bench(args) -> int:
    root = os.path.abspath(args.repo)
    if not os.path.isfile(os.path.join(root, "bench", "runner.py")):
        raise FileNotFoundError(
            f"no bench/runner.py under {root!r}: run `parafeat bench` from a parafeat checkout "
            "or pass --repo"
        )
    sys.path.insert(0, root)
    from bench.runner import main as run_bench

    return run_bench([args.suite, *args.suite_args])


def _threads(text: str) -> int:
    value = int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be a positive count, or -1 for all CPUs")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number")
    return value


def _add_run_options(command):
    command.add_argument(
        "--input", "--from", dest="input", required=True,
        help="input file (.jsonl, .csv, .parquet) or table (cassandra://host/keyspace/table)",
    )  # fmt: skip
    command.add_argument("--threads", type=_threads, default=-1, help="threads (-1: all CPUs)")
    command.add_argument(
        "--batch-rows", type=_positive, default=16384, help="rows read and processed per batch"
    )
    command.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="show a progress bar (default: when stderr is a terminal)",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parafeat", description="Parallel feature extraction.")
    commands = parser.add_subparsers(dest="command", required=True)

    fit = commands.add_parser(
        "fit", help="fit a pipeline spec's learning steps on an input file; save its state"
    )
    fit.add_argument("--spec", required=True, help="pipeline spec (YAML)")
    fit.add_argument("--state", required=True, help="fitted pipeline state to write (.pfstate)")
    _add_run_options(fit)
    fit.set_defaults(run=_fit)

    extract = commands.add_parser(
        "extract", help="run a pipeline over an input file and write features to Parquet"
    )
    pipeline = extract.add_mutually_exclusive_group(required=True)
    pipeline.add_argument("--spec", help="pipeline spec (YAML)")
    pipeline.add_argument("--state", help="fitted pipeline state (.pfstate, from parafeat fit)")
    extract.add_argument(
        "--output", "--to", dest="output", required=True,
        help="output Parquet file, or table (cassandra://host/keyspace/table, created if missing)",
    )  # fmt: skip
    extract.add_argument(
        "--restart", action="store_true",
        help="Cassandra: redo every token range, not only those a previous run left unfinished",
    )  # fmt: skip
    _add_run_options(extract)
    extract.set_defaults(run=_extract)

    serve = commands.add_parser(
        "serve", help="serve a pipeline over HTTP (native parafeat-serve: POST /v1/features)",
        epilog="Any other option goes to parafeat-serve as it is (--http-threads, "
        "--max-body-bytes, --timeout-ms, ...; see parafeat-serve --help).",
    )  # fmt: skip
    served = serve.add_mutually_exclusive_group(required=True)
    served.add_argument("--spec", help="pipeline spec (YAML), all steps fitted or given")
    served.add_argument("--state", help="fitted pipeline state (.pfstate, from parafeat fit)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8080, help="port (0: any free port)")
    serve.add_argument(
        "--threads", type=int, default=0, help="threads per request (0: all CPUs)"
    )
    serve.set_defaults(run=_serve, server_args=[])

    bench = commands.add_parser("bench", help="run a benchmark suite from bench/suites")
    bench.add_argument("suite", help="suite name, e.g. text-hashing")
    bench.add_argument("--repo", default=".", help="parafeat checkout holding bench/")
    bench.add_argument("suite_args", nargs=argparse.REMAINDER, help="options for the suite")
    bench.set_defaults(run=_bench)
    return parser


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread as Ctrl-C raises KeyboardInterrupt, so that the work
    in progress stops and a file half written is removed."""


def _sigterm_handler():
    """The SIGTERM handler of this process: it raises _Terminated here, while a child forked
    from this process (a worker of a pool that a bench suite's peer starts, say), which inherits
    the handler, dies of the signal as by default, as its pool expects, without a traceback."""
    owner = os.getpid()

    def handle(signum, frame):
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise _Terminated

    return handle


_WRITTEN_OPTION = {"fit": "state", "extract": "output"}  # the file each command writes


def _check_the_written_file(args):
    """Before any work: the file a command writes can be written, and is not its input (which
    it would replace with what is read from it)."""
    option = _WRITTEN_OPTION.get(args.command)
    written = getattr(args, option) if option else None
    if written is None or _is_cassandra(written):
        return
    file_to_write(written)
    source = args.input
    if os.path.exists(source) and os.path.exists(written) and os.path.samefile(source, written):
        raise ValueError(
            f"--{option} {written} is the input file: give another path, or the input would be "
            "lost"
        )


def main(argv=None) -> int:
    parser = build_parser()
    # Options parafeat does not know are parafeat-serve's (for `serve` only), passed on as they
    # are: argparse would take an option before a REMAINDER positional for its own and refuse it.
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command != "serve":
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if unknown:
        args.server_args = [arg for arg in unknown if arg != "--"]
    previous_handler = signal.signal(signal.SIGTERM, _sigterm_handler())
    try:
        _check_the_written_file(args)
        return args.run(args)
    except _USER_ERRORS as error:
        print(f"parafeat {args.command}: error: {_error_text(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"parafeat {args.command}: interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print(f"parafeat {args.command}: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, previous_handler)  # main() may run inside another program


if __name__ == "__main__":
    sys.exit(main())
