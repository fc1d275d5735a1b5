#!/bin/sh
# run-demo.sh - the first half of `make run` (tools/run-kiosk.sh is the second): tqkioskctl at
# work on the rules, a card read from the simulated ID-card reader, and a
# form's QR payload signed by the county server and verified offline.
#
#   run-demo.sh [tqkioskctl [tq-county [tq-idreader-sim]]]
set -u
ctl=${1:-build/bin/tqkioskctl}
county=${2:-build/bin/tq-county}
sim=${3:-build/bin/tq-idreader-sim}
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tqk-demo.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# The ID-card reader: the simulator puts demo card 3 on its reader, and
# read-id reads it over the pseudo-terminal the simulator prints.
printf '\n$ tq-idreader-sim --card 3 --once &\n'
"$sim" --card 3 --once >"$tmp/sim.out" 2>"$tmp/sim.err" &
simpid=$!
i=0
while [ "$i" -lt 50 ] && ! grep -q '^pty ' "$tmp/sim.out" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
pty=$(sed -n 's/^pty //p' "$tmp/sim.out")
if [ -n "$pty" ]; then
	show read-id --tty "$pty" --timeout 5
else
	cat "$tmp/sim.err"
fi
wait "$simpid" 2>/dev/null

# What a scanned string is, and a form's signed QR payload.
show payload classify 430104198503121232
"$county" admin --db "$tmp/county.db" site add --site S01 --name 星沙确认点 --county CSX \
	--year 2026 --site-no 1 >/dev/null &&
	"$county" admin --db "$tmp/county.db" apps demo --site S01 --count 3 --seed 1 >/dev/null 2>&1 &&
	"$county" admin --db "$tmp/county.db" payload 20260100000001 >"$tmp/payload" 2>/dev/null
payload=$(sed -n 's/^payload=//p' "$tmp/payload")
key=$("$county" admin --db "$tmp/county.db" key list 2>/dev/null | awk '$2 == "active" { print $1 ":" $5 }')
if [ -n "$payload" ] && [ -n "$key" ]; then
	printf '\n$ tq-county admin payload 20260100000001\n'
	cat "$tmp/payload"
	show payload verify "$payload" --key "$key"
	show payload verify "$(printf '%s' "$payload" | sed 's/|2026\([0-9]\{8\}\)|/|2025\1|/')" --key "$key"
fi
exit 0
