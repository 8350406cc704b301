/*
 * Recognising what an archive file is (mbox and which variant of it,
 * pipermail, a single message, a pipermail HTML page, or not mail) from
 * the start of its content, the name serving only as a hint.  Split from
 * split.c, which reads and cuts the file once its kind is known: the two
 * share only the line reader and the separator test (split_private.h).
 */
#include <string.h>

#include "envelope.h"
#include "pipermail_html.h"
#include "sources.h"
#include "split_private.h"
#include "walk.h"

#define DETECT_MAX		((size_t)64 << 10)

/* The next line of the detection buffer p[0, n) from *i: its start and
 * length; *whole says whether it was seen to its end. */
static bool
block_line(const struct larch_split *s, const char *p, size_t n, size_t *i,
    const char **line, size_t *len, bool *whole)
{
	const char *e;
	size_t end;

	if (*i >= n)
		return false;
	*line = p + *i;
	e = memchr(p + *i, s->cr ? '\r' : '\n', n - *i);
	if (e == NULL) {
		*len = n - *i;
		*i = n;
		*whole = s->rd.eof;
		return true;
	}
	end = (size_t)(e - p);
	*len = end - (size_t)(*line - p);
	if (!s->cr && *len > 0 && p[end - 1] == '\r')
		(*len)--;
	*i = end + 1;
	if (s->cr && *i < n && p[*i] == '\n')
		(*i)++;
	*whole = true;
	return true;
}

/* Whether a field is one that every mail carries one of, so that a
 * YAML file or JSON Lines ("name": value) is not taken for a message. */
static bool
is_mail_field(const char *line, size_t len)
{
	static const char *const names[] = { "from", "date", "message-id",
		"subject", "to", "received", "return-path", "delivered-to",
		"mime-version", "content-type", "in-reply-to", "references",
		"sender", "reply-to", "cc", "newsgroups" };
	size_t k = 0;

	while (k < len && line[k] != ':' && line[k] != ' ' &&
	    line[k] != '\t')
		k++;
	for (size_t j = 0; j < G_N_ELEMENTS(names); j++)
		if (strlen(names[j]) == k &&
		    g_ascii_strncasecmp(line, names[j], k) == 0)
			return true;
	return false;
}

/*
 * Whether the buffered start of the file is a header block: a field, then
 * fields or continuation lines up to a blank line, at least one of them a
 * mail field.  A missing blank line is forgiven after two fields (broken
 * messages exist); a text file that starts "Note: ..." is not.  A UTF-8
 * byte order mark may come first (an .eml saved by a Windows editor), as
 * may in a single message's file a "From " line: the parser passes over
 * both.
 */
static bool
is_header_block(const struct larch_split *s)
{
	const char *p = s->rd.buf, *line;
	size_t n = s->rd.len, i = 0, len;
	unsigned fields = 0;
	bool whole, mail = false;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	/* A file that holds one message by its name (asked last: for a
	 * Maildir's file that looks at its folders) may start with an
	 * envelope line of a form the separator pattern does not know
	 * ("From alice@example.org" alone): the parser passes over it. */
	if (n - i >= 5 && memcmp(p + i, "From ", 5) == 0 &&
	    larch_envelope_is_message_name(s->path))
		block_line(s, p, n, &i, &line, &len, &whole);
	while (block_line(s, p, n, &i, &line, &len, &whole)) {
		if (!whole || len == 0)
			break;
		if (split_is_field_start(line, len) &&
		    g_ascii_isalpha(line[0])) {
			fields++;
			mail = mail || is_mail_field(line, len);
		} else if (fields == 0 || (line[0] != ' ' && line[0] != '\t'))
			return fields >= 2 && mail;
	}
	return fields > 0 && mail;
}

/* Whether the first message's headers (after s->lead, the bytes before
 * the first separator) hold a field of one of the n names
 * (with their colon).  The look stops at the header block's end or at
 * the next "From " line, whichever comes first: looking on into the next
 * message made the answer depend on how much of the file could be read
 * (a cut gzip'd copy of a file whose first message has no body got
 * another format than the whole). */
static bool
has_first_fields(const struct larch_split *s, const char *const *names,
    size_t n_names)
{
	const char *p = s->rd.buf, *line;
	size_t n = s->rd.len, i = (size_t)s->lead, len;
	bool whole;

	block_line(s, p, n, &i, &line, &len, &whole);	/* the separator */
	while (block_line(s, p, n, &i, &line, &len, &whole) && len > 0 &&
	    !(len >= 5 && memcmp(line, "From ", 5) == 0))
		for (size_t k = 0; k < n_names; k++)
			if (len >= strlen(names[k]) &&
			    g_ascii_strncasecmp(line, names[k],
			    strlen(names[k])) == 0)
				return true;
	return false;
}

