/** @odoo-module **/

import { Component, onMounted, onWillUnmount } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

// a queued or running run's page follows the run: the loader sends a bus
// notification per batch (reload at once); without a bus it polls
const LIVE_STATES = ["queued", "running"];
const POLL_MS = 2000;

export class RunProgress extends Component {
    static template = "crm_migration.RunProgress";
    static props = { ...standardWidgetProps };

    setup() {
        this.bus = useService("bus_service");
        this.onNotification = (payload) => {
            if (payload.run_id === this.props.record.resId) {
                this.refresh();
            }
        };
        onMounted(() => {
            this.bus.subscribe("crm_migration/run_progress", this.onNotification);
            this.timer = browser.setInterval(() => this.refresh(), POLL_MS);
        });
        onWillUnmount(() => {
            this.bus.unsubscribe("crm_migration/run_progress", this.onNotification);
            browser.clearInterval(this.timer);
        });
    }

    get live() {
        return LIVE_STATES.includes(this.props.record.data.state);
    }

    get percent() {
        const { done_rows, total_rows } = this.props.record.data;
        return total_rows ? Math.min(100, Math.round((100 * done_rows) / total_rows)) : 0;
    }

    async refresh() {
        const record = this.props.record;
        if (this.loading || !this.live || record.dirty) {
            return;
        }
        this.loading = true;
        try {
            await record.load();
        } finally {
            this.loading = false;
        }
    }
}

registry.category("view_widgets").add("crm_migration_run_progress", {
    component: RunProgress,
    fieldDependencies: [
        { name: "state", type: "selection" },
        { name: "done_rows", type: "integer" },
        { name: "total_rows", type: "integer" },
        { name: "current_object", type: "char" },
        { name: "time_left", type: "char" },
    ],
});
