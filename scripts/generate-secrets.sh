#!/usr/bin/env bash
# make secrets: write .env from .env.example with a new random SECRET_KEY, PostgreSQL
# password and Redis password, readable by its owner alone. An existing .env is never
# overwritten (its passwords are the ones the database and Redis were made with).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -e .env ]; then
  echo ".env already exists: nothing written (remove it first to start again)." >&2
  exit 1
fi
generate() { python3 -c "import secrets, sys; print(secrets.token_urlsafe(int(sys.argv[1])))" "$1"; }
umask 077
sed -e "s|^SECRET_KEY=.*|SECRET_KEY=$(generate 60)|" \
    -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$(generate 32)|" \
    -e "s|^REDIS_PASSWORD=.*|REDIS_PASSWORD=$(generate 32)|" \
    .env.example > .env
echo "Wrote .env with a new SECRET_KEY, POSTGRES_PASSWORD and REDIS_PASSWORD."
echo "Now set SITE_ADDRESS and the email settings in it."
