/*
 * main.c - tqkiosk: the kiosk's command line and configuration file.
 *
 *   tqkiosk [--config FILE] [--windowed WxH] [--demo 'YYYY-MM-DD HH:MM']
 *           [--db FILE] [--sync-config FILE] [--reader ADDRESS]
 *           [--camera ADDRESS] [--video DRIVER] [--lang zh|en]
 *           [--locale-dir DIR] [--assets DIR] [--printer QUEUE] [--print-dir DIR]
 *
 * The configuration file (default /etc/tqkiosk/tqkiosk.conf) is INI:
 *
 *   [kiosk]
 *   db = /var/lib/tqkiosk/kiosk.db
 *   sync_config = /etc/tqkiosk/kiosk.conf     ; the county connection (sync/config.h)
 *   reader = tty:/dev/ttyUSB0                 ; or usb:0400:C35A
 *   scanner = usb:hid                         ; a USB scanner claimed (else the keyboard wedge)
 *   camera = /dev/video0                      ; a V4L2 camera, or dir:PATH (frames from a directory)
 *   video = wayland                           ; wayland (under cage), x11, kmsdrm, dummy
 *   lang = zh
 *   admin_pin_hash = $argon2id$...            ; `tqkioskctl pin-hash`
 *   assets = /usr/local/share/tqkiosk         ; the walk-in's hierarchies and texts
 *   printer = Kiosk_Printer                   ; the CUPS queue (none: documents are saved)
 *   print_server = localhost:631              ; the CUPS server (default: CUPS's own)
 *   print_dir = /var/lib/tqkiosk/prints       ; saved documents (default: prints/ beside db)
 *   paper = a4                                ; a4, b5 or 16k
 *
 * Options override the file. A fake clock exists only in demo mode
 * (--demo), and then every screen says 演示模式.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "app.h"
#include "print/paper.h"

#define DEFAULT_CONFIG "/etc/tqkiosk/tqkiosk.conf"
#define VALUE_CAP 1024

typedef struct settings {
	char db[VALUE_CAP], sync_config[VALUE_CAP], reader[VALUE_CAP], scanner[VALUE_CAP];
	char camera[VALUE_CAP];
	char video[64], lang[8];
	char pin_hash[256], locale_dir[VALUE_CAP], assets[VALUE_CAP];
	char printer[256], print_server[256], print_dir[VALUE_CAP], paper[8];
	int line;                       /* the first bad line, 0 none */
} settings;

static bool copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

static int on_pair(void *user, const char *section, const char *key, const char *value)
{
	settings *s = user;
	struct {
		const char *key;
		char *dst;
		size_t cap;
	} keys[] = {
		{"db", s->db, sizeof s->db},
		{"sync_config", s->sync_config, sizeof s->sync_config},
		{"reader", s->reader, sizeof s->reader},
		{"scanner", s->scanner, sizeof s->scanner},
		{"camera", s->camera, sizeof s->camera},
		{"video", s->video, sizeof s->video},
		{"lang", s->lang, sizeof s->lang},
		{"admin_pin_hash", s->pin_hash, sizeof s->pin_hash},
		{"locale_dir", s->locale_dir, sizeof s->locale_dir},
		{"assets", s->assets, sizeof s->assets},
		{"printer", s->printer, sizeof s->printer},
		{"print_server", s->print_server, sizeof s->print_server},
		{"print_dir", s->print_dir, sizeof s->print_dir},
		{"paper", s->paper, sizeof s->paper},
	};
	if (strcmp(section, "kiosk") == 0)
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (strcmp(key, keys[i].key) == 0)
				return copy(keys[i].dst, keys[i].cap, value) ? 1 : 0;
	return 0;       /* unknown: refused, inih reports the line */
}

static int usage(const char *why)
{
	fprintf(stderr, "tqkiosk: %s\n"
	        "usage: tqkiosk [--config FILE] [--windowed WxH] [--demo 'YYYY-MM-DD HH:MM']\n"
	        "               [--db FILE] [--sync-config FILE] [--reader ADDRESS]\n"
	        "               [--camera ADDRESS] [--video DRIVER] [--lang zh|en]\n"
	        "               [--locale-dir DIR] [--assets DIR] [--printer QUEUE] [--print-dir DIR]\n"
	        "  --camera: a V4L2 node (/dev/video0) or dir:PATH (frames from a directory)\n", why);
	return 2;
}

