/*
 * Pipermail HTML article pages; see pipermail_html.h.
 *
 * Mailman 2.1 writes every page from one template (article.html), so the
 * reader looks for that template's landmarks in order rather than parsing
 * HTML in general: <H1> subject, <B> author, the mailto <A> with the
 * address as its text, <I> date, then the article between its comment
 * markers.  The page is first turned into UTF-8 from the charset its
 * <META> declares; text then only needs tags dropped and entities
 * decoded, which is all Mailman's escaping does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "larch/article.h"
#include "larch/fingerprint.h"
#include "larch/html.h"
#include "larch/mid.h"
#include "pipermail_html.h"

static const char BEGIN[] = "<!--beginarticle-->";
static const char END[] = "<!--endarticle-->";

static const char *const index_pages[] = {
	"date.html", "thread.html", "author.html", "subject.html",
	"index.html",
};

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* ---- recognising a page -------------------------------------------- */

/* Whether name is an archive volume's folder: a month ("2016-May"), or
 * a year, quarter, week or day (larch_article_volume()). */
static bool
is_volume_folder(const char *name)
{
	char *volume = larch_article_volume(name, strlen(name));

	g_free(volume);
	return volume != NULL;
}

bool
larch_pipermail_html_is_article_name(const char *path)
{
	char *base = g_path_get_basename(path);
	char *dir = g_path_get_dirname(path);
	char *folder = g_path_get_basename(dir);
	char *up = g_path_get_dirname(dir);
	char *above = g_path_get_basename(up);
	size_t n = strlen(base), digits = strspn(base, "0123456789");
	bool yes;

	/* attachments/20160526/ holds a day's scrubbed attachments, not a
	 * daily volume's articles. */
	yes = digits > 0 && n == digits + 5 &&
	    g_ascii_strcasecmp(base + digits, ".html") == 0 &&
	    is_volume_folder(folder) && strcmp(above, "attachments") != 0;
	for (size_t i = 0; yes && i < G_N_ELEMENTS(index_pages); i++)
		yes = strcmp(base, index_pages[i]) != 0;
	g_free(above);
	g_free(up);
	g_free(base);
	g_free(dir);
	g_free(folder);
	return yes;
}

bool
larch_pipermail_html_is_article(const char *buf, size_t len)
{
	return buf != NULL && g_strstr_len(buf, (gssize)len, BEGIN) != NULL;
}

/* ---- charsets ------------------------------------------------------ */

/* The charset the page's head declares, or NULL. */
static char *
declared_charset(const char *page, size_t len)
{
	const char *end = page + len, *head_end, *c;
	size_t n = 0;

	head_end = larch_html_find_ci(page, end, BEGIN);
	if (head_end == NULL)
		head_end = end;
	c = larch_html_find_ci(page, head_end, "charset=");
	if (c == NULL)
		return NULL;
	c += strlen("charset=");
	while (c + n < head_end && (g_ascii_isalnum(c[n]) || c[n] == '-' ||
	    c[n] == '_' || c[n] == '.' || c[n] == ':'))
		n++;
	return n > 0 ? g_ascii_strdown(c, (gssize)n) : NULL;
}

/* Charsets whose text, when it is valid UTF-8 as well, is taken for
 * UTF-8: Mailman declares the list's charset but copies a message's
 * UTF-8 bytes unchanged, and Latin-1 text is almost never valid UTF-8. */
static bool
is_weak_charset(const char *cs)
{
	static const char *const weak[] = { "us-ascii", "ascii", "utf-8",
		"utf8", "iso-8859-1", "latin1", "windows-1252", "cp1252" };

	if (cs == NULL)
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(weak); i++)
		if (strcmp(cs, weak[i]) == 0)
			return true;
	return false;
}

