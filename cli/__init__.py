from . import crm_migration
