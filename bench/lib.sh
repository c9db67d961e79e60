# Shared by the bench/*/run scripts: hyperfine side by side, printed as a Markdown table.
command -v hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
BENCH_JSON=$(mktemp)
trap 'rm -f "$BENCH_JSON"' EXIT

# bench NAME COMMAND...: runs the commands $RUNS times each (after 2 warm-ups) and prints each
# one's median whole-process time and its ratio to the first command's.
bench() {
  local name=$1; shift
  hyperfine -N --style none --warmup 2 --runs "$RUNS" --export-json "$BENCH_JSON" "$@" >/dev/null 2>&1
  python3 - "$BENCH_JSON" "$name" <<'PY'
import json, sys, statistics
rs = json.load(open(sys.argv[1]))["results"]
base = statistics.median(rs[0]["times"])
print(f"\n{sys.argv[2]} (median of {len(rs[0]['times'])} runs, whole process):\n")
print("| command | median | vs first |")
print("|---|---|---|")
for r in rs:
    m = statistics.median(r["times"])
    print(f"| `{r['command']}` | {m*1000:.1f} ms | {m/base:.2f}x |")
PY
}
