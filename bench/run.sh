#!/usr/bin/env bash
# Runs truce's Go benchmarks and prints the median of each metric.
#
#   bash bench/run.sh                    # every package below, -count 5 -cpu 1 -benchmem
#   bash bench/run.sh ./extract ./text   # only these packages
#   COUNT=10 BENCHTIME=2s bash bench/run.sh
#
# Results go to bench/out/<UTC time>/ (gitignored): one raw file per package
# (<pkg>.txt, the input of benchstat), all.txt, medians.txt, and benchstat.txt
# when benchstat can be fetched. Per-core numbers come from -cpu 1 (CPU=1); the
# parallel extract benchmark is also run with -cpu 2 (PARALLEL=0 skips it).
# The PostgreSQL benchmark needs a server at $TRUCE_TEST_POSTGRES (default
# postgres://postgres@127.0.0.1:5432/test?sslmode=disable) and is skipped
# without one. See docs/performance.md.
set -uo pipefail

# The whole script is one function, read before it runs.
main() {
	cd "$(dirname "$0")/.."
	export PATH="/usr/local/go/bin:$PATH"

	COUNT="${COUNT:-5}"
	CPU="${CPU:-1}"
	BENCHTIME="${BENCHTIME:-1s}"
	PARALLEL="${PARALLEL:-1}"
	export TRUCE_TEST_POSTGRES="${TRUCE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"

	pkgs=("$@")
	if ((${#pkgs[@]} == 0)); then
		pkgs=(./extract ./source ./text ./temporal ./quantity ./gazetteer ./simhash ./store/sqlite ./store/postgres ./server)
	fi

	out="bench/out/$(date -u +%Y%m%dT%H%M%SZ)"
	mkdir -p "$out"
	{
		echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
		echo "host: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
		echo "go: $(go version)"
		echo "commit: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
		echo "flags: -count $COUNT -cpu $CPU -benchtime $BENCHTIME -benchmem"
		echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	} | tee "$out/env.txt"

	status=0
	run() { # file, go test arguments...
		local file="$1"
		shift
		echo "== go test $*" >&2
		if ! go test -run '^$' -benchmem -timeout 60m "$@" >"$out/$file" 2>&1; then
			echo "FAILED: go test $* (see $out/$file)" >&2
			tail -n 20 "$out/$file" >&2
			status=1
		fi
		# A log line written during a run splits a result line in two: join them.
		awk '/^Benchmark[^ \t]*[ \t]+[0-9][0-9][0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] / { name = $1; next }
			name != "" && /^[ \t]*[0-9]+[ \t]/ { print name "\t" $0; name = ""; next }
			{ print }' "$out/$file" >"$out/$file.tmp" && mv "$out/$file.tmp" "$out/$file"
		grep -E '^(Benchmark|pkg:|--- SKIP|    .*skipping)' "$out/$file" >&2 || true
	}

	for p in "${pkgs[@]}"; do
		name=$(echo "${p#./}" | tr / -)
		run "$name.txt" -bench . -count "$COUNT" -cpu "$CPU" -benchtime "$BENCHTIME" "$p"
	done
	if [ "$PARALLEL" = 1 ] && printf '%s\n' "${pkgs[@]}" | grep -qx './extract'; then
		run "extract-parallel.txt" -bench 'Parallel' -count "$COUNT" -cpu 2 -benchtime "$BENCHTIME" ./extract
	fi
	echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env.txt"

	files=()
	for f in "$out"/*.txt; do
		case "$f" in */env.txt | */all.txt) ;; *) files+=("$f") ;; esac
	done
	cat "${files[@]}" >"$out/all.txt"
	go run ./bench/benchmed "$out/all.txt" | tee "$out/medians.txt"
	if go run golang.org/x/perf/cmd/benchstat@latest "$out/all.txt" >"$out/benchstat.txt" 2>/dev/null; then
		echo "benchstat: $out/benchstat.txt"
	else
		rm -f "$out/benchstat.txt"
	fi
	echo "results: $out"
	return "$status"
}

main "$@"
exit $?
