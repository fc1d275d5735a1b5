#!/bin/sh
# run-kiosk.sh - the second half of `make run`: the whole kiosk on one machine.
# It sets up a county server with one site, kiosk and clerk, a confirmation
# period around a demo day and applications for the simulator's demo ID cards
# (assets/demo/applications.json), gives the kiosk its store and synchronises
# it once, starts the simulated ID-card reader and then the kiosk in a window
# (demo mode: a fake clock). This terminal then works the reader ("card 3").
# Without a display it does everything but the window and says how to run it
# headless. Everything lives in one temporary directory, removed on exit, and
# every process started here is stopped on exit.
#
#   run-kiosk.sh [tqkioskctl [tq-county [tq-idreader-sim [tqkiosk]]]]
#
# Environment: SDL_VIDEODRIVER (e.g. dummy) picks the kiosk's video driver;
# otherwise x11 when DISPLAY is set, wayland when WAYLAND_DISPLAY is set.
set -eu

ctl=${1:-build/bin/tqkioskctl}
county=${2:-build/bin/tq-county}
sim=${3:-build/bin/tq-idreader-sim}
kiosk=${4:-build/bin/tqkiosk}
root=$(cd "$(dirname "$0")/.." && pwd)
export TQK_ASSETS="${TQK_ASSETS:-$root/assets}"
calendar=$TQK_ASSETS/calendar/cn.cal
cards=$root/assets/demo/idcards.json
apps=$root/assets/demo/applications.json
locale=$root/build/locale

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tqk-kiosk.XXXXXX")
srvpid='' simpid='' kpid='' watchpid='' kstatus=''

# alive PID: true while PID runs; one that has exited (a zombie) counts as gone.
alive() {
	if [ -r "/proc/$1/stat" ]; then
		s=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
		[ -n "$s" ] && [ "$s" != Z ]
	else
		kill -0 "$1" 2>/dev/null
	fi
}

# stop PID...: SIGTERM, up to 5 s to finish, then SIGKILL; reaps them.
stop() {
	for p in "$@"; do
		kill -TERM "$p" 2>/dev/null || :
	done
	for p in "$@"; do
		i=0
		while alive "$p" && [ "$i" -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$p" 2>/dev/null || :
		wait "$p" 2>/dev/null || :
	done
}

cleanup() {
	trap - EXIT INT TERM USR1
	set +e
	[ -n "$watchpid" ] && stop "$watchpid"
	if [ -n "$kpid" ]; then
		stop "$kpid"
		[ -n "$kstatus" ] || { wait "$kpid" 2>/dev/null; kstatus=$?; }
		if [ -s "$tmp/kiosk.log" ]; then
			echo "--- what the kiosk wrote:"
			tail -n 20 "$tmp/kiosk.log"
		fi
		echo
		echo "What reached the county server (tq-county admin confirmations list):"
		"$county" admin --db "$tmp/county.db" confirmations list --site S01 2>/dev/null |
			sed 's/^/  /' | grep . || echo "  (no confirmations)"
	fi
	exec 3>&- 2>/dev/null
	[ -n "$simpid" ] && stop "$simpid"
	[ -n "$srvpid" ] && stop "$srvpid"
	rm -rf "$tmp"
	echo "run-kiosk: stopped everything and removed $tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The watcher's signal: the kiosk's window was closed.
trap 'wait "$kpid" 2>/dev/null && kstatus=0 || kstatus=$?; echo; echo "run-kiosk: the kiosk has ended (status $kstatus)"; exit 0' USR1

die() {
	printf 'run-kiosk: %s\n' "$*" >&2
	exit 1
}

# run CMD...: runs it with its output in $tmp/out; on failure shows it and stops.
run() {
	if ! "$@" >"$tmp/out" 2>"$tmp/err"; then
		printf 'run-kiosk: this failed:\n  %s\n' "$*" >&2
		cat "$tmp/out" "$tmp/err" >&2
		exit 1
	fi
}

# waitfor FILE PATTERN: up to 10 s for a line matching PATTERN in FILE.
waitfor() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		[ "$i" -lt 100 ] || return 1
		sleep 0.1
		i=$((i + 1))
	done
}

for b in "$ctl" "$county" "$sim"; do
	[ -x "$b" ] || die "$b is missing: run make first"
done
[ -r "$apps" ] || die "$apps is missing"

# The demo day: the next working day after today (Beijing time), from the
# calendar; the site's year is 2026, so outside 2026 a fixed Monday is used.
today=$(TZ=CST-8 date +%Y-%m-%d)
day=''
case $today in
2026-*) day=$("$ctl" window --at "$today 17:30" --calendar "$calendar" 2>/dev/null |
	sed -n 's/^next_open=\(2026-[0-9-]*\) .*/\1/p') || : ;;
esac
[ -n "$day" ] || day=2026-12-07
demo="$day 10:00"
# The confirmation period: the demo day's month to the end of the year; the
# online application the month before.
year=${day%%-*}
month=${day#*-}
month=${month%%-*}
m=${month#0}
if [ "$m" -eq 1 ]; then
	py=$((year - 1)) pm=12
else
	py=$year pm=$(printf '%02d' $((m - 1)))
fi
case $pm in
04 | 06 | 09 | 11) last=30 ;;
02) if [ $((py % 4)) -eq 0 ] && { [ $((py % 100)) -ne 0 ] || [ $((py % 400)) -eq 0 ]; }; then
	last=29
