# shellcheck shell=bash disable=SC2154 # TOKEN is the caller's
# Shared by the bench scripts (sourced, not run): the wrk install, the run's temp dir and the
# servers started in it, server start-up, the benchmark request, and reading wrk's output and
# /proc. The caller sets `TOKEN` and calls `start_work` before starting servers.

# Installs wrk from Debian's packages if it is missing.
ensure_wrk() {
  if ! command -v wrk >/dev/null; then
    echo "== installing wrk (Debian package)"
    apt_install wrk
  fi
}

apt_install() {
  local sudo="sudo"
  [ "$(id -u)" = 0 ] && sudo=""
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null
}

# A temp dir for the run ($work) and the list of servers started in it ($pids): both go when
# the script exits, however it exits.
start_work() {
  work="$(mktemp -d)"
  pids=()
  trap cleanup EXIT
}
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}

# Starts a server whose first stdout line is its URL; sets $url (its pid is ${pids[-1]}).
launch() {
  local name="$1"; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=("$!")
  for _ in $(seq 100); do [ -s "$work/$name.out" ] && break; sleep 0.1; done
  url="$(head -n 1 "$work/$name.out")"
  case "$url" in http://*) ;; *) echo "$name did not start"; cat "$work/$name.err"; exit 1 ;; esac
}

# The benchmark request, a valid body for an open id (path and id from the spec and the mock's
# fixtures), as a wrk script in $work/one.lua; sets $path and $body_file.
bench_request() { # mock_url
  local path_template resource template open_id
  path_template="$(awk '/^  \/[^ ]*:$/ {p=$1; sub(/:$/,"",p)} /^      x-resource:/ {print $2, p; exit}' spec/frontpayment.openapi.yaml)"
  resource="${path_template%% *}"; template="${path_template#* }"
  open_id="$(curl -fsS -H "Authorization: Bearer $TOKEN" "$1/__mock/fixtures" | python3 -c "import json,sys; print(json.load(sys.stdin)['$resource']['open'])")"
  path="$(echo "$template" | sed "s/{[^}]*}/$open_id/")"
  body_file=spec/samples/valid/email-only.json
  python3 - "$work/one.lua" "$path" "$body_file" <<'PY'
import json, sys
out, path, body_file = sys.argv[1], sys.argv[2], sys.argv[3]
body = open(body_file).read().strip()
with open(out, "w") as f:
    f.write(f'wrk.method = "POST"\nwrk.path = {json.dumps(path)}\nwrk.body = {json.dumps(body)}\n')
PY
  cat >>"$work/one.lua" <<LUA
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
}

# The response head of the benchmark request sent once to a base URL.
bench_request_head() { # base_url
  curl -fsS -D - -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" \
    -H "Content-Type: application/json" --data-binary @"$body_file" "$1$path"
}

# CPU time (user + system, in clock ticks) a process has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
# Latency percentile in ms (wrk prints us, ms or s).
pct() { awk -v k="$2" '$1==k {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' "$1"; }
p50() { pct "$1" "50%"; }
p99() { pct "$1" "99%"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# CPU µs per request of the mock (field 1) or the proxy (field 2) in a run: name.cpu holds the
# two processes' ticks over the wrk run in name.wrk.
cpu_us() { awk -v f="$2" -v hz="$(getconf CLK_TCK)" -v n="$(awk '/ requests in / {print $1}' "$1")" \
  '{printf "%.1f\n", $f / hz / n * 1e6}' "${1%.wrk}.cpu"; }
mock_us() { cpu_us "$1" 1; }
proxy_us() { cpu_us "$1" 2; }
# The median of a measure (a function of a wrk file) over the runs $work/<prefix>.*.wrk.
med() { for f in "$work"/"$1".*.wrk; do "$2" "$f"; done | median; }
