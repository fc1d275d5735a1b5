/*
 * main.c - tq-idreader-sim: a simulated ID-card reader on a pseudo-terminal.
 *
 * Opens a pty (raw from the start, so that no byte is eaten by the line
 * discipline), prints "pty PATH" as the first line on stdout, and serves
 * the SAM frame protocol (reader.h) for the cards of a JSON file (cards.h)
 * until told to quit. A person or a test controls it with one command a
 * line on stdin (and SIGUSR1 to tap a card); every command is answered on
 * stdout with "ok ..." or "error ...", so that a script can wait for it.
 * The simulator keeps its own descriptor of the pty's slave side open, so
 * that the pty stays up while the driver closes and opens it.
 *
 * Personal data never leaves through stdout or stderr: only the pty carries
 * the cards.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include "cards.h"
#include "dev/devsys.h"
#include "dev/sam.h"
#include "reader.h"

#define LINE_MAX_LEN 256
#define WORDS_MAX 8
#define OUTQ_MAX 16
#define ONCE_IDLE_MS 1000
#define PATH_CAP 256

static const char usage_zh[] =
	"用法：tq-idreader-sim [--cards 文件] [--card N [--once]] [--fault '模式 参数']...\n"
	"                      [--link 路径] [--seed N] [--lang zh|en] [--help]\n"
	"\n"
	"在伪终端上模拟身份证阅读器（SAM 帧协议）。标准输出的第一行是“pty 路径”：\n"
	"把该路径（或 --link 给出的路径）当作阅读器的串口打开，例如\n"
	"  tqkioskctl read-id --tty 路径\n"
	"\n"
	"  --cards 文件    身份证数据（JSON，格式见 README.md）；默认 assets/demo/idcards.json\n"
	"  --card N        启动时把第 N 张卡（从 1 起）放在阅读器上\n"
	"  --once          与 --card 同用：该卡被读过一次后退出（读完 1 秒内无请求即退出）\n"
	"  --fault 规格    启动时的故障，写法同下面的 fault 命令（\"slow 300\" 或 slow:300），可重复\n"
	"  --link 路径     维护指向当前 pty 的符号链接：hangup 时删除，plug 时重建（如 udev 的\n"
	"                  /dev/serial/by-id）\n"
	"  --seed N        垃圾字节的随机种子（默认 1）\n"
	"\n"
	"控制：从标准输入每行一条命令，标准输出逐条回答“ok ...”或“error ...”（空行和 # 注释不回答）。\n"
	"  place N                       把第 N 张卡放上阅读器\n"
	"  remove                        把卡拿走\n"
	"  fault none                    取消所有故障（默认）\n"
	"  fault nocard [off]            寻卡始终找不到卡\n"
	"  fault removed [off]           下一次读卡失败（状态 41），卡被拿走\n"
	"  fault checksum [N|off]        应答的校验和错误（全部，或接下来的 N 个）\n"
	"  fault slow 毫秒               每个应答延迟发送（0：取消）\n"
	"  fault split 字节 [毫秒]       应答分成小块慢慢发送，块间隔默认 2 毫秒（0：取消）\n"
	"  fault status SW [find|select|read|newaddr|any] [N|off]\n"
	"                                改用状态 SW（十六进制，如 31）应答（默认：read，一直）\n"
	"  fault garbage N               每个应答前先发 N 个随机字节（0：取消）\n"
	"  hangup                        关闭 pty：相当于拔掉阅读器\n"
	"  plug                          打开新的 pty（再次输出“pty 路径”）\n"
	"  stats                         已处理的请求数：find= select= read= newaddr= other=\n"
	"                                damaged= reads_ok=\n"
	"  quit                          退出\n"
	"SIGUSR1 模拟刷卡：放上最近放过的卡（起初为第 1 张），或把卡拿走。\n"
	"收到 quit、SIGINT、SIGTERM 或（--once 时）读卡完成后退出；标准输入结束不退出。\n"
	"照片为 1024 字节，由身份证号码确定地生成（算法见 README.md）。\n";

static const char usage_en[] =
	"usage: tq-idreader-sim [--cards FILE] [--card N [--once]] [--fault 'MODE ARGS']...\n"
	"                       [--link PATH] [--seed N] [--lang zh|en] [--help]\n"
	"\n"
	"A simulated ID-card reader (SAM frame protocol) on a pseudo-terminal. The first line on\n"
	"stdout is \"pty PATH\": open PATH (or the --link path) as the reader's tty, e.g.\n"
	"  tqkioskctl read-id --tty PATH\n"
	"\n"
	"  --cards FILE   the cards (JSON, see README.md); default assets/demo/idcards.json\n"
	"  --card N       place card N (1 = the first) on the reader at start\n"
	"  --once         with --card: exit once that card was read (no request for 1 s after it)\n"
	"  --fault SPEC   start with a fault, written as the fault command below (\"slow 300\" or\n"
	"                 slow:300); may be repeated\n"
	"  --link PATH    keep a symbolic link PATH to the current pty: removed on hangup, made\n"
	"                 again on plug (as udev does for /dev/serial/by-id)\n"
	"  --seed N       seed of the garbage bytes (default 1)\n"
	"\n"
	"Control: one command a line on stdin, each answered on stdout with \"ok ...\" or \"error ...\"\n"
	"(blank lines and # comments are not answered).\n"
	"  place N                       put card N on the reader\n"
	"  remove                        take it off\n"
	"  fault none                    no faults (the default)\n"
	"  fault nocard [off]            find never sees the card\n"
	"  fault removed [off]           the next read fails (status 41) and the card is gone\n"
	"  fault checksum [N|off]        replies with a wrong checksum (all, or the next N)\n"
	"  fault slow MS                 every reply waits MS milliseconds (0: off)\n"
	"  fault split BYTES [MS]        replies trickle out BYTES at a time, MS apart (default 2;\n"
	"                                0: off)\n"
	"  fault status SW [find|select|read|newaddr|any] [N|off]\n"
	"                                answer with status SW (hex, e.g. 31) instead (default:\n"
	"                                read, always)\n"
	"  fault garbage N               N random bytes before every reply (0: off)\n"
	"  hangup                        close the pty: the reader is unplugged\n"
	"  plug                          open a new pty (prints \"pty PATH\" again)\n"
	"  stats                         requests served: find= select= read= newaddr= other=\n"
	"                                damaged= reads_ok=\n"
	"  quit                          exit\n"
	"SIGUSR1 taps a card: it places the card placed last (card 1 at first), or takes it off.\n"
	"The simulator exits on quit, SIGINT, SIGTERM or (with --once) after the read; the end of\n"
	"stdin does not end it. The photo is 1024 bytes made from the ID number (see README.md).\n";

typedef struct out_item {
	sim_reply *r;
	size_t pos;
	long long due;
} out_item;

typedef struct sim {
	tqk_lang lang;
	sim_cards *cards;
	sim_reader reader;
	int master, slave;             /* -1 while hung up */
	char path[PATH_CAP];
	const char *link;
	tqk_sam_decoder dec;
	out_item outq[OUTQ_MAX];
	size_t nout;
	int last_card;                 /* for SIGUSR1 */
	bool once;
	long long read_at;             /* when --once saw the read, 0 before */
	long long last_request;
	bool quit;
	char line[LINE_MAX_LEN + 1];
	size_t line_len;
	bool line_too_long;
} sim;

