"""Pipeline: a YAML spec of extractors, fitted by parafeat's vectorizers and run by the native
engine on Arrow data."""

import functools
import json
import os

import pyarrow as pa

from parafeat import _core
from parafeat._atomic import atomic_write_bytes
from parafeat._progress import RowsProgress
from parafeat._threads import MORSEL_ROWS, resolve_n_jobs

__all__ = ["Pipeline"]

_STATE_KIND = "pipeline"
# The payload entry holding the fitted spec (src/state/pipeline_state.h), for readers without the
# fitting code: the native server reads it (parafeat-serve --state).
_FITTED_SPEC_ENTRY = ""


def as_arrow_table(data, document_columns=None) -> pa.Table:
    """Converts a pyarrow Table/RecordBatch, a pandas or polars DataFrame, or a dict of columns.
    A column of a dict or DataFrame that Arrow cannot convert is an error naming it, its first
    row that Arrow refuses (``.row``, a 0-based position) and the fix; for a column named by
    ``document_columns`` (None, or a function giving the names of the columns read as
    documents, called only once Arrow has refused a column) the row is the first value that is
    not a document, as the text vectorizers find it."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    module = type(data).__module__.split(".")[0]
    if isinstance(data, dict) or module == "pandas":
        try:
            if module == "pandas":
                return pa.Table.from_pandas(data, preserve_index=False)
            return pa.table(data)
        except (pa.ArrowTypeError, pa.ArrowInvalid) as error:
            documents = document_columns() if document_columns else ()
            raise _column_error(data, error, documents) from None
    if module == "polars":
        return data.to_arrow()
    if hasattr(data, "__arrow_c_stream__"):
        return pa.table(data)
    raise TypeError(
        "expected a pyarrow Table or RecordBatch, a pandas or polars DataFrame, or a dict of "
        f"columns; got {type(data).__name__}"
    )


def _column_error(data, error, documents):
    """The error of a dict of columns or pandas DataFrame ``data`` that Arrow cannot convert
    (``error``): it names the first column Arrow refuses and the row (see
    :func:`as_arrow_table`). Only called once Arrow has failed: the rows are searched then.
    Arrow's ``error`` when every column converts on its own."""
    from_pandas = not isinstance(data, dict)
    for name, column in data.items():
        refusal = _arrow_refusal(column, from_pandas)
        if refusal is None:
            continue
        if name in documents:
            named = _document_error(name, column)
            if named is not None:
                return named
        return _refused_row_error(name, column, from_pandas, refusal)
    return error


def _document_error(name, column):
    """The error naming the first value of the documents ``column`` that is not a str (found by
    the engine's own reading of documents, as the text vectorizers find it), or None when every
    value is a document."""
    from parafeat.text._params import check_documents

    try:
        check_documents(column)
    except (TypeError, ValueError) as bad:
        named = type(bad)(
            f"column {name!r}, {str(bad).rstrip('.')}; every row must be a str: convert the "
            "column's values, or drop the rows that have none"
        )
        named.row = getattr(bad, "row", None)
        return named
    return None


def _refused_row_error(name, column, from_pandas, refusal):
    """The error naming the first row of ``column`` that Arrow refuses (``refusal``: its error
    for the whole column), with Arrow's reason."""
    row, error = _first_refused_row(column, from_pandas, refusal)
    named = type(error)(
        f"column {name!r}, row {row}: {error}; every row of a column must hold a value of one "
        "type: convert the column's values (e.g. with pd.to_numeric or .astype), or drop the "
        "rows that do not fit"
    )
    named.row = row
    return named


def _arrow_refusal(values, from_pandas):
    """The error Arrow raises converting ``values`` to an array, or None when it converts them."""
    try:
        pa.array(values, from_pandas=from_pandas)
    except (pa.ArrowTypeError, pa.ArrowInvalid) as error:
        return error
    return None


def _first_refused_row(column, from_pandas, refusal):
    """``(row, error)``: the 0-based position of the first row of ``column`` that Arrow cannot
    convert together with the rows before it (a value it cannot convert, or one of another type
    than theirs), and Arrow's error for it (``refusal``: its error for the whole column). The
    shortest refused prefix is found by doubling a prefix's length, then halving the interval,
    so that the work grows with the row, not with the column."""
    rows = column.iloc if hasattr(column, "iloc") else column  # positions, not index labels
    converts, refused, error = 0, len(column), refusal
    probe = 1
    while probe < refused:
        probe_error = _arrow_refusal(rows[:probe], from_pandas)
        if probe_error is not None:
            refused, error = probe, probe_error
            break
        converts, probe = probe, 2 * probe
    while refused - converts > 1:
        middle = (converts + refused) // 2
        middle_error = _arrow_refusal(rows[:middle], from_pandas)
        if middle_error is None:
            converts = middle
        else:
            refused, error = middle, middle_error
    return refused - 1, error


