/* larch-index's key-file configuration; see config.h. */
#include <string.h>

#include "config.h"
#include "walk.h"
#include "larch/store.h"
#include "larch/keyfile.h"

#define DEFAULT_MAX_MESSAGE (64u * 1024 * 1024)
#define DEFAULT_BATCH 1000
#define DEFAULT_WINDOW_DAYS 60

static void
list_free(gpointer p)
{
	struct larch_config_list *l = p;

	if (l == NULL)
		return;
	g_free(l->name);
	g_free(l->list_id);
	g_ptr_array_unref(l->paths);
	g_free(l->fallback_charset);
	g_free(l->language);
	g_free(l);
}

struct larch_config *
larch_config_new(void)
{
	struct larch_config *c = g_new0(struct larch_config, 1);

	c->sources = g_ptr_array_new_with_free_func(g_free);
	c->lists = g_ptr_array_new_with_free_func(list_free);
	c->fallback_charset = g_strdup("auto");
	c->max_message = DEFAULT_MAX_MESSAGE;
	c->batch = DEFAULT_BATCH;
	c->subject_fallback = true;
	c->language = g_strdup(LARCH_STORE_LANGUAGE);
	c->subject_window = DEFAULT_WINDOW_DAYS * 86400;
	return c;
}

void
larch_config_free(struct larch_config *config)
{
	if (config == NULL)
		return;
	g_free(config->index);
	g_ptr_array_unref(config->sources);
	g_free(config->fallback_charset);
	g_free(config->quote_rules);
	g_free(config->language);
	g_ptr_array_unref(config->lists);
	g_free(config);
}

static void
add_paths(GKeyFile *kf, const char *group, const char *key, const char *base,
    GPtrArray *into)
{
	char **items = g_key_file_get_string_list(kf, group, key, NULL, NULL);

	for (char **p = items; p != NULL && *p != NULL; p++) {
		g_strstrip(*p);
		if (**p != '\0')
			g_ptr_array_add(into, larch_keyfile_path(base, *p));
	}
	g_strfreev(items);
}

/* Reads a stemming language into *out (replacing it) when the key is
 * there; one Xapian has no stemmer for is an error that lists them. */
static gboolean
get_language(GKeyFile *kf, const char *group, char **out, char **error)
{
	char *v;

	if (!g_key_file_has_key(kf, group, "language", NULL))
		return TRUE;
	v = g_strstrip(g_key_file_get_string(kf, group, "language", NULL));
	for (char *p = v; *p != '\0'; p++)
		*p = g_ascii_tolower(*p);
	if (!larch_store_language_is_known(v)) {
		*error = g_strdup_printf("unknown language '%s' in [%s]: use "
		    "a Xapian stemmer such as english, french, german, "
		    "spanish, italian, portuguese, russian, arabic or none",
		    v, group);
		g_free(v);
		return FALSE;
	}
	g_free(*out);
	*out = v;
	return TRUE;
}

/* The keys of [larch]. */
static const char *const larch_keys[] = {
	"index", "sources", "fallback_charset", "max_message_size", "jobs",
	"batch", "subject_fallback", "subject_window_days", "quote_rules",
	"language", NULL,
};
/*
 * A misspelt key or group would be ignored, and the setting silently not
 * taken, so each is refused.  [larchd] is larchd's, which checks it, and
 * so are the private and tokens keys of a [list NAME]: one file may
 * configure both programs.
 */
static gboolean
check_names(GKeyFile *kf, char **error)
{
	char **groups = g_key_file_get_groups(kf, NULL);
	gboolean ok = TRUE;

	for (char **g = groups; ok && *g != NULL; g++) {
		if (strcmp(*g, "larch") == 0) {
			ok = larch_keyfile_check_keys(kf, *g, larch_keys,
			    error);
		} else if (strcmp(*g, "larchd") != 0 &&
		    !g_str_has_prefix(*g, "list ")) {
			*error = g_strdup_printf("unknown group [%s]: use "
			    "[larch] or [list NAME]", *g);
			ok = FALSE;
		}
	}
	g_strfreev(groups);
	return ok && larch_keyfile_check_list_groups(kf, error);
}

