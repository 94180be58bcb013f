#!/usr/bin/env bash
# End-to-end comparison (issue 7): runs every load scenario against our echo server
# (dev.engineionio.examples.EchoServer) and against the npm engine.io echo server (benchmarks/node, pinned by
# package-lock.json), and with --servers also against other Java servers (benchmarks/peers: engine.io-server-java on
# Jetty, netty-socketio), in turn, for several rounds, with a fresh server process for every run; then prints the
# medians and ratios per scenario and writes a chart. Loopback only; every run ends by itself (see LoadMain).
#
# usage: benchmarks/compare.sh [--rounds N] [--scenarios ws,polling,handshake,idle] [--quick]
#                              [--idle-sessions N] [--threads N] [--out DIR] [--servers LIST]
#   --rounds N        rounds of every scenario against each server (default 3)
#   --scenarios LIST  comma-separated subset of ws,polling,handshake,idle (default all)
#   --quick           smoke run: 1 s warm-up, 3 s windows, idle 2,000 sessions held 5 s with 2 s pings
#   --idle-sessions N sessions of the idle scenario (default 10000, quick 2000)
#   --threads N       client selector threads for ws/polling/handshake (default 1)
#   --out DIR         where results go (default benchmarks/results)
#   --servers LIST    comma-separated subset of reference,ours,engineio-java,netty-socketio (default reference,ours);
#                     the order rotates by one every round
# Environment: OURS_JAVA (the java launcher for our server, default java on the PATH), OURS_JAVA_OPTS (JVM options for
#   our server, default empty), PEERS_JAVA_OPTS (for the engineio-java and
#   netty-socketio servers), LOAD_JAVA_OPTS (for the load client), OURS_JAR (the jar holding EchoServer, default
#   examples/target/examples.jar), PEERS_JAR (default benchmarks/peers/target/peers.jar).
#
# Contract with our server: `java $OURS_JAVA_OPTS -cp examples/target/examples.jar dev.engineionio.examples.EchoServer
#   <port> --pingInterval MS --pingTimeout MS` serves Engine.IO at http://127.0.0.1:<port>/engine.io/ and echoes each
#   message; the java process itself is the server (its pid is $!); SIGTERM stops it. Readiness is detected by an
#   Engine.IO polling handshake answering 200. Until EchoServer exists, only the reference runs. The peers keep the same
#   contract (netty-socketio at /socket.io/, driven with LoadMain --socketio).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

ROUNDS=3
SCENARIOS="ws,polling,handshake,idle"
QUICK=0
IDLE_SESSIONS=""
THREADS=1
OUT="$ROOT/benchmarks/results"
SERVERS="reference,ours"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --idle-sessions) IDLE_SESSIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --servers) SERVERS="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 1 ;;
  esac
done
[[ "$ROUNDS" =~ ^[0-9]+$ && "$ROUNDS" -ge 1 && "$ROUNDS" -le 20 ]] || { echo "--rounds must be 1..20" >&2; exit 1; }
IFS=, read -r -a WANTED <<< "$SERVERS"
WANT_PEERS=0
for side in "${WANTED[@]}"; do
  case "$side" in
    reference|ours) ;;
    engineio-java|netty-socketio) WANT_PEERS=1 ;;
    *) echo "--servers: unknown server $side (known: reference,ours,engineio-java,netty-socketio)" >&2; exit 1 ;;
  esac
done

if [[ $QUICK == 1 ]]; then
  TIMING=(--warmup 1 --duration 3)
  IDLE_SESSIONS="${IDLE_SESSIONS:-2000}"
  IDLE_HOLD=5
  PING=(--pingInterval 2000 --pingTimeout 5000)
  IDLE_PING=(--pingInterval 2000 --pingTimeout 5000)
else
  TIMING=(--warmup 3 --duration 10)
  IDLE_SESSIONS="${IDLE_SESSIONS:-10000}"
  IDLE_HOLD=30
  PING=(--pingInterval 25000 --pingTimeout 20000)
  IDLE_PING=(--pingInterval 25000 --pingTimeout 20000)
fi

BENCH_JAR="$ROOT/benchmarks/target/benchmarks.jar"
EXAMPLES_JAR="${OURS_JAR:-$ROOT/examples/target/examples.jar}"
OURS_SRC="$ROOT/examples/src/main/java/dev/engineionio/examples/EchoServer.java"
PEERS_JAR="${PEERS_JAR:-$ROOT/benchmarks/peers/target/peers.jar}"

