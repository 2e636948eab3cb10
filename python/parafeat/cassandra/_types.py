"""CQL types <-> Arrow types: how columns read from Cassandra become Arrow arrays, and which CQL
column type holds each pipeline output column."""

import pyarrow as pa

_SCALARS = {
    "text": pa.large_string(), "varchar": pa.large_string(), "ascii": pa.large_string(),
    "int": pa.int32(), "bigint": pa.int64(), "counter": pa.int64(), "smallint": pa.int16(),
    "tinyint": pa.int8(), "float": pa.float32(), "double": pa.float64(), "boolean": pa.bool_(),
    "blob": pa.large_binary(), "timestamp": pa.timestamp("ms", tz="UTC"), "date": pa.date32(),
    "uuid": pa.large_string(), "timeuuid": pa.large_string(), "inet": pa.large_string(),
    "varint": pa.int64(),
}  # fmt: skip
_AS_TEXT = {"uuid", "timeuuid", "inet"}
# The Arrow field metadata key that names the CQL type of a string column read from a uuid,
# timeuuid or inet column, so that a table created from that column gets the same type back.
CQL_TYPE_KEY = b"parafeat.cql_type"

_CQL_OF_ARROW = {
    pa.string(): "text", pa.large_string(): "text", pa.int8(): "tinyint", pa.int16(): "smallint",
    pa.int32(): "int", pa.int64(): "bigint", pa.float32(): "float", pa.float64(): "double",
    pa.bool_(): "boolean", pa.binary(): "blob", pa.large_binary(): "blob",
}  # fmt: skip


def _strip_frozen(cql: str) -> str:
    cql = cql.replace(" ", "")
    while cql.startswith("frozen<") and cql.endswith(">"):
        cql = cql[len("frozen<") : -1]
    return cql


def arrow_type(cql_type: str, where: str) -> pa.DataType:
    """The Arrow type a CQL column reads as; NotImplementedError naming ``where`` otherwise."""
    cql = _strip_frozen(cql_type)
    if cql in _SCALARS:
        return _SCALARS[cql]
    if cql.startswith("map<") and cql.endswith(">"):
        key, _, value = cql[4:-1].partition(",")
        return sparse_type(arrow_type(key, where), arrow_type(value, where))
    for collection in ("list", "set"):
        if cql.startswith(collection + "<") and cql.endswith(">"):
            return pa.large_list(arrow_type(cql[len(collection) + 1 : -1], where))
    raise NotImplementedError(f"{where}: parafeat cannot read CQL type {cql_type!r} yet")


def arrow_field(name: str, cql_type: str, where: str) -> pa.Field:
    """The Arrow field a CQL column reads as: :func:`arrow_type`, and for a column read as
    text (uuid, timeuuid, inet) its CQL type in the field's metadata (``parafeat.cql_type``)."""
    cql = _strip_frozen(cql_type)
    metadata = {CQL_TYPE_KEY: cql.encode()} if cql in _AS_TEXT else None
    return pa.field(name, arrow_type(cql_type, where), metadata=metadata)


def to_arrow(values: list, cql_type: str, arrow: pa.DataType) -> pa.Array:
    """An Arrow array of driver values of one CQL column."""
    if _strip_frozen(cql_type) in _AS_TEXT:
        values = [None if v is None else str(v) for v in values]
    elif pa.types.is_struct(arrow):  # a map, as a sparse struct of sorted keys and values
        values = [None if v is None else {"indices": list(v), "values": list(v.values())}
                  for v in values]  # fmt: skip
    elif _strip_frozen(cql_type) == "date":
        values = [None if v is None else v.date() for v in values]
    return pa.array(values, type=arrow)


def cql_type(arrow: pa.DataType, where: str) -> str:
    """The CQL column type holding an Arrow column: sparse features (a struct of ``indices`` and
    ``values`` lists) as ``frozen<map<int, double|float>>``, dense vectors as
    ``frozen<list<...>>``, timestamps and dates as ``timestamp`` and ``date``. Frozen: one cell
    per row rather than one per entry, several times cheaper for the node to write, and a
    rewrite replaces the value whole."""
    if arrow in _CQL_OF_ARROW:
        return _CQL_OF_ARROW[arrow]
    if pa.types.is_timestamp(arrow):  # stored as milliseconds; a finer part is an error
        return "timestamp"
    if pa.types.is_date(arrow):
        return "date"
    if is_sparse(arrow):
        return f"frozen<map<int, {cql_type(arrow.field('values').type.value_type, where)}>>"
    if pa.types.is_list(arrow) or pa.types.is_large_list(arrow) or (
        pa.types.is_fixed_size_list(arrow)
    ):
        return f"frozen<list<{cql_type(arrow.value_type, where)}>>"
    raise NotImplementedError(f"{where}: no CQL column type for Arrow type {arrow}")


def field_cql_type(field: pa.Field, where: str) -> str:
    """The CQL column type holding an Arrow field: :func:`cql_type` of its type, except that a
    string field whose metadata names uuid, timeuuid or inet (as :func:`arrow_field` sets it)
    is held by a column of that type."""
    wanted = cql_type(field.type, where)
    named = (field.metadata or {}).get(CQL_TYPE_KEY, b"").decode()
    return named if wanted == "text" and named in _AS_TEXT else wanted


def sparse_type(index: pa.DataType, value: pa.DataType) -> pa.DataType:
    """The pipeline's sparse-features type: a struct of ``indices`` and ``values`` lists."""
    return pa.struct([("indices", pa.list_(index)), ("values", pa.list_(value))])


def is_sparse(arrow: pa.DataType) -> bool:
    """Whether ``arrow`` is the pipeline's sparse-features struct (indices, values)."""
    return (
        pa.types.is_struct(arrow)
        and [f.name for f in arrow] == ["indices", "values"]
        and all(pa.types.is_list(f.type) or pa.types.is_large_list(f.type) for f in arrow)
    )


def same_cql_type(declared: str, wanted: str) -> bool:
    """Whether a table's declared column type is the wanted one (ignoring spaces and frozen:
    a frozen and a plain collection take the same values), or both are read as text (text,
    uuid, timeuuid, inet): a string column goes into any of them, its values checked as they
    are encoded."""
    declared, wanted = _strip_frozen(declared), _strip_frozen(wanted)
    as_text = _AS_TEXT | {"text"}
    return declared == wanted or (declared in as_text and wanted in as_text)


def python_values(column: pa.Array) -> list:
    """Driver-ready Python values of an Arrow column (sparse structs become {index: value})."""
    if is_sparse(column.type):
        indices = column.field("indices").to_pylist()
        values = column.field("values").to_pylist()
        valid = column.is_valid().to_pylist()
        return [
            dict(zip(i, v)) if ok else None for i, v, ok in zip(indices, values, valid)
        ]  # fmt: skip
    return column.to_pylist()