else
	last=28
fi ;;
*) last=31 ;;
esac
apply="$py-$pm-01..$py-$pm-$last"
confirm="$year-$month-01..$year-12-31"

# 1. The county: site, kiosk (its secret is printed once), clerk, plan and applications.
echo "== run-kiosk: the whole kiosk on this machine (files in $tmp)"
cdb=$tmp/county.db
run "$county" admin --db "$cdb" site add --site S01 --name 长沙县星沙确认点 --county CSX --year 2026 --site-no 1
run "$county" admin --db "$cdb" kiosk add --site S01 --kiosk K01
secret=$(sed -n 's/^secret=//p' "$tmp/out")
[ -n "$secret" ] || die "tq-county admin kiosk add printed no secret"
run "$county" admin --db "$cdb" clerk add --site S01 --clerk C007 --name 王老师 --pin 2468
# The walk-in's institutions: 长沙县教育局 takes applications through the
# confirmation period (the demo day included), 浏阳市教育局 only next year.
run "$county" admin --db "$cdb" plan set --site S01 --apply "$apply" --confirm "$confirm" \
	--hours 08:30-17:30 --calendar "$calendar" \
	--institutions "长沙县教育局=$year-$month-01..$year-12-31;浏阳市教育局=$((year + 1))-03-01..$((year + 1))-04-30" \
	--title "$year、长沙"
run "$county" admin --db "$cdb" apps demo --site S01 --count 40 --seed 1 --duplicates 2
run "$county" admin --db "$cdb" apps import "$apps"
echo "county:  site S01 长沙县星沙确认点, kiosk K01, clerk C007 王老师 (PIN 2468)"
echo "         online application $apply, confirmation $confirm, 08:30-17:30 on working days"
echo "         40 demo applications (2 duplicates) + $(sed -n 's/^inserted=//p' "$tmp/out") for the demo ID cards ($apps)"

# 2. The county server on a free loopback port.
"$county" serve --demo --db "$cdb" --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.log" &
srvpid=$!
waitfor "$tmp/serve.out" '^listening ' || { cat "$tmp/serve.log" >&2; die "tq-county serve did not start"; }
hostport=$(sed -n 's/^listening //p' "$tmp/serve.out")
echo "server:  tq-county serve, listening on http://$hostport"

# 3. The kiosk's store, its connection to the county (0600: it holds the
# secret), one sync round so that it starts with plan, clerks and applications.
kdb=$tmp/kiosk.db
run "$ctl" db init --db "$kdb" --site S01 --kiosk K01 --county CSX --year 2026 --site-no 1
(
	umask 077
	cat >"$tmp/kiosk.conf" <<EOF
; kiosk.conf - the demo kiosk's county connection (src/sync/config.h), by run-kiosk.sh
[server]
url = http://$hostport
[kiosk]
id = K01
secret = $secret
EOF
)
chmod 600 "$tmp/kiosk.conf"
TQK_DB=$kdb run "$ctl" sync --config "$tmp/kiosk.conf"
echo "store:   $kdb, synchronised: $(grep -E '^(applications|clerks|plan)=' "$tmp/out" | tr '\n' ' ')"

# 4. The ID-card reader simulator, its commands through a FIFO that this
# script holds open (fd 3); the kiosk opens the reader by a link that follows
# the simulator's pty across hangup / plug.
mkfifo "$tmp/sim.in"
"$sim" --cards "$cards" --link "$tmp/reader" <"$tmp/sim.in" >"$tmp/sim.out" 2>"$tmp/sim.log" &
simpid=$!
exec 3>"$tmp/sim.in"
waitfor "$tmp/sim.out" '^pty ' || { cat "$tmp/sim.log" >&2; die "tq-idreader-sim did not start"; }
echo "reader:  tq-idreader-sim on $(sed -n 's/^pty //p' "$tmp/sim.out") (reader = tty:$tmp/reader)"

# 5. The kiosk: where it draws.
if [ -n "${SDL_VIDEODRIVER:-}" ]; then
	video=$SDL_VIDEODRIVER
elif [ -n "${DISPLAY:-}" ]; then
	video=x11
elif [ -n "${WAYLAND_DISPLAY:-}" ]; then
	video=wayland
else
	video=''
fi
if [ -z "$video" ]; then
	cat <<EOF

No display here (DISPLAY and WAYLAND_DISPLAY are empty), so the kiosk's window has nowhere
to go. Everything else worked: the county server, the kiosk's store and its sync, the reader.
To see the kiosk:
  - log in with X forwarding (ssh -X HOST) or at the machine's desktop, then: make run
  - or give it a virtual screen: xvfb-run -a -s '-screen 0 1280x800x24' make run
    (you drive the reader from this terminal; see the screen with: import -window root shot.png)
