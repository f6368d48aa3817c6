#!/bin/bash
# aarch64's own: never selected on another host (it would fail there).
. $(dirname $0)/common.inc

echo "an aarch64 script ran on $MACHINE"
false
