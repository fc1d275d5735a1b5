/*
 * main.c - tq-county, the county server: `serve` runs the HTTP API on the
 * server's database, `admin` runs the institution's commands on it.
 *
 * Global options (--lang zh|en, --help) may stand anywhere; the first other
 * word names the command.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "srv_admin.h"
#include "srv_cli.h"
#include "srv_db.h"
#include "srv_http.h"

static const char usage_zh[] =
	"用法：tq-county [--lang zh|en] 命令 [参数]\n"
	"\n"
	"  serve --db 文件 --listen 主机:端口 [--tls-cert 文件 --tls-key 文件] [--demo] [--test-faults]\n"
	"        运行县服务器（端口 0 表示任选空闲端口）；就绪后输出一行 listening 主机:端口\n"
	"        --demo：演示服务器，接收演示模式自助机的记录（否则拒收）\n"
	"  admin --db 文件 site add --site S01 --name 名称 --county CSX --year 2026 --site-no 1 [--width 3]\n"
	"  admin --db 文件 kiosk add --site S01 --kiosk K01 [--serials A..B]\n"
	"        新建自助机，输出其密钥（仅此一次）；--serials 为其专用的档案序号段\n"
	"  admin --db 文件 kiosk disable --kiosk K01\n"
	"  admin --db 文件 clerk add --site S01 --clerk C007 --name 姓名 [--pin 1234]\n"
	"        不给 --pin 时从标准输入读一行（4至8位数字）\n"
	"  admin --db 文件 plan set --site S01 --apply 起..止 --confirm 起..止 [--hours 08:30-17:30]\n"
	"        [--calendar 文件] [--institutions '注册机构=起..止;...']\n"
	"        --institutions：现场申请可选的注册机构及其网上申请时间\n"
	"  admin --db 文件 tree set 种类 文件\n"
	"        本县的现场申请层级数据（authorities、titles、qualifications、nations），随计划下发\n"
	"  admin --db 文件 apps import 文件.json [--today YYYY-MM-DD]\n"
	"  admin --db 文件 apps demo --site S01 --count N [--seed S] [--duplicates D]\n"
	"  admin --db 文件 decide 报名号 --state 状态 [--message 留言]\n"
	"        状态：wrong_institution institution_incomplete not_eligible passed deferred failed\n"
	"  admin --db 文件 message 报名号 --message 留言\n"
	"  admin --db 文件 confirmations list [--site S01]\n"
	"  admin --db 文件 confirmations export [--site S01] --format json|csv\n"
	"  admin --db 文件 stats\n"
	"  admin --db 文件 key new          生成新的申请表二维码签名密钥并启用，旧密钥随之停用（仍可校验）\n"
	"  admin --db 文件 key list         列出签名密钥：编号 状态 生成时间 停用时间 公钥\n"
	"  admin --db 文件 payload 报名号    输出该申请的申请表二维码内容（用启用的密钥签名）\n"
	"  admin --db 文件 roster --out 目录 [--site S01] [--title 标题] [--demo] [--json]\n"
	"        各确认点（或 --site 所指的一个）的花名册，写入 目录/确认点名称/；--demo 含演示记录；\n"
	"        标题默认为“<年度>年教师资格定期注册申请花名册”，年度取 --site 的确认点，否则取代码最小的确认点\n"
	"\n"
	"结果以 key=value 逐行输出到标准输出，提示信息输出到标准错误。\n"
	"退出码：0 成功，1 请求被拒绝，2 用法错误或环境错误。\n";

static const char usage_en[] =
	"usage: tq-county [--lang zh|en] COMMAND [ARGS]\n"
	"\n"
	"  serve --db FILE --listen HOST:PORT [--tls-cert FILE --tls-key FILE] [--demo] [--test-faults]\n"
	"        run the county server (port 0 picks a free one); prints listening HOST:PORT when ready\n"
	"        --demo: a demo server, taking the records of kiosks in demo mode (refused otherwise)\n"
	"  admin --db FILE site add --site S01 --name NAME --county CSX --year 2026 --site-no 1 [--width 3]\n"
	"  admin --db FILE kiosk add --site S01 --kiosk K01 [--serials A..B]\n"
	"        new kiosk; prints its secret once; --serials: the archive serials it may use\n"
	"  admin --db FILE kiosk disable --kiosk K01\n"
	"  admin --db FILE clerk add --site S01 --clerk C007 --name NAME [--pin 1234]\n"
	"        without --pin the PIN (4-8 digits) is read as one line from stdin\n"
	"  admin --db FILE plan set --site S01 --apply FROM..TO --confirm FROM..TO [--hours 08:30-17:30]\n"
	"        [--calendar FILE] [--institutions 'NAME=FROM..TO;...']\n"
	"        --institutions: the registration institutions a walk-in may choose, with their windows\n"
	"  admin --db FILE tree set KIND FILE\n"
	"        the county's own walk-in hierarchy (authorities, titles, qualifications, nations), in every plan\n"
	"  admin --db FILE apps import FILE.json [--today YYYY-MM-DD]\n"
	"  admin --db FILE apps demo --site S01 --count N [--seed S] [--duplicates D]\n"
	"  admin --db FILE decide REG_NO --state STATE [--message TEXT]\n"
	"        STATE: wrong_institution institution_incomplete not_eligible passed deferred failed\n"
	"  admin --db FILE message REG_NO --message TEXT\n"
	"  admin --db FILE confirmations list [--site S01]\n"
	"  admin --db FILE confirmations export [--site S01] --format json|csv\n"
	"  admin --db FILE stats\n"
	"  admin --db FILE key new          a new active key for the forms' QR payloads; the old one is\n"
	"                                   retired (its forms still verify)\n"
	"  admin --db FILE key list         the signing keys: KID STATUS CREATED RETIRED PUBLIC\n"
	"  admin --db FILE payload REG_NO   the application's signed QR payload (with the active key)\n"
	"  admin --db FILE roster --out DIR [--site S01] [--title TITLE] [--demo] [--json]\n"
	"        the rosters of every site (or of --site) into DIR/<site name>/; --demo: demo records too;\n"
	"        the title defaults to \"<year>年教师资格定期注册申请花名册\", the year of --site's site,\n"
	"        else of the first site (by code) on the rosters\n"
	"\n"
	"Results go to stdout as key=value lines; messages to stderr.\n"
	"Exit status: 0 done, 1 refused, 2 usage or environment error.\n";

/* Splits "HOST:PORT" ("[v6]:PORT" for IPv6) into host (cap bytes) and port.
 * Returns false when malformed. */
