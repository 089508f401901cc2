# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dealer portal's base: whose dealer the portal user is, and its list pages.

The portal's one rule, stated here: a portal user sees only his own dealer's records
(:meth:`DealerPortal._portal_dealer`, :meth:`DealerPortal._prepare_dealer_domain`);
the portal group's record rules say the same to his RPC (docs/design.md)."""

import functools

from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


def dealer_page(method=None, *, missing="/my"):
    """A route of the dealer's own pages: ``method`` gets the portal user's dealer and
    its company first; a user who is no dealer's is sent to ``missing`` (404 when
    None)."""
    if method is None:
        return functools.partial(dealer_page, missing=missing)

    @functools.wraps(method)
    def route(self, *args, **kw):
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect(missing) if missing else request.not_found()
        # the dealer and company are the session's, never the request's
        kw.pop("dealer", None)
        kw.pop("company", None)
        company = dealer.company_id or request.env.company
        return method(self, dealer, company, *args, **kw)

    return route


class DealerPortal(CustomerPortal):
    def _portal_dealer(self):
        """The dealer the current user works for (his commercial partner), or an
        empty recordset when he is none's."""
        partner = request.env.user.partner_id.commercial_partner_id.sudo()
        return partner._dealers()

    def _prepare_dealer_domain(self, dealer):
        """The records of ``dealer``: what every list of the portal starts from."""
        return [("partner_id", "=", dealer.id)]

    def _dealer_counters(self):
        """Home counters: ``{counter: (model, read as the addon)}``."""
        return {}

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        dealer = self._portal_dealer()
        for counter, (model, as_addon) in self._dealer_counters().items():
            if counter not in counters:
                continue
            Model = request.env[model]
            if not dealer or not (as_addon or Model.has_access("read")):
                values[counter] = 0
            elif as_addon:
                values[counter] = Model.sudo().search_count(
                    Model._portal_domain(dealer)
                )
            else:
                values[counter] = Model.search_count(
                    self._prepare_dealer_domain(dealer)
                )
        return values

    def _page_of(self, Model, domain, url, page, order, url_args):
        """One page of the records of ``domain`` and its pager."""
        pager = portal_pager(
            url=url,
            total=Model.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args=url_args,
        )
        records = Model.search(
            domain, order=order, limit=self._items_per_page, offset=pager["offset"]
        )
        return records, pager

    def _prepare_dealer_list_values(self, dealer, model, url, page, sortby, sortings):
        """A list page of ``model`` (pager, sort), searched as the user within his
        dealer's records, rendered as the addon (a page shows related records' fields
        the portal group does not read)."""
        sortby = sortby if sortby in sortings else next(iter(sortings))
        records, pager = self._page_of(
            request.env[model],
            self._prepare_dealer_domain(dealer),
            url,
            page,
            sortings[sortby]["order"],
            {"sortby": sortby},
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "records": records.sudo(),
                "pager": pager,
                "default_url": url,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "dealer": dealer,
            }
        )
        return values

    def _prepare_addon_list_values(self, dealer, model, url, page, options, kw):
        """A list page of a model the portal group does not read: the records of its
        ``_portal_domain(dealer)``, read by the addon, sorted, filtered and searched as
        Odoo's portal lists are (``options``: sortings, filters, search field and
        label; ``kw``: the request's sortby, filterby, search)."""
        Model = request.env[model].sudo()
        sortings, filters = options["sortings"], options["filters"]
        sortby = (
            kw.get("sortby") if kw.get("sortby") in sortings else next(iter(sortings))
        )
        filterby = (
            kw.get("filterby") if kw.get("filterby") in filters else next(iter(filters))
        )
        search = (kw.get("search") or "").strip()
        domain = Model._portal_domain(dealer) + filters[filterby]["domain"]
        if search:
            domain += [(options["search_field"], "ilike", search)]
        records, pager = self._page_of(
            Model,
            domain,
            url,
            page,
            sortings[sortby]["order"],
            {"sortby": sortby, "filterby": filterby, "search": search},
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "records": records,
                "pager": pager,
                "default_url": url,
                "dealer": dealer,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": {
                    "all": {"input": "all", "label": options["search_label"]}
                },
                "search_in": "all",
                "search": search,
            }
        )
        return values
