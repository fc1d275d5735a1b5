#!/bin/sh
# run-demo.sh - what `make run` shows until the kiosk exists: tqkioskctl at work.
set -u
ctl=${1:-build/bin/tqkioskctl}
export TQK_ASSETS="${TQK_ASSETS:-$(pwd)/assets}"

show() {
	printf '\n$ tqkioskctl %s\n' "$*"
	"$ctl" "$@"
}

"$ctl" --help
show id 11010519491231002X
show id 36042619910102009X
show id 350303900203307
show cert 960123456789012
show window
show window --at '2026-11-27 17:29'
show window --at '2026-11-27 17:30'
show window --at '2026-10-01 10:00'
show window --at '2026-10-10 09:00'
show archive --county CSX --year 2024 --site 1 --serial 7
show --lang en --json archive CSX202401007
exit 0
