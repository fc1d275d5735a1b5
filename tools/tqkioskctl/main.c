/*
 * main.c - tqkioskctl, the administrator's command line for a kiosk.
 *
 * Global options (--json, --lang zh|en, --help) may stand anywhere; the
 * first other word names the subcommand, which gets the rest.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

static const struct {
	const char *name;
	ctl_command run;
} commands[] = {
	{"id", cmd_id},
	{"cert", cmd_cert},
	{"window", cmd_window},
	{"archive", cmd_archive},
};

static const char usage_zh[] =
	"用法：tqkioskctl [--json] [--lang zh|en] 命令 [参数]\n"
	"\n"
	"  id 号码 [--today YYYY-MM-DD]       校验身份证号码，输出性别、出生日期、地区代码\n"
	"  cert 号码 [--today YYYY-MM-DD]     校验教师资格证书号码（15位自动加“19”）\n"
	"  window [--at 'YYYY-MM-DD HH:MM'] [--calendar 文件]\n"
	"         [--period YYYY-MM-DD..YYYY-MM-DD] [--hours HH:MM-HH:MM]\n"
	"                                     某一时刻是否开放，何时关闭或下次开放\n"
	"  archive --county CSX --year 2024 --site 1 --serial 7 [--width 3]\n"
	"  archive 档案序号 [--width 3]          生成或解析档案序号\n"
	"\n"
	"结果以 key=value 逐行输出到标准输出（--json 时为一个 JSON 对象），提示信息输出到标准错误。\n"
	"退出码：0 有效/开放，1 无效/关闭，2 用法错误。\n";

static const char usage_en[] =
	"usage: tqkioskctl [--json] [--lang zh|en] COMMAND [ARGS]\n"
	"\n"
	"  id NUMBER [--today YYYY-MM-DD]     validate an ID number; print gender, birth date, region\n"
	"  cert NUMBER [--today YYYY-MM-DD]   validate a certificate number (15 digits get \"19\")\n"
	"  window [--at 'YYYY-MM-DD HH:MM'] [--calendar FILE]\n"
	"         [--period YYYY-MM-DD..YYYY-MM-DD] [--hours HH:MM-HH:MM]\n"
	"                                     open at that time? when does it close or open next?\n"
	"  archive --county CSX --year 2024 --site 1 --serial 7 [--width 3]\n"
	"  archive NUMBER [--width 3]         write or read an archive number\n"
	"\n"
	"Results go to stdout as key=value lines (one JSON object with --json); messages to stderr.\n"
	"Exit status: 0 valid/open, 1 invalid/closed, 2 usage error.\n";

int main(int argc, char **argv)
{
	ctl c = {.lang = TQK_LANG_ZH, .now = (tqk_time)time(NULL)};
	bool help = false;
	int rest = 0;

	/* Take the global options out; keep everything else in order. */
	for (int i = 1; i < argc; i++) {
		const char *value;
		if (strcmp(argv[i], "--json") == 0) {
			c.json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help = true;
		} else if (ctl_opt(argc, argv, &i, "--lang", &value)) {
			if (tqk_lang_parse(value, &c.lang) != TQK_OK)
				return ctl_usage(&c, "--lang", "只能是 zh 或 en", "takes zh or en");
		} else {
			argv[++rest] = argv[i];
		}
	}
	if (help || rest == 0) {
		fputs(c.lang == TQK_LANG_EN ? usage_en : usage_zh, help ? stdout : stderr);
		return help ? CTL_OK : CTL_USAGE;
	}

	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(argv[1], commands[k].name) == 0) {
			int rc = commands[k].run(&c, rest - 1, argv + 2);
			out_flush(&c);
			return rc;
		}
	}
	return ctl_usage(&c, argv[1], "未知命令", "unknown command");
}
