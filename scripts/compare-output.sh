#!/usr/bin/env bash
# compare-output.sh [REV] [PATH...]: check that the working tree's armlint
# prints byte-identical output to armlint built at git revision REV
# (default HEAD), on the quickstart corpus (default ../shared/corpus/quickstart)
# and on the synthetic template of the benchmarks (5 MB, 2,000 resources,
# identities and role assignments everywhere) with every rule on: -f json,
# -f sarif and -f text, with the default number of jobs and with --jobs 1.
# Speed work must leave the output alone; run this before committing it.
# Exit 0 when identical, 1 when an output differs.
set -euo pipefail

cd "$(dirname "$0")/.."
rev=${1:-HEAD}
shift || true
paths=("$@")
if [ ${#paths[@]} -eq 0 ]; then
	paths=(../shared/corpus/quickstart)
	if [ ! -d "${paths[0]}" ]; then
		echo "compare-output: ${paths[0]} is not available (it lives in ../shared beside the repository); skipped" >&2
		exit 0
	fi
fi

tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

git worktree add --detach --quiet "$tmp/src" "$rev"
(cd "$tmp/src" && go build -trimpath -o "$tmp/armlint-before" ./cmd/armlint)
go build -trimpath -o "$tmp/armlint-after" ./cmd/armlint
echo "before: $(git rev-parse --short "$rev") ($rev); after: the working tree"
if [ ${#paths[@]} -eq 1 ] && [ "${paths[0]}" = ../shared/corpus/quickstart ]; then
	go run ./internal/synth/gen -resources 2000 -size 5000000 >"$tmp/synthetic.json"
	paths+=("$tmp/synthetic.json")
fi

status=0
run() { # run BIN NAME ARGS...: output in $tmp/NAME, exit code in $tmp/NAME.code
	local bin=$1 name=$2
	shift 2
	set +e
	"$bin" "$@" >"$tmp/$name" 2>"$tmp/$name.stderr"
	echo $? >"$tmp/$name.code"
	set -e
}
for fmt in json sarif text; do
	for jobs in default 1; do
		args=(-f "$fmt")
		[ "$jobs" = default ] || args+=(--jobs "$jobs")
		run "$tmp/armlint-before" before "${args[@]}" "${paths[@]}"
		run "$tmp/armlint-after" after "${args[@]}" "${paths[@]}"
		label="-f $fmt, jobs $jobs"
		if cmp -s "$tmp/before" "$tmp/after" && cmp -s "$tmp/before.code" "$tmp/after.code" &&
			cmp -s "$tmp/before.stderr" "$tmp/after.stderr"; then
			echo "identical: $label ($(wc -c <"$tmp/after") bytes, exit $(cat "$tmp/after.code"))"
		else
			echo "DIFFERENT: $label"
			diff <(cat "$tmp/before.code" "$tmp/before.stderr" "$tmp/before") \
				<(cat "$tmp/after.code" "$tmp/after.stderr" "$tmp/after") | head -40 || true
			status=1
		fi
		if [ "$jobs" = 1 ]; then
			# the default run's output must equal the --jobs 1 run's
			if ! cmp -s "$tmp/after" "$tmp/after-default"; then
				echo "DIFFERENT: -f $fmt, default jobs vs --jobs 1 (after)"
				status=1
			fi
		else
			cp "$tmp/after" "$tmp/after-default"
		fi
	done
done
exit $status
