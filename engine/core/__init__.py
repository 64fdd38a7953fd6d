"""The engine's leaves: errors, text, headers, rows, records and the target registry.

Nothing here imports any other part of the engine (a test walks the imports), so
every other package may use it.
"""
