/* pcre2 behind a small interface; see include/larch/pattern.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <glib.h>

#include "larch/pattern.h"

struct larch_pattern {
	pcre2_code *code;
};

enum larch_status
larch_pattern_new(const char *regex, unsigned flags,
    struct larch_pattern **out, char **error)
{
	uint32_t options = 0;
	int errcode;
	PCRE2_SIZE erroffset;
	pcre2_code *code;

	*out = NULL;
	if (flags & LARCH_PATTERN_CASELESS)
		options |= PCRE2_CASELESS;
	if (flags & LARCH_PATTERN_MULTILINE)
		options |= PCRE2_MULTILINE;
	if (flags & LARCH_PATTERN_UTF)
		/* Subjects are checked by the caller's data, not trusted:
		 * match_invalid_utf makes bad bytes merely not match. */
		options |= PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
	if (flags & LARCH_PATTERN_DOTALL)
		options |= PCRE2_DOTALL;
	if (flags & LARCH_PATTERN_EXTENDED)
		options |= PCRE2_EXTENDED;

	code = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED, options,
	    &errcode, &erroffset, NULL);
	if (code == NULL) {
		if (error != NULL) {
			PCRE2_UCHAR buf[256];

			pcre2_get_error_message(errcode, buf, sizeof buf);
			*error = g_strdup_printf("offset %zu: %s",
			    (size_t)erroffset, (const char *)buf);
		}
		return LARCH_ERR_INVALID;
	}
	/* JIT is an optimisation; without it matching still works. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	*out = g_new0(struct larch_pattern, 1);
	(*out)->code = code;
	return LARCH_OK;
}

void
larch_pattern_free(struct larch_pattern *pattern)
{
	if (pattern == NULL)
		return;
	pcre2_code_free(pattern->code);
	g_free(pattern);
}

static bool
run(const struct larch_pattern *pattern, const char *subject, size_t len,
    size_t start, uint32_t options, struct larch_match *m)
{
	pcre2_match_data *md;
	int rc;

	if (start > len)
		return false;
	/* Match data is per call: patterns are shared between threads. */
	md = pcre2_match_data_create(LARCH_PATTERN_MAX_GROUPS, NULL);
	if (md == NULL)
		return false;
	rc = pcre2_match(pattern->code, (PCRE2_SPTR)subject, len, start,
	    options, md, NULL);
	if (rc >= 0 && m != NULL) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		/* Only the first rc pairs are set; later ones are garbage. */
		uint32_t n = rc == 0 ? pcre2_get_ovector_count(md) :
		    (uint32_t)rc;

		for (uint32_t i = 0; i < LARCH_PATTERN_MAX_GROUPS; i++) {
			if (i < n && ov[2 * i] != PCRE2_UNSET) {
				m->start[i] = (long)ov[2 * i];
				m->end[i] = (long)ov[2 * i + 1];
			} else {
				m->start[i] = m->end[i] = -1;
			}
		}
	}
	pcre2_match_data_free(md);
	return rc >= 0;
}

bool
larch_pattern_find(const struct larch_pattern *pattern, const char *subject,
    size_t len, size_t start, struct larch_match *m)
{
	return run(pattern, subject, len, start, 0, m);
}

bool
larch_pattern_matches_at(const struct larch_pattern *pattern,
    const char *subject, size_t len, size_t start, struct larch_match *m)
{
	return run(pattern, subject, len, start, PCRE2_ANCHORED, m);
}

char *
larch_pattern_replace_all(const struct larch_pattern *pattern,
    const char *subject, size_t len, const char *replacement,
    size_t *out_len)
{
	PCRE2_SIZE size = len + len / 4 + 64;
	uint32_t options = PCRE2_SUBSTITUTE_GLOBAL |
	    PCRE2_SUBSTITUTE_OVERFLOW_LENGTH;

	for (int attempt = 0; attempt < 2; attempt++) {
		PCRE2_UCHAR *buf = g_malloc(size);
		PCRE2_SIZE outlen = size;
		int rc = pcre2_substitute(pattern->code, (PCRE2_SPTR)subject,
		    len, 0, options, NULL, NULL, (PCRE2_SPTR)replacement,
		    PCRE2_ZERO_TERMINATED, buf, &outlen);

		if (rc >= 0) {
			if (out_len != NULL)
				*out_len = outlen;
			return (char *)buf;
		}
		g_free(buf);
		if (rc != PCRE2_ERROR_NOMEMORY)
			return NULL;
		/* outlen now holds the size needed, terminator included. */
		size = outlen;
	}
	return NULL;
}
