/*
 * cmd_numbers.c - tqkioskctl id | cert | archive: check and explain numbers.
 *
 * An invalid number prints error=<code> on stdout and the reason on stderr,
 * and exits 1.
 */
#include <stdio.h>
#include <string.h>

#include "core/archive.h"
#include "core/certnum.h"
#include "core/idnum.h"
#include "core/region.h"
#include "ctl.h"

static int invalid(ctl *c, tqk_err err, const char *input)
{
	out_str(c, "error", tqk_err_code(err));
	ctl_error(c, err, input);
	return CTL_NO;
}

/* The arguments of id and cert: NUMBER [--today YYYY-MM-DD]. what_zh and
 * what_en name the number in the message when it is missing. */
static int number_args(ctl *c, int argc, char **argv, const char *cmd, const char *what_zh,
                       const char *what_en, const char **number, tqk_date *today)
{
	const char *today_s = NULL;
	const ctl_optspec opts[] = {{"--today", &today_s}, {NULL, NULL}};
	*number = NULL;
	int rc = ctl_args(c, argc, argv, opts, number);
	if (rc == CTL_OK)
		rc = ctl_today(c, today_s, today);
	if (rc == CTL_OK && *number == NULL)
		rc = ctl_usage(c, cmd, what_zh, what_en);
	return rc;
}

int cmd_id(ctl *c, int argc, char **argv)
{
	const char *number;
	tqk_date today;
	int rc = number_args(c, argc, argv, "id", "请给出身份证号码", "give an ID number",
	                     &number, &today);
	if (rc != CTL_OK)
		return rc;

	tqk_idnum id;
	tqk_err err = tqk_id_parse(number, strlen(number), today, &id);
	if (err != TQK_OK)
		return invalid(c, err, number);

	char birth[TQK_DATE_BUFLEN];
	tqk_date_format(id.birth, birth);
	out_str(c, "id", id.id);
	out_str(c, "gender", tqk_gender_code(id.gender));
	out_str(c, "birth", birth);
	out_str(c, "region", id.region);
	out_str(c, "province", tqk_province_name(id.province, c->lang));
	out_bool(c, "converted", id.converted);
	return CTL_OK;
}

int cmd_cert(ctl *c, int argc, char **argv)
{
	const char *number;
	tqk_date today;
	int rc = number_args(c, argc, argv, "cert", "请给出教师资格证书号码",
	                     "give a certificate number", &number, &today);
	if (rc != CTL_OK)
		return rc;

	tqk_certnum cert;
	tqk_err err = tqk_cert_parse(number, strlen(number), today.year, &cert);
	if (err != TQK_OK)
		return invalid(c, err, number);
	out_str(c, "cert", cert.cert);
	out_int(c, "year", cert.year);
	out_bool(c, "converted", cert.converted);
	return CTL_OK;
}

/* An integer option in [min, max]; *ok turns false (after a message) if the
 * option is present and malformed. */
static long int_opt(const ctl *c, const char *name, const char *value, long min, long max,
                    bool *ok)
{
	long v = 0;
	if (value != NULL && !ctl_parse_int(value, min, max, &v)) {
		char range[64];
		snprintf(range, sizeof range, "%s %ld..%ld", name, min, max);
		ctl_usage(c, range, "须为此范围内的整数", "must be a whole number in this range");
		*ok = false;
	}
	return v;
}

int cmd_archive(ctl *c, int argc, char **argv)
{
	const char *number = NULL, *county = NULL, *year_s = NULL, *site_s = NULL;
	const char *serial_s = NULL, *width_s = NULL;
	const ctl_optspec opts[] = {
		{"--county", &county}, {"--year", &year_s}, {"--site", &site_s},
		{"--serial", &serial_s}, {"--width", &width_s}, {NULL, NULL},
	};
	int rc = ctl_args(c, argc, argv, opts, &number);
	if (rc != CTL_OK)
		return rc;
	bool ok = true;
	long width = int_opt(c, "--width", width_s, 1, TQK_ARCHIVE_WIDTH_MAX, &ok);
	long year = int_opt(c, "--year", year_s, 0, 9999, &ok);
	long site = int_opt(c, "--site", site_s, 0, 999, &ok);
	long serial = int_opt(c, "--serial", serial_s, 0, 999999999, &ok);
	if (!ok)
		return CTL_USAGE;
	if (width_s == NULL)
		width = TQK_ARCHIVE_WIDTH_DEFAULT;

	tqk_archive a;
	tqk_err err;
	if (number != NULL) {
		if (county != NULL || year_s != NULL || site_s != NULL || serial_s != NULL)
			return ctl_usage(c, "archive", "给出档案序号时不能再给出各个部分",
			                 "give either a number or its parts, not both");
		if ((err = tqk_archive_parse(number, strlen(number), (int)width, &a)) != TQK_OK)
			return invalid(c, err, number);
	} else {
		if (county == NULL || year_s == NULL || site_s == NULL || serial_s == NULL)
			return ctl_usage(c, "archive", "需要 --county、--year、--site 和 --serial",
			                 "needs --county, --year, --site and --serial");
		memset(&a, 0, sizeof a);
		if (strlen(county) > TQK_ARCHIVE_COUNTY_MAX)
			return invalid(c, TQK_E_ARCHIVE_COUNTY, county);
		memcpy(a.county, county, strlen(county));
		a.year = (int)year;
		a.site = (int)site;
		a.serial = (unsigned)serial;
	}

	char buf[TQK_ARCHIVE_BUFLEN];
	if ((err = tqk_archive_format(&a, (int)width, buf)) != TQK_OK)
		return invalid(c, err, NULL);
	out_str(c, "archive", buf);
	out_str(c, "county", a.county);
	out_int(c, "year", a.year);
	out_int(c, "site", a.site);
	out_int(c, "serial", a.serial);
	return CTL_OK;
}
