#!/usr/bin/env bash
# Two dq jars side by side on one private redis-server: `dq bench --mode enqueue` and `--mode process` at the
# defaults, alternating which jar goes first each round, FLUSHALL before every run. Prints one JSON line per run,
# prefixed with "before|after MODE ROUND".
#
# Usage: BEFORE_JAR=old/dq.jar AFTER_JAR=app/target/dq.jar bench/before-after.sh [ROUNDS]   (default 3)
# Environment: PORT (default 7391), REDIS_SERVER, REDIS_CLI, JAVA.
set -euo pipefail

ROUNDS=${1:-3}
PORT=${PORT:-7391}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
REDIS_CLI=${REDIS_CLI:-redis-cli}
JAVA=${JAVA:-java}
: "${BEFORE_JAR:?set BEFORE_JAR to the baseline dq jar}"
: "${AFTER_JAR:?set AFTER_JAR to the dq jar to compare}"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "before-after: rounds must be a whole number >= 1: $ROUNDS" >&2; exit 1; }

"$REDIS_SERVER" --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --logfile "/tmp/dq-before-after-$PORT.log"
trap '"$REDIS_CLI" -p "$PORT" shutdown nosave >/dev/null 2>&1 || true' EXIT
sleep 1

run() { # label jar mode round
  "$REDIS_CLI" -p "$PORT" flushall >/dev/null
  DQ_REDIS_URL="redis://127.0.0.1:$PORT/0" "$JAVA" -jar "$2" bench --backend redis --mode "$3" --json 2>/dev/null \
    | sed "s/^/$1 $3 $4 /"
}

for r in $(seq 1 "$ROUNDS"); do
  order=(before after)
  (( r % 2 == 0 )) && order=(after before)
  for label in "${order[@]}"; do
    jar=$BEFORE_JAR
    [[ $label == after ]] && jar=$AFTER_JAR
    run "$label" "$jar" enqueue "$r"
    run "$label" "$jar" process "$r"
    sleep 2
  done
done
