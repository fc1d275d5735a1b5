/*
 * tree.c - parsing hierarchy files and walking the trees they describe.
 *
 * The parsed tree is one allocation: the nodes in file order (the root
 * first), the children of every node as one contiguous run of pointers,
 * two open-addressing hash tables (a node's name under its parent, a code in
 * the whole tree) and the names and codes themselves. The tables find a
 * sibling's name or a code in constant time while parsing, which keeps the
 * duplicate checks linear, and serve the lookups afterwards.
 */
#include "core/tree.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

struct tqk_tree_node {
	const char *name;
	const char *code;
	tqk_tree_node *parent;          /* NULL for the root */
	const tqk_tree_node **kids;     /* nkids pointers, in file order */
	uint32_t nkids;
	uint32_t index;                 /* place among the parent's children */
	uint32_t name_len;
	uint32_t depth;
};

struct tqk_tree {
	char kind[TQK_TREE_MAX_KIND + 1];
	size_t nnodes;                  /* the root included */
	size_t cap;                     /* room for this many nodes */
	tqk_tree_node *nodes;
	const tqk_tree_node **kids;
	uint32_t mask;                  /* table size - 1 */
	uint32_t *by_name;              /* node index, 0 is empty (the root is never listed) */
	uint32_t *by_code;
	char *pool;                     /* pool[0] is "" */
	size_t pool_len;
	size_t pool_cap;
};

static const char magic[] = "tqk-tree 1 ";

/* err.c's messages name these caps. */
_Static_assert(TQK_TREE_MAX_DEPTH == 4, "update TQK_E_TREE_DEPTH's message");
_Static_assert(TQK_TREE_MAX_CODE == 12, "update TQK_E_TREE_CODE's message");

/* ---- hashing ---- */

