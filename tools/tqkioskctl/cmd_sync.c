/*
 * cmd_sync.c - tqkioskctl sync | retry: talking to the county server.
 *
 * sync runs one full round of the sync worker now (worker.h), over the
 * connection the kiosk's configuration file describes (sync/config.h;
 * --config, default $TQK_CONFIG), and prints what moved: records uploaded
 * (of them, duplicates the server had already), quarantined, put back for
 * later; applications, updates and clerks downloaded; whether a newer plan
 * was stored; the server's time. A failure prints the same figures, then
 * error=<domain>.<code> with the client's or the store's detail on stderr,
 * and exits 1 (the network or the server) or 2 (the store or the
 * configuration).
 *
 * retry sends a record the server refused (quarantined as rejected, listed
 * by `queue --rejected`) again with the next round: an administrator's
 * decision, audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/uuid.h"
#include "ctl.h"
#include "store/outbox.h"
#include "sync/client.h"
#include "sync/clock.h"
#include "sync/config.h"
#include "sync/worker.h"

/* The configuration file: --config, else $TQK_CONFIG; NULL after a usage
 * message. */
static const char *config_path(const ctl *c, const char *opt)
{
	if (opt == NULL || *opt == '\0')
		opt = getenv("TQK_CONFIG");
	if (opt == NULL || *opt == '\0') {
		ctl_usage(c, "--config", "请用 --config 给出自助机的连接配置文件，或设置环境变量 TQK_CONFIG",
		          "give the kiosk's connection file with --config FILE, or set TQK_CONFIG");
		return NULL;
	}
	return opt;
}

/* The trusted time as the worker keeps it (its clock in the store's
 * settings), else the wall clock. */
static tqk_time trusted_now(const ctl *c, tqk_store *s)
{
	char text[TQK_STORE_SETTING_CAP];
	tqk_clock clk;
	if (tqk_store_setting_get(s, TQK_SYNC_CLOCK_SETTING, text, sizeof text) != TQK_OK ||
	    !tqk_clock_load(text, &clk))
		return c->now;
	return tqk_clock_now(&clk, &tqk_clock_system, NULL, NULL);
}

/* The round's figures, one key=value each (server_time=none when the
 * server was not reached). */
static void print_stats(ctl *c, const tqk_round_stats *st)
{
	out_int(c, "uploaded", (long long)st->uploaded);
	out_int(c, "duplicates", (long long)st->duplicates);
	out_int(c, "rejected", (long long)st->rejected);
	out_int(c, "retried", (long long)st->retried);
	out_int(c, "applications", (long long)st->applications);
	out_int(c, "updates", (long long)st->updates);
	out_int(c, "clerks", (long long)st->clerks);
	out_bool(c, "plan", st->plan);
	char when[TQK_MINUTE_BUFLEN];
	if (st->server_time > 0)
		tqk_local_format(st->server_time, when);
	out_str(c, "server_time", st->server_time > 0 ? when : "none");
}

/* Connects to cfg's server and runs one round on s. Returns the exit
 * status. */
