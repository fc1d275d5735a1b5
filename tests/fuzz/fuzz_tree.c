/*
 * fuzz_tree.c - libFuzzer target for the hierarchy parser (tree.h).
 *
 * Any input must parse or fail cleanly (no crash, no leak, no sanitizer
 * report); a tree that parses must hold together: every node's parent lists
 * it at its index, depths step by one and stay within the cap, names are
 * never empty nor hold '/', every node's path text finds it again, codes
 * find their nodes, and the walk meets exactly tqk_tree_size() nodes.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks the subtree below n; returns the number of nodes in it, n aside. */
static size_t walk(const tqk_tree *tree, const tqk_tree_node *n)
{
	size_t count = 0;
	for (size_t i = 0; i < tqk_tree_child_count(n); i++) {
		const tqk_tree_node *c = tqk_tree_child(n, i);
		assert(c != NULL);
		assert(tqk_tree_parent(c) == n);
		assert(tqk_tree_index(c) == i);
		assert(tqk_tree_depth(c) == tqk_tree_depth(n) + 1);
		assert(tqk_tree_depth(c) <= TQK_TREE_MAX_DEPTH);
		const char *name = tqk_tree_name(c);
		size_t len = strlen(name);
		assert(len > 0 && len <= TQK_TREE_MAX_NAME);
		assert(strchr(name, '/') == NULL);
		assert(tqk_tree_child_named(tree, n, name, len) == c);
		assert(tqk_tree_is_leaf(c) == (tqk_tree_child_count(c) == 0));

		char path[TQK_TREE_PATH_BUFLEN];
		size_t path_len = 0;
		if (tqk_tree_path(c, path, sizeof path, &path_len) != TQK_OK)
			__builtin_trap();
		assert(path_len == strlen(path));
		assert(tqk_tree_find(tree, path, path_len) == c);
		/* One byte short of room is refused, never overrun. */
		char small[TQK_TREE_PATH_BUFLEN];
		if (tqk_tree_path(c, small, path_len, NULL) != TQK_E_TOO_LONG)
			__builtin_trap();

		const char *code = tqk_tree_code(c);
		if (code[0] != '\0')
			assert(tqk_tree_find_code(tree, code) == c);
		count += 1 + walk(tree, c);
	}
	assert(tqk_tree_child(n, tqk_tree_child_count(n)) == NULL);
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tqk_tree *tree = NULL;
	int line = -1;
	tqk_err err = tqk_tree_parse((const char *)data, size, &tree, &line);
	if (err != TQK_OK) {
		assert(tree == NULL);
		assert(line >= 0);
		return 0;
	}
	assert(line == 0);
	const tqk_tree_node *root = tqk_tree_root(tree);
	assert(tqk_tree_depth(root) == 0 && tqk_tree_parent(root) == NULL);
	assert(!tqk_tree_is_leaf(root));
	assert(tqk_tree_find(tree, "", 0) == root);
	size_t kind = strlen(tqk_tree_kind(tree));
	assert(kind > 0 && kind <= TQK_TREE_MAX_KIND);
	size_t count = walk(tree, root);
	assert(count == tqk_tree_size(tree));
	assert(count <= TQK_TREE_MAX_NODES);
	tqk_tree_free(tree);
	return 0;
}
