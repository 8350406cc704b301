/*
 * Field values in queries: dates and their ranges (also read by the store
 * for date: terms, larch_query_parse_period()), and what each field takes.
 * Part of the query checker; see query.c.
 */
#include <string.h>

#include <glib.h>

#include "larch/parse.h"
#include "query_private.h"
#include "query_word.h"

bool
larch_query_parse_period(const char *s, size_t len, int64_t *start,
    int64_t *end)
{
	int y, m = 0, d = 0;
	GDateTime *a, *b, *next;

	if (len < 4 || !parse_uint(s, 4, &y) || y < 1900 || y > 2199)
		return false;
	if (len > 4) {
		if (len < 7 || s[4] != '-' || !parse_uint(s + 5, 2, &m) ||
		    m < 1 || m > 12)
			return false;
		if (len > 7) {
			if (len != 10 || s[7] != '-' ||
			    !parse_uint(s + 8, 2, &d) || d < 1 ||
			    d > g_date_get_days_in_month(m, y))
				return false;
		}
	}
	a = g_date_time_new_utc(y, m ? m : 1, d ? d : 1, 0, 0, 0);
	if (a == NULL)
		return false;
	if (d)
		next = g_date_time_add_days(a, 1);
	else if (m)
		next = g_date_time_add_months(a, 1);
	else
		next = g_date_time_add_years(a, 1);
	b = next;
	*start = g_date_time_to_unix(a);
	*end = g_date_time_to_unix(b) - 1;
	g_date_time_unref(a);
	g_date_time_unref(b);
	return true;
}

/* What a period may be, for the errors. */
#define DATE_FORMS "use YYYY, YYYY-MM or YYYY-MM-DD (years 1900-2199)"

/* date:A, date:A..B, date:A.., date:..B; a single period becomes A..A. */
static enum larch_status
check_date(struct checker *c, size_t at, const char *v, size_t len)
{
	const char *dots = g_strstr_len(v, len, "..");
	int64_t s1, e1, s2, e2;
	size_t alen, blen;

	if (dots == NULL) {
		if (!larch_query_parse_period(v, len, &s1, &e1))
			return refuse(c, at, "bad date '%.*s': " DATE_FORMS
			    ", or a range A..B",
			    (int)MIN(len, 40), v);
		g_string_append_len(c->out, v, len);
		g_string_append(c->out, "..");
		g_string_append_len(c->out, v, len);
		return LARCH_OK;
	}
	alen = dots - v;
	blen = len - alen - 2;
	if (alen == 0 && blen == 0)
		return refuse(c, at, "date range '..' needs a start or an "
		    "end");
	if (alen > 0 && !larch_query_parse_period(v, alen, &s1, &e1))
		return refuse(c, at, "bad date '%.*s' at the start of the "
		    "range: " DATE_FORMS, (int)MIN(alen, 40), v);
	if (blen > 0 && !larch_query_parse_period(dots + 2, blen, &s2, &e2))
		return refuse(c, at + alen + 2, "bad date '%.*s' at the end "
		    "of the range: " DATE_FORMS, (int)MIN(blen, 40), dots + 2);
	/* Each end is whole: 2024-05..2024 runs to the end of 2024. */
	if (alen > 0 && blen > 0 && e2 < s1)
		return refuse(c, at, "date range '%.*s' ends before it "
		    "starts", (int)MIN(len, 40), v);
	g_string_append_len(c->out, v, len);
	return LARCH_OK;
}

/*
 * A '*' in the value at at (n bytes) of field: only a word of a text
 * field (subject:, filename:, the names of from:, to:, cc:) may end with
 * one.  Addresses, lists, ids and threads are matched whole, where
 * Xapian would find nothing, so those are refused, not found empty.
 */
static enum larch_status
check_value_wildcard(struct checker *c, const char *field, bool people,
    size_t at, size_t n)
{
	const char *v = c->q + at, *star = memchr(v, '*', n);

	if ((!people && !in_list((const char *const[]){ "subject", "filename",
	    NULL }, field, strlen(field))) ||
	    (people && memchr(v, '@', n) != NULL))
		return refuse(c, at + (star - v), "'%s:%.*s': %s, so it takes "
		    "no '*'", field, (int)MIN(n, 40), v, people ?
		    "an address is matched whole" :
		    "its value is matched whole");
	if (star + strspn(star, "*") < v + n)
		return refuse(c, at + (star - v), "'%s:%.*s': '*' ends a "
		    "word, as in subject:polic*; it cannot start one or stand "
		    "inside it", field, (int)MIN(n, 40), v);
	return larch_query_count_wildcard(c, at + (star - v));
}

/* Whether n bytes at s are one part of an address (extra: the marks
 * beside letters and digits it may hold), starting with a letter or
 * digit: so that the address unquoted reads the same when checked
 * again, with no blank, parenthesis, quote or '*' in it. */