/* Every byte as the Latin-1 character of that code: never fails. */
static char *
from_latin1(const char *s, size_t len)
{
	GString *out = g_string_sized_new(len + len / 4 + 1);

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			g_string_append_c(out, ' ');
		else
			g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

/* The page as UTF-8, NUL bytes made spaces (they would cut it short). */
static char *
page_to_utf8(const char *page, size_t len, const char *fallback)
{
	char *copy = g_malloc(len + 1), *cs, *out = NULL;
	const char *from;

	memcpy(copy, page, len);
	copy[len] = '\0';

	for (char *p = copy; (p = memchr(p, '\0', len - (size_t)(p -
	    copy))) != NULL;)
		*p = ' ';
	cs = declared_charset(copy, len);
	if (is_weak_charset(cs) && g_utf8_validate_len(copy, len, NULL)) {
		g_free(cs);
		return copy;
	}
	if (fallback == NULL)
		fallback = "windows-1252";
	/* Undeclared or ASCII bytes beyond ASCII are the list's charset;
	 * Latin-1 pages are read as windows-1252, as browsers do. */
	from = cs == NULL || strcmp(cs, "us-ascii") == 0 ||
	    strcmp(cs, "ascii") == 0 || strcmp(cs, "utf-8") == 0 ? fallback :
	    strcmp(cs, "iso-8859-1") == 0 || strcmp(cs, "latin1") == 0 ?
	    "windows-1252" : cs;
	out = g_convert(copy, (gssize)len, "UTF-8", from, NULL, NULL, NULL);
	if (out == NULL)
		out = g_convert(copy, (gssize)len, "UTF-8", fallback, NULL,
		    NULL, NULL);
	if (out == NULL || strlen(out) == 0) {
		g_free(out);
		out = from_latin1(copy, len);
	}
	g_free(cs);
	g_free(copy);
	return out;
}

/* ---- HTML text ----------------------------------------------------- */

/* Whether the tag at p (after '<') is name, opening or closing. */
static bool
tag_is(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);

	if (p < end && *p == '/')
		p++;
	return (size_t)(end - p) > n && g_ascii_strncasecmp(p, name, n) == 0 &&
	    !g_ascii_isalnum(p[n]);
}

/*
 * The text of [p, end): tags dropped (<br> and <p> break lines), entities
 * decoded.  pre keeps white space as it is; otherwise every run of it
 * becomes one space and the ends are trimmed.
 */
static char *
html_text(const char *p, const char *end, bool pre)
{
	GString *out = g_string_sized_new((size_t)(end - p) + 1);
	/* The next '<' and '&' at or after p (end when there is none),
	 * looked for again only once passed: searching afresh at every
	 * tag made a page of many tags and no '&' quadratic. */
	const char *lt = NULL, *amp = NULL;

	while (p < end) {
		const char *stop;
		gunichar c;
		size_t n;

		if (lt == NULL || lt < p) {
			lt = memchr(p, '<', (size_t)(end - p));
			if (lt == NULL)
				lt = end;
		}
		if (amp == NULL || amp < p) {
			amp = memchr(p, '&', (size_t)(end - p));
			if (amp == NULL)
				amp = end;
		}
		stop = MIN(lt, amp);
		g_string_append_len(out, p, stop - p);
		p = stop;
		if (p == end)
			break;
		if (*p == '&') {
			n = larch_html_entity(p, end, true, &c);
			if (n == 0) {
				g_string_append_c(out, '&');
				p++;
			} else {
				g_string_append_unichar(out, c);
				p += n;
			}
			continue;
		}
		if (p + 1 < end && (g_ascii_isalpha(p[1]) || p[1] == '/' ||
		    p[1] == '!')) {
			if (tag_is(p + 1, end, "br"))
				g_string_append_c(out, '\n');
			else if (tag_is(p + 1, end, "p"))
				g_string_append(out, "\n\n");
			p = larch_html_tag_end(p, end);
			continue;
		}
		g_string_append_c(out, '<');
		p++;
	}
	if (!pre) {
		char *s = out->str, *w = s;
		bool space = false;

		for (char *r = s; *r != '\0'; r++) {
			if (g_ascii_isspace(*r)) {
				space = w > s;
				continue;
			}
			if (space)
				*w++ = ' ';
			space = false;
			*w++ = *r;
		}
		*w = '\0';
		g_string_set_size(out, (gsize)(w - s));
	}
	return g_string_free(out, FALSE);
}