static bool parse_size(const char *s, int *w, int *h)
{
	char *end;
	errno = 0;
	long a = strtol(s, &end, 10);
	if (errno != 0 || *end != 'x' || a < 320 || a > 8192)
		return false;
	long b = strtol(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || b < 240 || b > 8192)
		return false;
	*w = (int)a;
	*h = (int)b;
	return true;
}

int main(int argc, char **argv)
{
	settings s;
	memset(&s, 0, sizeof s);
	const char *config = NULL, *windowed = NULL, *demo = NULL;
	const char *opt_db = NULL, *opt_sync = NULL, *opt_reader = NULL, *opt_video = NULL;
	const char *opt_lang = NULL, *opt_locale = NULL, *opt_camera = NULL, *opt_assets = NULL;
	const char *opt_printer = NULL, *opt_print_dir = NULL;
	struct {
		const char *name;
		const char **dst;
	} opts[] = {
		{"--config", &config}, {"--windowed", &windowed}, {"--demo", &demo},
		{"--db", &opt_db}, {"--sync-config", &opt_sync}, {"--reader", &opt_reader},
		{"--camera", &opt_camera}, {"--video", &opt_video}, {"--lang", &opt_lang}, {"--locale-dir", &opt_locale},
		{"--assets", &opt_assets}, {"--printer", &opt_printer}, {"--print-dir", &opt_print_dir},
	};
	for (int i = 1; i < argc; i++) {
		size_t k = 0;
		while (k < sizeof opts / sizeof opts[0] && strcmp(argv[i], opts[k].name) != 0)
			k++;
		if (k == sizeof opts / sizeof opts[0])
			return usage(argv[i]);
		if (i + 1 >= argc)
			return usage("an option lacks its value");
		*opts[k].dst = argv[++i];
	}
	const char *path = config != NULL ? config : DEFAULT_CONFIG;
	int rc = ini_parse(path, on_pair, &s);
	if (rc > 0 || (rc < 0 && config != NULL)) {
		fprintf(stderr, "tqkiosk: %s: %s %d\n", path,
		        rc < 0 ? "cannot be read" : "bad line", rc);
		return 2;
	}
	const char *db = opt_db != NULL ? opt_db : s.db;
	const char *video = opt_video != NULL ? opt_video : s.video;
	tqk_app_opts o = {
		.db_path = db,
		.sync_config = opt_sync != NULL ? opt_sync : s.sync_config[0] ? s.sync_config : NULL,
		.reader = opt_reader != NULL ? opt_reader : s.reader[0] ? s.reader : NULL,
		.scanner = s.scanner[0] ? s.scanner : NULL,
		.camera = opt_camera != NULL ? opt_camera : s.camera[0] ? s.camera : NULL,
		.locale_dir = opt_locale != NULL ? opt_locale : s.locale_dir[0] ? s.locale_dir : NULL,
		.assets_dir = opt_assets != NULL ? opt_assets : s.assets[0] ? s.assets : NULL,
		.video_driver = video,
		.admin_pin_hash = s.pin_hash[0] ? s.pin_hash : NULL,
		.printer = opt_printer != NULL ? opt_printer : s.printer[0] ? s.printer : NULL,
		.print_server = s.print_server[0] ? s.print_server : NULL,
		.print_dir = opt_print_dir != NULL ? opt_print_dir : s.print_dir[0] ? s.print_dir : NULL,
		.lang = TQK_LANG_ZH,
	};
	const char *lang = opt_lang != NULL ? opt_lang : s.lang[0] ? s.lang : NULL;
	if (lang != NULL && tqk_lang_parse(lang, &o.lang) != TQK_OK)
		return usage("--lang is zh or en");
	tqk_paper paper = TQK_PAPER_A4;
	if (s.paper[0] != '\0' && tqk_paper_parse(s.paper, &paper) != TQK_OK)
		return usage("paper is a4, b5 or 16k");
	o.paper = (int)paper;
	if (db[0] == '\0')
		return usage("no store: give --db or db= in the configuration");
	if (windowed != NULL && !parse_size(windowed, &o.width, &o.height))
		return usage("--windowed WxH, e.g. 1280x800");
	if (demo != NULL) {
		o.demo = true;
		if (tqk_local_parse(demo, strlen(demo), &o.demo_start) != TQK_OK)
			return usage("--demo 'YYYY-MM-DD HH:MM'");
	}
	char err[1024];
	tqk_app *app = tqk_app_new(&o, err, sizeof err);
	if (app == NULL) {
		fprintf(stderr, "tqkiosk: %s\n", err);
		return 1;
	}
	tqk_app_run(app);
	tqk_app_free(app);
	return 0;
}
