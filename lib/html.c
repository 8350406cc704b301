/*
 * A small HTML to plain text converter for HTML-only mail.  It is not a
 * browser: it knows which elements break lines, which hide their content,
 * the common entities, and that <blockquote> is a quote, which it renders
 * as "> " lines so the quote splitter later sees what a plain-text reader
 * would have seen.
 */
#include <string.h>

#include "larch/html.h"
#include "parse_private.h"

#define MAX_BREAKS 2	/* at most one blank line in a row */

struct out {
	GString *s;
	int depth;		/* blockquote nesting */
	int nl;			/* line breaks waiting for the next text */
	int nl_depth;		/* lowest depth seen while they waited */
	bool space;		/* a space waits for the next text */
	bool line_start;	/* the quote prefix is not written yet */
	int pre;		/* inside <pre>: whitespace is kept */
};

static void
write_prefix(struct out *o, int depth, bool trim)
{
	for (int i = 0; i < depth; i++) {
		g_string_append_c(o->s, '>');
		if (!trim || i + 1 < depth)
			g_string_append_c(o->s, ' ');
	}
}

static void
emit(struct out *o, const char *text, size_t n)
{
	if (o->nl > 0 && o->s->len > 0) {
		int d = MIN(o->nl_depth, o->depth);

		g_string_append_c(o->s, '\n');
		for (int i = 1; i < o->nl; i++) {
			write_prefix(o, d, true);
			g_string_append_c(o->s, '\n');
		}
		o->line_start = true;
	}
	o->nl = 0;
	if (o->line_start) {
		write_prefix(o, o->depth, false);
		o->line_start = false;
	} else if (o->space) {
		g_string_append_c(o->s, ' ');
	}
	o->space = false;
	g_string_append_len(o->s, text, n);
}

static void
line_break(struct out *o, int n, bool add)
{
	o->space = false;
	if (o->s->len == 0)
		return;
	if (o->nl == 0)
		o->nl_depth = o->depth;
	o->nl = add ? MIN(o->nl + n, MAX_BREAKS) : MAX(o->nl, n);
}

static void
whitespace(struct out *o, char c)
{
	if (o->pre > 0) {
		if (c == '\n') {
			if (o->s->len > 0 && o->nl == 0)
				o->nl_depth = o->depth;
			/* Blank lines in <pre> are kept, one at a time. */
			o->nl = o->s->len > 0 ? MIN(o->nl + 1, MAX_BREAKS) : 0;
			o->space = false;
		} else if (c != '\r') {
			char t = c == '\t' ? '\t' : ' ';

			emit(o, &t, 1);
		}
		return;
	}
	if (!o->line_start && o->nl == 0)
		o->space = true;
}

