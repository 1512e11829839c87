#!/usr/bin/env bash
# Start N Streamlit app processes and nginx in front of them, all on loopback.
#   deploy/run_cluster.sh [N] [PORT]      (defaults: 2 processes, nginx on port 8600)
# App processes listen on PORT+1 .. PORT+N. Stop everything with Ctrl-C (or kill the script).
# Needs Debian's nginx (apt-get install nginx-light) and the app's requirements.
set -euo pipefail
N=${1:-2}
PORT=${2:-8600}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=$(mktemp -d /tmp/calculus-explorer-nginx.XXXXXX)
PY=${PYTHON:-python3}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
# One shared cookie secret so every process accepts the XSRF cookie another process set.
export STREAMLIT_SERVER_COOKIE_SECRET=${STREAMLIT_SERVER_COOKIE_SECRET:-$(head -c 24 /dev/urandom | base64)}

pids=()
cleanup() {
  [[ -f $PREFIX/nginx.pid ]] && kill "$(cat "$PREFIX/nginx.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$PREFIX"
}
trap cleanup EXIT INT TERM

upstreams=""
for i in $(seq 1 "$N"); do
  p=$((PORT + i))
  (cd "$ROOT" && exec "$PY" -m streamlit run streamlit_app.py --server.port "$p" \
     --server.address 127.0.0.1 --server.headless true) >"$PREFIX/app$i.log" 2>&1 &
  pids+=($!)
  upstreams+="        server 127.0.0.1:$p max_fails=3 fail_timeout=10s;"$'\n'
done

mkdir -p "$PREFIX"/{client_body,proxy,fastcgi,uwsgi,scgi}
python3 - "$ROOT/deploy/nginx.conf.template" "$PREFIX/nginx.conf" "$PORT" "$PREFIX" "$upstreams" <<'PYEOF'
import sys
src, dst, port, prefix, ups = sys.argv[1:]
text = open(src).read().replace("@PORT@", port).replace("@PREFIX@", prefix).replace("@UPSTREAMS@", ups.rstrip("\n"))
open(dst, "w").write(text)
PYEOF
for i in $(seq 1 "$N"); do
  p=$((PORT + i))
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$p/_stcore/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
done
"$NGINX" -c "$PREFIX/nginx.conf" -p "$PREFIX" -g "daemon off;" &
pids+=($!)
echo "Calculus Explorer: $N app processes behind nginx at http://127.0.0.1:$PORT/ (Ctrl-C stops)"
wait
