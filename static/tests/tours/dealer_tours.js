/** @odoo-module **/
// Browser tests of the three daily paths (tests/test_tours.py starts them).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("dealer_salesperson_evaluation", {
    steps: () => [
        {
            content: "Open the dealer's evaluations",
            trigger: "button[name='action_view_dealer_evaluations']",
            run: "click",
        },
        {
            content: "Open the draft evaluation",
            trigger: ".o_data_row:contains('Draft') td.o_data_cell",
            run: "click",
        },
        {
            content: "Score the first criterion",
            trigger: ".o_field_one2many[name='line_ids'] .o_data_row:first td[name='score']",
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name='line_ids'] .o_data_row .o_field_widget[name='score'] input",
            run: "edit 4",
        },
        {
            content: "Submit it",
            trigger: ".o_form_view button[name='action_submit']",
            run: "click",
        },
        {
            content: "The evaluation is submitted",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_manager_rebate_approval", {
    steps: () => [
        {
            content: "Give the approval",
            trigger: ".o_form_view button[name='validate_tier']",
            run: "click",
        },
        {
            content: "The statement is approved",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_accountant_aging_warning", {
    steps: () => [
        {
            content: "The aging of a dealer with warnings: open them",
            trigger: ".o_data_row button[name='action_view_warnings']",
            run: "click",
        },
        {
            content: "Open an open warning",
            trigger: ".o_data_row:contains('Open') td.o_data_cell",
            run: "click",
        },
        {
            content: "Acknowledge it",
            trigger: ".o_form_view button[name='action_acknowledge']",
            run: "click",
        },
        {
            content: "The warning is acknowledged",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Acknowledged')",
        },
    ],
});

// The dealer portal, as a dealer's staff uses it (tests/test_tours.py): raise a service
// case with a photo, confirm a statement of account, submit the month's stock report,
// open a rebate statement and find its PDF.
const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

registry.category("web_tour.tours").add("dealer_portal", {
    steps: () => [
        {
            content: "A repair",
            trigger: "select[name='case_type']",
            run: "select repair",
        },
        {
            content: "Of the first product",
            trigger: "select[name='product_id']",
            run: "selectByIndex 1",
        },
        {
            content: "Why",
            trigger: "textarea[name='reason']",
            run: "edit The lid of the tour's cooker cracked",
        },
        {
            content: "With a photo",
            trigger: "input[name='photos']",
            run() {
                const bytes = Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "tour.png", { type: "image/png" }));
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Raise the case",
            trigger: "form[action='/my/dealer/service/new'] button[type='submit']",
            run: "click",
        },
        {
            content: "The case's page",
            trigger: "#discussion",
        },
        {
            content: "The statements of account",
            trigger: "body",
            run: "goToUrl /my/dealer/statements",
        },
        {
            content: "Last month's",
            trigger: "a[href^='/my/dealer/statements/']",
            run: "click",
        },
        {
            content: "Confirm it",
            trigger: "button[name='answer'][value='confirmed']",
            run: "click",
        },
        {
            content: "Confirmed",
            trigger: ".badge.text-bg-success",
        },
        {
            content: "The stock report",
            trigger: "body",
            run: "goToUrl /my/dealer/stock",
        },
        {
            content: "Submit it as proposed",
            trigger: "form[action='/my/dealer/stock/submit'] button[type='submit']",
            run: "click",
        },
        {
            content: "Recorded",
            trigger: ".alert-success",
        },
        {
            content: "The bulletins",
            trigger: "body",
            run: "goToUrl /my/dealer/bulletins",
        },
        {
            content: "The latest bulletin",
            trigger: "a[href^='/my/dealer/bulletins/']",
            run: "click",
        },
        {
            content: "Read",
            trigger: ".o_dealer_bulletin_body",
        },
        {
            content: "The business meetings",
            trigger: "body",
            run: "goToUrl /my/dealer/meetings",
        },
        {
            content: "Will not attend after all",
            trigger: "button[name='answer'][value='declined']",
            run: "click",
        },
        {
            content: "Answered",
            trigger: ".badge.text-bg-secondary",
        },
        {
            content: "The rebates",
            trigger: "body",
            run: "goToUrl /my/dealer/rebates",
        },
        {
            content: "A statement",
            trigger: "a[href^='/my/dealer/rebates/']",
            run: "click",
        },
        {
            content: "Its PDF is there to download",
            trigger: "a[href*='report_type=pdf'][href*='download=true']",
        },
    ],
});

// Market expenses (tests/test_tours.py): the dealer asks for an activity, the manager
// approves it, the dealer claims it with a photo, the accountant grants and settles the
// claim, the dealer sees its settlement.
registry.category("web_tour.tours").add("dealer_fund_request", {
    steps: () => [
        {
            content: "Name the activity",
            trigger: "input[name='title']",
            run: "edit Tour roadshow",
        },
        {
            trigger: "input[name='planned_cost']",
            run: "edit 3000",
        },
        {
            content: "Ask half of it",
            trigger: "input[name='requested_amount']",
            run: "edit 1500",
        },
        {
            content: "Send the request",
            trigger: "form[action='/my/dealer/funds/requests/new'] button[type='submit']",
            run: "click",
        },
        {
            content: "The request's page",
            trigger: "td:contains('Tour roadshow')",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_fund_approve", {
    steps: () => [
        {
            content: "Give the approval",
            trigger: ".o_form_view button[name='validate_tier']",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_fund_claim", {
    steps: () => [
        {
            content: "The actual cost",
            trigger: "input[name='actual_cost']",
            run: "edit 2800",
        },
        {
            trigger: "input[name='claimed_amount']",
            run: "edit 1500",
        },
        {
            content: "What he sold during the activity",
            trigger: "input[name='sellout_amount']",
            run: "edit 12000",
        },
        {
            content: "A photo of the stand",
            trigger: "input[name='proof']",
            run() {
                const bytes = Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "stand.png", { type: "image/png" }));
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Send the claim",
            trigger: "form[action$='/claim'] button[type='submit']",
            run: "click",
        },
        {
            content: "The claim's page",
            trigger: "th:contains('Reimbursable')",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_fund_settle", {
    steps: () => [
        {
            content: "Grant the claim",
            trigger: ".o_form_view button[name='action_grant']",
            run: "click",
        },
        {
            content: "Settle it",
            trigger: ".o_form_view button[name='action_settle']",
            run: "click",
        },
        {
            content: "The claim is settled",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Settled')",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_fund_settled", {
    steps: () => [
        {
            content: "The dealer sees what settled his claim",
            trigger: "th:contains('Settled By') + td:contains('RINV/')",
        },
    ],
});