static void say(const sim *s, const char *zh, const char *en)
{
	fprintf(stderr, "tq-idreader-sim: %s\n", s->lang == TQK_LANG_EN ? en : zh);
}

/* A line on stdout, flushed: the control channel's answer. */
static void answer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void answer(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* ---- the pty ------------------------------------------------------------ */

static void drop_output(sim *s)
{
	for (size_t i = 0; i < s->nout; i++)
		free(s->outq[i].r);
	s->nout = 0;
}

static void update_link(const sim *s)
{
	if (s->link == NULL)
		return;
	char tmp[PATH_CAP + 8];
	snprintf(tmp, sizeof tmp, "%s.new", s->link);
	unlink(tmp);
	if (symlink(s->path, tmp) != 0 || rename(tmp, s->link) != 0) {
		say(s, "无法建立 --link 符号链接", "cannot make the --link symbolic link");
		unlink(tmp);
	}
}

static bool plug(sim *s)
{
	struct termios tio;
	memset(&tio, 0, sizeof tio);
	cfmakeraw(&tio);
	tio.c_cflag |= CLOCAL | CREAD;
	cfsetispeed(&tio, B115200);
	cfsetospeed(&tio, B115200);
	int m = -1, sl = -1;
	if (openpty(&m, &sl, NULL, &tio, NULL) != 0) {
		say(s, "无法打开伪终端", "cannot open a pseudo-terminal");
		return false;
	}
	/* raw on both sides before the first byte goes out */
	if (tcsetattr(sl, TCSANOW, &tio) != 0 || ttyname_r(sl, s->path, sizeof s->path) != 0) {
		close(m);
		close(sl);
		say(s, "无法设置伪终端", "cannot set the pseudo-terminal up");
		return false;
	}
	fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
	fcntl(m, F_SETFD, FD_CLOEXEC);
	fcntl(sl, F_SETFD, FD_CLOEXEC);
	s->master = m;
	s->slave = sl;
	tqk_sam_decoder_init(&s->dec);
	update_link(s);
	answer("pty %s", s->path);
	return true;
}

static void hangup(sim *s)
{
	drop_output(s);
	close(s->master);
	close(s->slave);
	s->master = s->slave = -1;
	if (s->link != NULL)
		unlink(s->link);
	/* the card stays where it lies; the reader forgets it found it */
	s->reader.found = s->reader.selected = false;
}

/* ---- requests and replies -------------------------------------------------- */

static void enqueue(sim *s, const uint8_t *body, size_t len, tqk_err damage)
{
	unsigned long reads = s->reader.reads_ok;
	sim_reply *r = malloc(sizeof *r);
	if (r == NULL) {
		say(s, "内存不足", "out of memory");
		s->quit = true;
		return;
	}
	sim_reader_answer(&s->reader, body, len, damage, r);
	if (s->once && s->reader.reads_ok > reads && s->read_at == 0)
		s->read_at = tqk_dev_now_ms();
	if (s->nout == OUTQ_MAX) {
		free(r); /* a driver far ahead of a slow reader loses replies */
		return;
	}
	s->outq[s->nout++] = (out_item){r, 0, tqk_dev_now_ms() + r->delay_ms};
}

static void from_master(sim *s)
{
	uint8_t buf[4096];
	ssize_t n = read(s->master, buf, sizeof buf);
	if (n <= 0)
		return; /* EAGAIN; EIO cannot happen while we hold the slave */
	s->last_request = tqk_dev_now_ms();
	size_t pos = 0;
	for (;;) {
		size_t used = 0, len = 0;
		const uint8_t *body = NULL;
		tqk_err err = tqk_sam_decode(&s->dec, buf + pos, (size_t)n - pos, &used, &body, &len);
		pos += used;
		if (err != TQK_OK) {
			enqueue(s, NULL, 0, err);
			continue;
		}
		if (body == NULL)
			break;
		enqueue(s, body, len, TQK_OK);
	}
}

/* Sends what is due; returns the milliseconds until more is due (-1: none). */
static int to_master(sim *s)
{
	while (s->nout > 0 && s->master >= 0) {
		out_item *o = &s->outq[0];
		long long now = tqk_dev_now_ms();
		if (o->due > now)
			return (int)(o->due - now);
		size_t n = o->r->len - o->pos;
		if (o->r->piece > 0 && n > o->r->piece)
			n = o->r->piece;
		ssize_t w = write(s->master, o->r->bytes + o->pos, n);
		if (w < 0)
			return errno == EAGAIN ? 5 : -1;
		o->pos += (size_t)w;
		if (o->pos < o->r->len) {
			if (o->r->piece > 0)
				o->due = now + o->r->piece_ms;
			continue;
		}
		free(o->r);
		memmove(s->outq, s->outq + 1, (s->nout - 1) * sizeof s->outq[0]);
		s->nout--;
	}
	return -1;
}

/* ---- the control channel ------------------------------------------------------- */

static int split_words(char *line, char **w)
{
	int n = 0;
	for (char *p = strtok(line, " \t\r:"); p != NULL && n < WORDS_MAX; p = strtok(NULL, " \t\r:"))
		w[n++] = p;
	return strtok(NULL, " \t\r:") == NULL ? n : -1;
}

static bool card_number(const sim *s, const char *word, int *index)
{
	char *end;
	errno = 0;
	long v = word != NULL ? strtol(word, &end, 10) : 0;
	if (word == NULL || errno != 0 || *end != '\0' || v < 1 || (size_t)v > s->cards->n)
		return false;
	*index = (int)v - 1;
	return true;
}

static void place(sim *s, int i)
{
	sim_reader_place(&s->reader, i);
	if (i >= 0) {
		s->last_card = i;
		answer("ok place %d", i + 1);
	} else {
		answer("ok remove");
	}
}

static void command(sim *s, char *line)
{
	char *w[WORDS_MAX];
	char *comment = strchr(line, '#');
	if (comment != NULL)
		*comment = '\0';
	int n = split_words(line, w);
	if (n == 0)
		return; /* blank or a comment: no answer */
	if (n < 0) {
		answer("error too many words");
		return;
	}
	int card;
	if (strcmp(w[0], "place") == 0 && n == 2 && card_number(s, w[1], &card)) {
		place(s, card);
	} else if (strcmp(w[0], "place") == 0) {
		answer("error place needs a card number 1..%zu", s->cards->n);
		say(s, "place 需要卡号", "place needs a card number");
	} else if (strcmp(w[0], "remove") == 0 && n == 1) {
		place(s, -1);
	} else if (strcmp(w[0], "fault") == 0 && n >= 2) {
		if (sim_fault_parse(&s->reader.f, n - 1, w + 1)) {
			answer("ok fault %s", w[1]);
		} else {
			answer("error fault");
			say(s, "无法识别的故障，见 --help", "unknown fault: see --help");
		}
	} else if (strcmp(w[0], "hangup") == 0 && n == 1) {
		if (s->master < 0) {
			answer("error hangup: not plugged in");
			return;
		}
		hangup(s);
		answer("ok hangup");
	} else if (strcmp(w[0], "plug") == 0 && n == 1) {
		if (s->master >= 0) {
			answer("error plug: plugged in already");
			return;
		}
		if (plug(s))
			answer("ok plug");
		else
			answer("error plug");
	} else if (strcmp(w[0], "stats") == 0 && n == 1) {
		const sim_reader *r = &s->reader;
		answer("stats find=%lu select=%lu read=%lu newaddr=%lu other=%lu damaged=%lu reads_ok=%lu",
		       r->served[SIM_REQ_FIND], r->served[SIM_REQ_SELECT], r->served[SIM_REQ_READ],
		       r->served[SIM_REQ_NEWADDR], r->served[SIM_REQ_OTHER], r->damaged, r->reads_ok);
	} else if (strcmp(w[0], "quit") == 0 && n == 1) {
		answer("ok quit");
		s->quit = true;
	} else {
		answer("error unknown command");
		say(s, "未知命令，见 --help", "unknown command: see --help");
	}
}

/* Reads stdin; false at its end. */
static bool from_stdin(sim *s)
{
	char buf[512];
	ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	for (ssize_t i = 0; i < n && !s->quit; i++) {
		if (buf[i] == '\n') {
			s->line[s->line_len] = '\0';
			if (s->line_too_long)
				answer("error line too long");
			else
				command(s, s->line);
			s->line_len = 0;
			s->line_too_long = false;
		} else if (s->line_len < LINE_MAX_LEN) {
			s->line[s->line_len++] = buf[i];
		} else {
			s->line_too_long = true;
		}
	}
	return true;
}

static void on_signal(sim *s, int fd)
{
	struct signalfd_siginfo si;
	if (read(fd, &si, sizeof si) != (ssize_t)sizeof si)
		return;
	if (si.ssi_signo == SIGUSR1)
		place(s, s->reader.placed >= 0 ? -1 : s->last_card);
	else
		s->quit = true;
}

/* ---- start-up ------------------------------------------------------------------- */

/* The default cards file: $TQK_ASSETS, the installed share directory, or
 * assets/ above the executable (a build tree). */
static bool default_cards(char *buf, size_t cap)
{
	const char *rel = "demo/idcards.json";
	const char *env = getenv("TQK_ASSETS");
	if (env != NULL && *env != '\0')
		return (size_t)snprintf(buf, cap, "%s/%s", env, rel) < cap && access(buf, R_OK) == 0;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	for (int up = 0; up < 5; up++) {
		char *slash = strrchr(exe, '/');
		if (slash == NULL)
			return false;
		*slash = '\0';
		if ((size_t)snprintf(buf, cap, "%s/share/tqkiosk/%s", exe, rel) < cap &&
		    access(buf, R_OK) == 0)
			return true;
		if ((size_t)snprintf(buf, cap, "%s/assets/%s", exe, rel) < cap && access(buf, R_OK) == 0)
			return true;
	}
	return false;
}

static int usage_error(const sim *s, const char *what, const char *zh, const char *en)
{
	fprintf(stderr, "tq-idreader-sim: %s: %s\n", what, s->lang == TQK_LANG_EN ? en : zh);
	say(s, "用法见 tq-idreader-sim --help", "see tq-idreader-sim --help");
	return 2;
}

static bool option(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return false;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return true;
	}
	if (argv[*i][n] != '\0')
		return false;
	*value = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}

