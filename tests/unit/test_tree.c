/*
 * test_tree.c - the text format of walk-in hierarchies (tree.h): the header
 * and its kind, comments, blank lines and CRLF, tab indentation and depth,
 * codes, names, every refusal with the line it names and every cap at and
 * one past its limit, the lookups (children, parents, paths, codes, path
 * text) - and the shipped files of assets/walkin/ (found through TQK_ASSETS,
 * which make check sets) checked against what the code already knows: the
 * province codes of region.c, the nations of nation.c, the qualification
 * types of stage.c.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/nation.h"
#include "core/region.h"
#include "core/stage.h"
#include "core/tree.h"
#include "support/assets.h"

/* *out is set to this before a parse that must fail, to see it reset. */
static char not_a_tree;

/* Parses len bytes of text that must be a valid tree. */
static tqk_tree *parse_ok_n(const char *text, size_t len)
{
	tqk_tree *tree = NULL;
	int line = -1;
	tqk_err err = tqk_tree_parse(text, len, &tree, &line);
	if (err != TQK_OK)
		fail_msg("rejected with %s at line %d:\n%.*s", tqk_err_code(err), line,
		         (int)(len < 400 ? len : 400), text);
	assert_non_null(tree);
	assert_int_equal(line, 0);
	return tree;
}

static tqk_tree *parse_ok(const char *text)
{
	return parse_ok_n(text, strlen(text));
}

/* Parses len bytes that must fail with want at want_line, leaving *out NULL. */
static void parse_fails_n(const char *text, size_t len, tqk_err want, int want_line)
{
	tqk_tree *tree = (tqk_tree *)(void *)&not_a_tree;
	int line = -1;
	tqk_err err = tqk_tree_parse(text, len, &tree, &line);
	if (err == TQK_OK)
		tqk_tree_free(tree);
	if (err != want || line != want_line)
		fail_msg("got %s at line %d, want %s at line %d:\n%.*s", tqk_err_code(err), line,
		         tqk_err_code(want), want_line, (int)(len < 400 ? len : 400),
		         text != NULL ? text : "");
	if (tree != NULL)
		fail_msg("*out is not NULL after %s", tqk_err_code(err));
}

static void parse_fails(const char *text, tqk_err want, int want_line)
{
	parse_fails_n(text, strlen(text), want, want_line);
}

/* The node at path, which must exist. */
static const tqk_tree_node *must_find(const tqk_tree *tree, const char *path)
{
	const tqk_tree_node *n = tqk_tree_find(tree, path, strlen(path));
	if (n == NULL)
		fail_msg("no node %s in the %s tree", path, tqk_tree_kind(tree));
	return n;
}

/* Asserts that n's path text is want. */
static void expect_path(const tqk_tree_node *n, const char *want)
{
	char buf[TQK_TREE_PATH_BUFLEN];
	size_t len = 0;
	assert_int_equal(tqk_tree_path(n, buf, sizeof buf, &len), TQK_OK);
	assert_string_equal(buf, want);
	assert_int_equal(len, strlen(want));
}

/* ---- the header ---- */

static void header_is_the_first_meaningful_line(void **state)
{
	(void)state;
	tqk_tree *tree = parse_ok("tqk-tree 1 titles\n");
	assert_string_equal(tqk_tree_kind(tree), "titles");
	assert_int_equal(tqk_tree_size(tree), 0);
	const tqk_tree_node *root = tqk_tree_root(tree);
	assert_int_equal(tqk_tree_child_count(root), 0);
	assert_null(tqk_tree_child(root, 0));
	assert_false(tqk_tree_is_leaf(root));
	tqk_tree_free(tree);

	/* Without a final newline, after blank and comment lines, with outer
	 * blanks and a comment of its own; kinds of every allowed character. */
	tqk_tree_free(parse_ok("tqk-tree 1 a"));
	tree = parse_ok("\n# the titles\n\n \t\n\ttqk-tree 1 walk-in_2  # v1\nx\n");
	assert_string_equal(tqk_tree_kind(tree), "walk-in_2");
	assert_int_equal(tqk_tree_size(tree), 1);
	tqk_tree_free(tree);
}

static void header_is_required(void **state)
{
	(void)state;
	/* No header at all: the whole text is at fault (line 0). */
	parse_fails_n(NULL, 0, TQK_E_TREE_HEADER, 0);
	parse_fails("", TQK_E_TREE_HEADER, 0);
	parse_fails("\n\n  \t\n", TQK_E_TREE_HEADER, 0);
	parse_fails("# only a comment\n\t# and another\n", TQK_E_TREE_HEADER, 0);
	/* Another first line: that line is at fault. */
	static const char *const bad[] = {
		"tqk-tree 1", "tqk-tree 1 ", "tqk-tree 2 titles", "tqk-tree titles",
		"tqk-tree  1 titles", "tqk-tree 1  titles", "tqk-tree\t1 titles", "tqk-tree 1\ttitles",
		"tqk-tree 1 titles extra", "tqk-tree 1 Titles", "tqk-tree 1 职称", "tqk-tree 1 a/b",
		"TQK-TREE 1 titles", "tqk-tree 10 titles", "tqk-calendar 1", "湖南省",
		"\xef\xbb\xbftqk-tree 1 titles",        /* a byte-order mark */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "# x\n\n%s\n湖南省\n", bad[i]);
		parse_fails(text, TQK_E_TREE_HEADER, 3);
	}
	/* The kind: 32 bytes, not 33. */
	char text[128];
	snprintf(text, sizeof text, "tqk-tree 1 %s\n", "abcdefghijklmnopqrstuvwxyz012345");
	tqk_tree *tree = parse_ok(text);
	assert_int_equal(strlen(tqk_tree_kind(tree)), TQK_TREE_MAX_KIND);
	tqk_tree_free(tree);
	snprintf(text, sizeof text, "tqk-tree 1 %s\n", "abcdefghijklmnopqrstuvwxyz0123456");
	parse_fails(text, TQK_E_TREE_HEADER, 1);
	/* Only the first such line is the header; a second one is a node whose
	 * name would hold blanks. */
	parse_fails("tqk-tree 1 titles\ntqk-tree 1 titles\n", TQK_E_TREE_NAME, 2);
}