/* Whether the first message's headers show an mboxo writer (mutt, mail,
 * Thunderbird): they add these fields; mboxrd writers do not. */
static bool
has_mboxo_fields(const struct larch_split *s)
{
	static const char *const names[] = { "Status:", "X-Status:",
		"X-Mozilla-Status:" };

	return has_first_fields(s, names, G_N_ELEMENTS(names));
}

/* Whether the first message has a Content-Length, as every message of
 * an mboxcl or mboxcl2 file does. */
static bool
has_content_length(const struct larch_split *s)
{
	static const char *const names[] = { "Content-Length:" };

	return has_first_fields(s, names, G_N_ELEMENTS(names));
}

/*
 * The offset of the first separator line in the detection buffer, from
 * the read position on, or 0 when there is none: an mbox whose start is
 * damaged (a blank line, a stray byte in "From ", a line of junk) is
 * still an mbox, and skipping it whole would lose every message.
 */
static uint64_t
find_separator(struct larch_split *s, bool *obfuscated)
{
	struct reader *r = &s->rd;
	size_t pos = r->pos, pin = r->pin;
	uint64_t found = 0;
	struct line l;
	bool yes = false;
	int64_t date;

	/* Pinned at 0, the buffer does not slide while reading ahead. */
	r->pin = 0;
	while (r->pos < MIN(r->len, DETECT_MAX) &&
	    split_peek_line(s, &l) == LARCH_OK) {
		if (l.start && l.p[0] == 'F' &&
		    split_check_separator(s, &l, &yes, true, &date,
		    obfuscated) == LARCH_OK && yes) {
			found = l.off;
			break;
		}
		split_consume(s, &l);
	}
	r->pos = pos;
	r->pin = pin;
	s->at_line_start = true;
	return found;
}

/* The boundary of a multipart Content-Type field f[0, n) (its name,
 * value and continuation lines), or NULL; the caller frees it. */
static char *
multipart_boundary(const char *f, size_t n)
{
	char *low = g_ascii_strdown(f, (gssize)n);
	const char *b = strstr(low, "boundary=");
	char *out = NULL;
	size_t len;

	if (strstr(low, "multipart/") == NULL || b == NULL)
		goto free_low;
	b = f + (b - low) + strlen("boundary=");
	if (*b == '"') {
		b++;
		len = strcspn(b, "\"");
	} else
		len = strcspn(b, "; \t\r\n");
	if (len > 0)
		out = g_strndup(b, len);
free_low:
	g_free(low);
	return out;
}

/*
 * Whether a Maildir file that starts with an envelope line holds an mbox
 * after all, someone having put one into cur/: another separator after a
 * blank line within the detection buffer.  An MDA may write an envelope
 * line on a single message, and a message may carry an mbox as a part:
 * inside a multipart message, a separator counts only after the
 * message's closing boundary.
 */
static bool
holds_more_messages(struct larch_split *s)
{
	struct reader *r = &s->rd;
	size_t pos = r->pos, pin = r->pin;
	GString *ctype = g_string_new(NULL);
	char *boundary = NULL;
	bool header = true, in_ctype = false, blank = false, closed = false;
	bool found = false, yes = false;
	struct line l;

	r->pin = 0;
	/* The envelope line. */
	if (split_peek_line(s, &l) == LARCH_OK)
		split_consume(s, &l);
	while (!found && r->pos < MIN(r->len, DETECT_MAX) &&
	    split_peek_line(s, &l) == LARCH_OK) {
		bool starts = l.start && l.n > 0;

		if (header && l.start && l.n == 0) {
			header = false;
			boundary = multipart_boundary(ctype->str, ctype->len);
		} else if (header && starts) {
			if (l.p[0] != ' ' && l.p[0] != '\t')
				in_ctype = l.n >= 13 && g_ascii_strncasecmp(
				    l.p, "Content-Type:", 13) == 0;
			if (in_ctype)
				g_string_append_len(ctype, l.p, (gssize)l.n);
		} else if (!header && starts && boundary != NULL && !closed) {
			size_t bn = strlen(boundary);

			closed = l.n >= bn + 4 && memcmp(l.p, "--", 2) == 0 &&
			    memcmp(l.p + 2, boundary, bn) == 0 &&
			    memcmp(l.p + 2 + bn, "--", 2) == 0;
		} else if (!header && starts && blank && l.p[0] == 'F' &&
		    split_check_separator(s, &l, &yes, false, NULL, NULL) ==
		    LARCH_OK && yes)
			found = true;
		blank = !header && l.start && l.n == 0;
		split_consume(s, &l);
	}
	r->pos = pos;
	r->pin = pin;
	s->at_line_start = true;
	g_free(boundary);
	g_string_free(ctype, TRUE);
	return found;
}

