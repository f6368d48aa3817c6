#!/bin/sh
# `linkmatrix elf check` against `readelf -lSdrsW` on one large real file,
# side by side in one run: the median wall time of each over N runs, their
# ratio, and each one's peak RSS next to the file's size.
#
#   bench/elf-check.sh [FILE] [N]
#
# FILE defaults to the installed libLLVM shared library (the largest ELF
# file on a Debian machine with clang or lld); N to 11.
set -eu
LM=${LINKMATRIX:-$(dirname "$0")/../build/linkmatrix}
FILE=${1:-$(ls /usr/lib/*/libLLVM-*.so.1 /usr/lib/libLLVM*.so* 2>/dev/null | head -n 1)}
N=${2:-11}
PROFILES=gabi,linux-glibc-2.36,linux-musl-1.2.3,illumos,freebsd-13.1,android
[ -n "$FILE" ] && [ -f "$FILE" ] || { echo "bench/elf-check.sh: no file to check (give one)" >&2; exit 2; }
command -v readelf >/dev/null || { echo "bench/elf-check.sh: readelf is not installed" >&2; exit 2; }

. "$(dirname "$0")/lib.sh"

"$LM" elf check --profile "$PROFILES" "$FILE" >/dev/null 2>&1 || true   # warm the page cache
lm=$(time_runs "$LM" elf check --profile "$PROFILES" "$FILE")
re=$(time_runs readelf -lSdrsW "$FILE")
# The headers alone, without formatting every symbol and relocation: the
# least readelf does for the program and dynamic headers the rules read.
hd=$(time_runs readelf -lSdW "$FILE")
size_kb=$(( $(wc -c <"$FILE") / 1024 ))
echo "file: $FILE ($size_kb KiB)"
echo "linkmatrix elf check --profile $PROFILES: median $lm s, peak RSS $(peak_kb "$LM" elf check --profile "$PROFILES" "$FILE") KiB"
echo "readelf -lSdrsW: median $re s, peak RSS $(peak_kb readelf -lSdrsW "$FILE") KiB"
echo "readelf -lSdW (headers only): median $hd s"
echo "$lm $hd" | awk '{ printf "ratio linkmatrix / readelf headers only: %.3f\n", $1 / $2 }'
echo "$lm $re" | awk '{ printf "ratio linkmatrix / readelf: %.3f (%d runs each)\n", $1 / $2, '"$N"' }'
