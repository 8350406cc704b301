/*
 * Content fingerprints; see include/larch/fingerprint.h.  The text is
 * reduced to what every copy of a message keeps: list footers and
 * pipermail scrubber notes are cut, and only letters and digits are
 * hashed, lowercased, leaving out the word "at" so that pipermail's
 * "user at host" hashes as "user@host".
 */
#include <stdbool.h>
#include <string.h>

#include <glib.h>

#include "larch/fingerprint.h"

/* How far from the end a footer may start, in lines. */
#define FOOTER_LINES 24

void
larch_fingerprint_init(void)
{
	/* Nothing to prepare: the footer and obfuscation rules are plain
	 * code, so the function stays for callers that expect it. */
}

struct line {
	size_t start;
	size_t len;	/* without the newline */
};

static GArray *
split_lines(const char *text, size_t len)
{
	GArray *lines = g_array_new(FALSE, FALSE, sizeof(struct line));
	size_t p = 0;

	while (p < len) {
		const char *nl = memchr(text + p, '\n', len - p);
		struct line l = { p, nl != NULL ? (size_t)(nl - text) - p :
		    len - p };

		if (l.len > 0 && text[l.start + l.len - 1] == '\r')
			l.len--;
		g_array_append_val(lines, l);
		p = nl != NULL ? (size_t)(nl - text) + 1 : len;
	}
	return lines;
}

/* The line without surrounding whitespace, as a new string. */
static char *
line_text(const char *text, const struct line *l)
{
	return g_strstrip(g_strndup(text + l->start, l->len));
}

static bool
line_is_blank(const char *text, const struct line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (!g_ascii_isspace(text[l->start + i]))
			return false;
	return true;
}

static bool
line_has(const char *text, const struct line *l, const char *needle)
{
	char *s = line_text(text, l);
	bool found = strstr(s, needle) != NULL;

	g_free(s);
	return found;
}

static bool
line_starts(const char *text, const struct line *l, const char *prefix)
{
	char *s = line_text(text, l);
	bool found = g_str_has_prefix(s, prefix);

	g_free(s);
	return found;
}

static bool
is_rule(const char *text, const struct line *l)
{
	char *s = line_text(text, l);
	size_t n = strlen(s);
	/* Mailman puts its footer after a rule of underscores, or, in
	 * some list configurations, after a "-- " signature separator. */
	bool rule = (n >= 20 && strspn(s, "_") == n) ||
	    strcmp(s, "--") == 0 || strcmp(s, "-- ") == 0;

	g_free(s);
	return rule;
}

/* Skips blank lines backwards from n (exclusive); returns the new count. */
static guint
trim_blank(const char *text, GArray *lines, guint n)
{
	while (n > 0 && line_is_blank(text,
	    &g_array_index(lines, struct line, n - 1)))
		n--;
	return n;
}

/*
 * Returns the number of lines that remain once one footer is removed from
 * the first n lines, or n when they end in none.
 */
static guint
cut_footer(const char *text, GArray *lines, guint n)
{
	guint from = n > FOOTER_LINES ? n - FOOTER_LINES : 0;

	/* Google Groups, often after a "-- " separator. */
	for (guint i = from; i < n; i++) {
		const struct line *l = &g_array_index(lines, struct line, i);
		guint cut;

		if (!line_starts(text, l, "You received this message because "
		    "you are subscribed to the Google Groups"))
			continue;
		cut = trim_blank(text, lines, i);
		if (cut > 0) {
			char *s = line_text(text,
			    &g_array_index(lines, struct line, cut - 1));

			if (strcmp(s, "--") == 0)
				cut--;
			g_free(s);
		}
		return cut;
	}
	/* Mailman 3: "list mailing list -- list@host", then how to leave. */
	for (guint i = from; i + 1 < n; i++) {
		const struct line *l = &g_array_index(lines, struct line, i);
		guint cut;

		if (!line_has(text, l, " mailing list -- ") ||
		    !line_has(text, l, "@"))
			continue;
		if (!line_starts(text, &g_array_index(lines, struct line,
		    i + 1), "To unsubscribe send an email to"))
			continue;
		cut = trim_blank(text, lines, i);
		if (cut > 0 && is_rule(text,
		    &g_array_index(lines, struct line, cut - 1)))
			cut--;
		return cut;
	}
	/* Mailman 2: a rule, the list's name, address and listinfo URL. */
	for (guint i = n; i-- > from;) {
		const struct line *l = &g_array_index(lines, struct line, i);
		bool listish = false;
		guint rest = 0;

		if (!is_rule(text, l))
			continue;
		for (guint j = i + 1; j < n; j++) {
			const struct line *m =
			    &g_array_index(lines, struct line, j);

			if (line_is_blank(text, m))
				continue;
			/* "<List> mailing list" comes first, or a URL. */
			if ((rest == 0 && line_has(text, m, "mailing list")) ||
			    line_has(text, m, "listinfo"))
				listish = true;
			rest++;
		}
		if (listish && rest <= 6)
			return i;
		break;
	}
	return n;
}

