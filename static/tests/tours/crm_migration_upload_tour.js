/** @odoo-module **/

import { registry } from "@web/core/registry";

// Bad files through the upload widget (issue 16): each refusal is a normal
// message naming the file and the reason, never Odoo's "Oops!" dialog; a file
// with a header and no row is a warning.

const PNG = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
    0x15, 0xc4, 0x89,
];

const openWizard = {
    content: "open the upload wizard",
    trigger: ".o_statusbar_buttons button[name=action_open_import_wizard]:visible",
    run: "click",
};

function attach(files) {
    return {
        content: `attach ${files.map((f) => f.name).join(", ")}`,
        trigger: ".modal .o_field_widget[name=attachment_ids] .o_file_input_trigger",
        async run() {
            const input = this.anchor.closest(".o_file_input").querySelector("input");
            const transfer = new DataTransfer();
            for (const file of files) {
                transfer.items.add(file);
            }
            input.files = transfer.files;
            input.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

const attached = (name) => ({
    content: `${name} is attached`,
    trigger: `.modal .o_field_widget[name=attachment_ids] .o_attachment:contains('${name}')`,
});

const upload = {
    content: "upload",
    trigger: ".modal-footer button[name=action_import]",
    run: "click",
};

const noOops = {
    content: "no error dialog ('Oops!'), the project's form is back",
    trigger: "body:not(:has(.o_error_dialog)):not(:has(.modal)) .o_form_view",
};

const message = (kind, name, reason) => ({
    content: `a ${kind} message names ${name} and says why`,
    trigger: `.o_notification:has(.o_notification_bar.bg-${kind}) .o_notification_content:contains('${name}'):contains('${reason}')`,
});

registry.category("web_tour.tours").add("crm_migration_bad_uploads", {
    steps: () => [
        openWizard,
        attach([
            new File([new Uint8Array(PNG)], "logo.csv", { type: "text/csv" }),
            new File(["x"], "one-byte.csv", { type: "text/csv" }),
            new File([], "zero.csv", { type: "text/csv" }),
        ]),
        attached("logo.csv"),
        attached("one-byte.csv"),
        attached("zero.csv"),
        upload,
        noOops,
        message("danger", "logo.csv", "PNG image"),
        message("danger", "one-byte.csv", "no data rows"),
        message("danger", "zero.csv", "empty (0 bytes)"),
        {
            content: "close the message",
            trigger: ".o_notification .o_notification_close",
            run: "click",
        },
        {
            content: "the refused files stay listed on the project, in red",
            trigger:
                ".o_field_widget[name=source_ids] .o_data_row.text-danger:contains('zero.csv')",
        },
        openWizard,
        attach([new File(["Name,Email\r\n"], "header-only.csv", { type: "text/csv" })]),
        attached("header-only.csv"),
        upload,
        noOops,
        message("warning", "header-only.csv", "no data rows"),
    ],
});
