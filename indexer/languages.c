/*
 * The stemmer of each list's words in an indexing run; see languages.h.
 */
#include <string.h>

#include "languages.h"

static void
add_recorded(const char *list, const char *language, void *data)
{
	g_hash_table_insert(data, g_strdup(list), g_strdup(language));
}

/* Says that the configuration asks for another stemmer than the one the
 * index's messages went through, which larch cannot change in place. */
static char *
language_clash(const char *what, const char *recorded, const char *wanted)
{
	return g_strdup_printf("%s is stemmed in %s in this index, and the "
	    "configuration says %s: words already indexed cannot be stemmed "
	    "again, so index into a new folder to change it (or set language "
	    "= %s)", what, recorded, wanted, recorded);
}

enum larch_status
languages_settle(struct larch_store *store, const struct larch_config *c,
    struct languages *out, char **error)
{
	char *recorded = NULL;
	enum larch_status st;

	out->fallback = NULL;
	out->by_list = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	st = larch_store_get_language(store, NULL, &recorded);
	if (st == LARCH_OK)
		st = larch_store_list_languages(store, add_recorded,
		    out->by_list);
	if (st != LARCH_OK) {
		*error = g_strdup(larch_store_error(store));
		g_free(recorded);
		return st;
	}
	if (recorded != NULL && c->language_set &&
	    strcmp(recorded, c->language) != 0) {
		*error = language_clash("the default language", recorded,
		    c->language);
		g_free(recorded);
		return LARCH_ERR_INVALID;
	}
	out->fallback = recorded != NULL ? recorded : g_strdup(c->language);
	for (guint i = 0; i < c->lists->len; i++) {
		const struct larch_config_list *l = c->lists->pdata[i];
		const char *had = g_hash_table_lookup(out->by_list, l->name);

		if (l->language == NULL)
			continue;
		if (had != NULL && strcmp(had, l->language) != 0) {
			char *what = g_strdup_printf("list '%s'", l->name);

			*error = language_clash(what, had, l->language);
			g_free(what);
			return LARCH_ERR_INVALID;
		}
		g_hash_table_insert(out->by_list, g_strdup(l->name),
		    g_strdup(l->language));
	}
	st = larch_store_set_language(store, NULL, out->fallback);
	for (guint i = 0; st == LARCH_OK && i < c->lists->len; i++) {
		const struct larch_config_list *l = c->lists->pdata[i];

		if (l->language != NULL)
			st = larch_store_set_language(store, l->name,
			    l->language);
	}
	if (st != LARCH_OK)
		*error = g_strdup(larch_store_error(store));
	return st;
}

const char *
languages_of(const struct languages *l, const char *list)
{
	const char *lang = list != NULL ?
	    g_hash_table_lookup(l->by_list, list) : NULL;

	return lang != NULL ? lang : l->fallback;
}

void
languages_release(struct languages *l)
{
	g_free(l->fallback);
	l->fallback = NULL;
	if (l->by_list != NULL)
		g_hash_table_unref(l->by_list);
	l->by_list = NULL;
}