/*
 * Whether the trimmed line p..e, line i, opens a scrubber note with no
 * "next part" line above it: Mailman scrubs a message that is one HTML
 * part (or one attachment) by replacing its whole body with "An HTML
 * attachment was scrubbed..." and the part's URL, which names the list,
 * so two lists' copies differ.  Runs on every line of every message, so
 * the first test allocates nothing.
 */
static bool
is_bare_scrubber_note(const char *text, GArray *lines, guint i,
    const char *p, const char *e)
{
	static const char tail[] = " was scrubbed...";
	static const char *const fields[] = {
		"URL:", "Name:", "Type:", "Size:", "Desc:", NULL,
	};
	const struct line *next;

	if (i + 1 >= lines->len || (size_t)(e - p) < sizeof tail ||
	    *p != 'A' || memcmp(e - (sizeof tail - 1), tail,
	    sizeof tail - 1) != 0)
		return false;
	next = &g_array_index(lines, struct line, i + 1);
	for (const char *const *f = fields; *f != NULL; f++)
		if (line_starts(text, next, *f))
			return true;
	return false;
}

/* Bytes of text kept once scrubber notes and footers are cut. */
static size_t
kept_length(const char *text, size_t len)
{
	GArray *lines = split_lines(text, len);
	guint n = lines->len;
	size_t keep;

	/* pipermail replaces attachments by notes after this line, or
	 * replaces a lone HTML part by a note alone. */
	for (guint i = 0; i < n; i++) {
		static const char scrub[] =
		    "-------------- next part --------------";
		const struct line *l = &g_array_index(lines, struct line, i);
		const char *p = text + l->start, *e = p + l->len;

		while (p < e && g_ascii_isspace(*p))
			p++;
		while (e > p && g_ascii_isspace(e[-1]))
			e--;
		if (((size_t)(e - p) == sizeof scrub - 1 &&
		    memcmp(p, scrub, sizeof scrub - 1) == 0) ||
		    is_bare_scrubber_note(text, lines, i, p, e)) {
			n = i;
			break;
		}
	}
	/* Every footer at the end: a full-quote chain (Outlook) ends in
	 * the footers of the messages it quotes, and the delivered copy has
	 * one more than pipermail's, which keeps messages as they came in.
	 * Each round cuts lines, so the loop ends. */
	for (;;) {
		guint m = cut_footer(text, lines, trim_blank(text, lines, n));

		if (m == trim_blank(text, lines, n))
			break;
		n = m;
	}
	keep = n == lines->len ? len : g_array_index(lines, struct line,
	    n).start;
	g_array_unref(lines);
	return keep;
}

/*
 * pipermail writes "user@host" as "user at host".  Only letters and digits
 * are hashed, so "@" counts for nothing, and so must the word "at": every
 * "at" standing alone between whitespace (or the text's ends) is skipped,
 * in prose too, which is harmless since every copy is treated alike.
 * Whitespace, not only spaces: a copy whose lines were joined (flowed
 * text) or wrapped elsewhere must hash alike, and "host\nat example.org"
 * is a line break away from "host at example.org" (schema 7).
 */
static bool
is_lone_at(const char *p, const char *start, const char *end)
{
	return p[0] == 'a' && end - p >= 2 && p[1] == 't' &&
	    (p == start || g_ascii_isspace(p[-1])) &&
	    (end - p == 2 || g_ascii_isspace(p[2]));
}

struct hasher {
	GChecksum *sum;
	guchar buf[4096];
	size_t n;
};

static void
hasher_add(struct hasher *h, const char *bytes, size_t n)
{
	if (h->n + n > sizeof h->buf) {
		g_checksum_update(h->sum, h->buf, h->n);
		h->n = 0;
	}
	memcpy(h->buf + h->n, bytes, n);
	h->n += n;
}

static void
hasher_finish(struct hasher *h, char out[17])
{
	g_checksum_update(h->sum, h->buf, h->n);
	memcpy(out, g_checksum_get_string(h->sum), 16);
	out[16] = '\0';
	g_checksum_free(h->sum);
}

