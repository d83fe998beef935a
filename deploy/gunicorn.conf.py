"""gunicorn's settings for the service: ``gunicorn kentlocality.wsgi -c deploy/gunicorn.conf.py``
(the Dockerfile and docker-compose.yml run it so).

gunicorn listens inside the compose network only; the proxy (Caddy, deploy/Caddyfile) is
what the world reaches.

The access log holds no personal data (issue 17, item 3): the path without its query
string (a search or a link may carry a pupil's name), no Referer (it holds the previous
page's whole address), and the token of a password link masked (it would let whoever
reads the log set the password).
"""

import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
accesslog = "-"
# Remote address, time, method, path (never the query), protocol, status, bytes, time taken
# in milliseconds, user agent.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

_PASSWORD_LINK = re.compile(r"^(/accounts/reset/[^/]+/)[^/]+(/?)$")


class PathOnlyLogger(Logger):
    """gunicorn's logger, with password-link tokens in paths masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = atoms.get("U") or ""
        if path.startswith("/accounts/reset/") and not path.endswith("/set-password/"):
            atoms["U"] = _PASSWORD_LINK.sub(r"\1…\2", path)
        return atoms


logger_class = PathOnlyLogger
