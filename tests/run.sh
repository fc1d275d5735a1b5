#!/bin/sh
# run.sh - run every test binary given, sum their results, print one line.
#
# Each binary is a cmocka program run with TAP output; a binary that crashes,
# times out or exits non-zero without reporting a failed test counts one
# failure, and tests its plan announced but never reported count as failed.
# The last line is "N passed, N failed" (", N skipped" when any were) and the
# exit status is non-zero when anything failed. TQK_TEST_TIMEOUT (seconds,
# default 600) bounds each binary.
#
# Binaries under tests/usb/ drive libusb against a device the test plays
# through umockdev: they run with libumockdev-preload (umockdev-wrapper's
# LD_PRELOAD), after libasan when TQK_SAN=1 (ASan must come first), and with
# a TMPDIR of their own so that a crashed test's testbed stays contained.
# With TQK_SAN=1, LeakSanitizer reads its suppressions from tests/lsan.supp.
set -u

passed=0
failed=0
skipped=0
timeout_s=${TQK_TEST_TIMEOUT:-600}

# The preload list for the USB tests.
usb_preload=libumockdev-preload.so.0
if [ "${TQK_SAN:-0}" = 1 ]; then
	asan=$(${CC:-cc} -print-file-name=libasan.so)
	usb_preload=$asan:$usb_preload
	# Leaks inside libraries we cannot fix, each explained in the file.
	supp=$(cd "$(dirname "$0")" && pwd)/lsan.supp
	LSAN_OPTIONS="suppressions=$supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
	export LSAN_OPTIONS
fi

for bin in "$@"; do
	name=${bin#*/tests/}
	case $name in
	usb/*)
		tmp=$(mktemp -d "${TMPDIR:-/tmp}/tqk-usb.XXXXXX")
		out=$(CMOCKA_MESSAGE_OUTPUT=TAP TMPDIR=$tmp LD_PRELOAD=$usb_preload \
			timeout "$timeout_s" "$bin" 2>&1)
		rc=$?
		rm -rf "$tmp"
		;;
	*)
		out=$(CMOCKA_MESSAGE_OUTPUT=TAP timeout "$timeout_s" "$bin" 2>&1)
		rc=$?
		;;
	esac
	read -r plan p f s <<-COUNTS
	$(printf '%s\n' "$out" | awk '
		/^1\.\.[0-9]+/        { plan += substr($0, 4) }
		/^(not )?ok .*# SKIP/ { s++; next }
		/^ok /                { p++ }
		/^not ok /            { f++ }
		END                   { printf "%d %d %d %d\n", plan, p, f, s }')
	COUNTS
	unreported=$((plan - p - f - s))
	[ "$unreported" -gt 0 ] && f=$((f + unreported))
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1

	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$f" -eq 0 ]; then
		printf 'PASS %-36s %d passed%s\n' "$name" "$p" "$([ "$s" -gt 0 ] && echo ", $s skipped")"
	else
		printf 'FAIL %-36s %d passed, %d failed (exit %d)\n' "$name" "$p" "$f" "$rc"
		printf '%s\n' "$out" | sed 's/^/    | /'
	fi
done

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