EOF
	command -v xvfb-run >/dev/null 2>&1 ||
		echo "    xvfb-run is not installed here: apt-get install xvfb"
	cat <<EOF
  - or without any display server: SDL_VIDEODRIVER=dummy make run (the kiosk runs, syncs and
    reads cards, but draws nowhere; the UI tests in tests/ui run it like that)
EOF
	exit 0
fi
[ -x "$kiosk" ] || die "$kiosk is missing: run make first"

# What the kiosk prints: no printer here, so the PDFs are saved where they
# outlive the demo (the screen says where).
prints=${TQK_PRINTS:-$PWD/build/prints}
mkdir -p "$prints" && chmod 700 "$prints"

# The admin screen's PIN (管理): 1357, hashed by tqkioskctl pin-hash.
pinhash=$(echo 1357 | "$ctl" pin-hash 2>/dev/null | sed -n 's/^pin_hash=//p') || pinhash=''
cat >"$tmp/tqkiosk.conf" <<EOF
; tqkiosk.conf - the demo kiosk's configuration (kiosk/main.c), by run-kiosk.sh
[kiosk]
db = $kdb
sync_config = $tmp/kiosk.conf
reader = tty:$tmp/reader
video = $video
lang = zh
print_dir = $prints
EOF
[ -z "$pinhash" ] || echo "admin_pin_hash = $pinhash" >>"$tmp/tqkiosk.conf"

"$kiosk" --config "$tmp/tqkiosk.conf" --windowed 1280x800 --demo "$demo" \
	--locale-dir "$locale" --assets "$TQK_ASSETS" >"$tmp/kiosk.log" 2>&1 &
kpid=$!
# When the kiosk ends (its window closed), this script ends too.
(
	while alive "$kpid"; do
		sleep 0.3
	done
	kill -USR1 $$ 2>/dev/null
) &
watchpid=$!
echo "kiosk:   tqkiosk --windowed 1280x800 --demo '$demo' (video=$video), 演示模式"
echo "prints:  no printer: the covers, receipts and forms printed are saved in $prints"

# 6. This terminal works the reader.
cat <<EOF

The kiosk is open (演示模式: its clock starts at $demo). Type a command and Enter:
  card N      put ID card N on the reader; the kiosk reads it and shows the applications:
                1 张伟            a later registration, all in order
                2 欧阳晓燕        the certificate says 欧阳晓艳: a police certificate is needed
                3 李秀英          a long-term (长期) card, an old 15-digit certificate
                4 王建国          junior-school qualification, teaches senior: 不具备
                5 马丽            Hui; a message from the registration institution
                6 巴特尔          Mongol, vocational school
                7 阿依古丽·买买提  Uyghur; two registration numbers (重复报名)
                8 刘洋            has not applied: 现场申请 (apply here) walks the eight steps
  remove      take the card off the reader (a card is read once; remove it before the next)
  scan TEXT   how a barcode scan reaches the kiosk, and what TEXT is (scan 20269900000001)
  sim CMD     any command of tq-idreader-sim: sim fault slow 500, sim hangup, sim plug, sim stats
  quit        stop everything (so do Ctrl-C and closing the kiosk's window)
Clerk (工作人员登录): 王老师, C007, PIN 2468$([ -z "$pinhash" ] || printf '; the admin screen (管理) takes 1357')
EOF

# tosim CMD: one command to the simulator, and its answer.
tosim() {
	n=$(wc -l <"$tmp/sim.out")
	printf '%s\n' "$*" >&3
	i=0
	while [ "$(wc -l <"$tmp/sim.out")" -le "$n" ] && [ "$i" -lt 20 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	sed -n "$((n + 1)),\$p" "$tmp/sim.out" | sed 's/^/  reader: /'
}

set -f
while printf '> ' && IFS= read -r line; do
	set -- $line
	[ $# -gt 0 ] || continue
	cmd=$1
	shift
	case $cmd in
	card | place)
		case ${1:-} in
		[1-8]) tosim "place $1" ;;
		*) echo "  card 1 to card 7" ;;
		esac ;;
	remove) tosim remove ;;
	sim) [ $# -gt 0 ] && tosim "$@" || echo "  sim CMD: see tq-idreader-sim --help" ;;
	scan)
		cat <<EOF
  A scan cannot come from this terminal. A USB barcode scanner in its factory mode is a
  keyboard ("keyboard wedge"): it types the code into the kiosk's window, fast, ending with
  Enter, and the kiosk tells such a burst from typing; one claimed over USB is named by
  scanner = usb:VID:PID (README.md, "Barcode scanner"). What the code ${*:-TEXT} is:
EOF
		[ $# -eq 0 ] || "$ctl" payload classify "$*" 2>&1 | sed 's/^/    /' || : ;;
	quit | exit | q) exit 0 ;;
	help | '?') echo "  card N, remove, scan TEXT, sim CMD, quit" ;;
	*) echo "  unknown: $cmd (card N, remove, scan TEXT, sim CMD, quit)" ;;
	esac
done
echo
echo "run-kiosk: the terminal's input ended; close the kiosk's window or press Ctrl-C to stop"
wait "$kpid" 2>/dev/null || :
exit 0
