/* Message-ID normalisation and derived ids; see include/larch/mid.h. */
#include <stdbool.h>
#include <string.h>

#include "larch/mid.h"

/* Longer ids are junk (RFC 5322 lines are at most 998 bytes). */
#define MAX_MID 998

/* Whether the bytes are worth keeping as an id. */
static bool
usable(const char *s, size_t n)
{
	bool alnum = false;

	if (n == 0 || n > MAX_MID)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '<' || c == '>')
			return false;
		if (g_ascii_isalnum(c) || c >= 0x80)
			alnum = true;
	}
	return alnum;
}

/*
 * Makes an id of n bytes at s: whitespace removed, the domain (after the
 * last '@') lowercased, invalid UTF-8 repaired.  NULL when unusable.
 */
static char *
make_id(const char *s, size_t n)
{
	GString *id = g_string_sized_new(n);
	char *at, *res;
	const char *obf = NULL;

	/* pipermail's "user at host" obfuscation applied to an id. */
	if (memchr(s, '@', n) == NULL)
		obf = g_strstr_len(s, (gssize)n, " at ");
	for (size_t i = 0; i < n; i++) {
		if (s + i == obf) {
			g_string_append_c(id, '@');
			i += 3;
		} else if (!g_ascii_isspace(s[i])) {
			g_string_append_c(id, s[i]);
		}
	}
	if (!usable(id->str, id->len)) {
		g_string_free(id, TRUE);
		return NULL;
	}
	at = strrchr(id->str, '@');
	if (at != NULL)
		for (char *p = at + 1; *p != '\0'; p++)
			*p = g_ascii_tolower(*p);
	res = g_utf8_make_valid(id->str, (gssize)id->len);
	g_string_free(id, TRUE);
	return res;
}

/* The header without comments (outside brackets and quotes). */
static char *
drop_comments(const char *header)
{
	GString *out = g_string_new(NULL);
	int paren = 0;
	bool angle = false, quoted = false;

	for (const char *p = header; *p != '\0'; p++) {
		if (paren > 0) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '(')
				paren++;
			else if (*p == ')')
				paren--;
			continue;
		}
		if (quoted) {
			if (*p == '"')
				quoted = false;
		} else if (*p == '"' && !angle) {
			quoted = true;
		} else if (*p == '<') {
			angle = true;
		} else if (*p == '>') {
			angle = false;
		} else if (*p == '(' && !angle) {
			paren = 1;
			/* A comment separates words. */
			g_string_append_c(out, ' ');
			continue;
		}
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/*
 * Calls add(id) for every usable id in header, in order: the bracketed
 * ones, or, when there are no brackets at all, the bare words (only ids
 * with an '@' when need_at).  add() owns the id.
 */
static void
each_id(const char *header, bool first_only, bool need_at,
    void (*add)(char *id, void *data), void *data)
{
	char *text;
	const char *p;
	bool brackets;

	if (header == NULL)
		return;
	text = drop_comments(header);
	brackets = strchr(text, '<') != NULL;
	for (p = text; *p != '\0';) {
		const char *start, *end;
		char *id;

		if (brackets) {
			start = strchr(p, '<');
			if (start == NULL)
				break;
			start++;
			end = strpbrk(start, "<>");
			if (end == NULL)
				end = start + strlen(start);
		} else {
			while (*p != '\0' && g_ascii_isspace(*p))
				p++;
			start = p;
			end = start;
			while (*end != '\0' && !g_ascii_isspace(*end) &&
			    *end != ',')
				end++;
			if (start == end) {
				if (*end == '\0')
					break;
				p = end + 1;
				continue;
			}
		}
		/* "<abc <def@host>": the first one never closed. */
		id = *end == '<' ? NULL : make_id(start, (size_t)(end - start));
		p = *end == '>' ? end + 1 : end;
		if (id != NULL && need_at && strchr(id, '@') == NULL)
			g_clear_pointer(&id, g_free);
		if (id == NULL)
			continue;
		add(id, data);
		if (first_only)
			break;
	}
	g_free(text);
}

static void
keep_first(char *id, void *data)
{
	char **out = data;

	if (*out == NULL)
		*out = id;
	else
		g_free(id);
}

char *
larch_mid_normalise(const char *header)
{
	char *id = NULL;

	each_id(header, true, false, keep_first, &id);
	return id;
}

struct list_ctx {
	GPtrArray *out;
	GHashTable *seen;
};

static void
add_unique(char *id, void *data)
{
	struct list_ctx *ctx = data;

	if (g_hash_table_contains(ctx->seen, id)) {
		g_free(id);
		return;
	}
	g_hash_table_add(ctx->seen, id);
	g_ptr_array_add(ctx->out, id);
}

void
larch_mid_parse_list(const char *header, GPtrArray *out)
{
	struct list_ctx ctx;

	ctx.out = out;
	/* The set borrows the strings that out owns. */
	ctx.seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < out->len; i++)
		g_hash_table_add(ctx.seen, out->pdata[i]);
	/*
	 * Only ids with an '@' (after pipermail's " at " is undone) are
	 * taken: a reference without one is a typo such as git
	 * send-email's "In-Reply-To: <yes>", and taking it made one ghost
	 * parent of every message that made the same typo.
	 */
	each_id(header, false, true, add_unique, &ctx);
	g_hash_table_destroy(ctx.seen);
}

char *
larch_mid_from_content(const char *bytes, size_t len)
{
	char *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
	    (const guchar *)(bytes != NULL ? bytes : ""),
	    bytes != NULL ? len : 0);
	char *id = g_strdup_printf("%.32s@larch.invalid", hex);

	g_free(hex);
	return id;
}

/* Skips a run of at least one digit and the dot after it. */
static bool
skip_number(const char **p)
{
	const char *s = *p;

	while (g_ascii_isdigit(*s))
		s++;
	if (s == *p || *s != '.')
		return false;
	*p = s + 1;
	return true;
}

bool
larch_mid_is_archive_assigned(const char *mid)
{
	const char *p = mid, *at;

	if (mid == NULL || !g_str_has_prefix(mid, "mailman."))
		return false;
	p += strlen("mailman.");
	if (!skip_number(&p) || !skip_number(&p))
		return false;
	/* The optional pid, then the list's name before the '@'. */
	skip_number(&p);
	at = strchr(p, '@');
	return at != NULL && at != p && at[1] != '\0';
}

char *
larch_mid_derive_duplicate(const char *mid, const char *text_hash)
{
	char *hex = NULL, *id;

	/* The fingerprint is already a hash; anything else is hashed. */
	if (text_hash == NULL || strlen(text_hash) != 16 ||
	    strspn(text_hash, "0123456789abcdef") != 16)
		hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
		    text_hash != NULL ? text_hash : "", -1);
	id = g_strdup_printf("%s.dup-%.16s", mid != NULL ? mid : "",
	    hex != NULL ? hex : text_hash);
	g_free(hex);
	return id;
}
