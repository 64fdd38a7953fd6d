from . import migration_import_wizard
from . import migration_rollback_wizard
from . import migration_readiness
from . import migration_review_ignore_wizard
from . import migration_go_live_wizard
