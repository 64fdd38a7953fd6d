/** @odoo-module **/

import { registry } from "@web/core/registry";

// The consultant's screens in a real browser (issue 17): what each step shows
// is checked on the page, as a person reads it.

// the project's header shows the step of the path it is at
const current = (value) => ({
    content: `the project is at the step ${value}`,
    trigger: `.o_statusbar_status button[data-value='${value}'][aria-checked='true']`,
});

// and, under it, each step's status: done, current, todo or blocked
const stepIs = (step, status, text = "") => ({
    content: `the step ${step} is ${status}${text ? ": " + text : ""}`,
    trigger: `.o_migration_steps tr.o_migration_step_${step}.o_migration_${status}${
        text ? `:contains('${text}')` : ""
    }`,
});

const fieldMapRow = (column) =>
    `.o_list_view .o_data_row:has(td[name=column]:contains('${column}'))`;

// a picture of the page as it is now: saved by the tour tests when
// CRM_MIGRATION_SCREENSHOTS names a folder (tests/tour_screenshots.py,
// tools/screenshots.sh), a log line otherwise
const shot = (name) => ({
    content: `picture: ${name}`,
    trigger: "body",
    run() {
        console.log(`crm_migration_screenshot:${name}`);
    },
});

registry.category("web_tour.tours").add("crm_migration_manager_flow", {
    steps: () => [
        current("maps"),
        stepIs("maps", "current", "maps to confirm"),
        stepIs("sample", "todo"),
        stepIs("full", "blocked", "Waits for Sample"),
        {
            content: "a full run is not offered while a map is unconfirmed",
            trigger: ".o_statusbar_buttons:not(:has(button[name=action_full_run]))",
        },
        {
            content: "what's next says so",
            trigger: ".o_migration_next_step:contains('maps (To confirm')",
        },
        {
            content: "the files of the project",
            trigger: ".o_field_widget[name=source_ids] .o_data_row:contains('companies.csv')",
        },
        shot("1-project-files-and-steps"),
        {
            content: "open the object maps",
            trigger: ".o_notebook .nav-link:contains('Object maps')",
            run: "click",
        },
        {
            content: "an object map's confidence reads as a percentage",
            trigger:
                ".o_field_widget[name=object_map_ids] .o_data_row:contains('companies') td[name=confidence]:contains('90%')",
        },
        {
            content: "open the companies' field maps",
            trigger:
                ".o_field_widget[name=object_map_ids] .o_data_row:contains('companies') button[name=action_open_field_maps]",
            run: "click",
        },
        {
            content: "a field map's confidence is 95%, not '1 %'",
            trigger: `${fieldMapRow("Company Name")} td[name=confidence]:contains('95%')`,
        },
        {
            content: "a low one is 40%, not '0 %'",
            trigger: `${fieldMapRow("Employees")} td[name=confidence]:contains('40%')`,
        },
        shot("2-field-maps-with-confidence"),
        {
            content: "rows stay one line high: the long reason is an optional column",
            trigger: ".o_list_view:not(:has(th[data-name=reason]))",
        },
        {
            content: "the read-as column shows words, not codes",
            trigger: `${fieldMapRow("Company Name")} td[name=transform]:contains('Text as written')`,
        },
        {
            content: "open the Website map's form from the editable list",
            trigger: `${fieldMapRow("Website")} .o_list_record_open_form_view button`,
            run: "click",
        },
        {
            content: "the form: the dropdown offers words, never a raw code",
            trigger:
                ".o_form_view .o_field_widget[name=transform] select:has(option:contains('Brazilian tax number (CPF/CNPJ)')):not(:has(option:contains('vat_br'))):not(:has(option:contains('lead_status')))",
        },
        {
            content: "its reason and confidence are shown in full",
            trigger: ".o_form_view .o_field_widget[name=reason]:contains('planted reason')",
        },
        {
            content: "confirm it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "confirmed: the button now withdraws it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_unconfirm]",
        },
        {
            content: "back to the project",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Tour CRM')",
            run: "click",
        },
        current("sample"),
        stepIs("maps", "done"),
        {
            content: "the sample is the next step: the primary button",
            trigger: ".o_statusbar_buttons button[name=action_sample_run].btn-primary",
        },
        {
            content: "every map confirmed: the full run is offered too",
            trigger: ".o_statusbar_buttons button[name=action_full_run]:not(.btn-primary)",
            run: "click",
        },
        {
            content: "the confirmation says the run goes on without freezing the page",
            trigger: ".modal:contains('This page waits until the run ends') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the run's page: done",
            trigger: ".o_statusbar_status button[data-value='done'][aria-checked='true']",
            timeout: 30000,
        },
        {
            content: "rows to review are a visible button, not under 'More'",
            trigger: ".o-form-buttonbox:not(.o_dropdown_more) button[name=action_view_reviews]:contains('Rows to review')",
        },
        {
            content: "the reconciliation per object, with what was planned",
            trigger:
                ".o_field_widget[name=line_ids] .o_data_row:contains('companies') td[name=planned_count]:contains('3')",
        },
        shot("4-full-run-reconciliation"),
        {
            content: "back to the project: loaded, the review is the step left",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Tour CRM')",
            run: "click",
        },
        current("review"),
        stepIs("full", "done"),
        stepIs("reconcile", "done"),
        stepIs("review", "current", "review items open"),
        {
            content: "with items open, Go live is no primary button: it asks first",
            trigger:
                ".o_statusbar_buttons button[name=action_request_go_live]:contains('Go live anyway'):not(.btn-primary)",
        },
        shot("5-project-at-review"),
    ],
});

