"""Pictures of the guided flow, taken by the browser tours themselves: a tour
step that logs ``crm_migration_screenshot:NAME`` (the ``shot`` step of
static/tests/tours) becomes ``NAME.png`` in the folder the environment
variable CRM_MIGRATION_SCREENSHOTS names (tools/screenshots.sh writes
docs/screenshots), made small (900 pixels wide, 256 colours). Without the
variable the steps only log a line and the tours run as always."""

import base64
import io
import os
from unittest.mock import patch

from PIL import Image

from odoo.tests.common import ChromeBrowser

SHOT = "crm_migration_screenshot:"
# the tours with shot steps (the others run as always)
SHOT_TOURS = {
    "crm_migration_manager_flow",
    "crm_migration_user_flow",
    "crm_migration_review_and_dashboard",
}
WIDTH = 900


def save_small(data, path):
    """A PNG screenshot, scaled to WIDTH and reduced to 256 colours."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    height = round(image.height * WIDTH / image.width)
    image = image.resize((WIDTH, height), Image.LANCZOS).quantize(colors=256)
    image.save(path, "PNG", optimize=True)


class TourScreenshots:
    """Mixed into an HttpCase before it: its tours' shot steps save pictures."""

    def start_tour(self, url_path, tour_name, step_delay=None, **kwargs):
        folder = os.environ.get("CRM_MIGRATION_SCREENSHOTS")
        if not folder or tour_name not in SHOT_TOURS:
            return super().start_tour(url_path, tour_name, step_delay, **kwargs)
        asked = []
        original = ChromeBrowser._handle_console

        def handle(browser, type, args=None, **rest):  # noqa: A002 - CDP's name
            original(browser, type, args=args, **rest)
            text = str(browser._from_remoteobject(args[0])) if args else ""
            if text.startswith(SHOT):
                asked.append(
                    (
                        text[len(SHOT) :],
                        browser._websocket_send(
                            "Page.captureScreenshot", with_future=True
                        ),
                    )
                )

        with patch.object(ChromeBrowser, "_handle_console", handle):
            # a pause after each step: the page is drawn when it is taken
            result = super().start_tour(url_path, tour_name, 500, **kwargs)
        os.makedirs(folder, exist_ok=True)
        for name, future in asked:
            data = base64.b64decode(future.result(timeout=30)["data"])
            save_small(data, os.path.join(folder, f"{name}.png"))
        return result
