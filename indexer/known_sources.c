/* Which files the index has certainly never read; see known_sources.h. */
#include <string.h>

#include "known_sources.h"
#include "sources.h"

struct larch_known_sources {
	GHashTable *bits;	/* GSIZE_TO_POINTER(the key's first bits) */
};

/* The first bits of a source key's hex hash (16 hex digits where a
 * pointer holds 64 bits), as the set keeps them.  Keys read from the
 * index are larch's own; one that is not hex still gives some number,
 * which at worst makes a file look known and be looked up. */
static gpointer
key_bits(const char *key)
{
	char hex[2 * sizeof(gsize) + 1];
	size_t skip = strlen(LARCH_SOURCE_KEY);

	if (strncmp(key, LARCH_SOURCE_KEY, skip) == 0)
		key += skip;
	g_strlcpy(hex, key, sizeof hex);
	return GSIZE_TO_POINTER((gsize)g_ascii_strtoull(hex, NULL, 16));
}

static enum larch_status
add_key(const char *key, const char *value, void *data)
{
	struct larch_known_sources *k = data;

	(void)value;
	g_hash_table_add(k->bits, key_bits(key));
	return LARCH_OK;
}

struct larch_known_sources *
larch_known_sources_load(struct larch_store *store, char **error)
{
	struct larch_known_sources *k = g_new0(struct larch_known_sources, 1);

	k->bits = g_hash_table_new(g_direct_hash, g_direct_equal);
	if (larch_store_meta_foreach(store, LARCH_SOURCE_KEY, add_key, k) !=
	    LARCH_OK) {
		*error = g_strdup(larch_store_error(store));
		larch_known_sources_free(k);
		return NULL;
	}
	return k;
}

bool
larch_known_sources_maybe(const struct larch_known_sources *k,
    const char *key)
{
	return k == NULL || g_hash_table_contains(k->bits, key_bits(key));
}

void
larch_known_sources_add(struct larch_known_sources *k, const char *key)
{
	if (k != NULL)
		g_hash_table_add(k->bits, key_bits(key));
}

void
larch_known_sources_free(struct larch_known_sources *k)
{
	if (k == NULL)
		return;
	g_hash_table_unref(k->bits);
	g_free(k);
}
