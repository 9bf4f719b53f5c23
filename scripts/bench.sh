#!/usr/bin/env bash
# bench.sh: armlint's whole-process speed on the quickstart corpus, beside
# the floor (internal/floor: read every file and check it is JSON with
# gjson, on as many workers), in one run. Every figure is the median of
# REPS runs (default 5), measured with /usr/bin/time (wall, CPU, peak RSS).
# Rows: the floor, the whole corpus (also as SARIF, and with every rule
# off), one typical template (vm-msi), 1, 10, 100, 1,000 and all templates
# named explicitly, and a synthetic 5 MB template with 2,000 resources
# (generated, not committed).
#
#   make bench                          # or: scripts/bench.sh
#   REPS=9 CORPUS=path scripts/bench.sh
set -euo pipefail

cd "$(dirname "$0")/.."
REPS=${REPS:-5}
CORPUS=${CORPUS:-../shared/corpus/quickstart}
TIME=/usr/bin/time
if [ ! -d "$CORPUS" ]; then
	echo "bench: $CORPUS is not available (it lives in ../shared beside the repository); skipped" >&2
	exit 0
fi
if [ ! -x "$TIME" ]; then
	echo "bench: $TIME (GNU time) is needed for peak RSS: apt-get install time" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -trimpath -o "$tmp/armlint" ./cmd/armlint
go build -trimpath -o "$tmp/floor" ./internal/floor
go run ./internal/synth/gen -resources 2000 -size 5000000 >"$tmp/synthetic.json"

# measure NAME FILES BYTES CMD...: runs CMD REPS times (output discarded)
# and prints one row of medians.
median() { sort -g | awk '{a[NR]=$1} END {m=(NR+1)/2; if (NR%2) print a[m]; else print (a[NR/2]+a[NR/2+1])/2}'; }
floor_wall=""
measure() {
	local name=$1 files=$2 bytes=$3
	shift 3
	: >"$tmp/m"
	for _ in $(seq "$REPS"); do
		set +e
		start=$(date +%s%N)
		"$TIME" -o "$tmp/t" -f "%U %S %M" "$@" >/dev/null 2>"$tmp/err"
		code=$?
		end=$(date +%s%N)
		set -e
		if [ "$code" -gt 1 ]; then
			echo "bench: $name: exit $code" >&2
			cat "$tmp/err" >&2
			exit 2
		fi
		echo "$(((end - start) / 1000))e-6 $(tail -n 1 "$tmp/t")" >>"$tmp/m"
	done
	local wall cpu rss
	wall=$(awk '{print $1}' "$tmp/m" | median)
	cpu=$(awk '{print $2+$3}' "$tmp/m" | median)
	rss=$(awk '{print $4/1024}' "$tmp/m" | median)
	[ -n "$floor_wall" ] || floor_wall=$wall
	awk -v n="$name" -v f="$files" -v b="$bytes" -v w="$wall" -v c="$cpu" -v r="$rss" -v fl="$floor_wall" 'BEGIN {
		w0 = (w > 0) ? w : 0.005
		printf "%-22s %6d %9.2f %8.3f %8.2f %8.0f %9.0f %8.1f %8.1f\n", n, f, b/1e6, w, c, r, f/w0, b/1e6/w0, w0/fl
	}'
}

bytes_of() { cat "$@" | wc -c; }
files=$(find "$CORPUS" -name '*.json' | wc -l)
bytes=$(find "$CORPUS" -name '*.json' -print0 | xargs -0 cat | wc -c)
find "$CORPUS" -name '*.json' -print0 | xargs -0 grep -il 'deploymentTemplate.json#' | sort >"$tmp/templates"

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(go version | cut -d' ' -f3-)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg); $REPS runs each, medians; wall and CPU in s, peak RSS in MB"
printf "%-22s %6s %9s %8s %8s %8s %9s %8s %8s\n" run files MB wall cpu rss files/s MB/s x-floor
measure "floor (read+gjson)" "$files" "$bytes" "$tmp/floor" "$CORPUS"
measure "armlint corpus" "$files" "$bytes" "$tmp/armlint" -f json "$CORPUS"
measure "armlint corpus sarif" "$files" "$bytes" "$tmp/armlint" -f sarif "$CORPUS"
# Every rule off: what loading, evaluating and the graph cost alone.
all_rules=$("$tmp/armlint" rules | awk '$1 !~ /^AL0/ {printf "%s%s", sep, $1; sep=","}')
measure "armlint, rules off" "$files" "$bytes" "$tmp/armlint" -f json --disable "$all_rules" "$CORPUS"
vm="$CORPUS/quickstarts/microsoft.compute/vm-msi/azuredeploy.json"
measure "vm-msi (1 template)" 1 "$(bytes_of "$vm")" "$tmp/armlint" "$vm"
for n in 1 10 100 1000; do
	head -n "$n" "$tmp/templates" >"$tmp/list"
	mapfile -t list <"$tmp/list"
	measure "$n templates" "$n" "$(bytes_of "${list[@]}")" "$tmp/armlint" "${list[@]}"
done
mapfile -t list <"$tmp/templates"
measure "all ${#list[@]} templates" "${#list[@]}" "$(bytes_of "${list[@]}")" "$tmp/armlint" "${list[@]}"
measure "synthetic 2000 res." 1 "$(bytes_of "$tmp/synthetic.json")" "$tmp/armlint" "$tmp/synthetic.json"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