# --- build if needed --------------------------------------------------------------------------------------------
newer_sources() { # $1 = jar, rest = source dirs: true when a source is newer than the jar (or the jar is missing)
  local jar="$1"; shift
  [[ ! -f "$jar" ]] && return 0
  [[ -n "$(find "$@" -newer "$jar" -type f 2>/dev/null | head -1)" ]]
}
MODULES=()
if newer_sources "$BENCH_JAR" engineio-nio/src/main benchmarks/src/main; then MODULES+=(benchmarks); fi
if [[ -f "$OURS_SRC" ]] && newer_sources "$EXAMPLES_JAR" engineio-nio/src/main examples/src/main; then MODULES+=(examples); fi
if [[ $WANT_PEERS == 1 ]] && newer_sources "$PEERS_JAR" benchmarks/peers/src/main benchmarks/peers/pom.xml; then
  MODULES+=(benchmarks/peers)
fi
if [[ ${#MODULES[@]} -gt 0 ]]; then
  echo "== building $(IFS=,; echo "${MODULES[*]}")"
  mvn -B -q -pl "$(IFS=,; echo "${MODULES[*]}")" -am -DskipTests package
fi

HAVE_OURS=0
# (unzip's own pattern, not `| grep -q`: with pipefail, grep quitting early makes unzip fail on SIGPIPE)
if [[ -f "$EXAMPLES_JAR" ]] && unzip -l "$EXAMPLES_JAR" 'dev/engineionio/examples/EchoServer.class' >/dev/null 2>&1; then
  HAVE_OURS=1
else
  echo "NOTE: dev.engineionio.examples.EchoServer is not in examples/target/examples.jar yet:"
  echo "      running the reference (npm engine.io) only; ratios are left empty."
fi

jar_version() { # $1 = jar, $2 = group/artifact path inside META-INF/maven: the version its pom.properties names
  unzip -p "$1" "META-INF/maven/$2/pom.properties" 2>/dev/null | sed -n 's/^version=//p' | head -1
}
PEERS_NAMES=""
if [[ $WANT_PEERS == 1 ]]; then
  PEERS_NAMES="engineio-java = engine.io-server $(jar_version "$PEERS_JAR" io.socket/engine.io-server) with engine.io-server-jetty $(jar_version "$PEERS_JAR" io.socket/engine.io-server-jetty) on Jetty $(jar_version "$PEERS_JAR" org.eclipse.jetty/jetty-server), netty-socketio = netty-socketio $(jar_version "$PEERS_JAR" com.corundumstudio.socketio/netty-socketio) on Netty $(jar_version "$PEERS_JAR" io.netty/netty-common) (Socket.IO)"
fi

# --- reference server ------------------------------------------------------------------------------------------
echo "== npm ci in benchmarks/node"
(cd benchmarks/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
REF_VERSION="$(node -p "require('./benchmarks/node/node_modules/engine.io/package.json').version" 2>/dev/null || true)"
if [[ -z "$REF_VERSION" ]]; then
  REF_VERSION="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' benchmarks/node/node_modules/engine.io/package.json | head -1)"
fi

mkdir -p "$OUT"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RUNS="$OUT/runs-$STAMP.jsonl"
: > "$RUNS"
ulimit -n 20000 2>/dev/null || true

SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

PORT=$((31000 + RANDOM % 2000))

cpu_ms() { # utime+stime of a pid in ms (proc(5): fields 14 and 15, after the ")" of comm)
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo -1; return; }
  stat="${stat##*) }"
  read -r -a f <<< "$stat"
  echo $(( (f[11] + f[12]) * 10 ))
}

path_of() { # $1 = side: the path its Engine.IO endpoint is served at
  if [[ "$1" == netty-socketio ]]; then echo /socket.io/; else echo /engine.io/; fi
}

free_port() { # a port nothing listens on now: the system's pick for a socket bound to 0 (else the next of ours)
  local p
  p="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' \
       2>/dev/null || true)"
  if [[ "$p" =~ ^[0-9]+$ ]]; then echo "$p"; else echo $((PORT + 1)); fi
}

owns_port() { # $1 = pid, $2 = port: true when that process listens on it (or when ss cannot tell)
  command -v ss >/dev/null || return 0
  ss -ltnpH "sport = :$2" 2>/dev/null | grep -q "pid=$1,"
}

start_server() { # $1 = side, $2.. = ping args; sets SERVER_PID and PORT
  local side="$1"; shift
  PORT="$(free_port)"
  local log="$OUT/server-$side.log"
  case "$side" in
    # shellcheck disable=SC2086
    ours) "${OURS_JAVA:-java}" ${OURS_JAVA_OPTS:-} -cp "$EXAMPLES_JAR" dev.engineionio.examples.EchoServer "$PORT" "$@" > "$log" 2>&1 & ;;
    # shellcheck disable=SC2086
    engineio-java) java ${PEERS_JAVA_OPTS:-} -cp "$PEERS_JAR" dev.engineionio.bench.peers.EngineIoJavaEchoServer "$PORT" "$@" \
                     > "$log" 2>&1 & ;;
    # shellcheck disable=SC2086
    netty-socketio) java ${PEERS_JAVA_OPTS:-} -cp "$PEERS_JAR" dev.engineionio.bench.peers.NettySocketIoEchoServer "$PORT" "$@" \
                     > "$log" 2>&1 & ;;
    *) node benchmarks/node/echo-server.js "$PORT" "$@" > "$log" 2>&1 & ;;
  esac
  SERVER_PID=$!
  local path
  path="$(path_of "$side")"
  for _ in $(seq 1 200); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "server ($side) exited at start; its log:" >&2; cat "$log" >&2; return 1
    fi
    if [[ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$PORT$path?EIO=4&transport=polling" || true)" == 200 ]]; then
      # on a machine shared with other runs, make sure the answer came from the server just started
      if owns_port "$SERVER_PID" "$PORT"; then return 0; fi
      echo "server ($side): port $PORT answers but belongs to another process" >&2; return 1
    fi
    sleep 0.1
  done
  echo "server ($side) not ready after 20 s" >&2
  return 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