static int load_cards(sim *s, const char *path)
{
	char def[PATH_MAX];
	if (path == NULL) {
		if (!default_cards(def, sizeof def))
			return usage_error(s, "--cards", "找不到默认的 assets/demo/idcards.json，请用 --cards 给出",
			                   "no default assets/demo/idcards.json: give --cards FILE");
		path = def;
	}
	s->cards = malloc(sizeof *s->cards);
	if (s->cards == NULL)
		return usage_error(s, "--cards", "内存不足", "out of memory");
	sim_cards_error why;
	tqk_err err = sim_cards_load(path, s->cards, &why);
	if (err == TQK_OK)
		return 0;
	fprintf(stderr, "tq-idreader-sim: %s", path);
	if (why.card > 0)
		fprintf(stderr, s->lang == TQK_LANG_EN ? ": card %zu" : "：第 %zu 张卡", why.card);
	if (why.member[0] != '\0')
		fprintf(stderr, ": %s", why.member);
	fprintf(stderr, ": %s%s%s\n", tqk_strerror(err, s->lang), why.detail[0] ? " - " : "",
	        why.detail);
	return 2;
}

static int setup(sim *s, int argc, char **argv, bool *help)
{
	const char *cards = NULL, *card = NULL, *seed = NULL, *lang = NULL, *fault = NULL;
	const struct {
		const char *name;
		const char **value;
	} opts[] = {
		{"--cards", &cards}, {"--card", &card}, {"--seed", &seed}, {"--link", &s->link},
		{"--lang", &lang}, {"--fault", &fault},
	};
	const char *faults[16];
	size_t nfaults = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			*help = true;
			continue;
		}
		if (strcmp(argv[i], "--once") == 0) {
			s->once = true;
			continue;
		}
		size_t k = 0;
		while (k < sizeof opts / sizeof opts[0] && !option(argc, argv, &i, opts[k].name, opts[k].value))
			k++;
		if (k == sizeof opts / sizeof opts[0])
			return usage_error(s, argv[i], "未知选项", "unknown option");
		if (*opts[k].value == NULL)
			return usage_error(s, opts[k].name, "缺少取值", "needs a value");
		if (opts[k].value == &fault) {
			if (nfaults == sizeof faults / sizeof faults[0])
				return usage_error(s, "--fault", "最多 16 个", "16 at most");
			faults[nfaults++] = fault;
		}
	}
	if (lang != NULL && tqk_lang_parse(lang, &s->lang) != TQK_OK)
		return usage_error(s, "--lang", "只能是 zh 或 en", "takes zh or en");
	if (*help)
		return 0;
	int rc = load_cards(s, cards);
	if (rc != 0)
		return rc;
	unsigned long seed_v = 1;
	if (seed != NULL) {
		char *end;
		errno = 0;
		seed_v = strtoul(seed, &end, 10);
		if (errno != 0 || *end != '\0' || *seed < '0' || *seed > '9' || seed_v > 0xFFFFFFFFul)
			return usage_error(s, "--seed", "须为非负整数", "must be a whole number");
	}
	sim_reader_init(&s->reader, s->cards, (uint32_t)seed_v);
	for (size_t k = 0; k < nfaults; k++) {
		char buf[LINE_MAX_LEN + 1], *w[WORDS_MAX];
		snprintf(buf, sizeof buf, "%s", faults[k]);
		int n = split_words(buf, w);
		if (n < 1 || !sim_fault_parse(&s->reader.f, n, w))
			return usage_error(s, "--fault", "无法识别的故障", "unknown fault");
	}
	if (card != NULL) {
		int i;
		if (!card_number(s, card, &i))
			return usage_error(s, "--card", "卡号超出范围", "no such card");
		sim_reader_place(&s->reader, i);
		s->last_card = i;
	} else if (s->once) {
		return usage_error(s, "--once", "需要 --card", "needs --card");
	}
	return 0;
}

