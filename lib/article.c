/*
 * Pipermail article references; see include/larch/article.h.
 *
 * Only the last three path elements count (LIST/YYYY-Month/N.html): a
 * site may serve its archive under any prefix (/pipermail/,
 * /mailman/private/, a mirror's own folders), and a local copy of the
 * archive has the same shape.
 */
#include <string.h>

#include <glib.h>

#include "larch/article.h"

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* The pages of a month folder that list articles rather than show one. */
static const char *const index_pages[] = {
	"date.html", "thread.html", "author.html", "subject.html",
	"index.html",
};

/* The number of ASCII digits at the start of the len bytes at s. */
static size_t
digits_at(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && g_ascii_isdigit(s[n]))
		n++;
	return n;
}

char *
larch_article_volume(const char *s, size_t len)
{
	static const char week[] = "Week-of-Mon-";
	const size_t wn = sizeof week - 1;

	if (s == NULL)
		return NULL;
	/* Week-of-Mon-20160502 (weekly) and 20160502 (daily). */
	if (len == wn + 8 && g_ascii_strncasecmp(s, week, wn) == 0 &&
	    digits_at(s + wn, 8) == 8)
		return g_strdup_printf("%s%.8s", week, s + wn);
	if (digits_at(s, len) == 8 && len == 8)
		return g_strndup(s, 8);
	if (len < 4 || digits_at(s, 4) != 4)
		return NULL;
	/* 2016 (yearly), 2016q2 (quarterly), 2016-May (monthly). */
	if (len == 4)
		return g_strndup(s, 4);
	if (len == 6 && (s[4] == 'q' || s[4] == 'Q') && s[5] >= '1' &&
	    s[5] <= '4')
		return g_strdup_printf("%.4sq%c", s, s[5]);
	if (s[4] != '-')
		return NULL;
	for (int m = 0; m < 12; m++) {
		size_t n = strlen(months[m]);

		if (len == 5 + n && g_ascii_strncasecmp(s + 5, months[m],
		    n) == 0)
			return g_strdup_printf("%.4s-%s", s, months[m]);
	}
	return NULL;
}

char *
larch_article_tail(const struct larch_article *a)
{
	return g_strdup_printf("%s/%06" G_GUINT32_FORMAT ".html",
	    a->month != NULL ? a->month : "", a->number);
}

void
larch_article_release(struct larch_article *a)
{
	if (a == NULL)
		return;
	g_free(a->list);
	g_free(a->month);
	memset(a, 0, sizeof *a);
}

bool
larch_article_looks_like(const char *text)
{
	static const char ext[] = ".html";
	const char *end;
	size_t n;

	if (text == NULL)
		return false;
	if (strstr(text, "://") != NULL || strstr(text, "/pipermail/") != NULL)
		return true;
	n = strcspn(text, "?#");
	end = text + n;
	while (end > text && (g_ascii_isspace(end[-1]) || end[-1] == '>'))
		end--;
	return (size_t)(end - text) >= sizeof ext - 1 &&
	    g_ascii_strncasecmp(end - (sizeof ext - 1), ext,
	    sizeof ext - 1) == 0;
}

/* Parses "N.html" (len bytes at s) into *number. */
static bool
page_number(const char *s, size_t len, uint32_t *number, const char **why)
{
	static const char ext[] = ".html";
	size_t digits = 0;
	uint64_t v = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(index_pages); i++) {
		if (len == strlen(index_pages[i]) &&
		    g_ascii_strncasecmp(s, index_pages[i], len) == 0) {
			*why = "an index page of a pipermail month (date, "
			    "thread, author, subject or index.html), not an "
			    "article page";
			return false;
		}
	}
	if (len < sizeof ext - 1 || g_ascii_strncasecmp(s + len -
	    (sizeof ext - 1), ext, sizeof ext - 1) != 0) {
		*why = "not a pipermail article: the page must be NNNNNN.html";
		return false;
	}
	for (; digits < len - (sizeof ext - 1); digits++) {
		if (!g_ascii_isdigit(s[digits])) {
			*why = "not a pipermail article: the page name must "
			    "be digits, as in 003251.html";
			return false;
		}
		v = v * 10 + (uint64_t)(s[digits] - '0');
		if (v > G_MAXUINT32) {
			*why = "the article number is too large";
			return false;
		}
	}
	if (digits == 0) {
		*why = "not a pipermail article: the page name must be "
		    "digits, as in 003251.html";
		return false;
	}
	*number = (uint32_t)v;
	return true;
}

