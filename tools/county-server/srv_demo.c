/*
 * srv_demo.c - the demo applications: every value drawn from a
 * SplitMix64 stream seeded by (seed, person), so that application i is the
 * same whatever else is generated.
 */
#include "srv_demo.h"

#include <stdio.h>
#include <string.h>

#include "core/idnum.h"

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
	"胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "欧阳",
};
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
	"涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰",
	"志强", "晓东", "海燕", "思远", "雨欣", "子涵", "佳怡", "浩然", "梓萱", "俊杰", "欣怡",
	"宇航", "诗琪", "建国", "丽华", "春梅", "国平", "小红", "德明", "慧敏", "振宇",
};
/* Hunan county-level codes (province 43). */
static const char *const regions[] = {
	"430121", "430102", "430103", "430104", "430105", "430111", "430112", "430181",
	"430182", "430202", "430321", "430381",
};
static const char *const nations[] = {"汉族", "汉族", "汉族", "汉族", "土家族", "苗族", "侗族",
                                      "瑶族"};
static const char *const subjects[] = {"语文", "数学", "英语", "物理", "化学", "生物", "历史",
                                       "地理", "政治", "音乐", "体育", "美术", "信息技术"};
static const char *const titles[] = {"三级教师", "二级教师", "一级教师", "高级教师",
                                     "正高级教师", "未评"};
/* Schools by stage (index = tqk_stage - 1). */
static const char *const schools[][4] = {
	{"长沙县星沙第一幼儿园", "长沙县榔梨幼儿园", "长沙县黄兴镇中心幼儿园", "长沙县泉塘幼儿园"},
	{"长沙县星沙实验小学", "长沙县湘龙小学", "长沙县黄花镇中心小学", "长沙县春华镇中心小学"},
	{"长沙县第七中学", "长沙县星沙中学", "长沙县黄兴中学", "长沙县金井中学"},
	{"长沙县第一中学", "长沙县实验中学", "长沙县第三中学", "长沙县第六中学"},
	{"长沙县职业中专学校", "长沙县职业技术学校", "湖南省长沙县电子职业学校", "长沙县职业中专学校"},
	{"长沙县职业中专学校", "长沙县职业技术学校", "湖南省长沙县电子职业学校", "长沙县职业中专学校"},
};
static const char *const authorities[] = {"长沙县教育局", "长沙市教育局", "湖南省教育厅"};

#define N(a) (sizeof (a) / sizeof (a)[0])

/* SplitMix64: one step of the stream in *s. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A value in [0, n). */
static unsigned pick(uint64_t *s, unsigned n)
{
	return (unsigned)(next(s) % n);
}

/* The person of index p: name, ID number, certificate. */
static void person(const srv_demo *d, unsigned p, tqk_application *a)
{
	uint64_t s = d->seed * 0x100000001B3ull ^ ((uint64_t)p << 20) ^ 0x5EEDull;
	snprintf(a->name, sizeof a->name, "%s%s", surnames[pick(&s, N(surnames))],
	         given[pick(&s, N(given))]);
	/* Born 22 to 58 years before today. */
	tqk_day today = tqk_date_to_day(d->today);
	tqk_day born = today - (tqk_day)(22 * 365 + pick(&s, 36 * 365));
	tqk_date b = tqk_day_to_date(born);
	char id[TQK_ID_LEN + 1];
	snprintf(id, sizeof id, "%s%04u%02u%02u%03u", regions[pick(&s, N(regions))],
	         (unsigned)b.year % 10000u, (unsigned)b.month % 100u, (unsigned)b.day % 100u,
	         (p * 7 + pick(&s, 7)) % 1000u);
	id[17] = tqk_id_check_char(id);
	id[18] = '\0';
	memcpy(a->id_number, id, sizeof id);
	memcpy(a->cert_name, a->name, sizeof a->name);
	memcpy(a->cert_id, a->id_number, sizeof a->id_number);
	snprintf(a->nation, sizeof a->nation, "%s", nations[pick(&s, N(nations))]);

	/* Certified at 21 or later, from 1995 to last year. */
	int first = b.year + 21 > 1995 ? b.year + 21 : 1995;
	int last = d->today.year - 1;
	int cert_year = first <= last ? first + (int)pick(&s, (unsigned)(last - first + 1)) : last;
	unsigned cy = (unsigned)cert_year % 10000u;
	/* year + province (43) + 5 random digits + the person's 6-digit number:
	 * distinct for distinct persons. */
	snprintf(a->cert_no, sizeof a->cert_no, "%04u43%05u%06u", cy, pick(&s, 100000),
	         p % 1000000u);
	tqk_date issued = {cert_year, 6 + (int)pick(&s, 3), 1 + (int)pick(&s, 28)};
	tqk_date_format(issued, a->cert_issued);
	tqk_date_format((tqk_date){cert_year, 9, 1}, a->work_start);
	snprintf(a->cert_authority, sizeof a->cert_authority, "%s",
	         authorities[pick(&s, N(authorities))]);
	a->qualification = (tqk_stage)(TQK_STAGE_KINDERGARTEN + pick(&s, 6));
	snprintf(a->cert_subject, sizeof a->cert_subject, "%s", subjects[pick(&s, N(subjects))]);
}

void srv_demo_app(const srv_demo *d, unsigned i, tqk_application *out)
{
	memset(out, 0, sizeof *out);
	unsigned base = d->count - d->duplicates;
	unsigned p = i < base ? i : i - base;       /* a duplicate repeats person i - base */
	person(d, p, out);

	uint64_t s = d->seed * 0x9E3779B97F4A7C15ull ^ ((uint64_t)i << 24) ^ 0xA99ull;
	snprintf(out->reg_no, sizeof out->reg_no, "%04u%02u%08u", (unsigned)d->year % 10000u,
	         (unsigned)(d->seed % 100), (i + 1) % 100000000u);
	snprintf(out->site, sizeof out->site, "%s", d->site);
	snprintf(out->institution, sizeof out->institution, "长沙县教育局");
	/* Mostly teaching at the certificate's stage, some one stage lower or higher. */
	int post = (int)out->qualification;
	unsigned r = pick(&s, 10);
	if (r == 0 && post > TQK_STAGE_KINDERGARTEN && post <= TQK_STAGE_SENIOR)
		post--;
	else if (r == 1 && post < TQK_STAGE_SENIOR)
		post++;
	out->post = (tqk_stage)post;
	snprintf(out->post_subject, sizeof out->post_subject, "%s", out->cert_subject);
	snprintf(out->school, sizeof out->school, "%s", schools[post - 1][pick(&s, 4)]);
	out->school_area = pick(&s, 3) == 0 ? TQK_AREA_RURAL : TQK_AREA_URBAN;
	snprintf(out->title, sizeof out->title, "%s", titles[pick(&s, N(titles))]);
	snprintf(out->email, sizeof out->email, "teacher%u@example.cn", i + 1);
	out->registration = pick(&s, 3) == 0 ? TQK_REG_FIRST : TQK_REG_SECOND;
	out->state = TQK_ST_SUBMITTED;
	out->rev = 0;
}