int main(int argc, char **argv)
{
	sim s = {.lang = TQK_LANG_ZH, .master = -1, .slave = -1};
	bool help = false;
	int rc = setup(&s, argc, argv, &help);
	if (rc != 0 || help) {
		if (help)
			fputs(s.lang == TQK_LANG_EN ? usage_en : usage_zh, stdout);
		free(s.cards);
		return rc;
	}

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0 || !plug(&s)) {
		free(s.cards);
		return 2;
	}

	bool stdin_open = true;
	while (!s.quit) {
		int wait = to_master(&s);
		long long now = tqk_dev_now_ms();
		if (s.read_at != 0) {
			long long idle = (s.last_request > s.read_at ? s.last_request : s.read_at) +
			                 ONCE_IDLE_MS - now;
			if (idle <= 0 && s.nout == 0)
				break;
			if (wait < 0 || idle < wait)
				wait = idle > 0 ? (int)idle : 1;
		}
		struct pollfd p[3] = {
			{.fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN},
			{.fd = s.master, .events = POLLIN},
			{.fd = sfd, .events = POLLIN},
		};
		if (poll(p, 3, wait) < 0 && errno != EINTR)
			break;
		if (p[2].revents & POLLIN)
			on_signal(&s, sfd);
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			stdin_open = from_stdin(&s);
		if (s.master >= 0 && (p[1].revents & POLLIN))
			from_master(&s);
	}
	if (s.master >= 0)
		hangup(&s);
	drop_output(&s);
	close(sfd);
	free(s.cards);
	return 0;
}