static const struct {
	const char *name;
	gunichar c;
} entities[] = {
	{ "nbsp", 0xa0 }, { "amp", '&' }, { "lt", '<' }, { "gt", '>' },
	{ "quot", '"' }, { "apos", '\'' }, { "copy", 0xa9 }, { "reg", 0xae },
	{ "trade", 0x2122 }, { "hellip", 0x2026 }, { "mdash", 0x2014 },
	{ "ndash", 0x2013 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
	{ "sbquo", 0x201a }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
	{ "bdquo", 0x201e }, { "laquo", 0xab }, { "raquo", 0xbb },
	{ "lsaquo", 0x2039 }, { "rsaquo", 0x203a }, { "bull", 0x2022 },
	{ "middot", 0xb7 }, { "euro", 0x20ac }, { "pound", 0xa3 },
	{ "yen", 0xa5 }, { "cent", 0xa2 }, { "sect", 0xa7 }, { "para", 0xb6 },
	{ "deg", 0xb0 }, { "plusmn", 0xb1 }, { "times", 0xd7 },
	{ "divide", 0xf7 }, { "micro", 0xb5 }, { "shy", 0xad },
	{ "zwnj", 0x200c }, { "zwj", 0x200d }, { "lrm", 0x200e },
	{ "rlm", 0x200f }, { "thinsp", 0x2009 }, { "ensp", 0x2002 },
	{ "emsp", 0x2003 }, { "iexcl", 0xa1 }, { "iquest", 0xbf },
	{ "ordf", 0xaa }, { "ordm", 0xba }, { "sup1", 0xb9 }, { "sup2", 0xb2 },
	{ "sup3", 0xb3 }, { "frac12", 0xbd }, { "frac14", 0xbc },
	{ "frac34", 0xbe }, { "acute", 0xb4 }, { "uml", 0xa8 },
	{ "cedil", 0xb8 }, { "macr", 0xaf }, { "not", 0xac },
	{ "brvbar", 0xa6 },
	{ "curren", 0xa4 }, { "dagger", 0x2020 }, { "Dagger", 0x2021 },
	{ "permil", 0x2030 }, { "larr", 0x2190 }, { "rarr", 0x2192 },
	{ "uarr", 0x2191 }, { "darr", 0x2193 }, { "harr", 0x2194 },
	{ "rArr", 0x21d2 }, { "le", 0x2264 }, { "ge", 0x2265 },
	{ "ne", 0x2260 }, { "infin", 0x221e }, { "minus", 0x2212 },
	{ "alpha", 0x3b1 }, { "beta", 0x3b2 }, { "gamma", 0x3b3 },
	{ "delta", 0x3b4 }, { "pi", 0x3c0 }, { "mu", 0x3bc }, { "szlig", 0xdf },
	{ "Agrave", 0xc0 }, { "Aacute", 0xc1 }, { "Acirc", 0xc2 },
	{ "Atilde", 0xc3 }, { "Auml", 0xc4 }, { "Aring", 0xc5 },
	{ "AElig", 0xc6 }, { "Ccedil", 0xc7 }, { "Egrave", 0xc8 },
	{ "Eacute", 0xc9 }, { "Ecirc", 0xca }, { "Euml", 0xcb },
	{ "Igrave", 0xcc }, { "Iacute", 0xcd }, { "Icirc", 0xce },
	{ "Iuml", 0xcf }, { "ETH", 0xd0 }, { "Ntilde", 0xd1 },
	{ "Ograve", 0xd2 }, { "Oacute", 0xd3 }, { "Ocirc", 0xd4 },
	{ "Otilde", 0xd5 }, { "Ouml", 0xd6 }, { "Oslash", 0xd8 },
	{ "Ugrave", 0xd9 }, { "Uacute", 0xda }, { "Ucirc", 0xdb },
	{ "Uuml", 0xdc }, { "Yacute", 0xdd }, { "THORN", 0xde },
	{ "agrave", 0xe0 }, { "aacute", 0xe1 }, { "acirc", 0xe2 },
	{ "atilde", 0xe3 }, { "auml", 0xe4 }, { "aring", 0xe5 },
	{ "aelig", 0xe6 }, { "ccedil", 0xe7 }, { "egrave", 0xe8 },
	{ "eacute", 0xe9 }, { "ecirc", 0xea }, { "euml", 0xeb },
	{ "igrave", 0xec }, { "iacute", 0xed }, { "icirc", 0xee },
	{ "iuml", 0xef }, { "eth", 0xf0 }, { "ntilde", 0xf1 },
	{ "ograve", 0xf2 }, { "oacute", 0xf3 }, { "ocirc", 0xf4 },
	{ "otilde", 0xf5 }, { "ouml", 0xf6 }, { "oslash", 0xf8 },
	{ "ugrave", 0xf9 }, { "uacute", 0xfa }, { "ucirc", 0xfb },
	{ "uuml", 0xfc }, { "yacute", 0xfd }, { "thorn", 0xfe },
	{ "yuml", 0xff }, { "OElig", 0x152 }, { "oelig", 0x153 },
	{ "Scaron", 0x160 }, { "scaron", 0x161 }, { "Yuml", 0x178 },
	{ "fnof", 0x192 }, { "circ", 0x2c6 }, { "tilde", 0x2dc },
};

/* Entities that old HTML writes without the semicolon. */
static const char *const legacy[] = { "amp", "lt", "gt", "quot", "nbsp" };

/* HTML5's reading of numeric references to C1 code points. */
static const gunichar c1_map[32] = {
	0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
	0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
};

size_t
larch_html_entity(const char *p, const char *end, bool strict, gunichar *c)
{
	const char *q = p + 1;
	size_t n;

	if (q < end && *q == '#') {
		guint64 v = 0;
		bool hex = false, any = false;

		q++;
		if (q < end && (*q == 'x' || *q == 'X')) {
			hex = true;
			q++;
		}
		for (; q < end && (hex ? g_ascii_isxdigit(*q) :
		    g_ascii_isdigit(*q)); q++) {
			any = true;
			if (v < 0x110000)
				v = v * (hex ? 16 : 10) + (guint64)
				    (hex ? g_ascii_xdigit_value(*q) : *q - '0');
		}
		if (!any)
			return 0;
		if (q < end && *q == ';')
			q++;
		if (v >= 0x80 && v < 0xa0)
			v = c1_map[v - 0x80];
		if (v == 0 || v >= 0x110000 || (v >= 0xd800 && v < 0xe000))
			v = 0xfffd;
		*c = (gunichar)v;
		return (size_t)(q - p);
	}
	while (q < end && g_ascii_isalnum(*q) && q - p < 12)
		q++;
	n = (size_t)(q - p - 1);
	if (n == 0)
		return 0;
	for (size_t i = 0; i < G_N_ELEMENTS(entities); i++) {
		if (strlen(entities[i].name) != n ||
		    memcmp(entities[i].name, p + 1, n) != 0)
			continue;
		if (q < end && *q == ';') {
			*c = entities[i].c;
			return n + 2;
		}
		for (size_t j = 0; !strict && j < G_N_ELEMENTS(legacy); j++) {
			if (strcmp(legacy[j], entities[i].name) == 0) {
				*c = entities[i].c;
				return n + 1;
			}
		}
		return 0;
	}
	return 0;
}

const char *
larch_html_find_ci(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);

	for (; p + n <= end; p++)
		if (g_ascii_strncasecmp(p, needle, n) == 0)
			return p;
	return NULL;
}

