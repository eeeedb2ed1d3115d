#!/usr/bin/env bash
# dq's Redis backend side by side with BullMQ, on one private redis-server, R rounds (issue 11).
#
# Usage: bench/side-by-side.sh [ROUNDS]          (default 3; or ROUNDS=N)
#
# Each round runs, alternating dq and BullMQ (which one goes first alternates by round) and with
# FLUSHALL before every run:
#   dq `bench --backend redis --mode enqueue`     vs  `node bench.js enqueue 50000 1000` (addBulk 1000)
#   dq `bench --backend redis --mode process`     vs  `node bench.js process 50 50000`
#   dq `bench --backend redis --mode latency --workers 8`  vs  `node bench.js latency 2000 10` (inproc_ms)
#   dq `bench --backend memory --mode process`    (dq in memory vs a ThreadPoolExecutor, same JVM)
# dq runs at the defaults `dq bench` ships with (100,000 tasks, 4 workers, prefetch 4: those of `dq run`; batch 1000,
# 100-byte payloads). Then it prints one table: every run, the medians and the dq/BullMQ ratios.
# Redis CPU per task: dq's from its own JSON (INFO deltas around each mode; whole life = enqueue +
# process); BullMQ's from INFO cpu read by this script around its runs (the process run includes its
# untimed pre-fill, so it is BullMQ's whole life).
#
# Environment:
#   DQ_JAR         the dq fat jar (default app/target/dq.jar; build: ./mvnw -B -q -DskipTests package)
#   BULLMQ_BENCH   a directory holding BullMQ's bench.js to run as it is (npm ci runs there if it has
#                  no node_modules); default: a writable copy of ../shared/bench/bullmq made at run time
#   REDIS_SERVER, REDIS_CLI   the binaries (default redis-server and redis-cli on PATH)
#   JAVA           default java
#   OUT            directory for the raw JSON lines (default: a new temporary directory, kept)
#   PAUSE          seconds between runs (default 2)
set -euo pipefail

ROUNDS=${1:-${ROUNDS:-3}}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DQ_JAR=${DQ_JAR:-$ROOT/app/target/dq.jar}
JAVA=${JAVA:-java}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
REDIS_CLI=${REDIS_CLI:-redis-cli}
PAUSE=${PAUSE:-2}
OUT=${OUT:-$(mktemp -d -t dq-side-by-side-XXXXXX)}
mkdir -p "$OUT"

