# Odoo imports this folder as odoo.addons.crm_migration. pytest, collecting the
# pure-Python engine's tests, imports it as a plain package on the way down: that
# import gets nothing of the Odoo layer (which needs a running registry).
if __name__.startswith("odoo.addons."):
    from . import cli, models, wizards