/* [p, end) with its entities decoded, nothing else touched. */
static char *
decode_entities(const char *p, const char *end)
{
	GString *out = g_string_sized_new((size_t)(end - p) + 1);

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		gunichar c;
		size_t n;

		if (amp == NULL)
			amp = end;
		g_string_append_len(out, p, amp - p);
		if ((p = amp) == end)
			break;
		n = larch_html_entity(p, end, true, &c);
		if (n == 0) {
			g_string_append_c(out, '&');
			p++;
		} else {
			g_string_append_unichar(out, c);
			p += n;
		}
	}
	return g_string_free(out, FALSE);
}

/* The text between <tag> and </tag> at or after p (before end), or NULL;
 * *after is set past the closing tag. */
static char *
element_text(const char *p, const char *end, const char *tag,
    const char **after)
{
	char *open = g_strdup_printf("<%s", tag);
	char *close = g_strdup_printf("</%s>", tag);
	const char *s = p, *e;
	char *text = NULL;

	for (;;) {
		s = larch_html_find_ci(s, end, open);
		if (s == NULL || !g_ascii_isalnum(s[strlen(open)]))
			break;
		s++;
	}
	if (s != NULL) {
		s = larch_html_tag_end(s, end);
		e = larch_html_find_ci(s, end, close);
		if (e != NULL) {
			text = html_text(s, e, false);
			*after = e + strlen(close);
		}
	}
	g_free(open);
	g_free(close);
	return text;
}

/* ---- the mailto link ----------------------------------------------- */

/* The value of attribute name in the tag [p, end), entities decoded. */
static char *
attribute(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);

	for (const char *q = p + 1; q + n < end; q++) {
		const char *v;
		char quote;

		if (!g_ascii_isspace(q[-1]) || g_ascii_strncasecmp(q, name,
		    n) != 0)
			continue;
		v = q + n;
		while (v < end && g_ascii_isspace(*v))
			v++;
		if (v == end || *v != '=')
			continue;
		v++;
		while (v < end && g_ascii_isspace(*v))
			v++;
		quote = v < end && (*v == '"' || *v == '\'') ? *v++ : 0;
		for (q = v; q < end && (quote != 0 ? *q != quote :
		    !g_ascii_isspace(*q) && *q != '>'); q++)
			;
		return decode_entities(v, q);
	}
	return NULL;
}

/*
 * The first mailto link in [p, end): where its tag starts (NULL when there
 * is none), its href in *href, the text it shows in *shown and the end of
 * its </A> in *after.
 */
static const char *
find_mailto(const char *p, const char *end, char **href, char **shown,
    const char **after)
{
	*href = *shown = NULL;
	for (const char *a = larch_html_find_ci(p, end, "<a "); a != NULL;
	    a = larch_html_find_ci(a + 1, end, "<a ")) {
		const char *open_end = larch_html_tag_end(a, end);
		const char *close = larch_html_find_ci(open_end, end, "</a>");

		*href = attribute(a, open_end, "href");
		if (*href == NULL || g_ascii_strncasecmp(*href, "mailto:",
		    7) != 0) {
			g_clear_pointer(href, g_free);
			continue;
		}
		*after = open_end;
		if (close != NULL) {
			*shown = html_text(open_end, close, false);
			*after = close + 4;
		}
		return a;
	}
	return NULL;
}

/* A percent-decoded query parameter of a mailto URL, or NULL. */
static char *
mailto_param(const char *url, const char *name)
{
	const char *q = url != NULL ? strchr(url, '?') : NULL;
	size_t n = strlen(name);

	while (q != NULL) {
		const char *v = q + 1, *next = strchr(v, '&');
		size_t len = next != NULL ? (size_t)(next - v) : strlen(v);

		if (len > n && v[n] == '=' && g_ascii_strncasecmp(v, name,
		    n) == 0) {
			char *raw = g_strndup(v + n + 1, len - n - 1);
			char *dec = g_uri_unescape_string(raw, NULL);

			if (dec == NULL || !g_utf8_validate(dec, -1, NULL)) {
				g_free(dec);
				return raw;
			}
			g_free(raw);
			return dec;
		}
		q = next;
	}
	return NULL;
}

