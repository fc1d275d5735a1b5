# tqkiosk - the one entry point.
#
#   make deps      install the Debian packages the project needs (idempotent)
#   make           build libtqk.a and every program into build/
#   make check     build and run every test; ends with "N passed, N failed"
#   make check SAN=1   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make run       what a newcomer should see first: the tools, then the kiosk
#   make bench     run the benchmarks in tests/bench (figures, never pass/fail)
#   make fuzz      run every libFuzzer target for FUZZ_SECONDS (default 60) each
#   make install   PREFIX=/usr/local DESTDIR=
#   make clean
#
# Every dependency comes through pkg-config. SAN=1 builds into build/san so
# that sanitised and plain objects never mix.

PREFIX  ?= /usr/local
DESTDIR ?=
SAN     ?= 0
PKG_CONFIG ?= pkg-config

BUILD ?= build$(if $(filter 1,$(SAN)),/san)

# Debian packages: to build, to test, and what the tests drive.
DEB_PACKAGES := gcc make pkg-config libc6-dev libcmocka-dev libjansson-dev \
	libsqlite3-dev libsodium-dev libcurl4-openssl-dev libinih-dev libmicrohttpd-dev openssl \
	libusb-1.0-0-dev libzbar-dev libpng-dev libzint-dev libqrencode-dev \
	umockdev libumockdev-dev clang libclang-rt-14-dev \
	libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfontconfig-dev fonts-wqy-microhei gettext \
	libpinyin15-dev libpinyin-data \
	libcairo2-dev libpango1.0-dev libxlsxwriter-dev libcups2-dev \
	poppler-utils unzip cups-daemon cups-client

# pkg-config modules per part; recursive '=' so pkg-config runs only when a
# recipe needs it, after `make deps` has had its chance.
PKG_LIB  := sqlite3 libsodium jansson libcurl inih libusb-1.0 zbar libpng
PKG_CTL  := $(PKG_LIB)
PKG_SRV  := libmicrohttpd $(PKG_LIB)
PKG_TEST := cmocka libqrencode
# zint ships no pkg-config file.
LIBS_TEST := -lzint -lm
# src/print (libtqkprint.a): PDFs with cairo + pango, barcodes with zint and
# libqrencode, rosters with libxlsxwriter, printing with CUPS (no pkg-config
# file either). Its headers expose none of these, so only its own objects
# are compiled with their flags; whatever links it links these.
PKG_PRINT  := cairo pangocairo pango libqrencode xlsxwriter
LIBS_PRINT = $(call pkg_libs,$(PKG_PRINT)) -lzint -lcups -lm
# The kiosk (kiosk/): SDL2 + SDL2_ttf + SDL2_image, fontconfig, libpinyin
# (the on-screen keyboard's pinyin input).
PKG_KIOSK := sdl2 SDL2_ttf SDL2_image fontconfig libpinyin $(PKG_LIB)
# tests/usb: libusb under umockdev, run through umockdev-wrapper.
PKG_USB  := umockdev-1.0
pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
pkg_libs   = $(shell $(PKG_CONFIG) --libs $(1))
pkg_var    = $(shell $(PKG_CONFIG) --variable=$(2) $(1))
# libpinyin's system data (read-only), built into the kiosk as its default;
# `make PINYIN_DATA=/path` builds another in (the code takes one at run time too).
PINYIN_DATA ?= $(call pkg_var,libpinyin,pkgdatadir)/data

ifeq ($(SAN),1)
CFLAGS_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
CFLAGS  ?= -O2 -g
override CFLAGS += -std=gnu11 -Wall -Wextra -Werror $(CFLAGS_SAN) -Isrc -MMD -MP
override LDFLAGS += $(CFLAGS_SAN)

