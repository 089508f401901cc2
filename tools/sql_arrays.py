# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Column arrays for set-based writes: tens of thousands of rows in one statement.

psycopg2 sends a Python list as ``ARRAY[v1, v2, ...]``, a constant per value that the
server parses and plans one by one: for 20,000 rows of nine columns that is a fifth of
a second before the first row is written. An array *literal* (``'{v1,v2,...}'``) is one
string parameter, read by the type's input function in a single pass.
"""

from odoo.tools import SQL

ARRAY_TYPES = (
    "int[]",
    "numeric[]",
    "float8[]",
    "bool[]",
    "varchar[]",
    "text[]",
    "date[]",
)


def array_literal(values, pg_type):
    """The text of a PostgreSQL array literal of ``values`` (None is NULL)."""
    if pg_type not in ARRAY_TYPES:
        raise ValueError(f"unsupported array type {pg_type}")
    if pg_type == "bool[]":
        items = ("NULL" if v is None else "t" if v else "f" for v in values)
    elif pg_type in ("varchar[]", "text[]", "date[]"):
        items = (
            "NULL"
            if v is None
            else '"%s"' % str(v).replace("\\", "\\\\").replace('"', '\\"')
            for v in values
        )
    elif None in values:
        items = ("NULL" if v is None else repr(v) for v in values)
    else:
        items = map(repr, values)
    return "{" + ",".join(items) + "}"


def array(values, pg_type="int[]"):
    """``values`` as one typed array parameter, e.g. for ``= ANY(...)``."""
    return SQL("%s::" + pg_type, array_literal(list(values), pg_type))


def unnest(columns, alias="v"):
    """``unnest(...) AS v(name, ...)`` over ``columns``: (name, type, values) triples
    whose value lists have one entry per row."""
    return SQL(
        "unnest(%s) AS %s(%s)",
        SQL(", ").join(array(values, pg_type) for _name, pg_type, values in columns),
        SQL.identifier(alias),
        SQL(", ").join(SQL.identifier(name) for name, _type, _values in columns),
    )