const char *
larch_html_tag_end(const char *p, const char *end)
{
	char quote = 0;

	for (const char *q = p; q < end; q++) {
		if (quote != 0) {
			if (*q == quote)
				quote = 0;
		} else if (*q == '"' || *q == '\'') {
			/* Only a quote right after '=' opens a value. */
			if (q > p && q[-1] == '=')
				quote = *q;
		} else if (*q == '>') {
			return q + 1;
		}
	}
	/* An unclosed quote: fall back to the first '>'. */
	p = memchr(p, '>', (size_t)(end - p));
	return p != NULL ? p + 1 : end;
}

/* How far into a part a <meta> charset is looked for: the head, which
 * mail clients write before anything long. */
#define META_SCAN (16u * 1024)

char *
larch_html_meta_charset(const char *html, size_t len)
{
	const char *end = html + MIN(len, META_SCAN), *p = html;
	const char *body = larch_html_find_ci(html, end, "<body");

	if (body != NULL)
		end = body;
	while ((p = larch_html_find_ci(p, end, "<meta")) != NULL) {
		const char *tag_end = larch_html_tag_end(p, end);
		const char *c = p + 5, *v;

		p = tag_end;
		if (c >= tag_end || !(g_ascii_isspace(*c) || *c == '/'))
			continue;
		/* <meta charset="x">, or the http-equiv form's content
		 * "text/html; charset=x". */
		while ((c = larch_html_find_ci(c, tag_end, "charset")) !=
		    NULL) {
			c += 7;
			while (c < tag_end && g_ascii_isspace(*c))
				c++;
			if (c >= tag_end || *c != '=')
				continue;
			c++;
			while (c < tag_end && (g_ascii_isspace(*c) ||
			    *c == '"' || *c == '\''))
				c++;
			for (v = c; v < tag_end && v - c < 40 &&
			    (g_ascii_isalnum(*v) || *v == '-' || *v == '_' ||
			    *v == '.' || *v == ':');
			    v++)
				;
			if (v > c)
				return g_strndup(c, (gsize)(v - c));
		}
	}
	return NULL;
}

static bool
name_in(const char *name, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

static const char *const para_tags[] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl",
	"pre", "hr", "address", "figure", "fieldset", "center", NULL,
};

static const char *const line_tags[] = {
	"div", "tr", "li", "dt", "dd", "section", "article", "header",
	"footer", "aside", "nav", "main", "form", "caption", "tbody",
	"thead", "tfoot", "figcaption", "details", "summary", "menu", "dir",
	"body", "html", "title", "option", "legend", NULL,
};

