#!/bin/bash
# Leaves with exit 0 but neither OK nor skipped: not a pass.
. $(dirname $0)/common.inc

trap - EXIT
exit 0
