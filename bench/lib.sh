# Timing helpers shared by the bench scripts (POSIX sh, sourced).
# N: the number of runs each measurement takes the median of.

# Seconds since the epoch, to the nanosecond where date(1) can.
now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
time_runs() {  # time_runs CMD...: the median of N runs' wall times
	i=0
	while [ "$i" -lt "$N" ]; do
		t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
		echo "$t0 $t1" | awk '{ printf "%.6f\n", $2 - $1 }'
		i=$((i + 1))
	done | median
}
peak_kb() {  # peak RSS in KiB, where GNU time is there to say it
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
	else
		echo "?"
	fi
}
