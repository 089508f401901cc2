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