/* Reads a fallback charset (replacing *out) when the key is there: "auto"
 * or a name iconv knows. */
static gboolean
get_charset(GKeyFile *kf, const char *group, char **out, char **error)
{
	char *v;
	GIConv cd;

	if (!g_key_file_has_key(kf, group, "fallback_charset", NULL))
		return TRUE;
	v = g_strstrip(g_key_file_get_string(kf, group, "fallback_charset",
	    NULL));
	if (g_ascii_strcasecmp(v, "auto") == 0) {
		g_free(v);
		v = g_strdup("auto");
	} else {
		cd = g_iconv_open("UTF-8", v);
		if (cd == (GIConv)-1) {
			*error = g_strdup_printf("unknown fallback_charset "
			    "'%s' in [%s]: use auto or a charset such as "
			    "windows-1252, koi8-r or gb18030", v, group);
			g_free(v);
			return FALSE;
		}
		g_iconv_close(cd);
	}
	g_free(*out);
	*out = v;
	return TRUE;
}

enum larch_status
larch_config_load(const char *path, struct larch_config **out, char **error)
{
	GKeyFile *kf = g_key_file_new();
	GError *err = NULL;
	struct larch_config *c = NULL;
	char *abs = NULL, *base = NULL, **groups = NULL;
	enum larch_status st = LARCH_ERR_INVALID;
	guint64 v;

	*out = NULL;
	abs = g_canonicalize_filename(path, NULL);
	if (!g_key_file_load_from_file(kf, abs, G_KEY_FILE_NONE, &err)) {
		*error = g_strdup_printf("cannot read config '%s': %s", path,
		    err->message);
		st = err->domain == G_FILE_ERROR ? LARCH_ERR_IO :
		    LARCH_ERR_INVALID;
		g_error_free(err);
		goto free_keyfile;
	}
	base = g_path_get_dirname(abs);
	c = larch_config_new();
	if (!check_names(kf, error))
		goto free_config;

	if (g_key_file_has_key(kf, "larch", "index", NULL)) {
		char *s = g_key_file_get_string(kf, "larch", "index", NULL);

		/* Empty is no index named (the config file's own folder
		 * would be taken otherwise), as larchd reads it. */
		if (*g_strstrip(s) != '\0')
			c->index = larch_keyfile_path(base, s);
		g_free(s);
	}
	add_paths(kf, "larch", "sources", base, c->sources);
	if (!get_charset(kf, "larch", &c->fallback_charset, error))
		goto free_config;
	v = c->max_message;
	if (!larch_keyfile_get_uint(kf, "larch", "max_message_size",
	    0, G_MAXINT32, &v, error))
		goto free_config;
	c->max_message = v;
	v = c->jobs;
	if (!larch_keyfile_get_uint(kf, "larch", "jobs", 0, 64, &v, error))
		goto free_config;
	c->jobs = v;
	v = c->batch;
	if (!larch_keyfile_get_uint(kf, "larch", "batch",
	    0, 1000000, &v, error))
		goto free_config;
	c->batch = v == 0 ? DEFAULT_BATCH : v;
	if (!larch_keyfile_get_bool(kf, "larch", "subject_fallback",
	    &c->subject_fallback, error))
		goto free_config;
	v = DEFAULT_WINDOW_DAYS;
	if (!larch_keyfile_get_uint(kf, "larch", "subject_window_days",
	    0, 36500, &v, error))
		goto free_config;
	c->subject_window = (int64_t)v * 86400;
	if (g_key_file_has_key(kf, "larch", "quote_rules", NULL)) {
		char *q = g_key_file_get_string(kf, "larch", "quote_rules",
		    NULL);

		c->quote_rules = larch_keyfile_path(base, g_strstrip(q));
		g_free(q);
	}

	if (!get_language(kf, "larch", &c->language, error))
		goto free_config;
	c->language_set = g_key_file_has_key(kf, "larch", "language", NULL);

	groups = g_key_file_get_groups(kf, NULL);
	for (char **g = groups; *g != NULL; g++) {
		struct larch_config_list *l;

		if (!g_str_has_prefix(*g, "list "))
			continue;
		l = g_new0(struct larch_config_list, 1);
		l->name = g_strstrip(g_strdup(*g + 5));
		l->paths = g_ptr_array_new_with_free_func(g_free);
		l->list_id = g_key_file_get_string(kf, *g, "list_id", NULL);
		if (l->list_id != NULL)
			g_strstrip(l->list_id);
		add_paths(kf, *g, "paths", base, l->paths);
		l->subject_fallback = -1;
		g_ptr_array_add(c->lists, l);
		if (!get_charset(kf, *g, &l->fallback_charset, error))
			goto free_config;
		if (g_key_file_has_key(kf, *g, "subject_fallback", NULL)) {
			bool on = false;

			if (!larch_keyfile_get_bool(kf, *g, "subject_fallback",
			    &on, error))
				goto free_config;
			l->subject_fallback = on;
		}
		if (!get_language(kf, *g, &l->language, error))
			goto free_config;
		if (*l->name == '\0') {
			*error = g_strdup("a [list] group needs a name, as in "
			    "[list policy-forum]");
			goto free_config;
		}
	}
	*out = c;
	c = NULL;
	st = LARCH_OK;
free_config:
	if (st != LARCH_OK) {
		char *e = g_strdup_printf("config '%s': %s", path, *error);

		g_free(*error);
		*error = e;
	}
	larch_config_free(c);
	g_strfreev(groups);
	g_free(base);
free_keyfile:
	g_free(abs);
	g_key_file_free(kf);
	return st;
}

