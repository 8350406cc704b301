/* pcre2 behind a small interface; see include/larch/pattern.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>
#include <glib.h>

#include "larch/pattern.h"

struct larch_pattern {
	pcre2_code *code;
	/*
	 * For matches at one offset, made on first use: the pattern as
	 * "(*NO_START_OPT)\G(?:...)".  pcre2 (10.42) has no JIT for
	 * PCRE2_ANCHORED given at match time, but a pattern that starts
	 * with \G is anchored by itself and keeps it.  No start
	 * optimisations, as they may scan the whole rest of the subject for
	 * a character the match needs, on every call.  When the rewritten
	 * pattern does not compile (a (*VERB) of the pattern's own must
	 * come first), this is code, matched with PCRE2_ANCHORED.
	 */
	pcre2_code *at_start;
	char *regex;
	uint32_t options;
	/*
	 * The bytes a match can start with: every byte unless pcre2 can
	 * tell.  The quote rules are tried anchored at every line, and most
	 * lines start with a byte no rule can: those fail here, without a
	 * call into pcre2.
	 */
	uint8_t starts[32];
};

static void
add_start(uint8_t starts[32], uint32_t byte)
{
	starts[byte / 8] |= (uint8_t)(1u << (byte % 8));
}

static bool
can_start(const struct larch_pattern *pattern, unsigned char byte)
{
	return (pattern->starts[byte / 8] >> (byte % 8)) & 1;
}

/*
 * What pcre2 knows of code's first byte, into starts: one code unit, or a
 * bitmap of them.  Only for patterns that cannot match the empty string,
 * whose match must start with some byte; false, starts untouched, when
 * pcre2 cannot tell.  A caseless first code unit is always
 * ASCII (pcre2 sets none for a caseless multi-byte character, nor for one
 * with more than two cases, like k and the Kelvin sign), so its other
 * case is the only other byte.
 */
static bool
known_starts(const pcre2_code *code, uint8_t starts[32])
{
	uint32_t minlen = 0, type = 0, unit = 0;
	const uint8_t *bitmap = NULL;

	if (pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen) != 0 ||
	    minlen == 0 ||
	    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type) != 0)
		return false;
	if (type == 1 &&
	    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
	    unit < 256) {
		memset(starts, 0, 32);
		add_start(starts, unit);
		if (unit < 0x80 && g_ascii_isalpha((char)unit)) {
			add_start(starts, (uint32_t)g_ascii_tolower((char)unit));
			add_start(starts, (uint32_t)g_ascii_toupper((char)unit));
		}
		return true;
	}
	if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 &&
	    bitmap != NULL) {
		memcpy(starts, bitmap, 32);
		return true;
	}
	return false;
}

/* regex compiled with options, or NULL: for variants of a pattern that
 * compiled, whose own errors nobody is told of. */
static pcre2_code *
compile_variant(const char *regex, size_t len, uint32_t options)
{
	int errcode;
	PCRE2_SIZE erroffset;

	return pcre2_compile((PCRE2_SPTR)regex, len, options, &errcode,
	    &erroffset, NULL);
}

/*
 * pcre2 keeps no first bytes for a pattern that starts with ^ in
 * multiline mode (it looks for line starts instead), which is how most
 * rules start.  The same pattern without that ^ matches wherever the
 * original does and maybe more, so its first bytes bound the original's.
 * Leading option settings such as (?i) stay.  A ^ followed by a
 * quantifier is left alone, as without it the quantifier would apply to
 * something else, and so is any ^ in extended mode, where what follows
 * it may be a space before a quantifier.
 */