/* ---- the hierarchy ---- */

static void nodes_form_the_hierarchy(void **state)
{
	(void)state;
	tqk_tree *tree = parse_ok(
		"tqk-tree 1 authorities\n"
		"湖南省\n"
		"\t湖南省教育厅\n"
		"\t长沙市\n"
		"\t\t长沙市教育局\n"
		"\t\t长沙县教育局\n"
		"\t株洲市\n"
		"\t\t株洲市教育局\n"
		"北京市\n"
		"\t北京市教育委员会\n"
		"\t东城区教育委员会\n");
	assert_string_equal(tqk_tree_kind(tree), "authorities");
	assert_int_equal(tqk_tree_size(tree), 10);

	const tqk_tree_node *root = tqk_tree_root(tree);
	assert_int_equal(tqk_tree_depth(root), 0);
	assert_null(tqk_tree_parent(root));
	assert_string_equal(tqk_tree_name(root), "");
	assert_string_equal(tqk_tree_code(root), "");
	assert_int_equal(tqk_tree_index(root), 0);
	assert_int_equal(tqk_tree_child_count(root), 2);

	const tqk_tree_node *hunan = tqk_tree_child(root, 0);
	const tqk_tree_node *beijing = tqk_tree_child(root, 1);
	assert_null(tqk_tree_child(root, 2));
	assert_string_equal(tqk_tree_name(hunan), "湖南省");
	assert_string_equal(tqk_tree_name(beijing), "北京市");
	assert_int_equal(tqk_tree_depth(hunan), 1);
	assert_ptr_equal(tqk_tree_parent(hunan), root);
	assert_int_equal(tqk_tree_index(beijing), 1);
	assert_false(tqk_tree_is_leaf(hunan));

	/* Children in file order. */
	assert_int_equal(tqk_tree_child_count(hunan), 3);
	static const char *const hunan_kids[] = {"湖南省教育厅", "长沙市", "株洲市"};
	for (size_t i = 0; i < 3; i++) {
		const tqk_tree_node *c = tqk_tree_child(hunan, i);
		assert_string_equal(tqk_tree_name(c), hunan_kids[i]);
		assert_ptr_equal(tqk_tree_parent(c), hunan);
		assert_int_equal(tqk_tree_index(c), i);
		assert_int_equal(tqk_tree_depth(c), 2);
	}
	assert_true(tqk_tree_is_leaf(tqk_tree_child(hunan, 0)));

	const tqk_tree_node *changsha = tqk_tree_child(hunan, 1);
	assert_false(tqk_tree_is_leaf(changsha));
	assert_int_equal(tqk_tree_child_count(changsha), 2);
	const tqk_tree_node *county = tqk_tree_child(changsha, 1);
	assert_string_equal(tqk_tree_name(county), "长沙县教育局");
	assert_int_equal(tqk_tree_depth(county), 3);
	assert_true(tqk_tree_is_leaf(county));
	assert_int_equal(tqk_tree_child_count(county), 0);
	assert_null(tqk_tree_child(county, 0));
	assert_ptr_equal(tqk_tree_parent(tqk_tree_parent(county)), hunan);
	expect_path(county, "湖南省/长沙市/长沙县教育局");

	/* Back up two levels, then down again: 北京市's bureaus are its children. */
	assert_int_equal(tqk_tree_child_count(beijing), 2);
	assert_true(tqk_tree_is_leaf(tqk_tree_child(beijing, 1)));
	expect_path(tqk_tree_child(beijing, 1), "北京市/东城区教育委员会");
	tqk_tree_free(tree);
}

static void comments_blank_lines_and_crlf_are_allowed(void **state)
{
	(void)state;
	const char *text =
		"# heading comment\r\n"
		"tqk-tree 1 titles\r\n"
		"\r\n"
		"中小学教师   # trailing comment\r\n"
		"\t# an indented comment, deeper than any node\r\n"
		"\t\t\t\t\t# even deeper\r\n"
		"  # a comment indented with spaces\r\n"
		"\t正高级教师#no blank before the comment\r\n"
		"\r\n"
		"\t \r\n"
		"\t一级教师\t\r\n"
		"未评";
	tqk_tree *tree = parse_ok(text);
	assert_int_equal(tqk_tree_size(tree), 4);
	const tqk_tree_node *series = must_find(tree, "中小学教师");
	assert_int_equal(tqk_tree_child_count(series), 2);
	/* Names lose the comment, trailing blanks and the CR. */
	assert_string_equal(tqk_tree_name(tqk_tree_child(series, 0)), "正高级教师");
	assert_string_equal(tqk_tree_name(tqk_tree_child(series, 1)), "一级教师");
	assert_true(tqk_tree_is_leaf(must_find(tree, "未评")));
	tqk_tree_free(tree);

	/* Line numbers count blank, comment and CRLF lines alike. */
	parse_fails("tqk-tree 1 t\r\n\r\n# x\r\na\r\n\t\t\tb\r\n", TQK_E_TREE_INDENT, 5);
}

/* ---- indentation and depth ---- */

