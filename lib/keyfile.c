/* Shared configuration-file readers; see include/larch/keyfile.h. */
#include "larch/keyfile.h"

char *
larch_keyfile_path(const char *base, const char *value)
{
	char *joined, *canon;

	if (g_path_is_absolute(value))
		return g_canonicalize_filename(value, NULL);
	joined = g_build_filename(base, value, NULL);
	canon = g_canonicalize_filename(joined, NULL);
	g_free(joined);
	return canon;
}

bool
larch_keyfile_get_uint(GKeyFile *kf, const char *group, const char *key,
    guint64 min, guint64 max, guint64 *out, char **error)
{
	char *s = g_key_file_get_string(kf, group, key, NULL);
	GError *err = NULL;
	bool ok = true;

	if (s == NULL)
		return true;
	g_strstrip(s);
	if (!g_ascii_string_to_unsigned(s, 10, min, max, out, &err)) {
		*error = g_strdup_printf("bad value for '%s' in [%s]: %s",
		    key, group, err->message);
		g_error_free(err);
		ok = false;
	}
	g_free(s);
	return ok;
}

bool
larch_keyfile_get_bool(GKeyFile *kf, const char *group, const char *key,
    bool *out, char **error)
{
	GError *err = NULL;
	gboolean v;

	if (!g_key_file_has_key(kf, group, key, NULL))
		return true;
	v = g_key_file_get_boolean(kf, group, key, &err);
	if (err != NULL) {
		*error = g_strdup_printf("bad value for '%s' in [%s]: use "
		    "true or false", key, group);
		g_error_free(err);
		return false;
	}
	*out = v;
	return true;
}

bool
larch_keyfile_check_keys(GKeyFile *kf, const char *group,
    const char *const *known, char **error)
{
	char **keys = g_key_file_get_keys(kf, group, NULL, NULL);
	bool ok = true;

	for (char **k = keys; ok && k != NULL && *k != NULL; k++) {
		if (!g_strv_contains(known, *k)) {
			*error = g_strdup_printf("unknown key '%s' in [%s]",
			    *k, group);
			ok = false;
		}
	}
	g_strfreev(keys);
	return ok;
}

bool
larch_keyfile_check_list_groups(GKeyFile *kf, char **error)
{
	static const char *const list_keys[] = {
		"list_id", "paths", "fallback_charset", "subject_fallback",
		"language", "private", "tokens", NULL,
	};
	char **groups = g_key_file_get_groups(kf, NULL);
	bool ok = true;

	for (char **g = groups; ok && *g != NULL; g++) {
		if (g_str_has_prefix(*g, "list "))
			ok = larch_keyfile_check_keys(kf, *g, list_keys, error);
	}
	g_strfreev(groups);
	return ok;
}
