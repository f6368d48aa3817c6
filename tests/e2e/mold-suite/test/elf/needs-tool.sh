#!/bin/bash
# Skips itself, as mold's scripts do when a tool is missing.
. $(dirname $0)/common.inc

command -v linkmatrix-no-such-tool > /dev/null || skip
false