static void indentation_is_tabs_one_level_at_a_time(void **state)
{
	(void)state;
	/* The first node is at the top level. */
	parse_fails("tqk-tree 1 t\n\ta\n", TQK_E_TREE_INDENT, 2);
	parse_fails("tqk-tree 1 t\n# x\n\t\t\ta\n", TQK_E_TREE_INDENT, 3);
	/* A jump of two levels, after any depth. */
	parse_fails("tqk-tree 1 t\na\n\t\tb\n", TQK_E_TREE_INDENT, 3);
	parse_fails("tqk-tree 1 t\na\n\tb\n\t\tc\n\t\t\t\td\n", TQK_E_TREE_INDENT, 5);
	parse_fails("tqk-tree 1 t\na\n\tb\nc\n\t\td\n", TQK_E_TREE_INDENT, 5);
	/* Spaces (or U+3000) in the indentation, alone or after tabs. */
	parse_fails("tqk-tree 1 t\n a\n", TQK_E_TREE_INDENT, 2);
	parse_fails("tqk-tree 1 t\na\n    b\n", TQK_E_TREE_INDENT, 3);
	parse_fails("tqk-tree 1 t\na\n\t b\n", TQK_E_TREE_INDENT, 3);
	parse_fails("tqk-tree 1 t\na\n\t\xe3\x80\x80" "b\n", TQK_E_TREE_INDENT, 3);
	parse_fails("tqk-tree 1 t\n\xe3\x80\x80" "a\n", TQK_E_TREE_INDENT, 2);

	/* Up by any number of levels is fine. */
	tqk_tree *tree = parse_ok("tqk-tree 1 t\na\n\tb\n\t\tc\n\t\t\td\ne\n\tf\n");
	assert_int_equal(tqk_tree_size(tree), 6);
	assert_int_equal(tqk_tree_child_count(tqk_tree_root(tree)), 2);
	assert_int_equal(tqk_tree_depth(must_find(tree, "a/b/c/d")), 4);
	assert_int_equal(tqk_tree_depth(must_find(tree, "e/f")), 2);
	tqk_tree_free(tree);
}

static void depth_is_at_most_max_depth(void **state)
{
	(void)state;
	tqk_tree *tree = parse_ok("tqk-tree 1 t\na\n\tb\n\t\tc\n\t\t\td\n\t\t\te\n");
	const tqk_tree_node *d = must_find(tree, "a/b/c/d");
	assert_int_equal(tqk_tree_depth(d), TQK_TREE_MAX_DEPTH);
	assert_true(tqk_tree_is_leaf(d));
	tqk_tree_free(tree);
	parse_fails("tqk-tree 1 t\na\n\tb\n\t\tc\n\t\t\td\n\n\t\t\t\te\n", TQK_E_TREE_DEPTH, 7);
}

/* ---- codes ---- */

static void codes_are_optional_digits_unique_in_the_tree(void **state)
{
	(void)state;
	tqk_tree *tree = parse_ok(
		"tqk-tree 1 authorities\n"
		"430000 湖南省\n"
		"\t湖南省教育厅\n"
		"\t430100\t长沙市\n"
		"\t\t430121    长沙县教育局   # blanks of any kind between\n"
		"0 零\n"
		"123456789012 十二位\n"
		"3D打印\n");
	const tqk_tree_node *hunan = must_find(tree, "湖南省");
	assert_string_equal(tqk_tree_code(hunan), "430000");
	assert_string_equal(tqk_tree_name(hunan), "湖南省");
	assert_string_equal(tqk_tree_code(must_find(tree, "湖南省/湖南省教育厅")), "");
	assert_string_equal(tqk_tree_code(must_find(tree, "湖南省/长沙市")), "430100");
	assert_string_equal(tqk_tree_name(must_find(tree, "湖南省/长沙市/长沙县教育局")), "长沙县教育局");
	/* A first word that is not all digits belongs to the name. */
	assert_string_equal(tqk_tree_code(must_find(tree, "3D打印")), "");

	assert_ptr_equal(tqk_tree_find_code(tree, "430000"), hunan);
	assert_ptr_equal(tqk_tree_find_code(tree, "430121"), must_find(tree, "湖南省/长沙市/长沙县教育局"));
	assert_ptr_equal(tqk_tree_find_code(tree, "0"), must_find(tree, "零"));
	assert_ptr_equal(tqk_tree_find_code(tree, "123456789012"), must_find(tree, "十二位"));
	assert_null(tqk_tree_find_code(tree, "43"));
	assert_null(tqk_tree_find_code(tree, "4300000"));
	assert_null(tqk_tree_find_code(tree, ""));
	assert_null(tqk_tree_find_code(tree, NULL));
	assert_null(tqk_tree_find_code(tree, "1234567890123"));
	tqk_tree_free(tree);

	/* 13 digits. */
	parse_fails("tqk-tree 1 t\n1234567890123 x\n", TQK_E_TREE_CODE, 2);
	/* A code twice, anywhere in the tree: the later line. */
	parse_fails("tqk-tree 1 t\n01 a\n\t02 b\n\n\t01 c\n", TQK_E_TREE_CODE, 5);
	parse_fails("tqk-tree 1 t\n01 a\n\t02 b\n03 c\n\t02 d\n", TQK_E_TREE_CODE, 5);
	/* "01" and "1" are different codes. */
	tree = parse_ok("tqk-tree 1 t\n01 a\n1 b\n");
	assert_ptr_equal(tqk_tree_find_code(tree, "1"), must_find(tree, "b"));
	tqk_tree_free(tree);
	/* A code without a name is an empty name. */
	parse_fails("tqk-tree 1 t\na\n\t430100\n", TQK_E_TREE_NAME, 3);
	parse_fails("tqk-tree 1 t\n01   # the name is missing\n", TQK_E_TREE_NAME, 2);
}

/* ---- names ---- */

static void names_must_not_be_empty_or_hold_blanks_controls_or_slashes(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"湖南 省",               /* a blank inside */
		"湖南\t省",
		"430000 湖南 省",        /* a blank inside, after a code */
		"A1 湖南省",             /* no code: the whole text is the name */
		"湖南\xe3\x80\x80省",    /* U+3000 */
		"湖南\xc2\xa0省",        /* U+00A0 */
		"湖南/长沙",             /* the path separator */
		"/",
		"430000 /",
		"a\x01" "b",             /* control characters */
		"a\x7f",
		"a\xc2\x85",             /* U+0085, a C1 control */
		"a\rb",                  /* a CR that is not part of the line end */
		"12",                    /* a code alone */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "tqk-tree 1 t\n# names\nok\n\t%s\nmore\n", bad[i]);
		parse_fails(text, TQK_E_TREE_NAME, 4);
	}
	/* What names may hold: any other printable text. */
	tqk_tree *tree = parse_ok("tqk-tree 1 t\n体育与健康\nC++\nA·B\n\xf0\x9f\x8e\x93\n12a\n");
	assert_int_equal(tqk_tree_size(tree), 5);
	must_find(tree, "A·B");
	must_find(tree, "12a");
	tqk_tree_free(tree);
}