registry.category("web_tour.tours").add("crm_migration_user_flow", {
    steps: () => [
        current("maps"),
        {
            content: "a Migration User is not offered the full run",
            trigger: ".o_statusbar_buttons:not(:has(button[name=action_full_run]))",
        },
        {
            content: "nor the rollback",
            trigger: ".o_statusbar_buttons:not(:has(button[name=action_rollback]))",
        },
        {
            content: "a sample run is allowed",
            trigger: ".o_statusbar_buttons button[name=action_sample_run]",
            run: "click",
        },
        {
            content: "the sample's page, done",
            trigger: ".o_statusbar_status button[data-value='done'][aria-checked='true']",
            timeout: 30000,
        },
        {
            content: "the diff is a visible button, not under 'More'",
            trigger: ".o-form-buttonbox:not(.o_dropdown_more) button[name=action_view_sample_diff]",
        },
        {
            content: "and the rows to review",
            trigger: ".o-form-buttonbox:not(.o_dropdown_more) button[name=action_view_reviews]",
        },
        shot("3-sample-run-and-diff"),
        {
            content: "the User may undo the sample they ran: its rollback is offered",
            trigger: ".o_statusbar_buttons button[name=action_rollback]",
        },
        {
            content: "back to the project: sampled",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Tour CRM')",
            run: "click",
        },
        current("maps"),
        stepIs("sample", "done", "diff mismatches"),
        {
            content: "upload one more file",
            trigger: ".o_statusbar_buttons button[name=action_open_import_wizard]",
            run: "click",
        },
        {
            content: "a PDF is not a CRM export",
            trigger: ".modal .o_field_widget[name=attachment_ids] .o_file_input_trigger",
            async run() {
                const input = this.anchor.closest(".o_file_input").querySelector("input");
                const file = new File(["%PDF-1.4 a brochure"], "brochure.pdf", {
                    type: "application/pdf",
                });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "the file is attached",
            trigger: ".modal .o_field_widget[name=attachment_ids] .o_attachment:contains('brochure.pdf')",
        },
        {
            content: "upload it",
            trigger: ".modal-footer button[name=action_import]",
            run: "click",
        },
        {
            content: "the refusal names the file and says why",
            trigger: ".o_notification:contains('brochure.pdf')",
        },
        shot("9-upload-refused-with-reason"),
        {
            content: "the refused file stays listed on the project, in red",
            trigger:
                ".o_field_widget[name=source_ids] .o_data_row.text-danger:contains('brochure.pdf')",
        },
    ],
});

registry.category("web_tour.tours").add("crm_migration_run_progress", {
    steps: () => [
        {
            content: "start the full run (in the background)",
            trigger: ".o_statusbar_buttons button[name=action_full_run]",
            run: "click",
        },
        {
            content: "confirm: the run goes to a job worker",
            trigger: ".modal:contains('shows the progress') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the run's page opens at once: queued, waiting for a worker",
            trigger:
                ".o_crm_migration_run_progress:contains('Queued'):contains('0 / 0 rows')",
        },
        {
            content: "the page tells the worker it is watching (a log note)",
            trigger: ".o-mail-Chatter-logNote",
            run: "click",
        },
        {
            trigger: ".o-mail-Composer-input",
            run: "edit watching",
        },
        {
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "without a reload the page follows the run to its end",
            trigger: ".o_statusbar_status button[data-value='done'][aria-checked='true']",
            timeout: 60000,
        },
        {
            content: "the progress box is gone, every row counted",
            trigger: ".o_form_view:not(:has(.o_crm_migration_run_progress))",
        },
        {
            content: "each object's rows read",
            trigger:
                ".o_field_widget[name=line_ids] .o_data_row:contains('contacts') td[name=planned_count]:contains('6')",
        },
    ],
});

registry.category("web_tour.tours").add("crm_migration_review_and_dashboard", {
    steps: () => [
        current("review"),
        stepIs("review", "current", "Unknown owner: 4 owners on 9 rows"),
        {
            content: "open the review items",
            trigger: ".o-form-buttonbox button[name=action_view_reviews]",
            run: "click",
        },
        {
            content: "the list: one line per owner, with its rows",
            trigger:
                ".o_list_view .o_data_row:has(td[name=value]:contains('ghost@example.com')) td[name=occurrence_count]:contains('2')",
        },
        {
            content: "switch to the kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "grouped by kind: the unknown owners' column",
            trigger: ".o_kanban_group .o_column_title:contains('Unknown owner')",
        },
        {
            content: "one card per owner, saying on how many rows",
            trigger:
                ".o_kanban_record:contains('ghost@example.com') .o_migration_issue_counts:contains('2 rows')",
        },
        shot("6-review-items-one-per-owner"),
        {
            content: "correct the ghost owner once for its rows",
            trigger: ".o_kanban_record:contains('ghost@example.com') button[name=action_open_correct]",
            run: "click",
        },
        {
            content: "the dialog says every row gets the value",
            trigger: ".modal .o_field_widget[name=corrected_value] input",
            run: "edit alice@example.com",
        },
        {
            trigger: ".modal-footer button[name=action_correct]",
            run: "click",
        },
        {
            content: "corrected: no open card of that owner is left",
            trigger:
                ".o_kanban_renderer:not(:has(.o_kanban_record:contains('ghost@example.com') button[name=action_open_correct]))",
        },
        {
            content: "ignore the other owner in one click, with a reason",
            trigger: ".o_kanban_record:contains('phantom@example.com') button[name=action_ignore]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=resolution] textarea",
            run: "edit left the company",
        },
        {
            trigger: ".modal-footer button[name=action_ignore]",
            run: "click",
        },
        {
            content: "ignored: no open card of that owner is left",
            trigger:
                ".o_kanban_renderer:not(:has(.o_kanban_record:contains('phantom@example.com') button[name=action_ignore]))",
        },
        {
            content: "back to the project",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Tour CRM')",
            run: "click",
        },
        stepIs("review", "current"),
        {
            content: "go live, items still open: it asks first",
            trigger: ".o_statusbar_buttons button[name=action_request_go_live]:contains('Go live anyway')",
            run: "click",
        },
        {
            content: "the dialog names the open items",
            trigger: ".modal .o_migration_go_live_warning:contains('review items'):contains('still open')",
        },
        {
            content: "review first: nothing is scheduled",
            trigger: ".modal-footer button:contains('Review first')",
            run: "click",
        },
        stepIs("live", "todo"),
        {
            content: "the dashboard tab",
            trigger: ".o_notebook .nav-link:contains('Dashboard')",
            run: "click",
        },
        {
            content: "fill rates as a chart",
            trigger: ".o_migration_dashboard button[name=action_view_fill_rate_charts]",
            run: "click",
        },
        {
            content: "a graph view of the fill rates",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        shot("7-dashboard-fill-rates"),
        {
            content: "and as a pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            trigger: ".o_pivot_view .o_pivot table:contains('companies')",
        },
        {
            content: "back to the project",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Tour CRM')",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains('Dashboard')",
            run: "click",
        },
        {
            content: "cell conservation as a chart",
            trigger: ".o_migration_dashboard button[name=action_view_cell_charts]",
            run: "click",
        },
        shot("8-cell-conservation"),
        {
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        {
            content: "back to the project",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Tour CRM')",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains('Dashboard')",
            run: "click",
        },
        {
            content: "rows per object and outcome as a chart",
            trigger: ".o_migration_dashboard button[name=action_view_charts]",
            run: "click",
        },
        {
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
    ],
});