/* The address a mailto link shows ("user at host", or "user@host" where
 * the archive does not hide them), lowercased; NULL when it is none. */
static char *
shown_address(const char *text)
{
	char **w = g_strsplit_set(text != NULL ? text : "", " \t\r\n", -1);
	GPtrArray *words = g_ptr_array_new();
	char *addr = NULL;

	for (char **p = w; *p != NULL; p++)
		if (**p != '\0')
			g_ptr_array_add(words, *p);
	/* " at " is translated in other languages: any one word will do. */
	if (words->len == 1 && strchr(words->pdata[0], '@') != NULL)
		addr = g_strdup(words->pdata[0]);
	else if (words->len == 3 && strchr(words->pdata[0], '@') == NULL &&
	    strchr(words->pdata[2], '.') != NULL)
		addr = g_strconcat(words->pdata[0], "@", words->pdata[2],
		    NULL);
	g_ptr_array_unref(words);
	g_strfreev(w);
	if (addr != NULL) {
		char *low = g_utf8_strdown(addr, -1);

		g_free(addr);
		addr = low;
	}
	return addr;
}

/* ---- dates --------------------------------------------------------- */

/* Time zone abbreviations that Mailman's ctime() prints, in minutes east
 * of UTC.  Ambiguous ones (IST, CST in China) are read the common way. */
static const struct {
	const char *name;
	int minutes;
} zones[] = {
	{ "UTC", 0 }, { "GMT", 0 }, { "UT", 0 }, { "Z", 0 }, { "WET", 0 },
	{ "WEST", 60 }, { "BST", 60 }, { "IST", 330 }, { "CET", 60 },
	{ "MET", 60 }, { "CEST", 120 }, { "MEST", 120 }, { "MESZ", 120 },
	{ "MEZ", 60 }, { "EET", 120 }, { "EEST", 180 }, { "MSK", 180 },
	{ "MSD", 240 }, { "EST", -300 }, { "EDT", -240 }, { "CST", -360 },
	{ "CDT", -300 }, { "MST", -420 }, { "MDT", -360 }, { "PST", -480 },
	{ "PDT", -420 }, { "AKST", -540 }, { "AKDT", -480 },
	{ "HST", -600 }, { "AST", -240 }, { "ADT", -180 }, { "NST", -210 },
	{ "NDT", -150 }, { "JST", 540 }, { "KST", 540 }, { "HKT", 480 },
	{ "SGT", 480 }, { "AWST", 480 }, { "ACST", 570 }, { "ACDT", 630 },
	{ "AEST", 600 }, { "AEDT", 660 }, { "NZST", 720 }, { "NZDT", 780 },
	{ "BRT", -180 }, { "BRST", -120 }, { "ART", -180 }, { "SAST", 120 },
	{ "WIB", 420 }, { "PHT", 480 }, { "ICT", 420 }, { "PKT", 300 },
};

static bool
all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && strspn(s, "0123456789") == n;
}

/*
 * ctime() with a zone: "Thu May 26 19:05:00 CEST 2016", also without the
 * zone, with "+0200", or with day and month names in another language
 * (then the month comes from the page's folder, when it names one).  0
 * when unreadable.
 * Mailman translates the names (i18n.ctime()), and in French, Spanish
 * and Italian Tuesday is "Mar", as March is: of two names before the
 * time, the first is the day's, and never the month.
 */
/* The month (1-12) that the page's volume folder pins down: a month's
 * ("2016-May") or a day's ("20160526"); -1 for a year, quarter or week,
 * or none. */