LIB_SRC := $(sort $(filter-out src/print/%,$(wildcard src/*/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB     := $(BUILD)/libtqk.a

PRINT_SRC := $(sort $(wildcard src/print/*.c))
PRINT_OBJ := $(PRINT_SRC:%.c=$(BUILD)/obj/%.o)
PRINT_LIB := $(BUILD)/libtqkprint.a

CTL_SRC := $(sort $(wildcard tools/tqkioskctl/*.c))
CTL_OBJ := $(CTL_SRC:%.c=$(BUILD)/obj/%.o)
CTL     := $(BUILD)/bin/tqkioskctl

# The county server (tools/county-server): its own storage, the shared core and proto.
SRV_SRC := $(sort $(wildcard tools/county-server/*.c))
SRV_OBJ := $(SRV_SRC:%.c=$(BUILD)/obj/%.o)
SRV     := $(BUILD)/bin/tq-county

# The ID-card reader simulator (tools/idreader-sim): a SAM reader on a pty.
SIM_SRC := $(sort $(wildcard tools/idreader-sim/*.c))
SIM_OBJ := $(SIM_SRC:%.c=$(BUILD)/obj/%.o)
SIM     := $(BUILD)/bin/tq-idreader-sim

# The kiosk: everything but main.c goes into libkiosk.a, which the UI tests
# link too.
KIOSK_SRC  := $(sort $(wildcard kiosk/*.c kiosk/ui/*.c kiosk/screens/*.c))
KIOSK_LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out kiosk/main.c,$(KIOSK_SRC)))
KIOSK_LIB  := $(BUILD)/libkiosk.a
KIOSK      := $(BUILD)/bin/tqkiosk

# The translations: assets/i18n/<lang>.po -> build/locale/<lang>/LC_MESSAGES/tqkiosk.mo
PO_SRC := $(sort $(wildcard assets/i18n/*.po))
MO     := $(PO_SRC:assets/i18n/%.po=build/locale/%/LC_MESSAGES/tqkiosk.mo)

PROGRAMS := $(CTL) $(if $(SRV_SRC),$(SRV)) $(if $(SIM_SRC),$(SIM)) $(if $(KIOSK_SRC),$(KIOSK))

# One test binary per file: tests/<kind>/test_<name>.c -> build/tests/<kind>/test_<name>
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c tests/cli/test_*.c tests/integration/test_*.c))
USB_SRC  := $(sort $(wildcard tests/usb/test_*.c))
# tests/ui: the kiosk headless (SDL_VIDEODRIVER=dummy), linked with libkiosk.a.
UI_SRC   := $(sort $(wildcard tests/ui/test_*.c))
# What the USB tests share (the umockdev usbfs handler): tests/usb/mock_*.c.
USB_SUPPORT_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard tests/usb/mock_*.c)))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%) $(USB_SRC:tests/%.c=$(BUILD)/tests/%) \
	$(UI_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_SUPPORT_SRC := $(sort $(wildcard tests/support/*.c))
TEST_SUPPORT_OBJ := $(TEST_SUPPORT_SRC:%.c=$(BUILD)/obj/%.o)

TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o) $(USB_SRC:%.c=$(BUILD)/obj/%.o) $(UI_SRC:%.c=$(BUILD)/obj/%.o)

# Benchmarks: tests/bench/bench_<name>.c -> build/bench/bench_<name>, run by
# `make bench`; they print figures and never fail on time.
BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

# libFuzzer targets: clang builds them with the core sources, not libtqk.a.
FUZZ_PACKAGES := clang libclang-rt-14-dev
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)

.PHONY: all deps check tests run install clean fuzz fuzz-build bench po
.SECONDARY: $(TEST_OBJ) $(TEST_SUPPORT_OBJ) $(USB_SUPPORT_OBJ) $(BENCH_SRC:%.c=$(BUILD)/obj/%.o)
.DEFAULT_GOAL := all

all: $(LIB) $(PRINT_LIB) $(PROGRAMS) $(MO)

deps:
	@sh tools/deps.sh $(DEB_PACKAGES)

# `check` installs what is missing first, then builds and runs in a second
# make so that pkg-config sees the installed packages.
# The fuzz targets are built too: a test runs each one briefly (smoke).
check: deps
	@$(MAKE) --no-print-directory tests
	@TQK_CTL=$(abspath $(CTL)) TQK_COUNTY=$(abspath $(SRV)) TQK_IDSIM=$(abspath $(SIM)) \
		TQK_ASSETS=$(abspath assets) TQK_FUZZ_DIR=$(abspath build/fuzz) \
		TQK_FUZZ_SEEDS=$(abspath tests/fuzz/seeds) TQK_SAN=$(SAN) \
		TQK_LOCALE=$(abspath build/locale) TQK_SHOTS=$(abspath $(BUILD)/shots) \
		sh tests/run.sh $(TEST_BIN)

tests: $(LIB) $(PROGRAMS) $(MO) $(TEST_BIN) $(FUZZ_BIN)

bench: deps
	@$(MAKE) --no-print-directory $(BENCH_BIN) $(PROGRAMS) $(MO)
	@set -e; for b in $(BENCH_BIN); do echo "== $${b##*/}"; \
		TQK_COUNTY=$(abspath $(SRV)) TQK_IDSIM=$(abspath $(SIM)) TQK_ASSETS=$(abspath assets) \
		TQK_LOCALE=$(abspath build/locale) $$b; done

# `run`: the command-line tour (tools/run-demo.sh), then the kiosk itself with
# a county server, its store and the simulated ID-card reader
# (tools/run-kiosk.sh; without a display it says how to run headless).
run: deps
	@$(MAKE) --no-print-directory all
	@sh tools/run-demo.sh $(CTL) $(SRV) $(SIM)
	@sh tools/run-kiosk.sh $(CTL) $(SRV) $(SIM) $(KIOSK)

fuzz:
	@sh tools/deps.sh $(FUZZ_PACKAGES)
	@$(MAKE) --no-print-directory fuzz-build
	@set -e; for bin in $(FUZZ_BIN); do \
		name=$${bin##*/fuzz_}; mkdir -p build/fuzz/corpus/$$name; \
		echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
		$$bin -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			build/fuzz/corpus/$$name $$(ls -d tests/fuzz/seeds/$$name 2>/dev/null) assets/calendar; \
	done

fuzz-build: $(FUZZ_BIN)

# The library once more, instrumented for libFuzzer, in its own archive.
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Isrc \
	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB := build/fuzz/libtqk.a

build/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP $(call pkg_cflags,$(PKG_LIB)) -c $< -o $@

$(FUZZ_LIB): $(LIB_SRC:%.c=build/fuzz/obj/%.o)
	rm -f $@
	$(AR) rcs $@ $^

build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(call pkg_cflags,$(PKG_LIB)) $< $(FUZZ_LIB) -o $@ \
		$(call pkg_libs,$(PKG_LIB))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(call pkg_cflags,$(PKG_LIB)) -c $< -o $@

$(BUILD)/obj/tools/tqkioskctl/%.o: tools/tqkioskctl/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(call pkg_cflags,$(PKG_CTL)) -c $< -o $@

$(BUILD)/obj/tools/county-server/%.o: tools/county-server/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/county-server $(call pkg_cflags,$(PKG_SRV)) -c $< -o $@

$(SRV): $(SRV_OBJ) $(PRINT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKG_SRV)) -lpthread $(LIBS_PRINT)

$(BUILD)/obj/tools/idreader-sim/%.o: tools/idreader-sim/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/idreader-sim $(call pkg_cflags,$(PKG_LIB)) -c $< -o $@

$(SIM): $(SIM_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKG_LIB)) -lutil

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests $(call pkg_cflags,$(PKG_TEST) $(PKG_LIB)) -c $< -o $@

$(BUILD)/obj/tests/usb/%.o: tests/usb/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests $(call pkg_cflags,$(PKG_USB) $(PKG_TEST) $(PKG_LIB)) -c $< -o $@

$(BUILD)/tests/usb/%: $(BUILD)/obj/tests/usb/%.o $(USB_SUPPORT_OBJ) $(TEST_SUPPORT_OBJ) $(PRINT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKG_USB) $(PKG_TEST) $(PKG_LIB)) $(LIBS_TEST) -lutil -lpthread $(LIBS_PRINT)