static bool
is_address_part(const char *s, size_t n, const char *extra)
{
	if (n == 0 || ((unsigned char)s[0] < 0x80 && !g_ascii_isalnum(s[0])))
		return false;
	for (size_t k = 1; k < n; k++)
		if ((unsigned char)s[k] < 0x80 && !g_ascii_isalnum(s[k]) &&
		    strchr(extra, s[k]) == NULL)
			return false;
	return true;
}

/*
 * An address as pipermail obfuscates it, "user at host.org" (n bytes),
 * pasted from an archive page: written to out as user@host.org, which is
 * how larch indexes it (larch_pipermail_unobfuscate(), as the indexer
 * reads such headers).  False for anything else, a name with it or a
 * real address included.
 */
static bool
unobfuscate_address(const char *v, size_t n, GString *out)
{
	char *value, *plain;
	const char *at;
	bool ok;

	if (memchr(v, '@', n) != NULL)
		return false;
	value = g_strndup(v, n);
	plain = larch_pipermail_unobfuscate(value);
	at = strchr(plain, '@');
	ok = at != NULL && is_address_part(plain, at - plain, "._%+-=") &&
	    is_address_part(at + 1, strlen(at + 1), ".-") &&
	    strchr(at + 1, '.') != NULL;
	if (ok)
		g_string_append(out, plain);
	g_free(value);
	g_free(plain);
	return ok;
}

enum larch_status
larch_query_check_value(struct checker *c, const char *field, size_t name_at)
{
	size_t at = c->i, end = c->i;
	const char *v = c->q + at;
	/* Fields of names and addresses. */
	bool people = in_list((const char *const[]){ "from", "to", "cc",
	    NULL }, field, strlen(field));

	if (c->q[at] == '"') {
		const char *close = memchr(c->q + at + 1, '"',
		    c->len - at - 1);

		if (close == NULL)
			return refuse(c, at, "unbalanced quote: the '\"' "
			    "after '%s:' is never closed", field);
		if (strcmp(field, "date") == 0 || strcmp(field, "is") == 0 ||
		    strcmp(field, "has") == 0)
			return refuse(c, at, "'%s:' takes no quoted value",
			    field);
		end = close - c->q + 1;
		if (!larch_query_has_word(v + 1, end - at - 2))
			return refuse(c, at, "'%s:' needs a value: '%.*s' "
			    "holds no word", field, (int)MIN(end - at, 40), v);
		if (larch_query_has_wildcard(v + 1, end - at - 2))
			return refuse(c, at, "'%s:%.*s': a quoted value "
			    "matches whole words, so '*' cannot go in it",
			    field, (int)MIN(end - at, 40), v);
		c->i = end;
		if (!people || !unobfuscate_address(v + 1, end - at - 2,
		    c->out))
			g_string_append_len(c->out, v, end - at);
		return LARCH_OK;
	}
	while (!ends_word(c->q[end]))
		end++;
	c->i = end;
	if (end == at)
		return refuse(c, name_at, "'%s:' needs a value right after "
		    "it, as in %s:%s", field, field,
		    strcmp(field, "date") == 0 ? "2016-05" :
		    strcmp(field, "is") == 0 ? "reply" :
		    strcmp(field, "has") == 0 ? "attachment" : "word");
	if (strcmp(field, "date") == 0)
		return check_date(c, at, v, end - at);
	/* Xapian reads "subject:!" as the word "subject". */
	if (in_list((const char *const[]){ "from", "to", "cc", "subject",
	    "filename", NULL }, field, strlen(field)) &&
	    !larch_query_has_word(v, end - at))
		return refuse(c, at, "'%s:' needs a word: '%.*s' holds no "
		    "letter or digit", field, (int)MIN(end - at, 40), v);
	if (strcmp(field, "is") == 0 &&
	    !in_list((const char *const[]){ "root", "reply", NULL }, v,
	    end - at))
		return refuse(c, at, "unknown 'is:%.*s': use is:root or "
		    "is:reply", (int)MIN(end - at, 40), v);
	if (strcmp(field, "has") == 0 &&
	    !in_list((const char *const[]){ "attachment", "attachments",
	    NULL }, v, end - at))
		return refuse(c, at, "unknown 'has:%.*s': use has:attachment",
		    (int)MIN(end - at, 40), v);
	if (memchr(v, '*', end - at) != NULL &&
	    check_value_wildcard(c, field, people, at, end - at) != LARCH_OK)
		return LARCH_ERR_PARSE;
	if (v[0] == '@' && people)
		return refuse(c, at, "'%s:%.*s': give a whole address or a "
		    "name; a domain alone is not searched", field,
		    (int)MIN(end - at, 40), v);
	if (strcmp(field, "is") == 0 || strcmp(field, "has") == 0) {
		char *lower = g_ascii_strdown(v, end - at);

		g_string_append(c->out, lower);
		g_free(lower);
		return LARCH_OK;
	}
	g_string_append_len(c->out, v, end - at);
	return LARCH_OK;
}