static void name_is_at_most_max_name_bytes(void **state)
{
	(void)state;
	char name[TQK_TREE_MAX_NAME + 8], text[512];

	/* 96 bytes of ASCII, with and without a code. */
	memset(name, 'n', TQK_TREE_MAX_NAME);
	name[TQK_TREE_MAX_NAME] = '\0';
	snprintf(text, sizeof text, "tqk-tree 1 t\n%s\n7 %s\n\t%s\n", name, name, name);
	/* (the same name twice at the top level is a duplicate; make it differ) */
	text[strlen("tqk-tree 1 t\n")] = 'm';
	tqk_tree *tree = parse_ok(text);
	const tqk_tree_node *n = tqk_tree_find_code(tree, "7");
	assert_non_null(n);
	assert_string_equal(tqk_tree_name(n), name);
	assert_int_equal(tqk_tree_child_count(n), 1);
	tqk_tree_free(tree);
	/* 97 bytes. */
	memset(name, 'n', TQK_TREE_MAX_NAME + 1);
	name[TQK_TREE_MAX_NAME + 1] = '\0';
	snprintf(text, sizeof text, "tqk-tree 1 t\na\n\t%s\n", name);
	parse_fails(text, TQK_E_TOO_LONG, 3);
	snprintf(text, sizeof text, "tqk-tree 1 t\n\n99 %s\n", name);
	parse_fails(text, TQK_E_TOO_LONG, 3);

	/* Bytes, not characters: 32 Chinese characters are 96 bytes; 31 and two
	 * bytes more are 95; 32 and one more byte are 97. */
	name[0] = '\0';
	for (int i = 0; i < 32; i++)
		strcat(name, "教");
	assert_int_equal(strlen(name), TQK_TREE_MAX_NAME);
	snprintf(text, sizeof text, "tqk-tree 1 t\n%s\n", name);
	tree = parse_ok(text);
	must_find(tree, name);
	tqk_tree_free(tree);
	strcat(name, "x");
	snprintf(text, sizeof text, "tqk-tree 1 t\n%s\n", name);
	parse_fails(text, TQK_E_TOO_LONG, 2);
}

static void sibling_names_are_unique(void **state)
{
	(void)state;
	/* Twice at the top level, twice under one parent: the later line. */
	parse_fails("tqk-tree 1 t\na\nb\n# x\na\n", TQK_E_TREE_DUPLICATE, 5);
	parse_fails("tqk-tree 1 t\na\n\tx\n\ty\n\tx\n", TQK_E_TREE_DUPLICATE, 5);
	/* With different codes: still the same name. */
	parse_fails("tqk-tree 1 t\n01 a\n02 a\n", TQK_E_TREE_DUPLICATE, 3);
	/* A name left behind still counts: "a" again after its children and
	 * another sibling is a duplicate, whatever children it would have. */
	parse_fails("tqk-tree 1 t\na\n\tx\nb\na\n\ty\n", TQK_E_TREE_DUPLICATE, 5);

	/* The same name under different parents, or as a child of itself. */
	tqk_tree *tree = parse_ok("tqk-tree 1 t\na\n\tx\n\t\tx\nb\n\tx\n\ta\n");
	assert_int_equal(tqk_tree_size(tree), 6);
	assert_ptr_not_equal(must_find(tree, "a/x"), must_find(tree, "b/x"));
	assert_true(tqk_tree_is_leaf(must_find(tree, "a/x/x")));
	assert_true(tqk_tree_is_leaf(must_find(tree, "b/a")));
	tqk_tree_free(tree);
	/* Names differ by their bytes: no case or width folding. */
	tree = parse_ok("tqk-tree 1 t\nA\na\nＡ\n");
	assert_int_equal(tqk_tree_size(tree), 3);
	tqk_tree_free(tree);
}

static void invalid_utf8_is_rejected(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"\xff", "国\xe5\xba", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "tqk-tree 1 t\na\n\t%s\n", bad[i]);
		parse_fails(text, TQK_E_UTF8, 3);
	}
	/* The whole file is UTF-8, comments included. */
	parse_fails("tqk-tree 1 t\na # caf\xe9\n", TQK_E_UTF8, 2);
	parse_fails("# \xba\xfe\xc4\xcf (GBK)\ntqk-tree 1 t\n", TQK_E_UTF8, 1);
}

/* ---- caps ---- */

static void line_is_at_most_max_line_bytes(void **state)
{
	(void)state;
	char text[1024];
	const char *head = "tqk-tree 1 t\na\n";
	size_t h = strlen(head);

	/* A comment line of exactly 256 bytes, LF and CRLF, and as the last line. */
	memcpy(text, head, h);
	text[h] = '#';
	memset(text + h + 1, 'c', TQK_TREE_MAX_LINE - 1);
	strcpy(text + h + TQK_TREE_MAX_LINE, "\nb\n");
	tqk_tree *tree = parse_ok(text);
	assert_int_equal(tqk_tree_size(tree), 2);
	tqk_tree_free(tree);
	strcpy(text + h + TQK_TREE_MAX_LINE, "\r\nb\r\n");
	tqk_tree_free(parse_ok(text));
	text[h + TQK_TREE_MAX_LINE] = '\0';
	tqk_tree_free(parse_ok(text));

	/* A node line of 256 bytes: three tabs, a 12-digit code, a blank and a
	 * name of 96 bytes, then blanks and a comment. */
	int n = snprintf(text, sizeof text, "tqk-tree 1 t\na\n\tb\n\t\tc\n\t\t\t123456789012 ");
	memset(text + n, 'n', TQK_TREE_MAX_NAME);
	n += TQK_TREE_MAX_NAME;
	int line_start = (int)strlen("tqk-tree 1 t\na\n\tb\n\t\tc\n");
	int pad = TQK_TREE_MAX_LINE - (n - line_start) - 1;
	memset(text + n, ' ', (size_t)pad);
	n += pad;
	strcpy(text + n, "#\n");
	assert_int_equal(strlen(text + line_start), TQK_TREE_MAX_LINE + 1);
	tree = parse_ok(text);
	assert_non_null(tqk_tree_find_code(tree, "123456789012"));
	tqk_tree_free(tree);
	/* One byte more. */
	strcpy(text + n, " #\n");
	parse_fails(text, TQK_E_TOO_LONG, 5);

	/* 257 bytes of comment or blanks. */
	memcpy(text, head, h);
	memset(text + h, ' ', TQK_TREE_MAX_LINE + 1);
	strcpy(text + h + TQK_TREE_MAX_LINE + 1, "\nb\n");
	parse_fails(text, TQK_E_TOO_LONG, 3);
	/* A header line over the cap. */
	memset(text, ' ', 300);
	strcpy(text + 300, "tqk-tree 1 t\n");
	parse_fails(text, TQK_E_TOO_LONG, 1);
}

