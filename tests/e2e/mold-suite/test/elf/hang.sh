#!/bin/bash
# Never ends: the run's --timeout stops it and whatever it started.
. $(dirname $0)/common.inc

sleep 3171 &
sleep 3172