static int
month_of_volume(const char *volume)
{
	size_t n = volume != NULL ? strlen(volume) : 0;
	int month = -1;

	if (n == 8 && all_digits(volume, 8, 8))
		month = (volume[4] - '0') * 10 + (volume[5] - '0');
	else if (n > 5 && volume[4] == '-')
		for (int m = 0; m < 12; m++)
			if (strcmp(volume + 5, months[m]) == 0)
				month = m + 1;
	return month >= 1 && month <= 12 ? month : -1;
}

static int64_t
page_date(const char *text, const char *folder_month)
{
	char **w = g_strsplit_set(text != NULL ? text : "", " \t\r\n,", -1);
	int year = -1, month = -1, day = -1, hh = -1, mi = 0, ss = 0;
	int offset = 0, names = 0, name = 0;
	int64_t t = 0;
	GDateTime *dt;

	for (char **p = w; *p != NULL && strchr(*p, ':') == NULL; p++)
		if (g_ascii_isalpha(**p))
			names++;
	for (char **p = w; *p != NULL; p++) {
		const char *s = *p;

		if (*s == '\0')
			continue;
		if (g_ascii_isalpha(*s) && hh < 0 && name++ == 0 &&
		    names >= 2)
			continue;	/* the day's name */
		if (strchr(s, ':') != NULL && hh < 0) {
			if (sscanf(s, "%d:%d:%d", &hh, &mi, &ss) < 2)
				hh = -1;
		} else if (all_digits(s, 4, 4) && year < 0) {
			year = atoi(s);
		} else if (all_digits(s, 1, 2) && day < 0) {
			day = atoi(s);
		} else if ((*s == '+' || *s == '-') && all_digits(s + 1, 4,
		    4)) {
			int v = atoi(s + 1);

			offset = (v / 100 * 60 + v % 100) * (*s == '-' ? -1 :
			    1);
		} else if (g_ascii_isalpha(*s)) {
			for (int m = 0; m < 12 && month < 0; m++)
				if (strlen(s) >= 3 && g_ascii_strncasecmp(s,
				    months[m], strlen(s) < 3 ? 3 :
				    MIN(strlen(s), strlen(months[m]))) == 0)
					month = m + 1;
			for (size_t z = 0; z < G_N_ELEMENTS(zones); z++)
				if (strcmp(s, zones[z].name) == 0)
					offset = zones[z].minutes;
		}
	}
	g_strfreev(w);
	if (month < 0)
		month = month_of_volume(folder_month);
	if (year < 0 || month < 0 || day < 1 || hh < 0 || hh > 23 ||
	    mi < 0 || mi > 59 || ss < 0 || ss > 60)
		return 0;
	dt = g_date_time_new_utc(year, month, day, hh, mi, MIN(ss, 59));
	if (dt != NULL) {
		t = g_date_time_to_unix(dt) - (int64_t)offset * 60;
		g_date_time_unref(dt);
	}
	return t;
}

/* ---- the page ------------------------------------------------------ */

/* Cuts text to at most max bytes at a character boundary. */
static void
cut_text(char *text, size_t max)
{
	size_t len = strlen(text);

	if (max == 0 || len <= max)
		return;
	while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
		max--;
	text[max] = '\0';
}

/* The article's text: blank lines at either end go. */
static char *
body_text(const char *p, const char *end)
{
	char *text = html_text(p, end, true), *s = text;
	size_t len;

	while (*s == '\n' || *s == '\r')
		s++;
	len = strlen(s);
	while (len > 0 && g_ascii_isspace(s[len - 1]))
		len--;
	memmove(text, s, len);
	text[len] = '\0';
	return text;
}

/* Fills mid, header_mid and in_reply_to from the reply link's href. */
static void
set_ids(struct larch_msg *m, const char *href)
{
	char *irt = mailto_param(href, "In-Reply-To");
	char *subject = mailto_param(href, "Subject");
	char *id = irt != NULL ? larch_mid_normalise(irt) : NULL;

	/* Mailman 2.1.6 and later: "Re: " + subject, the page's own id
	 * in brackets.  Before: the subject, the parent's bare id. */
	if (id != NULL && ((subject != NULL &&
	    g_str_has_prefix(subject, "Re: ")) || strchr(irt, '<') != NULL)) {
		m->mid = id;
		m->header_mid = g_strdup(id);
	} else {
		m->in_reply_to = id;
	}
	g_free(irt);
	g_free(subject);
}