def _vectorizer_classes():
    from parafeat.text import CountVectorizer, TfidfVectorizer

    return {"count_vectorizer": CountVectorizer, "tfidf_vectorizer": TfidfVectorizer}


def _vectorizer(step, n_jobs):
    """The parafeat.text vectorizer of a fittable step, made from its resolved parameters."""
    cls = _vectorizer_classes()[step["name"]]
    names = set(cls._get_param_names())
    params = {key: value for key, value in step["params"].items() if key in names}
    if isinstance(params.get("ngram_range"), (list, tuple)):
        params["ngram_range"] = tuple(params["ngram_range"])
    if isinstance(params.get("vocabulary"), tuple):
        params["vocabulary"] = list(params["vocabulary"])
    if isinstance(params.get("stop_words"), tuple):
        params["stop_words"] = list(params["stop_words"])
    return cls(**params, n_jobs=n_jobs)


def _fitted_params(vectorizer):
    """The parameters a fitted vectorizer adds to its step: vocabulary (and idf)."""
    params = {"vocabulary": vectorizer._terms_by_column()}
    if getattr(vectorizer, "use_idf", False):
        params["idf"] = [float(weight) for weight in vectorizer.idf_]
    return params


def _encode_states(states, fitted_spec=None) -> bytes:
    entries = [(output, states[output].to_bytes()) for output in sorted(states)]
    if fitted_spec is not None:
        entries.append((_FITTED_SPEC_ENTRY, fitted_spec.encode("utf-8")))
    return _core.encode_pipeline_entries(entries)


def _state_entries(payload: bytes) -> list:
    """(output, state bytes) of each step's state in a pipeline payload."""
    return [
        (name, value)
        for name, value in _core.decode_pipeline_entries(payload)
        if name != _FITTED_SPEC_ENTRY
    ]


def _decode_states(payload: bytes) -> dict:
    from parafeat.text import VocabularyState

    return {name: VocabularyState.from_bytes(value) for name, value in _state_entries(payload)}


