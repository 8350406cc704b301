/*
 * Reading a message's original bytes back from its archive; see
 * include/larch/raw.h.  The framing rules mirror indexer/split.c, which
 * put them there: a source range starts at its "From " line and ends where
 * the next separator starts.
 *
 * Owner: the daemon engineer (larchd).
 */
#include <inttypes.h>
#include <string.h>

#include "larch/mid.h"
#include "larch/raw.h"
#include "larch/stream.h"

/*
 * The line starting at data[i]: its content ends at *end (exclusive) and
 * the next line starts at the returned index.  LF, CRLF and a bare CR end
 * a line, as in the splitter, which reads CR archives too.
 */
static size_t
next_line(const char *data, size_t len, size_t i, size_t *end)
{
	while (i < len && data[i] != '\n' && data[i] != '\r')
		i++;
	*end = i;
	if (i < len && data[i] == '\r') {
		i++;
		if (i < len && data[i] == '\n')
			i++;
	} else if (i < len) {
		i++;
	}
	return i;
}

/* Drops the first line, the mbox or pipermail separator. */
static size_t
drop_separator(char *data, size_t len)
{
	size_t end, next;

	if (len < 5 || memcmp(data, "From ", 5) != 0)
		return len;
	next = next_line(data, len, 0, &end);
	memmove(data, data + next, len - next);
	return len - next;
}

/* The length of the line end that data[0, len) finishes with, or 0. */
static size_t
trailing_eol(const char *data, size_t len)
{
	if (len >= 2 && data[len - 2] == '\r' && data[len - 1] == '\n')
		return 2;
	if (len >= 1 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		return 1;
	return 0;
}

/* The blank line an mbox writer puts between messages belongs to the
 * archive, not to the message: one line end goes when two end the data. */
static size_t
drop_blank_line(const char *data, size_t len)
{
	size_t last = trailing_eol(data, len);

	if (last == 0 || len == last)
		return len;
	if (trailing_eol(data, len - last) == 0)
		return len;
	return len - last;
}

/* Whether data[0, len) holds line ends only. */
static bool
is_all_eol(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (data[i] != '\n' && data[i] != '\r')
			return false;
	return true;
}

/*
 * For mboxcl, the body ends where Content-Length says when that is
 * before the end of the range and only the writer's blank lines follow.
 * A wrong length (the splitter found the end by scanning) cuts nothing.
 */
static size_t
cut_to_content_length(const char *data, size_t len)
{
	static const char name[] = "content-length:";
	size_t i = 0, end, next;
	uint64_t cl = 0;
	bool have = false;

	for (;;) {
		if (i >= len)
			return len;
		next = next_line(data, len, i, &end);
		if (end == i)
			break;		/* the empty line that ends headers */
		if (end - i > sizeof name - 1 &&
		    g_ascii_strncasecmp(data + i, name, sizeof name - 1) == 0) {
			const char *p = data + i + sizeof name - 1;
			const char *e = data + end;

			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
			have = p < e && g_ascii_isdigit(*p);
			for (cl = 0; p < e && g_ascii_isdigit(*p); p++) {
				if (cl > UINT64_MAX / 10 - 10) {
					have = false;
					break;
				}
				cl = cl * 10 + (uint64_t)(*p - '0');
			}
		}
		i = next;
	}
	if (have && cl < len - next &&
	    is_all_eol(data + next + cl, len - next - (size_t)cl))
		return next + (size_t)cl;
	return drop_blank_line(data, len);
}

/* Removes one '>' from escaped "From " lines, in place. */
static size_t
unescape(char *data, size_t len, bool rd)
{
	size_t i = 0, o = 0;

	while (i < len) {
		size_t end, next = next_line(data, len, i, &end);
		size_t k = i;

		while (k < end && data[k] == '>')
			k++;
		if (k > i && end - k >= 5 && memcmp(data + k, "From ", 5) == 0 &&
		    (rd || k == i + 1))
			i++;
		memmove(data + o, data + i, next - i);
		o += next - i;
		i = next;
	}
	return o;
}

size_t
larch_raw_unframe(char *data, size_t len, enum larch_source_format format)
{
	/* A pipermail HTML page is kept whole, like a single file. */
	if (format == LARCH_FORMAT_FILE ||
	    format == LARCH_FORMAT_PIPERMAIL_HTML || len == 0)
		return len;
	len = drop_separator(data, len);
	switch (format) {
	case LARCH_FORMAT_MBOXCL:
		/* Trusted Content-Length framing: no escaping to undo. */
		return cut_to_content_length(data, len);
	case LARCH_FORMAT_MBOXO:
	case LARCH_FORMAT_MBOXRD:
		len = drop_blank_line(data, len);
		return unescape(data, len, format == LARCH_FORMAT_MBOXRD);
	case LARCH_FORMAT_PIPERMAIL:
		/* Mailman does not escape "From " in bodies. */
		return drop_blank_line(data, len);
	case LARCH_FORMAT_FILE:
	case LARCH_FORMAT_PIPERMAIL_HTML:
		break;
	}
	return len;
}

enum larch_status
larch_raw_read(const struct larch_source *src, uint64_t max, GByteArray *out,
    char **error)
{
	guint start = out->len;
	enum larch_status st;
	size_t n;

	if (max > 0 && src->length > max) {
		if (error != NULL)
			*error = g_strdup_printf("message in '%s' at %" PRIu64
			    " is %" PRIu64 " bytes, over the limit of %"
			    PRIu64, src->file, src->offset, src->length, max);
		return LARCH_ERR_TOO_BIG;
	}
	st = larch_stream_read_range(src->file, src->offset, src->length, out,
	    error);
	if (st != LARCH_OK)
		return st;
	n = larch_raw_unframe((char *)out->data + start, out->len - start,
	    src->format);
	g_byte_array_set_size(out, start + (guint)n);
	return LARCH_OK;
}

bool
larch_raw_has_mid(const char *data, size_t len, const char *mid)
{
	static const char name[] = "message-id:";
	const size_t nlen = sizeof name - 1;
	size_t i = 0, end;

	if (mid == NULL)
		return true;
	while (i < len) {
		size_t start = i, vend;
		char *value, *id;
		bool same;

		i = next_line(data, len, i, &end);
		if (end - start < nlen ||
		    g_ascii_strncasecmp(data + start, name, nlen) != 0)
			continue;
		/* The field's value, with the lines folded into it. */
		vend = end;
		while (i < len && (data[i] == ' ' || data[i] == '\t'))
			i = next_line(data, len, i, &vend);
		value = g_strndup(data + start + nlen, vend - start - nlen);
		id = larch_mid_normalise(value);
		same = id != NULL && strcmp(id, mid) == 0;
		g_free(id);
		g_free(value);
		if (same)
			return true;
	}
	return false;
}