/* Makes to a copy of from: to goes on from what from has read so far. */
static void
hasher_fork(struct hasher *to, const struct hasher *from)
{
	to->sum = g_checksum_copy(from->sum);
	memcpy(to->buf, from->buf, from->n);
	to->n = from->n;
}

/*
 * The four hashes of one body, and the state the shapes need.  Two of
 * them read the same bytes as another until the text leaves ASCII: text
 * as ascii until a letter or digit outside ASCII, byte_shape as shape
 * until any character outside ASCII.  Until then each pair is one hash
 * (forked when they part), so ASCII text, most mail, is hashed twice,
 * not four times.
 */
struct fingerprinter {
	struct hasher text, ascii, shape, byte_shape;
	bool text_forked, byte_shape_forked;
	uint32_t ascii_len, shape_len;
	bool gap;	/* a word broke since the shapes' last character */
};

/*
 * Adds c to the shapes n times (n bytes of a character for the byte
 * shape, once for the other), after a '|' when a word broke before it.
 * '*' stands for a character outside ASCII or a '?': Mailman writes one
 * '?' for each character its list's charset lacks, or, when it could not
 * decode the part, one for each byte.
 */
static void
shape_add(struct fingerprinter *f, char c, size_t n)
{
	if (n > 1 && !f->byte_shape_forked) {
		hasher_fork(&f->byte_shape, &f->shape);
		f->byte_shape_forked = true;
	}
	if (f->gap && f->shape_len > 0) {
		hasher_add(&f->shape, "|", 1);
		if (f->byte_shape_forked)
			hasher_add(&f->byte_shape, "|", 1);
	}
	hasher_add(&f->shape, &c, 1);
	while (f->byte_shape_forked && n-- > 0)
		hasher_add(&f->byte_shape, &c, 1);
	f->shape_len++;
	f->gap = false;
}

/* Reads one character at p (before end); returns where the next starts. */
static const char *
add_char(struct fingerprinter *f, const char *p, const char *end)
{
	unsigned char c = (unsigned char)*p;
	gunichar u;
	char buf[6];

	if (c < 0x80) {
		if (g_ascii_isalnum(c)) {
			char lc = g_ascii_tolower((char)c);

			if (f->text_forked)
				hasher_add(&f->text, &lc, 1);
			hasher_add(&f->ascii, &lc, 1);
			f->ascii_len++;
			shape_add(f, lc, 1);
		} else if (c == '?') {
			shape_add(f, '*', 1);
		} else {
			f->gap = true;
		}
		return p + 1;
	}
	u = g_utf8_get_char_validated(p, end - p);
	if (u == (gunichar)-1 || u == (gunichar)-2)
		return p + 1;
	if (g_unichar_isalnum(u)) {
		if (!f->text_forked) {
			hasher_fork(&f->text, &f->ascii);
			f->text_forked = true;
		}
		hasher_add(&f->text, buf,
		    (size_t)g_unichar_to_utf8(g_unichar_tolower(u), buf));
	}
	shape_add(f, '*', (size_t)(g_utf8_next_char(p) - p));
	return g_utf8_next_char(p);
}

/* Finishes the hash (and its unforked twin) into out and twin_out. */
static void
finish_pair(struct hasher *h, struct hasher *twin, bool forked, char out[17],
    char twin_out[17])
{
	hasher_finish(h, out);
	if (forked)
		hasher_finish(twin, twin_out);
	else
		memcpy(twin_out, out, 17);
}

void
larch_fingerprint(const char *body, size_t len, struct larch_msg *msg)
{
	struct fingerprinter *f = g_new0(struct fingerprinter, 1);
	size_t keep;
	const char *p, *end;

	if (body == NULL)
		len = 0;
	keep = len > 0 ? kept_length(body, len) : 0;
	f->ascii.sum = g_checksum_new(G_CHECKSUM_SHA256);
	f->shape.sum = g_checksum_new(G_CHECKSUM_SHA256);
	/* No arithmetic on a NULL body (nothing kept): that is undefined
	 * even for + 0, and clang's UBSan says so. */
	end = keep > 0 ? body + keep : NULL;
	for (p = keep > 0 ? body : NULL; p != NULL && p < end;) {
		if (is_lone_at(p, body, end)) {
			p += 2;
			continue;
		}
		p = add_char(f, p, end);
	}
	finish_pair(&f->ascii, &f->text, f->text_forked, msg->ascii_hash,
	    msg->text_hash);
	finish_pair(&f->shape, &f->byte_shape, f->byte_shape_forked,
	    msg->shape_hash, msg->byte_shape_hash);
	msg->ascii_len = f->ascii_len;
	msg->shape_len = f->shape_len;
	g_free(f);
}