class Pipeline:
    """An ordered list of extractors read from a YAML spec (see the project README).

    Each extractor reads one input column and writes one output column. Steps that learn from
    data (``count_vectorizer``, ``tfidf_vectorizer``) are fitted with :meth:`fit` (or the
    ``parafeat fit`` command), which gives exactly what the matching parafeat.text vectorizer's
    fit gives; a fitted pipeline saves to and loads from a versioned state file embedding its
    spec. ``transform`` returns a pyarrow Table with one column per extractor; sparse features
    are a struct of ``indices`` and ``values`` lists per row.
    """

    def __init__(self, spec: str, *, _fitted=None, _states=None):
        self._spec = spec
        self._native = _core.Pipeline(spec, _fitted or {})
        # What fitting added to each learning step's parameters (see _fitted_params): with the
        # spec, all that Pipeline(spec, _fitted=...) needs to transform as this one does.
        self._fitted = dict(_fitted or {})
        self._states = dict(_states or {})
        self._to_fit = [s for s in _core.Pipeline(spec).steps if not s["fitted"]]

    @classmethod
    def from_yaml(cls, path_or_yaml) -> "Pipeline":
        """Reads a spec from a file path or from a YAML string. A string of one line is a path
        when it names a file or cannot be a spec (a spec's mapping has a ':'), so that a path
        that does not exist is a FileNotFoundError, not a spec said to be malformed. Anything
        else is a TypeError (an int would be opened as a file descriptor, and closed)."""
        if not isinstance(path_or_yaml, (str, os.PathLike)):
            raise TypeError(
                "Pipeline.from_yaml takes a path (str or os.PathLike) or a YAML string, got "
                f"{type(path_or_yaml).__name__}"
            )
        text = str(path_or_yaml)
        one_line = "\n" not in text
        if isinstance(path_or_yaml, os.PathLike) or (
            one_line and (":" not in text or os.path.isfile(text))
        ):
            with open(path_or_yaml, "rb") as spec_file:
                data = spec_file.read()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValueError(
                    f"pipeline spec {path_or_yaml}: not UTF-8 text (byte {error.start}); save "
                    "it as UTF-8"
                ) from None
        return cls(text)

    @property
    def input_columns(self) -> list:
        """The input columns the pipeline reads, in first-use order: the extractors' columns, or,
        for a spec with a ``long_format`` stage, its id, sort, kind and value columns."""
        if self.long_format is not None:
            from parafeat.timeseries._grouping import long_format_columns

            return long_format_columns(self.long_format)
        return self._native.input_columns

    @property
    def long_format(self):
        """The spec's ``long_format`` stage as a dict (``column_id``, ``column_sort``,
        ``column_kind``, ``column_value``; None for those not given), or None."""
        return self._native.long_format

    @property
    def feature_names(self) -> dict:
        """The names of each dense output's features, in column order, by output name (e.g.
        ``value__mean``, as tsfresh names them); sparse outputs are not listed."""
        return {s["output"]: list(s["feature_names"]) for s in self._steps() if s["dense"]}

    @property
    def output_columns(self) -> list:
        """The output column names, one per extractor, in spec order."""
        return self._native.output_columns

    @property
    def output_widths(self) -> dict:
        """The width of each output's feature space (e.g. ``n_features``, or the size of a
        fitted vocabulary), by output name; 0 for a step not fitted yet."""
        return {step["output"]: step["num_columns"] for step in self._steps()}

    def _steps(self) -> list:
        """The native pipeline's steps, read once per fitting: each holds its resolved
        parameters, a fitted vocabulary among them, which take long to convert."""
        cached = getattr(self, "_steps_of_native", None)
        if cached is None or cached[0] is not self._native:
            cached = self._steps_of_native = (self._native, self._native.steps)
        return cached[1]

    @property
    def spec(self) -> str:
        """The YAML spec the pipeline was made from, as given."""
        return self._spec

    @property
    def is_fitted(self) -> bool:
        """Whether every step can transform (steps that learn from data have been fitted)."""
        return self._native.is_fitted

    def to_yaml(self) -> str:
        """The spec with every parameter resolved to the value in use."""
        return self._native.to_yaml()

    def fit(self, data, n_jobs=-1, progress=None):
        """Fits the steps that learn from data on ``data`` (see :func:`as_arrow_table`).
        ``progress``: a progress bar of the rows counted, each fitted step counting every row
        (None: as ``parafeat.config(progress=...)`` says)."""
        table = as_arrow_table(data, document_columns=self._document_columns)
        self._check_columns(table.column_names)
        batches = table.select(self.input_columns).to_batches()
        return self.fit_batches(batches, n_jobs=n_jobs, progress=progress)

    def fit_batches(self, batches, n_jobs=-1, on_batch=None, progress=False):
        """Fits on record batches streamed in corpus order, in memory bounded by the
        vocabularies: each batch is counted into vocabulary states that merge in order, so the
        result equals fitting on all rows at once. ``on_batch(rows)`` is called after each;
        ``progress`` as in :meth:`count_states`."""
        states, rows = self.count_states(
            batches, n_jobs=n_jobs, on_batch=on_batch, progress=progress
        )
        if rows == 0 and self._to_fit:
            raise ValueError("cannot fit on an empty input")
        return self.fit_from_states(states)

    def count_states(self, batches, n_jobs=-1, on_batch=None, first_row=0, progress=False):
        """The partial fit of record batches streamed in order, leaving the pipeline unchanged:
        ``(states, rows)``, one mergeable fit state per step that learns from data (by output
        name; none for an empty input) and the number of rows counted. The states of
        consecutive parts of an input, combined with :meth:`merge_states` in input order, equal
        the states of the whole input byte for byte, so parts can be counted elsewhere (e.g. one
        per Spark partition) and fitted once with :meth:`fit_from_states`. Errors name rows
        counted from ``first_row``. ``progress``: a progress bar of the rows counted, each step
        counting every row (None: as ``parafeat.config`` says; off by default, as callers that
        stream batches show their own); its total is known when ``batches`` is a list."""
        vectorizers = self._vectorizers(n_jobs)
        states, rows = {}, 0
        total = None
        if isinstance(batches, list):
            total = sum(batch.num_rows for batch in batches) * len(self._to_fit)
        with RowsProgress(progress, "Pipeline.fit", total) as bar:
            for batch in batches:
                counted = {}
                for step in self._to_fit:
                    try:
                        counted[step["output"]] = vectorizers[step["output"]].count_arrow_state(
                            batch, step["column"], first_row=first_row + rows,
                            progress=bar.pass_(),
                        )  # fmt: skip
                    except (TypeError, ValueError) as error:
                        located = type(error)(
                            f"extractor '{step['output']}', column '{step['column']}': {error}"
                        )
                        located.row = getattr(error, "row", None)  # the rejected row, if any
                        raise located from error
                states = self.merge_states(states, counted)
                rows += batch.num_rows
                if on_batch is not None:
                    on_batch(batch.num_rows)
        return states, rows

    @staticmethod
    def merge_states(earlier: dict, later: dict) -> dict:
        """Merges the fit states of a later part of an input into those of the part before it
        (see :meth:`count_states`); either may be empty. Returns ``earlier``, updated."""
        for output, state in later.items():
            previous = earlier.get(output)
            earlier[output] = state if previous is None else previous.merge(state)
        return earlier

    @staticmethod
    def merge_states_from_bytes(earlier: dict, data) -> dict:
        """``merge_states(earlier, states_from_bytes(data))``, faster: each later state is read
        straight into the earlier one. Damaged data raises ValueError and leaves ``earlier``
        unusable. Returns ``earlier``, updated."""
        from parafeat.text import VocabularyState

        for output, value in _state_entries(bytes(data)):
            previous = earlier.get(output)
            if previous is None:
                earlier[output] = VocabularyState.from_bytes(value)
            else:
                previous.merge_bytes(value)
        return earlier

    @staticmethod
    def states_to_bytes(states: dict) -> bytes:
        """Fit states (as :meth:`count_states` gives them) as bytes, to send them elsewhere;
        :meth:`states_from_bytes` reads them back."""
        return _encode_states(states)

    @staticmethod
    def states_from_bytes(data) -> dict:
        """Reads :meth:`states_to_bytes` output; damaged data raises ValueError."""
        return _decode_states(bytes(data))

    def fit_from_states(self, states: dict, n_jobs=-1):
        """Fits the steps that learn from data from their merged fit states (see
        :meth:`count_states`): equal to fitting on the rows the states counted."""
        expected = sorted(s["output"] for s in self._to_fit)
        if sorted(states) != expected:
            raise ValueError(
                f"pipeline state: holds fit states for {sorted(states)}, but its spec fits "
                f"{expected}"
            )
        self._use_states(states, self._vectorizers(n_jobs))
        return self

    def _vectorizers(self, n_jobs):
        return {s["output"]: _vectorizer(s, n_jobs) for s in self._to_fit}

    def _use_states(self, states, vectorizers):
        fitted = {}
        for output, vectorizer in vectorizers.items():
            vectorizer.fit_from_state(states[output])
            fitted[output] = _fitted_params(vectorizer)
        self._native = _core.Pipeline(self._spec, fitted)
        self._fitted = fitted
        self._states = states

    def to_bytes(self) -> bytes:
        """The fitted pipeline (its spec, fit states and the fitted spec, which the native server
        reads) in the versioned ``.pfstate`` format."""
        if not self.is_fitted:
            raise ValueError("the pipeline is not fitted: call fit() first")
        if _FITTED_SPEC_ENTRY in self._states:
            raise ValueError("a step whose output is named '' cannot be saved: name its output")
        payload = _encode_states(self._states, fitted_spec=self.to_yaml())
        return _core.encode_state(_STATE_KIND, self._spec, payload)

    @classmethod
    def from_bytes(cls, data: bytes, n_jobs=-1) -> "Pipeline":
        """Reads :meth:`to_bytes` output; damaged data or data from another version raises
        ValueError saying which."""
        spec, payload = _core.decode_state(bytes(data), _STATE_KIND)
        return cls(spec).fit_from_states(_decode_states(payload), n_jobs=n_jobs)

    def __reduce__(self):
        """Pickles (and copy.deepcopy) as the spec, or when fitted as :meth:`to_bytes`, from
        which an equal pipeline is rebuilt: the native pipeline itself does not pickle."""
        if self.is_fitted:
            return Pipeline.from_bytes, (self.to_bytes(),)
        return Pipeline, (self._spec,)

    def save(self, path):
        """Writes the fitted pipeline (its spec and fit states) to ``path`` atomically."""
        atomic_write_bytes(path, self.to_bytes())

    @classmethod
    def load(cls, path, n_jobs=-1) -> "Pipeline":
        """Reads a pipeline saved with :meth:`save`; a damaged file or one from another version
        raises ValueError saying which."""
        with open(path, "rb") as state_file:
            return cls.from_bytes(state_file.read(), n_jobs=n_jobs)

    def _check_columns(self, names):
        missing = [c for c in self.input_columns if c not in names]
        if missing:
            raise KeyError(f"input has no column {missing[0]!r}; it has columns: {names}")

    def transform_batch(self, batch: pa.RecordBatch, n_jobs=-1, progress=None, first_row=0):
        """Runs the pipeline's steps on one record batch (for a ``long_format`` spec: a batch of
        grouped series, one row per id); errors name rows counted from ``first_row``. Dense
        outputs are fixed-size lists of float64 whose field metadata holds their feature names
        (``parafeat.feature_names``, a JSON list)."""
        schema_capsule, array_capsule = batch.__arrow_c_array__()
        out_schema, out_array = self._native.transform_batch(
            schema_capsule, array_capsule, resolve_n_jobs(n_jobs), MORSEL_ROWS, first_row, progress
        )
        return self._named(pa.RecordBatch._import_from_c_capsule(out_schema, out_array))

    @functools.cached_property
    def _feature_name_metadata(self) -> dict:
        """Each dense output's Arrow field metadata, built once (fitting changes no dense
        output's names)."""
        return {
            output: {"parafeat.feature_names": json.dumps(names)}
            for output, names in self.feature_names.items()
        }

    def _named(self, batch):
        metadata = self._feature_name_metadata
        if not metadata:
            return batch
        fields = [
            field.with_metadata(metadata[field.name]) if field.name in metadata else field
            for field in batch.schema
        ]
        return pa.RecordBatch.from_arrays(batch.columns, schema=pa.schema(fields))

    def transform(self, data, n_jobs=-1, progress=None) -> pa.Table:
        """Extracts features from ``data`` (see :func:`as_arrow_table` for accepted types).
        ``progress``: a progress bar of the rows done (None: as ``parafeat.config`` says).

        Steps that read series (``timeseries_features``) take a column of lists of numbers (one
        series per row) and give a fixed-size list of float64 per row, named by
        :attr:`feature_names`. With a ``long_format`` stage, the long-format rows are first
        grouped into one row per id (ids sorted, as extract_features' index) and the result
        starts with the id column."""
        if self.long_format is not None:
            return self._transform_long(data, n_jobs, progress)
        table = as_arrow_table(data, document_columns=self._document_columns)
        self._check_columns(table.column_names)
        return self._transform_table(table.select(self.input_columns), n_jobs, progress)

    def _transform_table(self, table, n_jobs, progress):
        batches, first_row = [], 0
        with RowsProgress(progress, "Pipeline.transform", table.num_rows) as bar:
            for batch in table.to_batches():
                batches.append(
                    self.transform_batch(batch, n_jobs, bar.pass_(), first_row=first_row)
                )
                first_row += batch.num_rows
        if not batches:
            batches.append(self.transform_batch(self._empty_input(), n_jobs=n_jobs))
        return pa.Table.from_batches(batches)

    def _series_columns(self) -> set:
        """The input columns the steps read series (lists of numbers) from."""
        return {s["column"] for s in self._steps() if s["reads_series"]}

    def _document_columns(self) -> set:
        """The input columns the steps read documents (str) from: all but the series columns."""
        return set(self._native.input_columns) - self._series_columns()

    def _input_types(self) -> dict:
        """The Arrow type each of the steps' input columns is read as, by column: a list of
        float64 for a column a step reads series from, a string otherwise."""
        series = self._series_columns()
        return {
            column: pa.large_list(pa.float64()) if column in series else pa.large_string()
            for column in self._native.input_columns
        }

    def _empty_input(self):
        """A batch of no rows with the steps' input columns, each of the type its step reads."""
        return pa.RecordBatch.from_pydict({
            column: pa.array([], arrow_type) for column, arrow_type in self._input_types().items()
        })  # fmt: skip

    def _transform_long(self, data, n_jobs, progress):
        from parafeat.timeseries._grouping import group_long_format

        if type(data).__module__.split(".")[0] != "pandas":
            data = as_arrow_table(data)  # a dict here is columns, not tsfresh's dict of frames
        id_column = self.long_format["column_id"]
        try:
            grouped = group_long_format(data, self.long_format, self._native.input_columns)
        except (pa.ArrowTypeError, pa.ArrowInvalid) as error:
            if isinstance(data, pa.Table):
                raise
            # The ids of a pandas frame, which Arrow reads only once they are grouped.
            raise _column_error(data[[id_column]], error, ()) from None
        features = self._transform_table(grouped.drop_columns([id_column]), n_jobs, progress)
        return features.add_column(0, id_column, grouped.column(id_column))
