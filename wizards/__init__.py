from . import migration_import_wizard
