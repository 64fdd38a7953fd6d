from . import migration_import_wizard
from . import migration_rollback_wizard
from . import migration_readiness
from . import migration_review_ignore_wizard
