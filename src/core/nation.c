/*
 * nation.c - the GB 3304 nation table and its lookups (see nation.h).
 */
#include "core/nation.h"

#include <assert.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"

/* In code order; tqk_nation_by_code relies on it. */
static const tqk_nation nations[TQK_NATION_COUNT] = {
	{1, "01", "汉", "汉族", "Han"},
	{2, "02", "蒙古", "蒙古族", "Mongol"},
	{3, "03", "回", "回族", "Hui"},
	{4, "04", "藏", "藏族", "Tibetan"},
	{5, "05", "维吾尔", "维吾尔族", "Uyghur"},
	{6, "06", "苗", "苗族", "Miao"},
	{7, "07", "彝", "彝族", "Yi"},
	{8, "08", "壮", "壮族", "Zhuang"},
	{9, "09", "布依", "布依族", "Bouyei"},
	{10, "10", "朝鲜", "朝鲜族", "Korean"},
	{11, "11", "满", "满族", "Manchu"},
	{12, "12", "侗", "侗族", "Dong"},
	{13, "13", "瑶", "瑶族", "Yao"},
	{14, "14", "白", "白族", "Bai"},
	{15, "15", "土家", "土家族", "Tujia"},
	{16, "16", "哈尼", "哈尼族", "Hani"},
	{17, "17", "哈萨克", "哈萨克族", "Kazakh"},
	{18, "18", "傣", "傣族", "Dai"},
	{19, "19", "黎", "黎族", "Li"},
	{20, "20", "傈僳", "傈僳族", "Lisu"},
	{21, "21", "佤", "佤族", "Va"},
	{22, "22", "畲", "畲族", "She"},
	{23, "23", "高山", "高山族", "Gaoshan"},
	{24, "24", "拉祜", "拉祜族", "Lahu"},
	{25, "25", "水", "水族", "Shui"},
	{26, "26", "东乡", "东乡族", "Dongxiang"},
	{27, "27", "纳西", "纳西族", "Naxi"},
	{28, "28", "景颇", "景颇族", "Jingpo"},
	{29, "29", "柯尔克孜", "柯尔克孜族", "Kyrgyz"},
	{30, "30", "土", "土族", "Tu"},
	{31, "31", "达斡尔", "达斡尔族", "Daur"},
	{32, "32", "仫佬", "仫佬族", "Mulao"},
	{33, "33", "羌", "羌族", "Qiang"},
	{34, "34", "布朗", "布朗族", "Blang"},
	{35, "35", "撒拉", "撒拉族", "Salar"},
	{36, "36", "毛南", "毛南族", "Maonan"},
	{37, "37", "仡佬", "仡佬族", "Gelao"},
	{38, "38", "锡伯", "锡伯族", "Xibe"},
	{39, "39", "阿昌", "阿昌族", "Achang"},
	{40, "40", "普米", "普米族", "Pumi"},
	{41, "41", "塔吉克", "塔吉克族", "Tajik"},
	{42, "42", "怒", "怒族", "Nu"},
	{43, "43", "乌孜别克", "乌孜别克族", "Uzbek"},
	{44, "44", "俄罗斯", "俄罗斯族", "Russian"},
	{45, "45", "鄂温克", "鄂温克族", "Evenki"},
	{46, "46", "德昂", "德昂族", "De'ang"},
	{47, "47", "保安", "保安族", "Bonan"},
	{48, "48", "裕固", "裕固族", "Yugur"},
	{49, "49", "京", "京族", "Gin"},
	{50, "50", "塔塔尔", "塔塔尔族", "Tatar"},
	{51, "51", "独龙", "独龙族", "Derung"},
	{52, "52", "鄂伦春", "鄂伦春族", "Oroqen"},
	{53, "53", "赫哲", "赫哲族", "Hezhen"},
	{54, "54", "门巴", "门巴族", "Monba"},
	{55, "55", "珞巴", "珞巴族", "Lhoba"},
	{56, "56", "基诺", "基诺族", "Jino"},
	{97, "97", "其他", "其他", "Other"},
	{98, "98", "外国血统中国籍人士", "外国血统中国籍人士", "Chinese citizen of foreign origin"},
};

const tqk_nation *tqk_nation_by_code(int code)
{
	if (code >= 1 && code <= 56)
		return &nations[code - 1];
	if (code == TQK_NATION_OTHER)
		return &nations[56];
	if (code == TQK_NATION_FOREIGN)
		return &nations[57];
	return NULL;
}

const tqk_nation *tqk_nation_by_digits(const char *s, size_t len)
{
	if (s == NULL || len != 2)
		return NULL;
	int code = tqk_decimal(s, 2);
	return code < 0 ? NULL : tqk_nation_by_code(code);
}

/* Whether s[0..len) is exactly the NUL-terminated name. */
static bool same(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(s, name, len) == 0;
}

/* The same, ignoring ASCII case (English names). */
static bool same_ascii_case(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

const tqk_nation *tqk_nation_by_name(const char *s, size_t len)
{
	if (s == NULL)
		return NULL;
	tqk_text_trim(&s, &len);
	if (len == 0)
		return NULL;
	for (size_t i = 0; i < TQK_NATION_COUNT; i++) {
		const tqk_nation *n = &nations[i];
		if (same(s, len, n->zh) || same(s, len, n->zh_full) || same_ascii_case(s, len, n->en))
			return n;
	}
	return NULL;
}

const tqk_nation *tqk_nation_at(size_t i)
{
	return i < TQK_NATION_COUNT ? &nations[i] : NULL;
}

const char *tqk_nation_name(const tqk_nation *n, tqk_lang lang)
{
	assert(n != NULL);
	return tqk_lang_or_default(lang) == TQK_LANG_EN ? n->en : n->zh_full;
}