/* The list named by the path element s[0, len): percent-decoded, valid
 * UTF-8, no control characters.  NULL (with *why) when it is unusable. */
static char *
list_name(const char *s, size_t len, const char **why)
{
	char *name = g_uri_unescape_segment(s, s + len, "/");

	*why = "the list name before the month is not valid";
	if (name == NULL)
		return NULL;
	if (name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0 || !g_utf8_validate(name, -1, NULL))
		goto bad;
	for (const char *p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			goto bad;
	return name;
bad:
	g_free(name);
	return NULL;
}

/* One path element: [start, end) of the text. */
struct seg {
	const char *p;
	size_t n;
};

enum larch_status
larch_article_parse(const char *text, struct larch_article *out,
    const char **why)
{
	const char *start, *end, *path, *scheme_end, *cut, *reason = NULL;
	struct seg seg[3] = { { NULL, 0 } };
	int nseg = 0;
	char *month = NULL, *list = NULL;
	uint32_t number = 0;

	if (why == NULL)
		why = &reason;
	*why = NULL;
	if (out == NULL || text == NULL) {
		*why = "no article reference given";
		return LARCH_ERR_INVALID;
	}
	memset(out, 0, sizeof *out);

	start = text;
	end = text + strlen(text);
	while (start < end && g_ascii_isspace(*start))
		start++;
	while (end > start && g_ascii_isspace(end[-1]))
		end--;
	if (end - start >= 2 && *start == '<' && end[-1] == '>') {
		start++;
		end--;
	}
	if (start == end) {
		*why = "empty article reference";
		return LARCH_ERR_PARSE;
	}

	/* A URL: the path starts after "scheme://authority". */
	path = start;
	scheme_end = memchr(start, ':', (size_t)(end - start));
	if (scheme_end != NULL && end - scheme_end >= 3 &&
	    scheme_end[1] == '/' && scheme_end[2] == '/') {
		bool scheme = scheme_end > start && g_ascii_isalpha(*start);

		for (const char *p = start; scheme && p < scheme_end; p++)
			scheme = g_ascii_isalnum(*p) || *p == '+' ||
			    *p == '-' || *p == '.';
		if (scheme) {
			path = memchr(scheme_end + 3, '/',
			    (size_t)(end - scheme_end - 3));
			if (path == NULL) {
				*why = "the URL has no path to an article "
				    "page";
				return LARCH_ERR_PARSE;
			}
		}
	}
	/* A query or fragment is not part of the page's name. */
	for (cut = path; cut < end && *cut != '?' && *cut != '#'; cut++)
		;
	end = cut;

	/* The last three path elements, last first. */
	for (const char *p = end; nseg < 3 && p > path;) {
		const char *q = p;

		while (q > path && q[-1] != '/')
			q--;
		seg[nseg].p = q;
		seg[nseg].n = (size_t)(p - q);
		nseg++;
		p = q > path ? q - 1 : q;
		if (q == path)
			break;
	}
	if (nseg == 0 || seg[0].n == 0) {
		*why = "not a pipermail article: the reference must end in "
		    "YYYY-Month/NNNNNN.html";
		return LARCH_ERR_PARSE;
	}
	if (!page_number(seg[0].p, seg[0].n, &number, why))
		return LARCH_ERR_PARSE;
	if (nseg < 2 || (month = larch_article_volume(seg[1].p,
	    seg[1].n)) == NULL) {
		*why = "not a pipermail article: the page must be in a "
		    "YYYY-Month folder (or another archive volume's: YYYY, "
		    "YYYYqN, Week-of-Mon-YYYYMMDD, YYYYMMDD), as in "
		    "2016-May/003251.html";
		return LARCH_ERR_PARSE;
	}
	if (nseg == 3 && seg[2].n > 0) {
		list = list_name(seg[2].p, seg[2].n, why);
		if (list == NULL) {
			g_free(month);
			return LARCH_ERR_PARSE;
		}
	}
	out->list = list;
	out->month = month;
	out->number = number;
	*why = NULL;
	return LARCH_OK;
}
