#!/usr/bin/env bash
# `make run`: serve the site with gunicorn. With no STRIPE_SECRET_KEY in the environment, card
# payments go to a localstripe started here on 127.0.0.1 (stopped with the site), and every page
# that takes a payment says that payments are test payments.
set -euo pipefail
BIN="${BIN:-.venv/bin}"
PORT="${PORT:-5000}"
LOCALSTRIPE_PORT="${LOCALSTRIPE_PORT:-8420}"

if [ -z "${STRIPE_SECRET_KEY:-}" ]; then
    "$BIN/pip" install --quiet "$(grep -i '^localstripe==' requirements-dev.txt)"
    mkdir -p instance
    "$BIN/python" devtools/localstripe_loopback.py "$LOCALSTRIPE_PORT" > instance/localstripe.log 2>&1 &
    LOCALSTRIPE_PID=$!
    trap 'kill "$LOCALSTRIPE_PID" 2>/dev/null || true' EXIT
    export STRIPE_SECRET_KEY="sk_test_localstripe"
    export STRIPE_PUBLISHABLE_KEY="pk_test_localstripe"
    export STRIPE_WEBHOOK_SECRET="whsec_localstripe_development"
    export STRIPE_API_BASE="http://127.0.0.1:$LOCALSTRIPE_PORT"
    for _ in $(seq 1 50); do
        curl -fs -o /dev/null -X POST "$STRIPE_API_BASE/_config/webhooks/ocop-dev" \
            -H 'Content-Type: application/json' \
            -d "{\"url\": \"http://127.0.0.1:$PORT/payments/stripe/webhook\", \"secret\": \"$STRIPE_WEBHOOK_SECRET\", \"events\": [\"payment_intent.succeeded\", \"payment_intent.payment_failed\"]}" \
            && break
        sleep 0.2
    done
    echo "No STRIPE_SECRET_KEY: card payments are TEST payments through localstripe at $STRIPE_API_BASE"
fi

# With REDIS_URL, background jobs go to an RQ queue: a worker runs them (and RQ's scheduler the
# retries) and `jobs cron` enqueues the periodic tasks. Without it, jobs run inline in gunicorn.
PIDS=()
export PYTHONUNBUFFERED=1  # the worker and scheduler logs reach their files at once
if [ -n "${REDIS_URL:-}" ]; then
    mkdir -p instance
    "$BIN/flask" --app wsgi jobs worker > instance/worker.log 2>&1 &
    PIDS+=($!)
    "$BIN/flask" --app wsgi jobs cron > instance/cron.log 2>&1 &
    PIDS+=($!)
    echo "REDIS_URL is set: a job worker and the periodic task scheduler run (logs in instance/worker.log, instance/cron.log)"
    trap 'kill "${PIDS[@]}" ${LOCALSTRIPE_PID:-} 2>/dev/null || true' EXIT
fi

echo "Serving OCOP Marketplace on http://127.0.0.1:$PORT"
GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS="${GUNICORN_WORKERS:-2}" \
    "$BIN/gunicorn" -c gunicorn.conf.py wsgi:app