/* An id for a page that names none, the same whenever it is read. */
static char *
derived_mid(const struct larch_msg *m)
{
	GString *key = g_string_new("pipermail-html\n");
	char *mid;

	g_string_append_printf(key, "%s\n%" G_GINT64_FORMAT "\n%s\n%s",
	    m->from_addr != NULL ? m->from_addr : "", m->date,
	    m->subject != NULL ? m->subject : "",
	    m->body != NULL ? m->body : "");
	mid = larch_mid_from_content(key->str, key->len);
	g_string_free(key, TRUE);
	return mid;
}

/* A string, or NULL when empty. */
static char *
nonempty(char *s)
{
	if (s != NULL && s[0] == '\0') {
		g_free(s);
		return NULL;
	}
	return s;
}

enum larch_status
larch_pipermail_html_parse(const char *page, size_t len,
    const struct larch_pipermail_html_opts *opts, struct larch_msg **out,
    const char **why)
{
	struct larch_pipermail_html_opts none = { 0 };
	struct larch_msg *m;
	char *text, *name, *shown = NULL, *href = NULL, *date;
	const char *end, *begin, *stop, *p, *after = NULL, *a, *link_end = NULL;

	*out = NULL;
	if (opts == NULL)
		opts = &none;
	text = page_to_utf8(page, len, opts->fallback_charset);
	end = text + strlen(text);
	begin = strstr(text, BEGIN);
	if (begin == NULL) {
		g_free(text);
		*why = "not a pipermail article page (no <!--beginarticle-->)";
		return LARCH_ERR_PARSE;
	}
	stop = strstr(begin, END);
	if (stop == NULL)
		stop = end;

	m = larch_msg_new();
	/* The subject: <H1>, else the <TITLE>. */
	p = text;
	m->subject = nonempty(element_text(text, begin, "h1", &after));
	if (m->subject != NULL)
		p = after;
	else
		m->subject = nonempty(element_text(text, begin, "title",
		    &after));

	/* The reply link shows the address; the author's <B> comes before
	 * it, the date's <I> after it. */
	a = find_mailto(p, begin, &href, &shown, &link_end);
	name = nonempty(element_text(p, a != NULL ? a : begin, "b", &after));
	if (a != NULL)
		p = link_end;
	else if (name != NULL)
		p = after;
	if (href == NULL) {
		/* Older templates: <LINK REL="made" HREF="mailto:..."> */
		const char *made = larch_html_find_ci(text, begin,
		    "rel=\"made\"");

		if (made != NULL) {
			const char *lt = made;

			while (lt > text && *lt != '<')
				lt--;
			href = attribute(lt, larch_html_tag_end(lt, begin),
			    "href");
		}
	}
	/* Not the href's address: where Mailman hides addresses that is the
	 * list's. */
	m->from_addr = shown_address(shown);
	if (name != NULL) {
		char *as_addr = shown_address(name);

		/* Without a name Mailman shows the address there too. */
		if (as_addr != NULL && g_strcmp0(as_addr, m->from_addr) == 0)
			g_clear_pointer(&name, g_free);
		g_free(as_addr);
	}
	m->from_name = name;
	date = element_text(p, begin, "i", &after);
	m->date = page_date(date, opts->month);
	g_free(date);
	set_ids(m, href);

	m->body = body_text(begin + strlen(BEGIN), stop);
	cut_text(m->body, opts->max_text);
	larch_fingerprint(m->body, strlen(m->body), m);
	if (m->mid == NULL)
		m->mid = derived_mid(m);

	g_free(shown);
	g_free(href);
	g_free(text);
	*out = m;
	return LARCH_OK;
}
