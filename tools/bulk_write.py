# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Write computed rows in bulk, only what changed.

How it works: ``docs/design.md``, section ``tools/bulk_write.py``."""

from odoo import fields
from odoo.tools import SQL

from .sql_arrays import array, unnest


class BulkWriter:
    """The computed ``columns`` ((name, array type) pairs) of ``model``'s table, whose
    rows are identified by ``key`` (a column, e.g. the dealer) among those a ``where``
    condition selects (e.g. one run)."""

    # A plain class, not an Odoo model: its read() and write() override nothing, so
    # pylint-odoo's method-required-super (made for models) does not apply.
    # pylint: disable=method-required-super

    def __init__(self, model, key, columns):
        self.model = model
        self.key = key
        self.columns = list(columns)
        self.names = [name for name, _type in self.columns]

    def read(self, where):
        """{key: (id, values)} of the rows ``where`` selects; numbers as float8, as
        they are computed, to compare them as they are."""
        cr = self.model.env.cr
        cr.execute(
            SQL(
                "SELECT %s, id, %s FROM %s WHERE %s",
                SQL.identifier(self.key),
                SQL(", ").join(
                    SQL("%s::float8", SQL.identifier(name))
                    if pg_type == "numeric[]"
                    else SQL.identifier(name)
                    for name, pg_type in self.columns
                ),
                SQL.identifier(self.model._table),
                where,
            )
        )
        return {row[0]: (row[1], tuple(row[2:])) for row in cr.fetchall()}

    def write(self, rows, current, fixed=(), stamp=(), same=None, delete_missing=False):
        """Make the table match ``rows`` ({key: values in column order}).

        ``current``: what :meth:`read` returned; ``fixed``: {column: value or SQL
        over the new row ``v``} given to inserted rows only; ``stamp``: {column:
        value} given to every inserted or updated row; ``same(key, old, new)``:
        whether an existing row needs no update (default: equal values);
        ``delete_missing``: delete the current rows whose key is not in ``rows``.
        Returns {key: id} of the rows of ``rows``."""
        same = same or (lambda _key, old, new: old == new)
        ids, inserts, updates = {}, [], []
        for key, values in rows.items():
            row = current.get(key)
            if row is None:
                inserts.append((key, *values))
                continue
            ids[key] = row[0]
            if not same(key, row[1], tuple(values)):
                updates.append((row[0], *values))
        missing = [row[0] for key, row in current.items() if key not in rows]
        if inserts:
            ids.update(self._insert(inserts, {**dict(fixed), **dict(stamp)}))
        if updates:
            self._update(updates, dict(stamp))
        if delete_missing and missing:
            self.model.env.cr.execute(
                SQL(
                    "DELETE FROM %s WHERE id = ANY(%s)",
                    SQL.identifier(self.model._table),
                    array(missing),
                )
            )
        if inserts or updates or (delete_missing and missing):
            self.model.invalidate_model()
        return ids

    def _values(self, rows, first, first_type="int[]"):
        return unnest(
            [(first, first_type, [row[0] for row in rows])]
            + [
                (name, pg_type, [row[i] for row in rows])
                for i, (name, pg_type) in enumerate(self.columns, start=1)
            ]
        )

    def _audit(self):
        """The creator/writer columns and values, for a model that keeps them."""
        if not self.model._log_access:
            return {}
        now, uid = fields.Datetime.now(), self.model.env.uid
        return {
            "create_uid": uid,
            "create_date": now,
            "write_uid": uid,
            "write_date": now,
        }

    def _insert(self, rows, fixed):
        fixed.update(self._audit())
        table = self.model._table
        self.model.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (id, %(key)s, %(names)s, %(fixed_names)s)
                SELECT v.id, v.%(key)s, %(values)s, %(fixed_values)s
                  FROM (SELECT nextval(%(sequence)s) AS id, v.* FROM %(unnest)s) v
                RETURNING %(key)s, id
                """,
                table=SQL.identifier(table),
                key=SQL.identifier(self.key),
                names=SQL(", ").join(map(SQL.identifier, self.names)),
                fixed_names=SQL(", ").join(map(SQL.identifier, fixed)),
                values=SQL(", ").join(SQL.identifier("v", name) for name in self.names),
                fixed_values=SQL(", ").join(
                    value if isinstance(value, SQL) else SQL("%s", value)
                    for value in fixed.values()
                ),
                sequence=f"{table}_id_seq",
                unnest=self._values(rows, self.key),
            )
        )
        return dict(self.model.env.cr.fetchall())

    def _update(self, rows, stamp):
        audit = self._audit()
        audit.pop("create_uid", None)
        audit.pop("create_date", None)
        extra = {**stamp, **audit}
        names = [*self.names, *extra]
        self.model.env.cr.execute(
            SQL(
                "UPDATE %s t SET (%s) = (%s) FROM %s WHERE t.id = v.id",
                SQL.identifier(self.model._table),
                SQL(", ").join(map(SQL.identifier, names)),
                SQL(", ").join(
                    [SQL.identifier("v", name) for name in self.names]
                    + [SQL("%s", value) for value in extra.values()]
                ),
                self._values(rows, "id"),
            )
        )