static void
starts_without_caret(struct larch_pattern *pattern, const char *regex,
    uint32_t options)
{
	const char *p = regex;
	GString *probe;
	pcre2_code *code;

	if (options & PCRE2_EXTENDED)
		return;
	while (p[0] == '(' && p[1] == '?') {
		size_t n = 2 + strspn(p + 2, "imnsJU-^");

		if (p[n] != ')')
			break;
		p += n + 1;
	}
	if (p[0] != '^' || p[1] == '\0' || strchr("*+?{", p[1]) != NULL)
		return;
	probe = g_string_new_len(regex, p - regex);
	g_string_append(probe, p + 1);
	code = compile_variant(probe->str, probe->len, options);
	if (code != NULL) {
		(void)known_starts(code, pattern->starts);
		pcre2_code_free(code);
	}
	g_string_free(probe, TRUE);
}

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
	(*out)->regex = g_strdup(regex);
	(*out)->options = options;
	memset((*out)->starts, 0xff, sizeof (*out)->starts);
	if (!known_starts(code, (*out)->starts))
		starts_without_caret(*out, regex, options);
	return LARCH_OK;
}

void
larch_pattern_free(struct larch_pattern *pattern)
{
	if (pattern == NULL)
		return;
	if (pattern->at_start != pattern->code)
		pcre2_code_free(pattern->at_start);
	pcre2_code_free(pattern->code);
	g_free(pattern->regex);
	g_free(pattern);
}

static void
free_match_data(gpointer md)
{
	pcre2_match_data_free(md);
}

/* Patterns are shared between threads, so match data is per thread; one
 * per call cost more than many a match. */
static GPrivate thread_match_data = G_PRIVATE_INIT(free_match_data);

static pcre2_match_data *
match_data(void)
{
	pcre2_match_data *md = g_private_get(&thread_match_data);

	if (md == NULL) {
		md = pcre2_match_data_create(LARCH_PATTERN_MAX_GROUPS, NULL);
		if (md != NULL)
			g_private_set(&thread_match_data, md);
	}
	return md;
}

static pcre2_code *
at_start_code(const struct larch_pattern *pattern)
{
	/* Made once, by whichever thread comes first; the rest wait. */
	struct larch_pattern *p = (struct larch_pattern *)pattern;

	if (g_once_init_enter(&p->at_start)) {
		char *wrapped = g_strconcat("(*NO_START_OPT)\\G(?:", p->regex,
		    ")", NULL);
		pcre2_code *code = compile_variant(wrapped,
		    PCRE2_ZERO_TERMINATED, p->options);

		if (code != NULL)
			(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
		else
			code = p->code;
		g_free(wrapped);
		g_once_init_leave(&p->at_start, code);
	}
	return p->at_start;
}

static bool
run(const struct larch_pattern *pattern, const char *subject, size_t len,
    size_t start, bool anchored, struct larch_match *m)
{
	pcre2_code *code = pattern->code;
	uint32_t options = 0;
	pcre2_match_data *md;
	PCRE2_SIZE *ov;
	int rc;

	if (start > len)
		return false;
	if (anchored && start < len &&
	    !can_start(pattern, (unsigned char)subject[start]))
		return false;
	md = match_data();
	if (md == NULL)
		return false;
	if (anchored) {
		code = at_start_code(pattern);
		if (code == pattern->code)
			options = PCRE2_ANCHORED;
	}
	rc = pcre2_match(code, (PCRE2_SPTR)subject, len, start, options, md,
	    NULL);
	ov = pcre2_get_ovector_pointer(md);
	/* With invalid UTF-8 allowed, pcre2 (10.42) lets an anchored match
	 * start after a broken or cut character; that is no match here. */
	if (rc < 0 || (anchored && ov[0] != start))
		return false;
	if (m != NULL) {
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
	return true;
}

bool
larch_pattern_find(const struct larch_pattern *pattern, const char *subject,
    size_t len, size_t start, struct larch_match *m)
{
	return run(pattern, subject, len, start, false, m);
}

bool
larch_pattern_matches_at(const struct larch_pattern *pattern,
    const char *subject, size_t len, size_t start, struct larch_match *m)
{
	return run(pattern, subject, len, start, true, m);
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