# The kiosk's device threads under umockdev: this one USB test links the
# kiosk (devices.o and what it needs) and SDL.
$(BUILD)/obj/tests/usb/test_kiosk_devices.o: tests/usb/test_kiosk_devices.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Ikiosk $(call pkg_cflags,$(PKG_USB) $(PKG_TEST) $(PKG_KIOSK)) -c $< -o $@

$(BUILD)/tests/usb/test_kiosk_devices: $(BUILD)/obj/tests/usb/test_kiosk_devices.o $(USB_SUPPORT_OBJ) \
		$(TEST_SUPPORT_OBJ) $(KIOSK_LIB) $(PRINT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKG_USB) $(PKG_TEST) $(PKG_KIOSK)) $(LIBS_TEST) \
		-lutil -lpthread $(LIBS_PRINT)

$(BUILD)/obj/kiosk/%.o: kiosk/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ikiosk $(call pkg_cflags,$(PKG_KIOSK)) -c $< -o $@

$(BUILD)/obj/kiosk/ui/pinyin.o: kiosk/ui/pinyin.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ikiosk -DTQK_PINYIN_DATA_DIR='"$(PINYIN_DATA)"' $(call pkg_cflags,$(PKG_KIOSK)) \
		-c $< -o $@

$(KIOSK_LIB): $(KIOSK_LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(KIOSK): $(BUILD)/obj/kiosk/main.o $(KIOSK_LIB) $(PRINT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKG_KIOSK)) -lpthread $(LIBS_PRINT)

