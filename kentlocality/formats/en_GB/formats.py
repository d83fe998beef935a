# The service shows dates as "27 November 2026" (GOV.UK style). Django's own en_GB
# formats ("27 Nov 2026") would otherwise win over DATE_FORMAT in settings, because
# localised formats always take precedence; formats not set here fall back to Django's.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
