/*
 * Helpers shared by the message parser's tests (test-parse.c,
 * test-parse-edges.c): fixtures in tests/data/parse/, and parsing that
 * checks what every parsed message must be.
 */
#ifndef LARCH_TEST_PARSE_UTIL_H
#define LARCH_TEST_PARSE_UTIL_H

#include <string.h>

#include <glib.h>

#include "larch/parse.h"

/* Expected value "must be NULL"; a NULL expectation means "not checked". */
#define NONE "\001none"

static inline char *
data_path(const char *name)
{
	const char *dir = g_getenv("LARCH_TEST_DATA");

	return g_build_filename(dir != NULL ? dir : "tests/data", "parse",
	    name, NULL);
}

static inline char *
read_fixture(const char *name, size_t *len)
{
	char *path = data_path(name), *bytes = NULL;
	gsize n = 0;
	GError *error = NULL;

	if (!g_file_get_contents(path, &bytes, &n, &error))
		g_error("cannot read '%s': %s", path, error->message);
	g_free(path);
	*len = n;
	return bytes;
}

static inline void
assert_utf8(const char *what, const char *s)
{
	if (s == NULL)
		return;
	if (!g_utf8_validate(s, -1, NULL))
		g_error("%s is not valid UTF-8", what);
}

/* Every string of a parsed message is valid UTF-8 and "" is NULL. */
static inline void
assert_clean(const struct larch_msg *m)
{
	const char *fields[] = {
		m->mid, m->header_mid, m->list_id, m->from_addr, m->from_name,
		m->subject, m->to, m->cc, m->in_reply_to, m->body,
	};

	g_assert_nonnull(m->mid);
	g_assert_cmpstr(m->mid, !=, "");
	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
		assert_utf8("field", fields[i]);
		if (fields[i] != NULL && i != 9)
			g_assert_cmpstr(fields[i], !=, "");
	}
	for (guint i = 0; i < m->references->len; i++)
		assert_utf8("reference", m->references->pdata[i]);
	for (guint i = 0; i < m->attachments->len; i++) {
		const struct larch_attachment *a = m->attachments->pdata[i];

		assert_utf8("filename", a->filename);
		assert_utf8("content type", a->content_type);
		assert_utf8("attachment text", a->text);
		g_assert_nonnull(a->content_type);
	}
	g_assert_cmpuint(strlen(m->text_hash), ==, 16);
	g_assert_cmpuint(strlen(m->ascii_hash), ==, 16);
	g_assert_null(m->list);
	g_assert_cmpuint(m->sources->len, ==, 0);
}

static inline struct larch_msg *
parse_opts(const char *bytes, size_t len, const struct larch_parse_opts *o)
{
	struct larch_msg *m = NULL;
	const char *why = NULL;
	enum larch_status st = larch_parse_message(bytes, len, o, &m, &why);

	if (st != LARCH_OK)
		g_error("parse failed: %s", why != NULL ? why : "?");
	assert_clean(m);
	return m;
}

static inline struct larch_msg *
parse_file(const char *name, bool pipermail)
{
	struct larch_parse_opts o = { 0 };
	size_t len;
	char *bytes = read_fixture(name, &len);
	struct larch_msg *m;

	o.pipermail = pipermail;
	m = parse_opts(bytes, len, &o);
	g_free(bytes);
	return m;
}

static inline void
check_str(const char *field, const char *got, const char *want)
{
	if (want == NULL)
		return;
	if (strcmp(want, NONE) == 0) {
		if (got != NULL)
			g_error("%s: want NULL, got '%s'", field, got);
		return;
	}
	if (got == NULL || strcmp(got, want) != 0)
		g_error("%s: want '%s', got '%s'", field, want,
		    got != NULL ? got : "(null)");
}

#endif