/* Looks at the start of the file; the reader stays at offset 0 (after a
 * UTF-8 byte order mark in front of an mbox). */
void
split_detect(struct larch_split *s)
{
	struct reader *r = &s->rd;
	struct line l;
	const char *cr, *lf;
	bool yes = false, obfuscated = false;
	int64_t date;

	/* A read error shows up later. */
	(void)split_fill(r, DETECT_MAX);
	/* The buffer holds the file's start (a resume seeks only after
	 * this): hash it here rather than open the file again. */
	s->head_len = MIN(r->len, LARCH_SPLIT_HEAD_BYTES);
	larch_source_sum(r->buf, s->head_len, s->head);
	if (r->len == 0) {
		/* Nothing to split; an empty mbox is still an mbox. */
		s->kind = LARCH_ARCHIVE_MBOX;
		s->format = LARCH_FORMAT_MBOXRD;
		return;
	}
	/* A pipermail article page, by its name and Mailman's marker. */
	if (larch_pipermail_html_is_article_name(s->path) &&
	    larch_pipermail_html_is_article(r->buf, r->len)) {
		s->kind = LARCH_ARCHIVE_PIPERMAIL_HTML;
		s->format = LARCH_FORMAT_PIPERMAIL_HTML;
		return;
	}
	lf = memchr(r->buf, '\n', r->len);
	cr = memchr(r->buf, '\r', lf != NULL ? (size_t)(lf - r->buf) :
	    r->len);
	s->cr = cr != NULL && cr + 1 < r->buf + r->len && cr[1] != '\n';

	/* A byte order mark in front of the first separator. */
	if (r->len >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0 &&
	    !larch_envelope_is_message_name(s->path))
		r->pos = 3;
	if (split_peek_line(s, &l) == LARCH_OK &&
	    split_check_separator(s, &l, &yes, true, &date, &obfuscated) ==
	    LARCH_OK && yes) {
		if (larch_envelope_is_message_name(s->path) &&
		    (!larch_walk_in_maildir(s->path, NULL) ||
		    !holds_more_messages(s))) {
			/* An envelope line on one message: it may carry an
			 * mbox as an attachment, so do not split. */
			s->kind = LARCH_ARCHIVE_MESSAGE;
			s->format = LARCH_FORMAT_FILE;
			s->envelope = true;
			s->envelope_date = date;
		} else if (obfuscated ||
		    larch_envelope_is_pipermail_name(s->path)) {
			s->kind = LARCH_ARCHIVE_PIPERMAIL;
			s->format = LARCH_FORMAT_PIPERMAIL;
		} else {
			s->kind = LARCH_ARCHIVE_MBOX;
			s->format = has_mboxo_fields(s) ?
			    LARCH_FORMAT_MBOXO : LARCH_FORMAT_MBOXRD;
			s->content_length = has_content_length(s);
		}
		return;
	}
	r->pos = 0;
	if (is_header_block(s)) {
		s->kind = LARCH_ARCHIVE_MESSAGE;
		s->format = LARCH_FORMAT_FILE;
	} else if (!larch_envelope_is_message_name(s->path) &&
	    (s->lead = find_separator(s, &obfuscated)) > 0) {
		/* next_mbox() skips the lines before it. */
		s->kind = obfuscated ||
		    larch_envelope_is_pipermail_name(s->path) ?
		    LARCH_ARCHIVE_PIPERMAIL : LARCH_ARCHIVE_MBOX;
		s->format = LARCH_FORMAT_PIPERMAIL;
		if (s->kind == LARCH_ARCHIVE_MBOX) {
			/* As for an mbox that starts with its separator:
			 * a blank line in front of a mutt or Thunderbird
			 * folder does not make it mboxrd. */
			s->format = has_mboxo_fields(s) ?
			    LARCH_FORMAT_MBOXO : LARCH_FORMAT_MBOXRD;
			s->content_length = has_content_length(s);
		}
	} else {
		s->kind = LARCH_ARCHIVE_UNKNOWN;
	}
}