static void text_is_at_most_max_bytes(void **state)
{
	(void)state;
	char *text = malloc(TQK_TREE_MAX_BYTES + 2);
	assert_non_null(text);
	const char *head = "tqk-tree 1 t\na\n";
	size_t h = strlen(head);
	memcpy(text, head, h);
	memset(text + h, '\n', TQK_TREE_MAX_BYTES + 2 - h);

	/* Exactly the cap. */
	tqk_tree *tree = parse_ok_n(text, TQK_TREE_MAX_BYTES);
	assert_int_equal(tqk_tree_size(tree), 1);
	tqk_tree_free(tree);
	/* One byte more: the whole text is at fault. */
	parse_fails_n(text, TQK_TREE_MAX_BYTES + 1, TQK_E_TOO_LONG, 0);
	free(text);
}

/* A flat tree of count nodes named n0, n1, ...; returns its length. */
static size_t build_flat(char *text, size_t cap, int count)
{
	size_t len = (size_t)snprintf(text, cap, "tqk-tree 1 flat\n");
	for (int i = 0; i < count; i++) {
		len += (size_t)snprintf(text + len, cap - len, "n%d\n", i);
		assert_true(len < cap);
	}
	return len;
}

static void nodes_are_at_most_max_nodes(void **state)
{
	(void)state;
	size_t cap = 128 * 1024;
	char *text = malloc(cap);
	assert_non_null(text);

	size_t len = build_flat(text, cap, TQK_TREE_MAX_NODES);
	tqk_tree *tree = parse_ok_n(text, len);
	assert_int_equal(tqk_tree_size(tree), TQK_TREE_MAX_NODES);
	const tqk_tree_node *root = tqk_tree_root(tree);
	assert_int_equal(tqk_tree_child_count(root), TQK_TREE_MAX_NODES);
	const tqk_tree_node *last = tqk_tree_child(root, TQK_TREE_MAX_NODES - 1);
	assert_string_equal(tqk_tree_name(last), "n8191");
	assert_ptr_equal(must_find(tree, "n8191"), last);
	assert_ptr_equal(must_find(tree, "n0"), tqk_tree_child(root, 0));
	tqk_tree_free(tree);

	/* One node more: its line is full. */
	len = build_flat(text, cap, TQK_TREE_MAX_NODES + 1);
	parse_fails_n(text, len, TQK_E_TREE_FULL, TQK_TREE_MAX_NODES + 2);
	/* The cap counts nodes, not lines: comments and blank lines are free. */
	len = build_flat(text, cap, TQK_TREE_MAX_NODES);
	len += (size_t)snprintf(text + len, cap - len, "\n# the end\n\n");
	tqk_tree_free(parse_ok_n(text, len));
	free(text);
}

static void first_error_in_file_order_is_reported(void **state)
{
	(void)state;
	/* A duplicate before a bad line, and a bad line before a duplicate. */
	parse_fails("tqk-tree 1 t\na\na\n\t\t\tb\n", TQK_E_TREE_DUPLICATE, 3);
	parse_fails("tqk-tree 1 t\na\n\t\tb\na\n", TQK_E_TREE_INDENT, 3);
	/* A bad character before an over-long line. */
	char text[512];
	int n = snprintf(text, sizeof text, "tqk-tree 1 t\na b\n#");
	memset(text + n, 'c', 300);
	strcpy(text + n + 300, "\n");
	parse_fails(text, TQK_E_TREE_NAME, 2);
	/* Without a line pointer the result is the same. */
	tqk_tree *tree = (tqk_tree *)(void *)&not_a_tree;
	const char *bad = "tqk-tree 1 t\n\ta\n";
	assert_int_equal(tqk_tree_parse(bad, strlen(bad), &tree, NULL), TQK_E_TREE_INDENT);
	assert_null(tree);
}

/* ---- lookups ---- */

static const char lookup_text[] =
	"tqk-tree 1 qualifications\n"
	"高级中学教师资格\n"
	"\t语文\n"
	"\t数学\n"
	"初级中学教师资格\n"
	"\t语文\n"
	"\t科学\n"
	"幼儿园教师资格\n";

static void find_follows_a_path_of_names(void **state)
{
	(void)state;
	tqk_tree *tree = parse_ok(lookup_text);
	const tqk_tree_node *root = tqk_tree_root(tree);
	const tqk_tree_node *senior = tqk_tree_child(root, 0);
	const tqk_tree_node *junior = tqk_tree_child(root, 1);

	assert_ptr_equal(must_find(tree, "高级中学教师资格"), senior);
	assert_ptr_equal(must_find(tree, "初级中学教师资格/语文"), tqk_tree_child(junior, 0));
	assert_ptr_not_equal(must_find(tree, "初级中学教师资格/语文"), must_find(tree, "高级中学教师资格/语文"));
	/* The empty path is the root. */
	assert_ptr_equal(tqk_tree_find(tree, "", 0), root);
	assert_ptr_equal(tqk_tree_find(tree, NULL, 0), root);
	/* Only len bytes count. */
	const char *p = "高级中学教师资格/数学/more";
	assert_ptr_equal(tqk_tree_find(tree, p, strlen("高级中学教师资格/数学")), tqk_tree_child(senior, 1));

	static const char *const missing[] = {
		"小学教师资格", "高级中学教师资格/科学", "高级中学教师资格/语文/x", "语文",
		"/高级中学教师资格", "高级中学教师资格/", "高级中学教师资格//语文", "/", "//",
		"高级中学教师资格 /语文", " 高级中学教师资格", "高级中学", "幼儿园教师资格/幼儿园",
	};
	for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
		if (tqk_tree_find(tree, missing[i], strlen(missing[i])) != NULL)
			fail_msg("\"%s\" found", missing[i]);
	tqk_tree_free(tree);
}

