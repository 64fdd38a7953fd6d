"""PEP 517 build backend: OCA's whool on this repository, whose root is the
addon ``crm_migration`` whatever its folder is called.

whool names the distribution after the addon's folder (odoo-addon-<folder>);
pip builds a repository in a folder of its own (pip-req-build-xxxx), and a
clone may have any name. The backend shows whool the repository as a folder
named ``crm_migration`` (a symbolic link) and lets whool do the rest: the
version, the Odoo addons and the Python dependencies from __manifest__.py.
"""

import contextlib
import tempfile
from pathlib import Path

from whool import buildapi

ADDON = "crm_migration"


@contextlib.contextmanager
def _addon_dir():
    root = Path.cwd()
    if root.name == ADDON:
        yield root
        return
    with tempfile.TemporaryDirectory() as tmp:
        link = Path(tmp) / ADDON
        link.symlink_to(root, target_is_directory=True)
        yield link


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with _addon_dir() as addon:
        return buildapi._build_wheel(addon, Path(wheel_directory), editable=False)


def build_sdist(sdist_directory, config_settings=None):
    with _addon_dir() as addon:
        return buildapi._build_sdist(addon, Path(sdist_directory))


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    with _addon_dir() as addon:
        metadata = buildapi._get_metadata(addon)
        return buildapi._make_dist_info(metadata, Path(metadata_directory))


# an editable install links the folder itself: clone it as crm_migration
build_editable = buildapi.build_editable