run_one() { # $1 = side, $2 = scenario
  local side="$1" scenario="$2" args=() ping=("${PING[@]}")
  case "$scenario" in
    ws|polling|handshake) args=("${TIMING[@]}" --threads "$THREADS") ;;
    idle) args=(--sessions "$IDLE_SESSIONS" --duration "$IDLE_HOLD"); ping=("${IDLE_PING[@]}")
          [[ "$side" != reference ]] && args+=(--jvm-heap) ;;
    *) echo "unknown scenario $scenario" >&2; return 1 ;;
  esac
  [[ "$side" == netty-socketio ]] && args+=(--socketio)
  local load
  load="$(cut -d" " -f1-3 /proc/loadavg)"
  start_server "$side" "${ping[@]}" || { stop_server; return 0; }
  local out line total
  # shellcheck disable=SC2086
  out="$(java ${LOAD_JAVA_OPTS:-} -cp "$BENCH_JAR" dev.engineionio.bench.load.LoadMain "$scenario" \
        --url "http://127.0.0.1:$PORT$(path_of "$side")" --server-pid "$SERVER_PID" --label "$side" "${args[@]}" || true)"
  total="$(cpu_ms "$SERVER_PID")"
  stop_server
  line="$(grep '^{"tool":"engineio-load"' <<< "$out" | head -1 || true)"
  if [[ -z "$line" ]]; then
    echo "   $side $scenario: the load tool printed no result" >&2
    return 0
  fi
  echo "${line%\}},\"round\":$ROUND,\"serverTotalCpuMs\":$total,\"loadavgBefore\":\"$load\"}" >> "$RUNS"
  grep -v '^{' <<< "$out" | sed 's/^/   /' || true
}

SIDES=()
for side in "${WANTED[@]}"; do
  if [[ "$side" == ours && $HAVE_OURS == 0 ]]; then continue; fi
  if [[ "$side" == engineio-java || "$side" == netty-socketio ]] && ! unzip -l "$PEERS_JAR" 'dev/engineionio/bench/peers/*' >/dev/null 2>&1; then
    echo "NOTE: $PEERS_JAR has no peer servers: $side skipped"; continue
  fi
  SIDES+=("$side")
done
[[ ${#SIDES[@]} -gt 0 ]] || { echo "no server to run" >&2; exit 1; }

IFS=, read -r -a SCEN <<< "$SCENARIOS"
echo "== $ROUNDS round(s) of ${SCENARIOS} against $(IFS=,; echo "${SIDES[*]}") (quick=$QUICK), npm engine.io $REF_VERSION, results in $RUNS"
for ROUND in $(seq 1 "$ROUNDS"); do
  # the order rotates by one server every round (with two servers: flips), so no server always runs first
  n=${#SIDES[@]}
  sides=()
  for ((i = 0; i < n; i++)); do sides+=("${SIDES[$(( (i + ROUND - 1) % n ))]}"); done
  for scenario in "${SCEN[@]}"; do
    for side in "${sides[@]}"; do
      echo "-- round $ROUND $scenario $side"
      run_one "$side" "$scenario"
    done
  done
done

MACHINE="$(nproc) cores $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(java -version 2>&1 | head -1), node $(node -v)"
java -cp "$BENCH_JAR" dev.engineionio.bench.load.CompareReport "$RUNS" "$OUT/summary-$STAMP.md" "$OUT/chart-$STAMP.svg" \
  "npm engine.io $REF_VERSION" "$MACHINE" "$PEERS_NAMES"
cp "$OUT/chart-$STAMP.svg" "$OUT/chart-latest.svg"
cp "$OUT/summary-$STAMP.md" "$OUT/summary-latest.md"
echo "== wrote $OUT/summary-$STAMP.md and $OUT/chart-$STAMP.svg (also *-latest.*)"