static void find_names_and_child_named(void **state)
{
	(void)state;
	tqk_tree *tree = parse_ok(lookup_text);
	const tqk_tree_node *root = tqk_tree_root(tree);
	const tqk_tree_node *junior = tqk_tree_child(root, 1);

	const char *const path[] = {"初级中学教师资格", "科学"};
	assert_ptr_equal(tqk_tree_find_names(tree, path, 2), tqk_tree_child(junior, 1));
	assert_ptr_equal(tqk_tree_find_names(tree, path, 1), junior);
	assert_ptr_equal(tqk_tree_find_names(tree, path, 0), root);
	assert_ptr_equal(tqk_tree_find_names(tree, NULL, 0), root);
	const char *const wrong[] = {"初级中学教师资格", "数学"};
	assert_null(tqk_tree_find_names(tree, wrong, 2));
	const char *const with_null[] = {"初级中学教师资格", NULL};
	assert_null(tqk_tree_find_names(tree, with_null, 2));
	const char *const with_slash[] = {"初级中学教师资格/科学"};
	assert_null(tqk_tree_find_names(tree, with_slash, 1));

	assert_ptr_equal(tqk_tree_child_named(tree, root, "幼儿园教师资格", strlen("幼儿园教师资格")),
	                 tqk_tree_child(root, 2));
	assert_ptr_equal(tqk_tree_child_named(tree, junior, "科学xyz", strlen("科学")),
	                 tqk_tree_child(junior, 1));
	assert_null(tqk_tree_child_named(tree, junior, "科", strlen("科")));
	assert_null(tqk_tree_child_named(tree, junior, "", 0));
	assert_null(tqk_tree_child_named(tree, junior, NULL, 0));
	assert_null(tqk_tree_child_named(tree, tqk_tree_child(junior, 0), "语文", strlen("语文")));
	tqk_tree_free(tree);
}

static void path_text_joins_names_with_slashes(void **state)
{
	(void)state;
	tqk_tree *tree = parse_ok(lookup_text);
	expect_path(tqk_tree_root(tree), "");
	expect_path(must_find(tree, "幼儿园教师资格"), "幼儿园教师资格");
	const tqk_tree_node *n = must_find(tree, "初级中学教师资格/科学");
	expect_path(n, "初级中学教师资格/科学");

	/* The buffer: exactly the length and its NUL, or one byte short. */
	size_t want = strlen("初级中学教师资格/科学");
	char buf[64];
	size_t len = 0;
	assert_int_equal(tqk_tree_path(n, buf, want + 1, &len), TQK_OK);
	assert_int_equal(len, want);
	assert_int_equal(tqk_tree_path(n, buf, want + 1, NULL), TQK_OK);
	memset(buf, 'x', sizeof buf);
	assert_int_equal(tqk_tree_path(n, buf, want, &len), TQK_E_TOO_LONG);
	assert_string_equal(buf, "");
	assert_int_equal(tqk_tree_path(n, NULL, 0, NULL), TQK_E_TOO_LONG);
	assert_int_equal(tqk_tree_path(tqk_tree_root(tree), buf, 1, &len), TQK_OK);
	assert_int_equal(len, 0);
	/* Every node's path text finds it again. */
	for (size_t i = 0; i < tqk_tree_child_count(tqk_tree_root(tree)); i++) {
		const tqk_tree_node *c = tqk_tree_child(tqk_tree_root(tree), i);
		char p[TQK_TREE_PATH_BUFLEN];
		assert_int_equal(tqk_tree_path(c, p, sizeof p, NULL), TQK_OK);
		assert_ptr_equal(must_find(tree, p), c);
	}
	tqk_tree_free(tree);
}

/* The longest path there can be fits TQK_TREE_PATH_BUFLEN exactly. */
static void longest_path_fits_the_buffer(void **state)
{
	(void)state;
	char name[TQK_TREE_MAX_NAME + 1];
	memset(name, 'n', TQK_TREE_MAX_NAME);
	name[TQK_TREE_MAX_NAME] = '\0';
	char text[1024];
	snprintf(text, sizeof text, "tqk-tree 1 t\n%s\n\t%s\n\t\t%s\n\t\t\t%s\n", name, name, name, name);
	tqk_tree *tree = parse_ok(text);
	const tqk_tree_node *n = tqk_tree_root(tree);
	while (tqk_tree_child_count(n) > 0)
		n = tqk_tree_child(n, 0);
	assert_int_equal(tqk_tree_depth(n), TQK_TREE_MAX_DEPTH);
	char buf[TQK_TREE_PATH_BUFLEN];
	size_t len = 0;
	assert_int_equal(tqk_tree_path(n, buf, sizeof buf, &len), TQK_OK);
	assert_int_equal(len + 1, TQK_TREE_PATH_BUFLEN);
	assert_ptr_equal(must_find(tree, buf), n);
	tqk_tree_free(tree);
}

static void free_null_is_a_no_op(void **state)
{
	(void)state;
	tqk_tree_free(NULL);
	tqk_tree *tree = parse_ok("tqk-tree 1 t\na\n");
	tqk_tree_free(tree);
}

/* ---- the shipped files ---- */

static const char *const shipped[] = {"authorities", "titles", "qualifications", "nations"};

/* Walks the subtree below n: every node's path text finds it again, codes
 * find their nodes; returns the number of leaves. */
