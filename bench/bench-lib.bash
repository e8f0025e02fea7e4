# SPDX-License-Identifier: GPL-2.0-or-later
# bench/bench-lib.bash - what every benchmark reports the same way: the median and the spread
# (min-max) of several runs, the ratio of two medians, and the rows of the README's table.
#
# A benchmark sources this file, measures ROUNDS runs of each side, and calls bench_row for
# each line it contributes to the table. "./lab bench" sets BATON_BENCH_TABLE to one file for
# all benchmarks and prints the collected table at the end; a benchmark run on its own prints
# its rows only.

# bench_stats: numbers on stdin, one a line -> "median min max n" (the median of an even
# count is the mean of the middle two). Fails on no input.
bench_stats() {
	sort -g | awk '
		{ a[NR] = $1 }
		END {
			if (NR == 0) exit 1
			m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
			print m, a[1], a[NR], NR
		}'
}

# bench_cell "median min max n" UNIT [DECIMALS] -> "12.2 ms (11.9-13.0)"
bench_cell() {
	local m lo hi _n
	read -r m lo hi _n <<<"$1"
	awk -v m="$m" -v lo="$lo" -v hi="$hi" -v u="$2" -v d="${3:-1}" \
		'BEGIN { f = "%." d "f"; printf f "%s (" f "–" f ")\n", m, (u == "" ? "" : " " u), lo, hi }'
}

# bench_median "median min max n" -> median
bench_median() { echo "${1%% *}"; }

# bench_ratio A B -> "A/B" as "4.2x" ("-" when B is 0 or missing)
bench_ratio() {
	awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (b > 0) printf "%.1fx\n", a / b; else print "-" }'
}

# bench_cols CELL...: one line of a table, each cell left-aligned in its width from the array
# BENCH_W (in characters: printf's widths count bytes, and bench_cell's cells hold an en dash)
bench_cols() {
	local LC_ALL=C.UTF-8 i cell n line=
	for ((i = 1; i <= $#; i++)); do
		cell=${!i}
		n=$((BENCH_W[i - 1] - ${#cell}))
		line+=$cell$(printf '%*s' $((n > 0 ? n : 1)) '')
	done
	echo "${line%"${line##*[! ]}"}"
}

# bench_row WHAT BATON STANDARD RATIO: one row of the README's benchmark table
bench_row() {
	local row
	row=$(printf '| %s | %s | %s | %s |' "$1" "$2" "$3" "$4")
	echo "$row"
	if [ -n "${BATON_BENCH_TABLE:-}" ]; then echo "$row" >>"$BATON_BENCH_TABLE"; fi
}

# bench_table_header: the table's first two lines
bench_table_header() {
	echo "| benchmark (method; median (min–max) of the runs) | baton | standard agent | ratio |"
	echo "|---|---|---|---|"
}

# bench_hyperfine JSON [N]: the N-th command (from 0) of a hyperfine --export-json file ->
# "median min max runs cpu" in ms: the wall time's median and spread over the runs, and the
# mean CPU time (user+system of the command and its children; hyperfine keeps no per-run CPU)
bench_hyperfine() {
	python3 - "$1" "${2:-0}" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]
t = [x * 1000 for x in r["times"]]
print(statistics.median(t), min(t), max(t), len(t), (r["user"] + r["system"]) * 1000)
PY
}

# bench_cpu_ms "median min max runs cpu" -> the mean CPU of a bench_hyperfine line, in ms
bench_cpu_ms() {
	local _m _lo _hi _n cpu
	read -r _m _lo _hi _n cpu <<<"$1"
	echo "$cpu"
}

# bench_cpu "median min max runs cpu" [DECIMALS] -> the same as a cell, "4.3 ms CPU"
bench_cpu() {
	printf '%.*f ms CPU\n' "${2:-1}" "$(bench_cpu_ms "$1")"
}
