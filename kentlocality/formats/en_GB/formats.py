# Django always localises dates, and its own en_GB formats ("27 Nov 2026") win over the
# DATE_FORMAT setting. The service writes dates in full, "27 November 2026" (DESIGN §6).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