const struct larch_config_list *
larch_config_list_by_name(const struct larch_config *config, const char *name)
{
	for (guint i = 0; name != NULL && i < config->lists->len; i++) {
		const struct larch_config_list *l = config->lists->pdata[i];

		if (strcmp(l->name, name) == 0)
			return l;
	}
	return NULL;
}

const char *
larch_config_language(const struct larch_config *config, const char *name)
{
	const struct larch_config_list *l =
	    larch_config_list_by_name(config, name);

	return l != NULL && l->language != NULL ? l->language :
	    config->language;
}

const struct larch_config_list *
larch_config_list_by_id(const struct larch_config *config,
    const char *list_id)
{
	if (list_id == NULL)
		return NULL;
	for (guint i = 0; i < config->lists->len; i++) {
		const struct larch_config_list *l = config->lists->pdata[i];

		if (l->list_id != NULL &&
		    g_ascii_strcasecmp(l->list_id, list_id) == 0)
			return l;
	}
	return NULL;
}

static gboolean
is_under(const char *file, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(file, dir, n) == 0 &&
	    (file[n] == '\0' || file[n] == G_DIR_SEPARATOR ||
	    (n > 0 && dir[n - 1] == G_DIR_SEPARATOR));
}

const struct larch_config_list *
larch_config_list_by_path(const struct larch_config *config, const char *file)
{
	for (guint i = 0; i < config->lists->len; i++) {
		const struct larch_config_list *l = config->lists->pdata[i];

		for (guint j = 0; j < l->paths->len; j++)
			if (is_under(file, l->paths->pdata[j]))
				return l;
	}
	return NULL;
}

char *
larch_config_list_of_id(const struct larch_config *config,
    const char *list_id)
{
	const struct larch_config_list *l =
	    larch_config_list_by_id(config, list_id);
	const char *dot = strchr(list_id, '.');

	if (l != NULL)
		return g_strdup(l->name);
	if (dot == list_id)
		return NULL;
	return g_ascii_strdown(list_id, dot != NULL ? dot - list_id : -1);
}

char *
larch_config_list_of_place(const struct larch_config *config,
    const char *file, enum larch_archive_kind kind)
{
	const struct larch_config_list *l =
	    larch_config_list_by_path(config, file);

	return l != NULL ? g_strdup(l->name) :
	    larch_walk_list_name(file, kind);
}