static size_t check_subtree(const tqk_tree *tree, const tqk_tree_node *n)
{
	size_t leaves = tqk_tree_is_leaf(n);
	char path[TQK_TREE_PATH_BUFLEN];
	assert_int_equal(tqk_tree_path(n, path, sizeof path, NULL), TQK_OK);
	if (tqk_tree_find(tree, path, strlen(path)) != n)
		fail_msg("%s: \"%s\" does not find its node", tqk_tree_kind(tree), path);
	if (tqk_tree_code(n)[0] != '\0' && tqk_tree_find_code(tree, tqk_tree_code(n)) != n)
		fail_msg("%s: code %s does not find %s", tqk_tree_kind(tree), tqk_tree_code(n), path);
	for (size_t i = 0; i < tqk_tree_child_count(n); i++) {
		const tqk_tree_node *c = tqk_tree_child(n, i);
		assert_ptr_equal(tqk_tree_parent(c), n);
		assert_int_equal(tqk_tree_depth(c), tqk_tree_depth(n) + 1);
		leaves += check_subtree(tree, c);
	}
	return leaves;
}

static void shipped_trees_parse_with_their_kind(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "walkin/%s.tree", shipped[i]);
		tqk_tree *tree = test_load_shipped_tree(rel);
		assert_string_equal(tqk_tree_kind(tree), shipped[i]);
		assert_true(tqk_tree_size(tree) > 0);
		assert_true(check_subtree(tree, tqk_tree_root(tree)) > 0);
		tqk_tree_free(tree);
	}
}

static void shipped_authorities_have_the_31_provinces(void **state)
{
	(void)state;
	tqk_tree *tree = test_load_shipped_tree("walkin/authorities.tree");
	const tqk_tree_node *root = tqk_tree_root(tree);
	assert_int_equal(tqk_tree_child_count(root), 31);

	size_t divisions = 0;
	for (size_t i = 0; i < 31; i++) {
		const tqk_tree_node *p = tqk_tree_child(root, i);
		const char *name = tqk_tree_name(p);
		/* Its GB/T 2260 code, of a division region.c knows by that name. */
		const char *code = tqk_tree_code(p);
		assert_int_equal(strlen(code), 6);
		assert_string_equal(code + 2, "0000");
		int prov = (code[0] - '0') * 10 + (code[1] - '0');
		const char *known = tqk_province_name(prov, TQK_LANG_ZH);
		if (known == NULL || strcmp(known, name) != 0)
			fail_msg("%s %s: region.c names code %d %s", code, name, prov,
			         known != NULL ? known : "(nothing)");
		/* Its own department first, a leaf: 教育厅, or a municipality's
		 * 教育委员会; and some leaf below it at all. */
		char own[128];
		bool muni = prov == 11 || prov == 12 || prov == 31 || prov == 50;
		snprintf(own, sizeof own, "%s%s", name, muni ? "教育委员会" : "教育厅");
		const tqk_tree_node *first = tqk_tree_child(p, 0);
		assert_non_null(first);
		assert_string_equal(tqk_tree_name(first), own);
		assert_true(tqk_tree_is_leaf(first));
		assert_false(tqk_tree_is_leaf(p));
		assert_true(check_subtree(tree, p) > 0);
		/* A municipality's children are bureaus; a province's other
		 * children are divisions, each with its own bureau first. */
		for (size_t j = 1; j < tqk_tree_child_count(p); j++) {
			const tqk_tree_node *c = tqk_tree_child(p, j);
			if (muni || tqk_tree_is_leaf(c)) {
				assert_true(tqk_tree_is_leaf(c));
				continue;
			}
			divisions++;
			snprintf(own, sizeof own, "%s教育局", tqk_tree_name(c));
			assert_string_equal(tqk_tree_name(tqk_tree_child(c, 0)), own);
			for (size_t k = 0; k < tqk_tree_child_count(c); k++)
				assert_true(tqk_tree_is_leaf(tqk_tree_child(c, k)));
		}
	}
	/* The 333 prefecture-level divisions, and the 20 county-level ones that
	 * 河南 (1), 湖北 (4) and 海南 (15) administer directly. */
	assert_int_equal(divisions, 333 + 20);

	/* The demo site's county and the rest of 长沙市. */
	const tqk_tree_node *site = must_find(tree, "湖南省/长沙市/长沙县教育局");
	assert_true(tqk_tree_is_leaf(site));
	assert_int_equal(tqk_tree_depth(site), 3);
	static const char *const changsha[] = {
		"长沙市教育局", "长沙县教育局", "浏阳市教育局", "宁乡市教育局", "望城区教育局",
		"芙蓉区教育局", "天心区教育局", "岳麓区教育局", "开福区教育局", "雨花区教育局",
	};
	const tqk_tree_node *city = must_find(tree, "湖南省/长沙市");
	assert_int_equal(tqk_tree_child_count(city), 10);
	for (size_t i = 0; i < sizeof changsha / sizeof changsha[0]; i++) {
		const tqk_tree_node *b = tqk_tree_child_named(tree, city, changsha[i], strlen(changsha[i]));
		if (b == NULL || !tqk_tree_is_leaf(b))
			fail_msg("湖南省/长沙市/%s is missing or not a leaf", changsha[i]);
	}
	assert_true(tqk_tree_is_leaf(must_find(tree, "湖南省/湖南省教育厅")));
	assert_true(tqk_tree_is_leaf(must_find(tree, "北京市/东城区教育委员会")));
	assert_ptr_equal(tqk_tree_find_code(tree, "430000"), must_find(tree, "湖南省"));
	tqk_tree_free(tree);
}

