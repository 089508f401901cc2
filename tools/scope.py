# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The company scope of the scheduled jobs."""


def company_domain(companies, field="company_id"):
    """The domain that keeps a scheduled job to ``companies`` (a res.company
    recordset), or no restriction when None: the scheduler runs every job for every
    company; a test, or an administrator's call, names the companies it means."""
    if companies is None:
        return []
    return [(field, "in", companies.ids)]