static const char *const hidden_tags[] = {
	"script", "style", "head", "title", "xml", "template", "noscript",
	"object", "iframe", "svg", NULL,
};

/*
 * Handles the tag called name (lowercase), closing when closing is true.
 * Returns where parsing continues (after hidden content).
 */
static const char *
handle_tag(struct out *o, const char *name, bool closing, const char *after,
    const char *end)
{
	if (!closing && name_in(name, hidden_tags)) {
		char close[24];
		const char *q;

		g_snprintf(close, sizeof close, "</%s", name);
		q = larch_html_find_ci(after, end, close);
		/* A head left open ends where the body starts. */
		if (strcmp(name, "head") == 0) {
			const char *b = larch_html_find_ci(after, end, "<body");

			if (b != NULL && (q == NULL || b < q))
				return b;
		}
		if (q == NULL)
			return strcmp(name, "head") == 0 ||
			    strcmp(name, "title") == 0 ? after : end;
		return larch_html_tag_end(q, end);
	}
	if (strcmp(name, "br") == 0) {
		line_break(o, 1, true);
		/* A break at the start still counts as a line. */
		if (o->s->len == 0)
			o->line_start = true;
	} else if (strcmp(name, "blockquote") == 0) {
		line_break(o, 2, false);
		if (closing) {
			if (o->depth > 0)
				o->depth--;
		} else if (o->depth < 32) {
			o->depth++;
		}
	} else if (strcmp(name, "pre") == 0) {
		line_break(o, 2, false);
		if (closing)
			o->pre = o->pre > 0 ? o->pre - 1 : 0;
		else
			o->pre++;
	} else if (name_in(name, para_tags)) {
		line_break(o, 2, false);
	} else if (name_in(name, line_tags)) {
		line_break(o, 1, false);
		if (!closing && strcmp(name, "li") == 0)
			emit(o, "* ", 2);
	} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		if (!o->line_start && o->nl == 0)
			o->space = true;
	}
	return after;
}

char *
larch_html_to_text(const char *html, size_t len)
{
	struct out o = { 0 };
	const char *p = html, *end = html + len;

	o.s = g_string_sized_new(len / 2 + 16);
	o.line_start = true;
	while (p < end) {
		char c = *p;

		if (c == '<' && p + 1 < end) {
			const char *q = p + 1;
			bool closing = false;
			char name[16];
			size_t n = 0;

			if (end - q >= 3 && memcmp(q, "!--", 3) == 0) {
				const char *e = larch_html_find_ci(q + 3, end,
				    "-->");

				p = e != NULL ? e + 3 : end;
				continue;
			}
			if (*q == '!' || *q == '?') {
				p = larch_html_tag_end(q, end);
				continue;
			}
			if (*q == '/') {
				closing = true;
				q++;
			}
			if (q < end && g_ascii_isalpha(*q)) {
				while (q < end && (g_ascii_isalnum(*q) ||
				    *q == ':' || *q == '-')) {
					if (n + 1 < sizeof name)
						name[n++] = g_ascii_tolower(*q);
					q++;
				}
				name[n] = '\0';
				p = handle_tag(&o, name, closing,
				    larch_html_tag_end(q, end), end);
				continue;
			}
			/* A lone '<' is text. */
		}
		if (c == '&') {
			gunichar u;
			size_t n = larch_html_entity(p, end, false, &u);

			if (n > 0) {
				char buf[6];

				/* The text flows: a named &nbsp; is a space
				 * like any other (a numeric one is kept). */
				if (u == 0xa0 && p[1] != '#')
					u = ' ';
				if (u == ' ')
					whitespace(&o, ' ');
				else
					emit(&o, buf, (size_t)
					    g_unichar_to_utf8(u, buf));
				p += n;
				continue;
			}
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			whitespace(&o, c);
			p++;
			continue;
		}
		{
			const char *q = p + 1;

			while (q < end && *q != '<' && *q != '&' &&
			    !g_ascii_isspace(*q))
				q++;
			emit(&o, p, (size_t)(q - p));
			p = q;
		}
	}
	while (o.s->len > 0 && g_ascii_isspace(o.s->str[o.s->len - 1]))
		g_string_truncate(o.s, o.s->len - 1);
	if (o.s->len > 0)
		g_string_append_c(o.s, '\n');
	return g_string_free(o.s, FALSE);
}