static void shipped_titles_have_the_series_and_grades(void **state)
{
	(void)state;
	tqk_tree *tree = test_load_shipped_tree("walkin/titles.tree");
	const tqk_tree_node *first = must_find(tree, "中小学教师/一级教师");
	assert_true(tqk_tree_is_leaf(first));
	static const char *const grades[] = {"正高级教师", "高级教师", "一级教师", "二级教师", "三级教师"};
	const tqk_tree_node *series = must_find(tree, "中小学教师");
	assert_int_equal(tqk_tree_child_count(series), 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(tqk_tree_name(tqk_tree_child(series, i)), grades[i]);
	assert_true(tqk_tree_child_count(must_find(tree, "中等职业学校教师")) > 0);
	assert_true(tqk_tree_child_count(must_find(tree, "中等职业学校实习指导教师")) > 0);
	/* No title: a choice of its own. */
	const tqk_tree_node *none = must_find(tree, "未评");
	assert_true(tqk_tree_is_leaf(none));
	assert_int_equal(tqk_tree_depth(none), 1);
	/* Every grade is a leaf directly below its series. */
	const tqk_tree_node *root = tqk_tree_root(tree);
	for (size_t i = 0; i < tqk_tree_child_count(root); i++) {
		const tqk_tree_node *s = tqk_tree_child(root, i);
		for (size_t j = 0; j < tqk_tree_child_count(s); j++)
			assert_true(tqk_tree_is_leaf(tqk_tree_child(s, j)));
	}
	tqk_tree_free(tree);
}

static void shipped_nations_are_those_of_nation_c(void **state)
{
	(void)state;
	tqk_tree *tree = test_load_shipped_tree("walkin/nations.tree");
	const tqk_tree_node *root = tqk_tree_root(tree);
	/* Same count: the 56 groups, flat. */
	assert_int_equal(tqk_tree_size(tree), 56);
	assert_int_equal(tqk_tree_child_count(root), 56);
	/* Every node is a group of nation.c: its code, its full name. */
	for (size_t i = 0; i < 56; i++) {
		const tqk_tree_node *n = tqk_tree_child(root, i);
		assert_true(tqk_tree_is_leaf(n));
		const char *code = tqk_tree_code(n);
		const tqk_nation *nat = tqk_nation_by_digits(code, strlen(code));
		if (nat == NULL || nat->code > 56 || strcmp(nat->zh_full, tqk_tree_name(n)) != 0)
			fail_msg("nations.tree: %s %s is not a group of nation.c", code, tqk_tree_name(n));
	}
	/* Every group of nation.c is in the file: the same set. */
	for (int c = 1; c <= 56; c++) {
		const tqk_nation *nat = tqk_nation_by_code(c);
		assert_non_null(nat);
		const tqk_tree_node *n = tqk_tree_find(tree, nat->zh_full, strlen(nat->zh_full));
		if (n == NULL)
			fail_msg("nations.tree lacks %s", nat->zh_full);
		assert_string_equal(tqk_tree_code(n), nat->digits);
	}
	/* 97 and 98 are not ethnic groups. */
	assert_null(tqk_tree_find_code(tree, "97"));
	assert_null(tqk_tree_find_code(tree, "98"));
	tqk_tree_free(tree);
}

static void shipped_qualifications_are_the_stages(void **state)
{
	(void)state;
	tqk_tree *tree = test_load_shipped_tree("walkin/qualifications.tree");
	const tqk_tree_node *root = tqk_tree_root(tree);
	/* One type per stage of stage.h, TQK_STAGE_NONE aside... */
	assert_int_equal(tqk_tree_child_count(root), TQK_STAGE_COUNT - 1);
	bool seen[TQK_STAGE_COUNT] = {false};
	for (size_t i = 0; i < tqk_tree_child_count(root); i++) {
		const tqk_tree_node *q = tqk_tree_child(root, i);
		tqk_stage s = TQK_STAGE_NONE;
		if (tqk_stage_parse(tqk_tree_name(q), &s) != TQK_OK || s == TQK_STAGE_NONE)
			fail_msg("qualifications.tree: %s is no stage of stage.h", tqk_tree_name(q));
		/* ...named exactly as stage.c names the qualification type. */
		assert_string_equal(tqk_tree_name(q), tqk_stage_qual_name(s, TQK_LANG_ZH));
		assert_false(seen[s]);
		seen[s] = true;
		/* Subjects are leaves below their type; only 幼儿园 has none. */
		if (s == TQK_STAGE_KINDERGARTEN) {
			assert_true(tqk_tree_is_leaf(q));
			continue;
		}
		assert_true(tqk_tree_child_count(q) > 0);
		for (size_t j = 0; j < tqk_tree_child_count(q); j++)
			assert_true(tqk_tree_is_leaf(tqk_tree_child(q, j)));
	}
	for (int s = TQK_STAGE_NONE + 1; s < TQK_STAGE_COUNT; s++)
		assert_true(seen[s]);
	assert_true(tqk_tree_is_leaf(must_find(tree, "高级中学教师资格/数学")));
	assert_true(tqk_tree_is_leaf(must_find(tree, "初级中学教师资格/语文")));
	assert_true(tqk_tree_is_leaf(must_find(tree, "小学教师资格/语文")));
	assert_true(tqk_tree_is_leaf(must_find(tree, "中等职业学校教师资格/语文")));
	tqk_tree_free(tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_is_the_first_meaningful_line),
		cmocka_unit_test(header_is_required),
		cmocka_unit_test(nodes_form_the_hierarchy),
		cmocka_unit_test(comments_blank_lines_and_crlf_are_allowed),
		cmocka_unit_test(indentation_is_tabs_one_level_at_a_time),
		cmocka_unit_test(depth_is_at_most_max_depth),
		cmocka_unit_test(codes_are_optional_digits_unique_in_the_tree),
		cmocka_unit_test(names_must_not_be_empty_or_hold_blanks_controls_or_slashes),
		cmocka_unit_test(name_is_at_most_max_name_bytes),
		cmocka_unit_test(sibling_names_are_unique),
		cmocka_unit_test(invalid_utf8_is_rejected),
		cmocka_unit_test(line_is_at_most_max_line_bytes),
		cmocka_unit_test(text_is_at_most_max_bytes),
		cmocka_unit_test(nodes_are_at_most_max_nodes),
		cmocka_unit_test(first_error_in_file_order_is_reported),
		cmocka_unit_test(find_follows_a_path_of_names),
		cmocka_unit_test(find_names_and_child_named),
		cmocka_unit_test(path_text_joins_names_with_slashes),
		cmocka_unit_test(longest_path_fits_the_buffer),
		cmocka_unit_test(free_null_is_a_no_op),
		cmocka_unit_test(shipped_trees_parse_with_their_kind),
		cmocka_unit_test(shipped_authorities_have_the_31_provinces),
		cmocka_unit_test(shipped_titles_have_the_series_and_grades),
		cmocka_unit_test(shipped_nations_are_those_of_nation_c),
		cmocka_unit_test(shipped_qualifications_are_the_stages),
	};
	return cmocka_run_group_tests_name("tree", tests, NULL, NULL);
}
