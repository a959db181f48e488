#!/usr/bin/env bash
# Back up a PostgreSQL database with pg_dump, restore the dump into a new database, and prove the
# restore is whole: the row count of every table and the money figures (the sales ledger's total,
# orders' totals, payout statements' net) must be the same in both. Prints the figures; exit 1 on
# any difference. The restored database is dropped afterwards unless KEEP_RESTORED=1.
#
#   devtools/backup-restore-check.sh postgresql://postgres@127.0.0.1:5432/ocop [dump file]
#
# Run it after each nightly dump (deploy/ocop-backup.service does): a backup that was never
# restored is a hope, not a backup. DATABASE_URL's "postgresql+psycopg://" form is accepted.
set -euo pipefail

SOURCE="${1:?usage: $0 postgresql://user@host:port/dbname [dump file]}"
SOURCE="${SOURCE/postgresql+psycopg:/postgresql:}"
OWN_DUMP=0
if [ -n "${2:-}" ]; then DUMP="$2"; else DUMP="$(mktemp -t ocop-dump-XXXXXX.pgdump)"; OWN_DUMP=1; fi
SERVER="${SOURCE%/*}"
RESTORED="ocop_restore_check_$(date +%s)_$$"
TARGET="$SERVER/$RESTORED"

cleanup() {
    if [ "${KEEP_RESTORED:-0}" != "1" ]; then
        psql -q -X "$SERVER/postgres" -c "DROP DATABASE IF EXISTS \"$RESTORED\" WITH (FORCE)" >/dev/null
    fi
    if [ "$OWN_DUMP" = "1" ]; then rm -f "$DUMP"; fi
}
trap cleanup EXIT

started=$(date +%s.%N)
pg_dump --format=custom --no-owner --file="$DUMP" "$SOURCE"
dumped=$(date +%s.%N)
psql -q -X "$SERVER/postgres" -c "CREATE DATABASE \"$RESTORED\"" >/dev/null
pg_restore --no-owner --exit-on-error --dbname="$TARGET" "$DUMP"
restored=$(date +%s.%N)

# One line per table ("table count") and per money figure, in a fixed order: compared as text.
FIGURES_SQL=$(cat <<'SQL'
CREATE TEMP TABLE figures(name text, value numeric);
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename LOOP
    EXECUTE format('INSERT INTO figures SELECT %L, count(*) FROM %I', 'rows ' || t.tablename, t.tablename);
  END LOOP;
  IF to_regclass('public.sales_entries') IS NOT NULL THEN
    INSERT INTO figures SELECT 'ledger amount_vnd', coalesce(sum(amount_vnd), 0) FROM sales_entries;
    INSERT INTO figures SELECT 'ledger units', coalesce(sum(units), 0) FROM sales_entries;
  END IF;
  IF to_regclass('public.orders') IS NOT NULL THEN
    INSERT INTO figures SELECT 'orders total_vnd', coalesce(sum(total_vnd), 0) FROM orders;
  END IF;
  IF to_regclass('public.payout_statements') IS NOT NULL THEN
    INSERT INTO figures SELECT 'payout statements net_vnd', coalesce(sum(net_vnd), 0) FROM payout_statements;
  END IF;
END $$;
SELECT name || ' ' || value FROM figures ORDER BY name;
SQL
)
before=$(psql -X -A -t -q "$SOURCE" -c "$FIGURES_SQL")
after=$(psql -X -A -t -q "$TARGET" -c "$FIGURES_SQL")

echo "dump: $(du -h "$DUMP" | cut -f1) in $(echo "$dumped - $started" | bc) s; restore in $(echo "$restored - $dumped" | bc) s"
echo "$before" | grep -v ' 0$' | sed 's/^/  /' || true
tables=$(echo "$before" | grep -c '^rows ' || true)
if [ "$before" != "$after" ]; then
    echo "RESTORE CHECK FAILED: the restored database differs:"
    diff <(echo "$before") <(echo "$after") || true
    exit 1
fi
echo "RESTORE CHECK OK: $tables tables, every row count and money total identical in $RESTORED"
