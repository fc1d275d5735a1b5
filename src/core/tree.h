/*
 * tree.h - named hierarchies the walk-in wizard offers level by level: the
 * certifying authorities (province, city, authority), professional titles
 * (series, grade), qualification types with their subjects, and the ethnic
 * groups (flat). The wizard shows the children of the node chosen so far;
 * the walk-in rules check that a choice went down to a leaf.
 *
 * A tree is text, so that an administrator can read, diff and extend it and
 * the county server can ship a newer one:
 *
 *     # comments run from '#' to the end of the line
 *     tqk-tree 1 authorities
 *     430000 湖南省
 *     	湖南省教育厅
 *     	长沙市
 *     		长沙市教育局
 *     		长沙县教育局
 *
 * The first line that is not blank is the header: the magic "tqk-tree", the
 * version 1 and the tree's kind. Here 湖南省 is a top-level node with a code,
 * 湖南省教育厅 and 长沙市 (one tab) are its children, and the two bureaus
 * (two tabs) are 长沙市's.
 *
 * Every later line that holds more than blanks and a comment is one node.
 * Its depth is one plus the number of tabs that open it (depth 1 is the top
 * level, at most TQK_TREE_MAX_DEPTH); a node may be at most one level deeper
 * than the node before it, and the first node is at the top level.
 * Indentation is tabs only: a space (or U+3000) before the node's text is
 * refused. Comment lines may be indented in any way.
 *
 * A node's text is a name, or a code, blanks, and the name. The code is
 * optional: 1 to TQK_TREE_MAX_CODE ASCII digits (GB/T 2260 division codes,
 * GB 3304 nation codes...), unique in the whole tree, so that a record can
 * keep it and find the node again after the names change. A word of digits
 * alone is a code without a name, and refused. A name is 1 to
 * TQK_TREE_MAX_NAME bytes without blanks (ASCII space, tab, U+00A0, U+3000),
 * control characters or '/' (the separator of path text,
 * "湖南省/长沙市/长沙县教育局"); siblings have different names. The kind is
 * 1 to TQK_TREE_MAX_KIND bytes of a-z, 0-9, '_' and '-'.
 *
 * The whole file is UTF-8, comments included; CRLF line ends are accepted.
 * The error reported is the first in file order, with its 1-based line.
 */
#ifndef TQK_CORE_TREE_H
#define TQK_CORE_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define TQK_TREE_MAX_BYTES (256 * 1024)
#define TQK_TREE_MAX_LINE 256           /* bytes, without the newline */
#define TQK_TREE_MAX_NODES 8192         /* the root not counted */
#define TQK_TREE_MAX_DEPTH 4
#define TQK_TREE_MAX_NAME 96            /* bytes: 32 Chinese characters */
#define TQK_TREE_MAX_CODE 12            /* digits */
#define TQK_TREE_MAX_KIND 32
/* A buffer this long holds the path text of any node, with its NUL. */
#define TQK_TREE_PATH_BUFLEN (TQK_TREE_MAX_DEPTH * (TQK_TREE_MAX_NAME + 1))

typedef struct tqk_tree tqk_tree;
/* A node; valid as long as its tree. The root (depth 0, name "") stands
 * above the top level and is never a choice. */
typedef struct tqk_tree_node tqk_tree_node;

/*
 * Parses text (len bytes) into a new tree in *out. On failure *out is NULL,
 * *err_line (when not NULL) is the 1-based line at fault (0 when the whole
 * text is), and the result is one of TQK_E_TOO_LONG (the text, a line or a
 * name over its cap), TQK_E_UTF8, TQK_E_TREE_HEADER, TQK_E_TREE_INDENT
 * (spaces in the indentation, a jump of more than one level),
 * TQK_E_TREE_DEPTH, TQK_E_TREE_NAME (empty, or a character names may not
 * hold), TQK_E_TREE_CODE (too long, or used twice), TQK_E_TREE_DUPLICATE (a
 * sibling's name), TQK_E_TREE_FULL or TQK_E_NOMEM. A file with a header and
 * no node is a valid, empty tree.
 */
tqk_err tqk_tree_parse(const char *text, size_t len, tqk_tree **out,
                       int *err_line) TQK_MUST_CHECK;

void tqk_tree_free(tqk_tree *tree);     /* NULL is a no-op */

/* The kind named in the header ("authorities"). */
const char *tqk_tree_kind(const tqk_tree *tree);

/* Number of nodes, the root not counted. */
size_t tqk_tree_size(const tqk_tree *tree);

/* The root: its children are the top level. */
const tqk_tree_node *tqk_tree_root(const tqk_tree *tree);

/* The children of n in file order: how many, and child i (NULL when i is
 * not below the count). */
size_t tqk_tree_child_count(const tqk_tree_node *n);
const tqk_tree_node *tqk_tree_child(const tqk_tree_node *n, size_t i);

/* The name ("" for the root) and the code ("" when the node has none). */
const char *tqk_tree_name(const tqk_tree_node *n);
const char *tqk_tree_code(const tqk_tree_node *n);

/* 0 for the root, 1 for the top level, up to TQK_TREE_MAX_DEPTH. */
int tqk_tree_depth(const tqk_tree_node *n);

/* The parent (the root for a top-level node); NULL for the root. */
const tqk_tree_node *tqk_tree_parent(const tqk_tree_node *n);

/* n's place among its parent's children (0 for the root). */
size_t tqk_tree_index(const tqk_tree_node *n);

/* True when n is a node without children; the root never is a leaf. */
bool tqk_tree_is_leaf(const tqk_tree_node *n);

/* The child of n named exactly name (len bytes), or NULL. */
const tqk_tree_node *tqk_tree_child_named(const tqk_tree *tree, const tqk_tree_node *n,
                                          const char *name, size_t len);

/*
 * The node at path (len bytes): names from the top level down, joined by
 * '/', compared byte for byte ("湖南省/长沙市/长沙县教育局"). The empty path
 * is the root. NULL when a name is missing or a segment is empty ("a//b",
 * "/a", "a/").
 */
const tqk_tree_node *tqk_tree_find(const tqk_tree *tree, const char *path, size_t len);

/* The same from count NUL-terminated names (count 0: the root). */
const tqk_tree_node *tqk_tree_find_names(const tqk_tree *tree, const char *const *names,
                                         size_t count);

/* The node whose code is code (NUL-terminated), or NULL. */
const tqk_tree_node *tqk_tree_find_code(const tqk_tree *tree, const char *code);

/*
 * Writes n's path text ("" for the root) with its NUL into buf (cap bytes;
 * TQK_TREE_PATH_BUFLEN is always enough) and its length into *len when len
 * is not NULL. TQK_E_TOO_LONG when it does not fit; buf is then "" (when
 * cap > 0).
 */
tqk_err tqk_tree_path(const tqk_tree_node *n, char *buf, size_t cap,
                      size_t *len) TQK_MUST_CHECK;

#endif