static uint32_t hash(uint32_t scope, const char *s, size_t n)
{
	uint32_t h = 2166136261u;       /* FNV-1a */
	for (int i = 0; i < 4; i++) {
		h ^= (scope >> (8 * i)) & 0xff;
		h *= 16777619u;
	}
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* The slot of the child of parent named name in by_name: the node's slot
 * when there is one, otherwise the empty slot where it would go. */
static uint32_t *name_slot(const tqk_tree *t, uint32_t parent, const char *name, size_t len)
{
	uint32_t i = hash(parent, name, len) & t->mask;
	for (;;) {
		uint32_t *slot = &t->by_name[i];
		const tqk_tree_node *n = &t->nodes[*slot];
		if (*slot == 0 ||
		    ((uint32_t)(n->parent - t->nodes) == parent && same(n->name, n->name_len, name, len)))
			return slot;
		i = (i + 1) & t->mask;
	}
}

static uint32_t *code_slot(const tqk_tree *t, const char *code, size_t len)
{
	uint32_t i = hash(0, code, len) & t->mask;
	for (;;) {
		uint32_t *slot = &t->by_code[i];
		if (*slot == 0 || same(t->nodes[*slot].code, strlen(t->nodes[*slot].code), code, len))
			return slot;
		i = (i + 1) & t->mask;
	}
}

/* ---- one line ---- */

static bool is_blank_byte(char c)
{
	return c == ' ' || c == '\t';
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* "tqk-tree 1 KIND", trimmed. */
static tqk_err parse_header(tqk_tree *t, const char *s, size_t n)
{
	size_t m = sizeof magic - 1;
	if (n <= m || memcmp(s, magic, m) != 0 || n - m > TQK_TREE_MAX_KIND)
		return TQK_E_TREE_HEADER;
	for (size_t i = m; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return TQK_E_TREE_HEADER;
	}
	memcpy(t->kind, s + m, n - m);
	t->kind[n - m] = '\0';
	return TQK_OK;
}

/* A name: not empty, no blank, control character or '/', at most the cap. */
static tqk_err check_name(const char *s, size_t n)
{
	if (n == 0)
		return TQK_E_TREE_NAME;
	size_t pos = 0;
	while (pos < n) {
		int32_t cp = tqk_utf8_next(s, n, &pos);
		if (cp < 0x20 || cp == '/' || cp == 0x7f || (cp >= 0x80 && cp <= 0xa0) ||
		    cp == ' ' || cp == 0x3000)
			return TQK_E_TREE_NAME;
	}
	return n > TQK_TREE_MAX_NAME ? TQK_E_TOO_LONG : TQK_OK;
}

/* A copy of s[0..n) with its NUL in the pool. */
static const char *keep(tqk_tree *t, const char *s, size_t n)
{
	assert(t->pool_len + n + 1 <= t->pool_cap);
	char *p = t->pool + t->pool_len;
	memcpy(p, s, n);
	p[n] = '\0';
	t->pool_len += n + 1;
	return p;
}

/*
 * One node line, its comment and trailing blanks kept or not (s, n: after
 * the comment is cut; not blank). *depth is the previous node's depth (0
 * before the first) and becomes this one's; stack[d] is the last node at
 * depth d.
 */
static tqk_err parse_node(tqk_tree *t, const char *s, size_t n, uint32_t *depth,
                          tqk_tree_node **stack)
{
	size_t tabs = 0;
	while (tabs < n && s[tabs] == '\t')
		tabs++;
	s += tabs;
	n -= tabs;
	if (n > 0 && (s[0] == ' ' || (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)))
		return TQK_E_TREE_INDENT;
	tqk_text_trim(&s, &n);

	if (tabs > *depth)
		return TQK_E_TREE_INDENT;       /* more than one level below the last node */
	if (tabs + 1 > TQK_TREE_MAX_DEPTH)
		return TQK_E_TREE_DEPTH;
	uint32_t d = (uint32_t)tabs + 1;

	/* A first word of digits is the code; the name is what follows. */
	const char *code = s, *name = s;
	size_t code_len = 0, name_len = n;
	size_t w = 0;
	while (w < n && !is_blank_byte(s[w]))
		w++;
	if (all_digits(s, w)) {
		code_len = w;
		name = s + w;
		name_len = n - w;
		while (name_len > 0 && is_blank_byte(name[0]))
			name++, name_len--;
	}
	tqk_err err = check_name(name, name_len);
	if (err != TQK_OK)
		return err;
	if (code_len > TQK_TREE_MAX_CODE)
		return TQK_E_TREE_CODE;

	tqk_tree_node *parent = stack[d - 1];
	uint32_t parent_index = (uint32_t)(parent - t->nodes);
	uint32_t *nslot = name_slot(t, parent_index, name, name_len);
	if (*nslot != 0)
		return TQK_E_TREE_DUPLICATE;
	uint32_t *cslot = NULL;
	if (code_len > 0) {
		cslot = code_slot(t, code, code_len);
		if (*cslot != 0)
			return TQK_E_TREE_CODE;
	}
	if (t->nnodes - 1 == TQK_TREE_MAX_NODES)
		return TQK_E_TREE_FULL;

	assert(t->nnodes < t->cap);
	uint32_t index = (uint32_t)t->nnodes++;
	tqk_tree_node *node = &t->nodes[index];
	node->name = keep(t, name, name_len);
	node->name_len = (uint32_t)name_len;
	node->code = code_len > 0 ? keep(t, code, code_len) : t->pool;
	node->parent = parent;
	node->index = parent->nkids++;
	node->depth = d;
	*nslot = index;
	if (cslot != NULL)
		*cslot = index;
	stack[d] = node;
	*depth = d;
	return TQK_OK;
}

/* Parses line after line until the end or the first error, whose line
 * number it leaves in *err_line. */
static tqk_err parse_lines(tqk_tree *t, const char *text, size_t len, int *err_line)
{
	tqk_tree_node *stack[TQK_TREE_MAX_DEPTH + 1] = {&t->nodes[0]};
	uint32_t depth = 0;
	bool have_header = false;
	int line = 0;
	size_t pos = 0, n;
	const char *s;
	tqk_text_line_kind k;
	while ((k = tqk_text_line(text, len, &pos, TQK_TREE_MAX_LINE, &s, &n)) != TQK_TEXT_LINE_END) {
		*err_line = ++line;
		if (k != TQK_TEXT_LINE_OK)
			return k == TQK_TEXT_LINE_LONG ? TQK_E_TOO_LONG : TQK_E_UTF8;
		if (tqk_text_blank(s, n))
			continue;
		tqk_err err;
		if (!have_header) {
			tqk_text_trim(&s, &n);
			err = parse_header(t, s, n);
			have_header = true;
		} else {
			err = parse_node(t, s, n, &depth, stack);
		}
		if (err != TQK_OK)
			return err;
	}
	*err_line = 0;
	return have_header ? TQK_OK : TQK_E_TREE_HEADER;
}

/* Lays out every node's children as one run of t->kids, in file order. */
static void link_children(tqk_tree *t)
{
	size_t offset = 0;
	for (size_t i = 0; i < t->nnodes; i++) {
		t->nodes[i].kids = t->kids + offset;
		offset += t->nodes[i].nkids;
	}
	for (size_t i = 1; i < t->nnodes; i++) {
		tqk_tree_node *n = &t->nodes[i];
		n->parent->kids[n->index] = n;
	}
}

/* Rounds n up to a multiple of a (a power of two). */
static size_t align_up(size_t n, size_t a)
{
	return (n + a - 1) & ~(a - 1);
}

/* One zeroed allocation with room for cap nodes and pool bytes of text. */
static tqk_tree *tree_alloc(size_t cap, size_t pool)
{
	uint32_t slots = 8;
	while (slots < 2 * cap)
		slots *= 2;
	size_t off_nodes = align_up(sizeof(tqk_tree), _Alignof(tqk_tree_node));
	size_t off_kids = align_up(off_nodes + cap * sizeof(tqk_tree_node), _Alignof(tqk_tree_node *));
	size_t off_names = align_up(off_kids + cap * sizeof(tqk_tree_node *), _Alignof(uint32_t));
	size_t off_codes = off_names + slots * sizeof(uint32_t);
	size_t off_pool = off_codes + slots * sizeof(uint32_t);
	char *base = calloc(1, off_pool + pool);
	if (base == NULL)
		return NULL;
	tqk_tree *t = (tqk_tree *)(void *)base;
	t->cap = cap;
	t->nodes = (tqk_tree_node *)(void *)(base + off_nodes);
	t->kids = (const tqk_tree_node **)(void *)(base + off_kids);
	t->mask = slots - 1;
	t->by_name = (uint32_t *)(void *)(base + off_names);
	t->by_code = (uint32_t *)(void *)(base + off_codes);
	t->pool = base + off_pool;
	t->pool_len = 1;                /* pool[0] is the empty string */
	t->pool_cap = pool;
	t->nnodes = 1;
	t->nodes[0].name = t->pool;
	t->nodes[0].code = t->pool;
	return t;
}

tqk_err tqk_tree_parse(const char *text, size_t len, tqk_tree **out, int *err_line)
{
	assert(text != NULL || len == 0);
	assert(out != NULL);
	int line_sink;
	if (err_line == NULL)
		err_line = &line_sink;
	*out = NULL;
	*err_line = 0;
	if (len > TQK_TREE_MAX_BYTES)
		return TQK_E_TOO_LONG;

	/* Every node takes a line after the header's: lines + 1 is room for
	 * them and the root, up to the cap. A node keeps at most its line's
	 * bytes and its newline (the last line has none: one byte more). */
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	size_t cap = (lines < TQK_TREE_MAX_NODES ? lines : TQK_TREE_MAX_NODES) + 1;
	tqk_tree *t = tree_alloc(cap, len + 2);
	if (t == NULL)
		return TQK_E_NOMEM;
	tqk_err err = parse_lines(t, text, len, err_line);
	if (err != TQK_OK) {
		free(t);
		return err;
	}
	link_children(t);
	*out = t;
	return TQK_OK;
}

void tqk_tree_free(tqk_tree *tree)
{
	free(tree);
}

/* ---- walking ---- */

const char *tqk_tree_kind(const tqk_tree *tree)
{
	assert(tree != NULL);
	return tree->kind;
}

size_t tqk_tree_size(const tqk_tree *tree)
{
	assert(tree != NULL);
	return tree->nnodes - 1;
}

const tqk_tree_node *tqk_tree_root(const tqk_tree *tree)
{
	assert(tree != NULL);
	return &tree->nodes[0];
}

size_t tqk_tree_child_count(const tqk_tree_node *n)
{
	assert(n != NULL);
	return n->nkids;
}

const tqk_tree_node *tqk_tree_child(const tqk_tree_node *n, size_t i)
{
	assert(n != NULL);
	return i < n->nkids ? n->kids[i] : NULL;
}

const char *tqk_tree_name(const tqk_tree_node *n)
{
	assert(n != NULL);
	return n->name;
}

const char *tqk_tree_code(const tqk_tree_node *n)
{
	assert(n != NULL);
	return n->code;
}

int tqk_tree_depth(const tqk_tree_node *n)
{
	assert(n != NULL);
	return (int)n->depth;
}

const tqk_tree_node *tqk_tree_parent(const tqk_tree_node *n)
{
	assert(n != NULL);
	return n->parent;
}

size_t tqk_tree_index(const tqk_tree_node *n)
{
	assert(n != NULL);
	return n->index;
}

bool tqk_tree_is_leaf(const tqk_tree_node *n)
{
	assert(n != NULL);
	return n->parent != NULL && n->nkids == 0;
}

const tqk_tree_node *tqk_tree_child_named(const tqk_tree *tree, const tqk_tree_node *n,
                                          const char *name, size_t len)
{
	assert(tree != NULL && n != NULL);
	assert(n >= tree->nodes && n < tree->nodes + tree->nnodes);
	if (name == NULL || len == 0 || len > TQK_TREE_MAX_NAME)
		return NULL;
	uint32_t index = *name_slot(tree, (uint32_t)(n - tree->nodes), name, len);
	return index != 0 ? &tree->nodes[index] : NULL;
}

const tqk_tree_node *tqk_tree_find(const tqk_tree *tree, const char *path, size_t len)
{
	assert(tree != NULL);
	assert(path != NULL || len == 0);
	const tqk_tree_node *n = &tree->nodes[0];
	if (len == 0)
		return n;
	size_t pos = 0;
	for (;;) {
		const char *seg = path + pos;
		const char *slash = memchr(seg, '/', len - pos);
		size_t seg_len = slash != NULL ? (size_t)(slash - seg) : len - pos;
		n = tqk_tree_child_named(tree, n, seg, seg_len);
		if (n == NULL || slash == NULL)
			return n;
		pos += seg_len + 1;
		if (pos == len)
			return NULL;    /* a trailing '/' */
	}
}

const tqk_tree_node *tqk_tree_find_names(const tqk_tree *tree, const char *const *names,
                                         size_t count)
{
	assert(tree != NULL);
	assert(names != NULL || count == 0);
	const tqk_tree_node *n = &tree->nodes[0];
	for (size_t i = 0; i < count && n != NULL; i++)
		n = names[i] != NULL ? tqk_tree_child_named(tree, n, names[i], strlen(names[i])) : NULL;
	return n;
}

const tqk_tree_node *tqk_tree_find_code(const tqk_tree *tree, const char *code)
{
	assert(tree != NULL);
	if (code == NULL || code[0] == '\0')
		return NULL;
	size_t len = strlen(code);
	if (len > TQK_TREE_MAX_CODE)
		return NULL;
	uint32_t index = *code_slot(tree, code, len);
	return index != 0 ? &tree->nodes[index] : NULL;
}

tqk_err tqk_tree_path(const tqk_tree_node *n, char *buf, size_t cap, size_t *len)
{
	assert(n != NULL);
	assert(buf != NULL || cap == 0);
	const tqk_tree_node *chain[TQK_TREE_MAX_DEPTH];
	size_t depth = 0, total = 0;
	for (const tqk_tree_node *p = n; p->parent != NULL; p = p->parent) {
		assert(depth < TQK_TREE_MAX_DEPTH);
		chain[depth++] = p;
		total += p->name_len + (depth > 1);
	}
	if (total + 1 > cap) {
		if (cap > 0)
			buf[0] = '\0';
		return TQK_E_TOO_LONG;
	}
	size_t pos = 0;
	while (depth > 0) {
		const tqk_tree_node *p = chain[--depth];
		memcpy(buf + pos, p->name, p->name_len);
		pos += p->name_len;
		if (depth > 0)
			buf[pos++] = '/';
	}
	buf[pos] = '\0';
	if (len != NULL)
		*len = pos;
	return TQK_OK;
}
