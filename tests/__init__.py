from . import test_cli, test_migration_flow, test_migration_security
