#!/bin/sh
# A synthetic results.json of N results on stdout, byte for byte what
# linkmatrix writes (so a merge or a read-back writes it again unchanged),
# shaped like tests/unit/test_reports.c's report of a big nightly run: N/5
# cases x 5 linkers, every outcome, and for what did not pass three
# commands with OUT bytes of stdout and of stderr each, findings, diffs.
#
#   bench/gen-results.sh N [I/S] [FLIP] [OUT]
#
# I/S: only shard I of S (the cases whose number is I-1 modulo S), as
# `run --shard I/S` writes it; 0/0 (the default) is the whole run. FLIP:
# every FLIP-th result passes where it failed and fails where it passed (a
# later run, for report compare). OUT defaults to 2048 (0: no outputs).
set -eu
n=${1:?usage: gen-results.sh N [I/S] [FLIP] [OUT]}
shard=${2:-0/0}
exec awk -v n="$n" -v si="${shard%/*}" -v sc="${shard#*/}" -v flip="${3:-0}" -v out="${4:-2048}" '
function outcome(i,    o) {
	o = i % 7 == 0 ? "FAIL" : i % 11 == 0 ? "SKIP" : i % 13 == 0 ? "XFAIL" : \
	    i % 101 == 0 ? "XPASS" : i % 211 == 0 ? "ERROR" : i % 307 == 0 ? "TIMEOUT" : "PASS"
	if (flip && i % flip == 0)
		o = o == "PASS" ? "FAIL" : "PASS"
	return o
}
function mine(i) { return !sc || int(i / 5) % sc == si - 1 }
function q(k, v) { return "\"" k "\": \"" v "\"" }
function cmd(argv, status, secs, o, e, et, last) {
	return "        {\n" \
	       "          " q("command", argv) ",\n" \
	       "          " q("cwd", "/tmp/lm/work/case/default/x86_64-linux-gnu/lld") ",\n" \
	       "          " q("status", status) ",\n" \
	       "          \"seconds\": " secs ",\n" \
	       "          " q("stdout", o) ",\n" \
	       "          \"stdout_bytes\": " out ",\n" \
	       "          " q("stderr", e) ",\n" \
	       "          \"stderr_bytes\": " et "\n" \
	       "        }" (last ? "\n" : ",\n")
}
function record(i,    c, l, id, o, bad, s, kept, dir) {
	c = sprintf("case-%06d", int(i / 5))
	l = linker[i % 5 + 1]
	id = c ":default x86_64-linux-gnu " l
	o = outcome(i)
	bad = o != "PASS" && o != "SKIP"
	kept = bad ? text : ""
	dir = "repro/" c "-default-x86_64-linux-gnu-" l
	s = "    {\n" \
	    "      " q("id", id) ",\n" \
	    "      " q("case", c) ",\n" \
	    "      " q("case_file", "/nonexistent/cases/x.yaml") ",\n" \
	    "      " q("case_file_in_root", "x.yaml") ",\n" \
	    "      " q("variant", "default") ",\n" \
	    "      " q("target", "x86_64-linux-gnu") ",\n" \
	    "      " q("linker", l) ",\n" \
	    "      \"tags\": " (i % 3 ? "[\n        \"tls\",\n        \"shared\"\n      ]" : "[]") ",\n" \
	    "      " q("outcome", o) ",\n" \
	    "      " q("stage", bad ? "run" : "") ",\n" \
	    "      " q("message", o == "SKIP" ? "requires os illumos" : bad ? "main: killed by signal 11 (SIGSEGV)" : "") ",\n" \
	    "      " q("detail", bad && i % 5 == 0 ? "stdout: want '\''hello'\'', got '\'''\''" : "") ",\n" \
	    "      " q("known_failure", o == "XFAIL" ? "a known failure" : "") ",\n" \
	    "      " q("diff", bad && i % 3 == 0 ? "main against bfd'\''s: 1 difference\\nkey  a | b\\nreloc.into-read-only  1 | 0\\n" : "") ",\n" \
	    "      " q("died", "") ",\n" \
	    "      \"warnings\": [],\n" \
	    "      " q("repro", bad ? "linkmatrix repro /nonexistent/cases/x.yaml:default --linker " l \
		" --target x86_64-linux-gnu -o " dir " && " dir "/repro.sh" : "") ",\n" \
	    "      \"seconds\": 0.05,\n" \
	    "      \"failed_command\": " (bad ? 2 : -1) ",\n"
	if (o == "SKIP")
		s = s "      \"commands\": [],\n"
	else
		s = s "      \"commands\": [\n" \
		    cmd("gcc -c -o main.o main.c", "exit 0", 0.01, kept, kept, out, 0) \
		    cmd("gcc -B shims/lld -Wl,-v -o main main.o", "exit 0", 0.01, kept, kept, out, 0) \
		    cmd("./main", bad ? "killed by signal 11 (SIGSEGV)" : "exit 0", 0.01, kept, kept, 70000, 1) \
		    "      ],\n"
	if (bad && i % 2 == 0)
		s = s "      \"findings\": [\n        {\n" \
		    "          " q("file", "main") ",\n" \
		    "          " q("rule", "gabi-textrel") ",\n" \
		    "          " q("profile", "gabi") ",\n" \
		    "          " q("where", "1 relocation into read-only memory") ",\n" \
		    "          " q("consequence", "SIGSEGV while relocating") ",\n" \
		    "          \"expected\": false\n        }\n      ]\n"
	else
		s = s "      \"findings\": []\n"
	return s "    }"
}
BEGIN {
	split("bfd gold lld mold wild", linker, " ")
	# Output lines of 63 bytes: the shape of test_reports.c outputs.
	line = sprintf("%63s", "")
	gsub(/ /, "x", line)
	text = ""
	for (k = 0; k + 64 <= out; k += 64)
		text = text line "\\n"
	names = "PASS FAIL XFAIL XPASS SKIP ERROR TIMEOUT"
	split(names, order, " ")
	for (i = 0; i < n; i++)
		if (mine(i))
			count[outcome(i)]++
	printf "{\n  \"schema\": \"linkmatrix-results\",\n  \"version\": 1,\n"
	printf "  \"harness_version\": \"0.1.0\",\n  \"run_id\": \"synthetic\",\n"
	printf "  \"host\": \"bench\",\n  \"host_system\": \"linux-x86_64\",\n"
	printf "  \"started\": \"2026-11-25T00:00:00Z\",\n  \"ended\": \"2026-11-25T01:00:00Z\",\n"
	printf "  \"complete\": true,\n  \"cases_digest\": \"fnv1a64:0:%d\",\n", int((n + 4) / 5)
	printf "  \"cases\": %d,\n", int((n + 4) / 5)
	printf "  \"shard\": {\n    \"index\": %d,\n    \"count\": %d\n  },\n  \"argv\": [],\n", si, sc
	printf "  \"linkers\": [\n"
	for (k = 1; k <= 5; k++)
		printf "    {\n      \"name\": \"%s\",\n      \"found\": true,\n      \"path\": \"/usr/bin/ld\",\n      \"version\": \"1.0\",\n      \"why\": \"\"\n    }%s\n", linker[k], k < 5 ? "," : ""
	printf "  ],\n  \"targets\": [\n    {\n      \"name\": \"x86_64-linux-gnu\",\n      \"usable\": true,\n"
	printf "      \"os\": \"linux\",\n      \"arch\": \"x86_64\",\n      \"libc\": \"glibc\",\n"
	printf "      \"profile\": \"linux-glibc-2.36\",\n      \"why\": \"\"\n    }\n  ],\n  \"summary\": {\n"
	for (k = 1; k <= 7; k++)
		printf "    \"%s\": %d%s\n", order[k], count[order[k]], k < 7 ? "," : ""
	printf "  },\n  \"results\": ["
	sep = "\n"
	for (i = 0; i < n; i++)
		if (mine(i)) {
			printf "%s%s", sep, record(i)
			sep = ",\n"
		}
	printf "%s]\n}\n", sep == "\n" ? "" : "\n  "
}'