die() { echo "side-by-side: $*" >&2; exit 1; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "rounds must be a whole number >= 1: $ROUNDS"
[[ -f $DQ_JAR ]] || die "no dq jar at $DQ_JAR (build it: ./mvnw -B -q -DskipTests package, or set DQ_JAR)"
for tool in "$JAVA" node npm "$REDIS_SERVER" "$REDIS_CLI"; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH"
done

WORK=$(mktemp -d -t dq-side-by-side-work-XXXXXX)
REDIS_PID=
cleanup() {
  if [[ -n $REDIS_PID ]]; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# BullMQ's bench: never edited in place; the shared folder may be read-only.
if [[ -n ${BULLMQ_BENCH:-} ]]; then
  BULLMQ=$BULLMQ_BENCH
else
  SRC=$ROOT/../shared/bench/bullmq
  [[ -f $SRC/bench.js ]] || die "no BullMQ bench at $SRC (set BULLMQ_BENCH=DIR)"
  BULLMQ=$WORK/bullmq
  mkdir -p "$BULLMQ"
  cp "$SRC"/bench.js "$SRC"/package.json "$SRC"/package-lock.json "$BULLMQ"/
  chmod -R u+w "$BULLMQ"
fi
[[ -f $BULLMQ/bench.js ]] || die "no bench.js in $BULLMQ"
if [[ ! -d $BULLMQ/node_modules ]]; then
  echo "installing BullMQ's dependencies in $BULLMQ" >&2
  (cd "$BULLMQ" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

# A private redis-server on a free loopback port, no persistence; never the shared 6379.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=
for _ in $(seq 50); do
  candidate=$((20000 + RANDOM % 40000))
  if port_free "$candidate"; then PORT=$candidate; break; fi
done
[[ -n $PORT ]] || die "found no free port"
mkdir -p "$WORK/redis"
"$REDIS_SERVER" --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  --dir "$WORK/redis" --logfile "$WORK/redis/redis.log" &
REDIS_PID=$!
rcli() { "$REDIS_CLI" -h 127.0.0.1 -p "$PORT" "$@"; }
for _ in $(seq 100); do
  [[ $(rcli ping 2>/dev/null) == PONG ]] && break
  sleep 0.1
done
[[ $(rcli ping 2>/dev/null) == PONG ]] || die "redis-server did not start on port $PORT"
REDIS_VERSION=$(rcli info server | tr -d '\r' | sed -n 's/^redis_version://p')

# Main-thread CPU of the server in µs (the whole server's where Redis reports no main thread).
redis_cpu_us() {
  rcli info cpu | tr -d '\r' | awk -F: '
    /^used_cpu_(user|sys):/ { all += $2 }
    /^used_cpu_(user|sys)_main_thread:/ { main += $2; has = 1 }
    END { printf "%.0f\n", (has ? main : all) * 1e6 }'
}
load1() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo null; }

RESULTS=$OUT/runs.jsonl
: >"$RESULTS"
# run ROUND WHO WHAT COMMAND...: FLUSHALL, run, and record each JSON line it prints with the
# server CPU the run cost.
run() {
  local round=$1 who=$2 what=$3
  shift 3
  rcli flushall >/dev/null
  sleep "$PAUSE"
  local load cpu0 cpu1 lines
  load=$(load1)
  cpu0=$(redis_cpu_us)
  lines=$("$@" 2>"$OUT/$who-$what-$round.err") || {
    cat "$OUT/$who-$what-$round.err" >&2
    die "$who $what (round $round) failed"
  }
  cpu1=$(redis_cpu_us)
  while IFS= read -r line; do
    [[ $line == "{"* ]] || continue
    printf '{"round":%s,"who":"%s","what":"%s","load1":%s,"redis_cpu_us":%s,"result":%s}\n' \
      "$round" "$who" "$what" "$load" "$((cpu1 - cpu0))" "$line" >>"$RESULTS"
  done <<<"$lines"
  echo "round $round: $who $what done" >&2
}

dq() { DQ_REDIS_URL=redis://127.0.0.1:$PORT "$JAVA" -jar "$DQ_JAR" bench "$@" --json; }
bullmq() { (cd "$BULLMQ" && REDIS_PORT=$PORT node bench.js "$@"); }
pair() { # pair ROUND WHAT DQ-ARGS... -- BULLMQ-ARGS...
  local round=$1 what=$2
  shift 2
  local dq_args=() bull_args=()
  while [[ $1 != -- ]]; do dq_args+=("$1"); shift; done
  shift
  bull_args=("$@")
  if ((round % 2 == 1)); then
    run "$round" dq "$what" dq "${dq_args[@]}"
    run "$round" bullmq "$what" bullmq "${bull_args[@]}"
  else
    run "$round" bullmq "$what" bullmq "${bull_args[@]}"
    run "$round" dq "$what" dq "${dq_args[@]}"
  fi
}

echo "redis $REDIS_VERSION on 127.0.0.1:$PORT, $ROUNDS rounds, raw results in $RESULTS" >&2
for round in $(seq "$ROUNDS"); do
  pair "$round" enqueue --backend redis --mode enqueue -- enqueue 50000 1000
  pair "$round" process --backend redis --mode process -- process 50 50000
  pair "$round" latency --backend redis --mode latency --workers 8 -- latency 2000 10
  run "$round" dq memory dq --backend memory --mode process
done

# The table: node is here anyway (BullMQ needs it).
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)
node - "$RESULTS" "$ROUNDS" "$REDIS_VERSION" "$JAVA_VERSION" <<'EOF'
'use strict';
const fs = require('fs');
const [file, roundsArg, redisVersion, javaVersion] = process.argv.slice(2);
const rounds = Number(roundsArg);
const runs = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const find = (r, who, what, measure) =>
  runs.find((x) => x.round === r && x.who === who && x.what === what &&
    (measure === undefined || x.result.measure === measure));
const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmt = (x, digits) => (typeof x !== 'number' || !Number.isFinite(x)) ? '-' :
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rowsOut = [];
// row(label, digits, perRound(r) -> number)
const row = (label, digits, f) => {
  const vals = [];
  for (let r = 1; r <= rounds; r++) {
    let v;
    try { v = f(r); } catch (e) { v = NaN; }
    vals.push(v);
  }
  rowsOut.push({ label, digits, vals, med: median(vals) });
  return vals;
};
// ratio row: per round a/b, and the ratio of the medians
const ratio = (label, a, b) => {
  const vals = a.map((x, i) => x / b[i]);
  rowsOut.push({ label, digits: 2, vals, med: median(a) / median(b), ratio: true });
};
const dqNote = (r, what, key, measure) => find(r, 'dq', what, measure).result[key];
const bull = (r, what) => find(r, 'bullmq', what).result;

row('load (1 min) before dq enqueue', 2, (r) => find(r, 'dq', 'enqueue').load1);
const dqEnq = row('dq enqueue, tasks/s (batch 1000)', 0, (r) => dqNote(r, 'enqueue', 'tasks_per_second'));
const bEnq = row('BullMQ addBulk 1000, jobs/s', 0, (r) => bull(r, 'enqueue').jobs_per_s);
ratio('  dq / BullMQ enqueue', dqEnq, bEnq);
// The settings the process runs used, as dq reported them (DQ_BENCH_WORKERS / DQ_BENCH_PREFETCH may change them).
const procOf = (key) => { try { return dqNote(1, 'process', key); } catch (e) { return '?'; } };
const dqProc = row(`dq process, tasks/s (${procOf('workers')} workers, prefetch ${procOf('prefetch')})`, 0,
  (r) => dqNote(r, 'process', 'tasks_per_second'));
const bProc = row('BullMQ process, concurrency 50, jobs/s', 0, (r) => bull(r, 'process').jobs_per_s);
ratio('  dq / BullMQ process', dqProc, bProc);
const dqP50 = row('dq latency p50 ms (8 workers)', 3, (r) => dqNote(r, 'latency', 'latency_p50_ms'));
const bP50 = row('BullMQ latency p50 ms (inproc, concurrency 10)', 3, (r) => bull(r, 'latency').inproc_ms.p50);
ratio('  dq / BullMQ p50', dqP50, bP50);
const dqP99 = row('dq latency p99 ms', 3, (r) => dqNote(r, 'latency', 'latency_p99_ms'));
const bP99 = row('BullMQ latency p99 ms', 3, (r) => bull(r, 'latency').inproc_ms.p99);
ratio('  dq / BullMQ p99', dqP99, bP99);
const dqCpuE = row('dq Redis CPU µs/task, enqueue', 2, (r) => dqNote(r, 'enqueue', 'redis_cpu_us_per_task'));
const dqCpuP = row('dq Redis CPU µs/task, process (claim+load+ack)', 2, (r) => dqNote(r, 'process', 'redis_cpu_us_per_task'));
const dqCpu = row('dq Redis CPU µs/task, whole life', 2, (r) => dqCpuE[r - 1] + dqCpuP[r - 1]);
row('BullMQ Redis CPU µs/job, enqueue run', 2, (r) => find(r, 'bullmq', 'enqueue').redis_cpu_us / bull(r, 'enqueue').N);
const bCpu = row('BullMQ Redis CPU µs/job, whole life (process run)', 2, (r) => find(r, 'bullmq', 'process').redis_cpu_us / bull(r, 'process').N);
ratio('  dq / BullMQ Redis CPU, whole life', dqCpu, bCpu);
row('dq Redis commands/task, enqueue', 2, (r) => dqNote(r, 'enqueue', 'redis_commands_per_task'));
row('dq Redis commands/task, process', 2, (r) => dqNote(r, 'process', 'redis_commands_per_task'));
row('dq Redis scripts/task, process', 3, (r) => dqNote(r, 'process', 'redis_scripts_per_task'));
row('dq Redis bytes per queued task', 0, (r) => dqNote(r, 'enqueue', 'store_bytes_per_task'));
const mem = row('dq memory process, tasks/s', 0, (r) => dqNote(r, 'memory', 'tasks_per_second', 'process'));
const tpe = row('ThreadPoolExecutor, tasks/s', 0, (r) => dqNote(r, 'memory', 'tasks_per_second', 'ThreadPoolExecutor'));
ratio('  dq memory / ThreadPoolExecutor', mem, tpe);

const bullVersion = (runs.find((x) => x.who === 'bullmq') || { result: {} }).result.bullmq;
console.log(`dq vs BullMQ ${bullVersion}, Redis ${redisVersion}, ${javaVersion}, node ${process.version}, ${rounds} rounds`);
console.log('(ratio rows: per round, and the ratio of the medians)');
const head = ['measure'].concat([...Array(rounds).keys()].map((i) => `run ${i + 1}`), ['median']);
const table = [head].concat(rowsOut.map((r) =>
  [r.label].concat(r.vals.map((v) => fmt(v, r.digits)), [fmt(r.med, r.digits)])));
const widths = head.map((_, c) => Math.max(...table.map((t) => t[c].length)));
for (const t of table) {
  console.log(t.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}
EOF