static int one_round(ctl *c, tqk_store *s, const tqk_sync_config *cfg)
{
	tqk_http_transport t;
	tqk_client *client = NULL;
	tqk_err err = tqk_http_curl(cfg, &t);
	if (err == TQK_OK)
		err = tqk_client_new(cfg, t, &client);
	if (err != TQK_OK) {
		ctl_fail(c, err, "sync", NULL);
		return CTL_USAGE;
	}
	tqk_round_stats st;
	err = tqk_sync_round_with(s, client, &tqk_clock_system, cfg, &st);
	tqk_client_free(client);
	print_stats(c, &st);
	tqk_outbox_counts q;
	if (tqk_store_outbox_counts(s, &q) == TQK_OK)
		out_int(c, "pending", (long long)(q.n[TQK_OUTBOX_PENDING] + q.n[TQK_OUTBOX_SENDING]));

	bool en = c->lang == TQK_LANG_EN;
	if (st.clock_jump)
		ctl_say(c, "注意：本机时钟与服务器时间相差超过 2 分钟（已记入审计记录）",
		        "warning: the kiosk's clock is more than 2 minutes off the server's time "
		        "(recorded in the audit trail)");
	if (st.rejected > 0)
		fprintf(stderr, en ? "warning: the county server refused %zu record(s); list them with "
		                     "tqkioskctl queue --rejected\n"
		                   : "注意：县服务器拒收了 %zu 条记录，可用 tqkioskctl queue --rejected 查看\n",
		        st.rejected);
	if (err != TQK_OK) {
		int rc = ctl_fail(c, err, "sync", st.detail);
		if (st.retried > 0)
			fprintf(stderr, en ? "%zu record(s) stay queued and go with a later sync\n"
			                   : "%zu 条记录仍在队列中，将在以后的同步中上传\n", st.retried);
		return rc;
	}
	ctl_say(c, "同步完成", "sync done");
	return CTL_OK;
}

int cmd_sync(ctl *c, int argc, char **argv)
{
	const char *db = NULL, *conf = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {"--config", &conf}, {NULL, NULL}};
	if (ctl_args(c, argc, argv, opts, NULL) != CTL_OK)
		return CTL_USAGE;
	const char *path = ctl_db_path(c, db);
	const char *conf_path = path != NULL ? config_path(c, conf) : NULL;
	if (conf_path == NULL)
		return CTL_USAGE;

	tqk_sync_config cfg;
	char detail[256];
	tqk_err err = tqk_sync_config_load(conf_path, &cfg, detail, sizeof detail);
	if (err != TQK_OK) {
		ctl_fail(c, err, conf_path, detail);
		return CTL_USAGE;
	}
	tqk_store *s;
	if ((err = ctl_store_open(c, path, true, false, &s)) != TQK_OK)
		return ctl_exit(err);
	tqk_site site;
	if (tqk_store_site_get(s, &site) == TQK_OK && strcmp(site.kiosk, cfg.kiosk) != 0)
		fprintf(stderr, c->lang == TQK_LANG_EN
			? "warning: %s names kiosk %s, the store kiosk %s\n"
			: "注意：%s 中的自助机编号为 %s，本地数据库中为 %s\n", conf_path, cfg.kiosk, site.kiosk);
	int rc = one_round(c, s, &cfg);
	tqk_store_free(s);
	return rc;
}

int cmd_retry(ctl *c, int argc, char **argv)
{
	const char *db = NULL, *uuid = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {NULL, NULL}};
	if (ctl_args(c, argc, argv, opts, &uuid) != CTL_OK)
		return CTL_USAGE;
	const char *path = ctl_db_path(c, db);
	if (path == NULL)
		return CTL_USAGE;
	if (uuid == NULL)
		return ctl_usage(c, "retry", "请给出被拒收记录的 uuid（见 tqkioskctl queue --rejected）",
		                 "give the uuid of a refused record (see tqkioskctl queue --rejected)");
	if (!tqk_uuid_valid(uuid))
		return ctl_usage(c, uuid, "不是有效的 uuid", "is not a valid uuid");
	tqk_store *s;
	tqk_err err = ctl_store_open(c, path, true, false, &s);
	if (err != TQK_OK)
		return ctl_exit(err);
	err = tqk_store_outbox_requeue(s, uuid, trusted_now(c, s));
	int rc = CTL_OK;
	if (err != TQK_OK) {
		rc = ctl_store_fail(c, s, err, uuid);
		if (err == TQK_E_STORE_OUTBOX)
			ctl_say(c, "只有被县服务器拒收的记录才能重新上传",
			        "only a record the county server refused can be sent again");
	} else {
		out_str(c, "uuid", uuid);
		out_str(c, "state", tqk_outbox_state_code(TQK_OUTBOX_PENDING));
		ctl_say(c, "已重新排队，下次同步时上传", "queued again: it goes with the next sync");
	}
	tqk_store_free(s);
	return rc;
}
