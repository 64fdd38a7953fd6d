"""Defaults of the rule-based converters."""

# the date order of a date like 03/04/2024 when the source does not say (US exports)
DATE_ORDER = "MDY"