static bool split_listen(const char *s, char *host, size_t cap, uint16_t *port)
{
	const char *colon = strrchr(s, ':');
	long p;
	if (colon == NULL || !cli_int(colon + 1, 0, 65535, &p))
		return false;
	const char *h = s;
	size_t n = (size_t)(colon - s);
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
		h++;
		n -= 2;
	}
	if (n == 0 || n >= cap)
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	*port = (uint16_t)p;
	return true;
}

/* `serve`: runs until SIGTERM or SIGINT, then stops gracefully. */
static int serve(cli *c, int argc, char **argv)
{
	const char *db_path = NULL, *listen = NULL, *cert = NULL, *key = NULL;
	bool faults = false, demo = false;
	const cli_opt opts[] = {
		{"--db", &db_path, NULL}, {"--listen", &listen, NULL}, {"--tls-cert", &cert, NULL},
		{"--tls-key", &key, NULL}, {"--test-faults", NULL, &faults}, {"--demo", NULL, &demo},
		{NULL, NULL, NULL},
	};
	int rc = cli_args(c, argc, argv, opts, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	char host[256];
	uint16_t port;
	if (db_path == NULL)
		return cli_usage(c, "--db", "请给出服务器数据库文件", "give the server's database file");
	if (listen == NULL || !split_listen(listen, host, sizeof host, &port))
		return cli_usage(c, "--listen", "应为 主机:端口，例如 127.0.0.1:8443",
		                 "must be HOST:PORT, e.g. 127.0.0.1:8443");
	if ((cert == NULL) != (key == NULL))
		return cli_usage(c, "--tls-cert", "--tls-cert 与 --tls-key 须同时给出",
		                 "--tls-cert and --tls-key go together");

	/* Every thread MHD starts inherits this mask: the signals wait for
	 * sigwait() below. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	srv_db *db = NULL;
	char detail[SRV_DB_DETAIL_CAP];
	tqk_err err = srv_db_open(db_path, true, &db, detail, sizeof detail);
	if (err != TQK_OK)
		return cli_fail(c, err, db_path, detail);
	srv_config cfg = {.db = db, .test_faults = faults, .demo = demo, .tls_cert = cert,
	                  .tls_key = key};
	srv_server *srv = NULL;
	uint16_t bound = 0;
	err = srv_http_start(&cfg, host, port, &srv, &bound, detail, sizeof detail);
	if (err != TQK_OK) {
		srv_db_close(db);
		return cli_fail(c, err, listen, detail);
	}
	if (faults)
		cli_say(c, "测试故障注入已开启（--test-faults），切勿用于生产",
		        "test faults are on (--test-faults): never in production");
	if (demo)
		cli_say(c, "演示服务器（--demo）：接收演示模式下的记录", "a demo server (--demo): takes records made in demo mode");
	bool v6 = strchr(host, ':') != NULL;
	printf("listening %s%s%s:%u\n", v6 ? "[" : "", host, v6 ? "]" : "", (unsigned)bound);
	fflush(stdout);

	int sig = 0;
	while (sigwait(&set, &sig) != 0)
		;
	srv_http_stop(srv, 10000);
	srv_db_close(db);
	cli_say(c, "已停止", "stopped");
	return CLI_OK;
}

int main(int argc, char **argv)
{
	cli c = {.lang = TQK_LANG_ZH, .now = (tqk_time)time(NULL)};
	bool help = false;
	int rest = 0;
	if (sodium_init() < 0) {
		fputs("tq-county: libsodium cannot start\n", stderr);
		return CLI_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help = true;
		} else if (strcmp(argv[i], "--lang") == 0 || strncmp(argv[i], "--lang=", 7) == 0) {
			const char *v = argv[i][6] == '=' ? argv[i] + 7 : i + 1 < argc ? argv[++i] : "";
			if (tqk_lang_parse(v, &c.lang) != TQK_OK)
				return cli_usage(&c, "--lang", "只能是 zh 或 en", "takes zh or en");
		} else {
			argv[++rest] = argv[i];
		}
	}
	if (help || rest == 0) {
		fputs(c.lang == TQK_LANG_EN ? usage_en : usage_zh, help ? stdout : stderr);
		return help ? CLI_OK : CLI_USAGE;
	}
	if (strcmp(argv[1], "serve") == 0)
		return serve(&c, rest - 1, argv + 2);
	if (strcmp(argv[1], "admin") == 0)
		return srv_admin_main(&c, rest - 1, argv + 2);
	return cli_usage(&c, argv[1], "未知命令", "unknown command");
}
