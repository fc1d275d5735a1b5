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
	{"db", cmd_db},
	{"import", cmd_import},
	{"find", cmd_find},
	{"confirm", cmd_confirm},
	{"queue", cmd_queue},
	{"audit", cmd_audit},
	{"purge", cmd_purge},
	{"sync", cmd_sync},
	{"retry", cmd_retry},
	{"read-id", cmd_read_id},
	{"scan-image", cmd_scan_image},
	{"payload", cmd_payload},
	{"pin-hash", cmd_pin_hash},
	{"print", cmd_print},
	{"roster", cmd_roster},
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
	"本地数据库（均需 --db 文件，或环境变量 TQK_DB）：\n"
	"  db init --site 代码 --kiosk 编号 --county CSX --year 2026 --site-no 1 [--width 3]\n"
	"          [--serials 1..999]         创建数据库并设置本确认点（可重复执行）；同一确认点\n"
	"                                     有多台自助机时，每台用不相交的档案序号段\n"
	"  db check [--full]                  检查数据库是否完好，统计记录；损坏时给出恢复命令\n"
	"  db backup [--dir 目录] [--keep 7]   在线备份（默认目录：数据库文件名.backups）\n"
	"  db restore 备份文件                 用备份替换数据库（须先停止自助机程序）\n"
	"  import 文件.json [--today YYYY-MM-DD]\n"
	"                                     导入县服务器下发的申请；有一条错误则全部不导入\n"
	"  find 身份证号码|证书号码|报名号       查询申请及其确认记录，提示重复报名\n"
	"  confirm 文件.json                   提交一条确认记录（JSON）\n"
	"  queue [--rejected]                 待上传记录的数量；--rejected 列出被拒收的记录\n"
	"  audit verify                       校验审计记录链\n"
	"  purge [--period-end YYYY-MM-DD] [--retention 30]\n"
	"                                     确认期结束并过保留期后清除个人信息\n"
	"  sync [--config 文件]                立即与县服务器同步一轮（默认配置：环境变量 TQK_CONFIG）\n"
	"  retry UUID                         将被拒收的记录重新排队上传\n"
	"  print form|cover|receipt 报名号 --out 文件.pdf [--size a4|b5|16k]\n"
	"                                     生成申请表、档案袋封面或回执的 PDF（默认 A4）\n"
	"  roster --out 目录 [--title 标题]     本确认点的花名册（每校两份及汇总，A3 Excel）\n"
	"\n"
	"设备与条码：\n"
	"  read-id --tty 路径 | --dev 设备地址 [--timeout 秒] [--photo 文件]\n"
	"                                     从身份证阅读器读一张卡并输出各项信息（默认等待 10 秒）\n"
	"  scan-image 图像文件 [--symbols qr,code128,...]\n"
	"                                     识别图像中的条码，每个输出一行 类型:内容\n"
	"  payload verify 内容 [--key 编号:公钥]... [--db 文件]\n"
	"                                     离线校验申请表二维码的签名（公钥取自本地计划或 --key）\n"
	"  payload classify 内容 [--today YYYY-MM-DD]\n"
	"                                     判断扫描内容是证书号、身份证号、二维码还是报名号\n"
	"  pin-hash [--pin 密码]              管理员密码（4至8位数字，默认从标准输入读一行）的\n"
	"                                     argon2id 哈希，写入自助机配置的 admin_pin_hash\n"
	"\n"
	"结果以 key=value 逐行输出到标准输出（--json 时为一个 JSON 对象），提示信息输出到标准错误。\n"
	"退出码：0 有效/开放/成功，1 无效/关闭/未通过，2 用法错误或环境错误（如数据库无法打开）。\n";

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
	"The local store (each takes --db FILE, default $TQK_DB):\n"
	"  db init --site CODE --kiosk ID --county CSX --year 2026 --site-no 1 [--width 3]\n"
	"          [--serials 1..999]         create the store and set this site (may be repeated);\n"
	"                                     kiosks of one site take disjoint blocks of serials\n"
	"  db check [--full]                  is the store sound? counts; names a backup if damaged\n"
	"  db backup [--dir DIR] [--keep 7]   online backup (default directory: FILE.backups)\n"
	"  db restore BACKUP                  replace the store with a backup (kiosk stopped)\n"
	"  import FILE.json [--today YYYY-MM-DD]\n"
	"                                     load the county server's applications; all or none\n"
	"  find ID|CERT|REG                   look up applications and confirmations; duplicates\n"
	"  confirm FILE.json                  commit one confirmation (JSON)\n"
	"  queue [--rejected]                 records waiting for upload; --rejected lists refused ones\n"
	"  audit verify                       verify the audit chain\n"
	"  purge [--period-end YYYY-MM-DD] [--retention 30]\n"
	"                                     remove personal data once the retention is over\n"
	"  sync [--config FILE]               one round with the county server now (default $TQK_CONFIG)\n"
	"  retry UUID                         queue a refused record for upload again\n"
	"  print form|cover|receipt REG --out FILE.pdf [--size a4|b5|16k]\n"
	"                                     the application form, archive-bag cover or receipt\n"
	"                                     as a PDF (A4 by default)\n"
	"  roster --out DIR [--title TITLE]   this site's rosters (two per school and the summaries,\n"
	"                                     A3 Excel workbooks)\n"
	"\n"
	"Devices and barcodes:\n"
	"  read-id --tty PATH | --dev ADDRESS [--timeout SECONDS] [--photo FILE]\n"
	"                                     read one card from the ID-card reader, print its fields\n"
	"                                     (waits 10 s by default)\n"
	"  scan-image FILE [--symbols qr,code128,...]\n"
	"                                     decode the barcodes in an image, one TYPE:DATA a line\n"
	"  payload verify STRING [--key KID:PUBKEY]... [--db FILE]\n"
	"                                     verify an application form's QR payload offline (keys\n"
	"                                     from the local plan or --key)\n"
	"  payload classify STRING [--today YYYY-MM-DD]\n"
	"                                     what a scanned text is: cert, id, payload or reg\n"
	"  pin-hash [--pin PIN]               the argon2id hash of an admin PIN (4 to 8 digits, a\n"
	"                                     line of stdin by default) for admin_pin_hash\n"
	"\n"
	"Results go to stdout as key=value lines (one JSON object with --json); messages to stderr.\n"
	"Exit status: 0 valid/open/done, 1 invalid/closed/failed check, 2 usage or environment error\n"
	"(such as a store that cannot be opened).\n";

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