# The strings of the kiosk, re-extracted and merged into every catalogue.
XGETTEXT_KEYS := -k -ktqk_tr:2 -kN_ -ksay:4 -kLINE:1
po:
	xgettext --from-code=UTF-8 $(XGETTEXT_KEYS) -o build/tqkiosk.pot $(KIOSK_SRC)
	set -e; for po in $(PO_SRC); do msgmerge -q --no-fuzzy-matching --update --backup=none $$po build/tqkiosk.pot; done

build/locale/%/LC_MESSAGES/tqkiosk.mo: assets/i18n/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

$(BUILD)/obj/tests/ui/%.o: tests/ui/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Ikiosk $(call pkg_cflags,$(PKG_TEST) $(PKG_KIOSK)) -c $< -o $@

$(BUILD)/tests/ui/%: $(BUILD)/obj/tests/ui/%.o $(TEST_SUPPORT_OBJ) $(KIOSK_LIB) $(PRINT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKG_TEST) $(PKG_KIOSK)) $(LIBS_TEST) -lutil -lpthread $(LIBS_PRINT)

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/obj/src/print/%.o: src/print/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(call pkg_cflags,$(PKG_PRINT)) -c $< -o $@

$(PRINT_LIB): $(PRINT_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(CTL): $(CTL_OBJ) $(PRINT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKG_CTL)) $(LIBS_PRINT)

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(TEST_SUPPORT_OBJ) $(PRINT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKG_TEST) $(PKG_LIB)) $(LIBS_TEST) -lutil -lpthread $(LIBS_PRINT)

# The kiosk's benchmark links the kiosk.
$(BUILD)/obj/tests/bench/bench_kiosk.o: tests/bench/bench_kiosk.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Ikiosk $(call pkg_cflags,$(PKG_TEST) $(PKG_KIOSK)) -c $< -o $@

$(BUILD)/bench/bench_kiosk: $(BUILD)/obj/tests/bench/bench_kiosk.o $(TEST_SUPPORT_OBJ) $(KIOSK_LIB) $(PRINT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKG_TEST) $(PKG_KIOSK)) $(LIBS_TEST) -lutil -lpthread $(LIBS_PRINT)

# The print benchmark's baselines call cairo, pango and libxlsxwriter directly.
$(BUILD)/obj/tests/bench/bench_print.o: tests/bench/bench_print.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests $(call pkg_cflags,$(PKG_TEST) $(PKG_LIB) $(PKG_PRINT)) -c $< -o $@

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(TEST_SUPPORT_OBJ) $(PRINT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKG_TEST) $(PKG_LIB)) $(LIBS_TEST) -lutil -lpthread $(LIBS_PRINT)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/tqkiosk/calendar \
		$(DESTDIR)$(PREFIX)/share/tqkiosk/walkin
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 assets/calendar/*.cal $(DESTDIR)$(PREFIX)/share/tqkiosk/calendar/
	install -m 0644 assets/walkin/*.tree assets/walkin/*.txt $(DESTDIR)$(PREFIX)/share/tqkiosk/walkin/
	set -e; for mo in $(MO); do lang=$${mo#build/locale/}; lang=$${lang%%/*}; \
		install -d $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES; \
		install -m 0644 $$mo $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES/; done

clean:
	rm -rf build

-include $(wildcard build/fuzz/obj/src/*/*.d)
-include $(patsubst %.o,%.d,$(LIB_OBJ) $(CTL_OBJ) $(SRV_OBJ) $(SIM_OBJ) $(PRINT_OBJ) $(BENCH_SRC:%.c=$(BUILD)/obj/%.o) $(TEST_OBJ) $(TEST_SUPPORT_OBJ) $(USB_SUPPORT_OBJ) $(KIOSK_LIB_OBJ) $(BUILD)/obj/kiosk/main.o)
