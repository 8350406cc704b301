/*
 * Query checking and the small rewrites Xapian's parser needs; see
 * include/larch/query.h.  The checker walks the query once as a sequence
 * of operands (words, phrases, field:value, groups) and operators, the way
 * Xapian's QueryParser reads it, and refuses what that parser would
 * silently misread.
 */
#include <string.h>

#include <glib.h>

#include "larch/fold.h"
#include "larch/query.h"

const char *const larch_query_fields[] = {
	"from", "to", "cc", "subject", "list", "date", "mid", "thread",
	"has", "filename", "is", NULL,
};

/* Words before ':' that start a URL or other text, not a field. */
static const char *const not_fields[] = {
	"http", "https", "ftp", "mailto", "news", "urn", "tel", "file", NULL,
};

/* What the last token was, to tell where an operator is allowed. */
enum prev {
	PREV_START,	/* start of the query or just after '(' */
	PREV_OPERAND,
	PREV_BINARY,	/* AND OR XOR NEAR ADJ */
	PREV_NOT,
};

struct checker {
	const char *q;
	size_t len;
	size_t i;
	GString *out;
	enum prev prev;
	size_t op_offset;	/* of the last operator, for errors */
	const char *op_name;
	struct larch_query_error *err;
};

static enum larch_status
refuse(struct checker *c, size_t offset, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static enum larch_status
refuse(struct checker *c, size_t offset, const char *fmt, ...)
{
	va_list ap;
	const char *end;

	c->err->offset = offset;
	va_start(ap, fmt);
	g_vsnprintf(c->err->reason, sizeof c->err->reason, fmt, ap);
	va_end(ap);
	/* A quoted culprit or the buffer's end may cut a character. */
	if (!g_utf8_validate(c->err->reason, -1, &end))
		c->err->reason[end - c->err->reason] = '\0';
	return LARCH_ERR_PARSE;
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* A word ends at a blank or a parenthesis; a quote ends it too unless it
 * follows "field:". */
static bool
ends_word(char ch)
{
	return ch == '\0' || is_blank(ch) || ch == '(' || ch == ')';
}

/* A character Xapian's parser takes into a word (a letter, digit, mark
 * or connector such as '_'), where it would start reading a field. */
static bool
starts_word(const char *p)
{
	gunichar ch = g_utf8_get_char(p);

	if ((unsigned char)*p < 0x80)
		return g_ascii_isalnum(*p) || *p == '_';
	switch (g_unichar_type(ch)) {
	case G_UNICODE_UPPERCASE_LETTER:
	case G_UNICODE_LOWERCASE_LETTER:
	case G_UNICODE_TITLECASE_LETTER:
	case G_UNICODE_MODIFIER_LETTER:
	case G_UNICODE_OTHER_LETTER:
	case G_UNICODE_NON_SPACING_MARK:
	case G_UNICODE_ENCLOSING_MARK:
	case G_UNICODE_SPACING_MARK:
	case G_UNICODE_DECIMAL_NUMBER:
	case G_UNICODE_LETTER_NUMBER:
	case G_UNICODE_OTHER_NUMBER:
	case G_UNICODE_CONNECT_PUNCTUATION:
		return true;
	default:
		return false;
	}
}

static bool
in_list(const char *const *list, const char *s, size_t len)
{
	for (size_t k = 0; list[k] != NULL; k++)
		if (strlen(list[k]) == len &&
		    g_ascii_strncasecmp(list[k], s, len) == 0)
			return true;
	return false;
}

/* Digits only; a value past INT_MAX / 10 saturates there (what matters
 * to the callers is "a number", and dates have four digits at most). */
static bool
parse_uint(const char *s, size_t len, int *out)
{
	int v = 0;

	if (len == 0)
		return false;
	for (size_t k = 0; k < len; k++) {
		if (!g_ascii_isdigit(s[k]))
			return false;
		if (v < G_MAXINT / 10)
			v = v * 10 + (s[k] - '0');
	}
	*out = v;
	return true;
}

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

/* date:A, date:A..B, date:A.., date:..B; a single period becomes A..A. */
static enum larch_status
check_date(struct checker *c, size_t at, const char *v, size_t len)
{
	const char *dots = g_strstr_len(v, len, "..");
	int64_t s1, e1, s2, e2;
	size_t alen, blen;

	if (dots == NULL) {
		if (!larch_query_parse_period(v, len, &s1, &e1))
			return refuse(c, at, "bad date '%.*s': use YYYY, "
			    "YYYY-MM or YYYY-MM-DD, or a range A..B",
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
		    "range", (int)MIN(alen, 40), v);
	if (blen > 0 && !larch_query_parse_period(dots + 2, blen, &s2, &e2))
		return refuse(c, at + alen + 2, "bad date '%.*s' at the end "
		    "of the range", (int)MIN(blen, 40), dots + 2);
	if (alen > 0 && blen > 0 && s2 < s1)
		return refuse(c, at, "date range '%.*s' ends before it "
		    "starts", (int)MIN(len, 40), v);
	g_string_append_len(c->out, v, len);
	return LARCH_OK;
}

/* The value of a known field, at c->i; appends it to c->out. */
static enum larch_status
check_value(struct checker *c, const char *field, size_t name_at)
{
	size_t at = c->i, end = c->i;
	const char *v = c->q + at;

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
		g_string_append_len(c->out, v, end - at);
		c->i = end;
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
	if (strcmp(field, "is") == 0 || strcmp(field, "has") == 0) {
		char *lower = g_ascii_strdown(v, end - at);

		g_string_append(c->out, lower);
		g_free(lower);
		return LARCH_OK;
	}
	g_string_append_len(c->out, v, end - at);
	return LARCH_OK;
}

static enum larch_status
operand(struct checker *c)
{
	c->prev = PREV_OPERAND;
	return LARCH_OK;
}

/* An operator word: AND OR XOR NOT NEAR ADJ, NEAR/n, ADJ/n. */
static const char *
operator_name(const char *w, size_t len)
{
	static const char *const ops[] = { "AND", "OR", "XOR", "NOT",
	    "NEAR", "ADJ", NULL };

	for (size_t k = 0; ops[k] != NULL; k++) {
		size_t n = strlen(ops[k]);

		if (len < n || strncmp(w, ops[k], n) != 0)
			continue;
		if (len == n)
			return ops[k];
		if (n >= 4 && w[n] == '/' && len > n + 1) {
			int dist;

			if (parse_uint(w + n + 1, len - n - 1, &dist))
				return ops[k];
		}
	}
	return NULL;
}

static enum larch_status
check_operator(struct checker *c, const char *op, size_t at)
{
	bool is_not = strcmp(op, "NOT") == 0;

	if (!is_not && c->prev != PREV_OPERAND)
		return refuse(c, at, "'%s' needs a word before it", op);
	if (is_not && c->prev == PREV_NOT)
		return refuse(c, at, "'NOT' twice in a row");
	c->prev = is_not ? PREV_NOT : PREV_BINARY;
	c->op_offset = at;
	c->op_name = op;
	return LARCH_OK;
}

/* Before ')' or the end: an operator must have had its right side. */
static enum larch_status
check_dangling(struct checker *c)
{
	if (c->prev == PREV_BINARY || c->prev == PREV_NOT)
		return refuse(c, c->op_offset, "'%s' needs a word after it",
		    c->op_name);
	return LARCH_OK;
}

static enum larch_status
check_word(struct checker *c)
{
	size_t at = c->i, end = at, name_len = 0;
	const char *w, *op;

	/* Xapian's parser skips what cannot start a word ('+' and '-',
	 * which make "-date:2016" "not in 2016", and punctuation such as
	 * "!date:2016") and then reads a field, so the field is checked
	 * after them too: they are copied, the field read after them. */
	while (!ends_word(c->q[at]) && c->q[at] != '"' &&
	    !starts_word(c->q + at))
		g_string_append_c(c->out, c->q[at++]);
	w = c->q + at;
	end = at;
	/* field:value, where a quoted phrase may follow the colon */
	while (g_ascii_isalpha(c->q[end]) || c->q[end] == '_')
		end++;
	if (end > at && c->q[end] == ':')
		name_len = end - at;
	if (name_len > 0 && in_list(larch_query_fields, w, name_len)) {
		char *field = g_ascii_strdown(w, name_len);
		enum larch_status status;

		g_string_append(c->out, field);
		g_string_append_c(c->out, ':');
		c->i = end + 1;
		status = check_value(c, field, at);
		g_free(field);
		if (status != LARCH_OK)
			return status;
		return operand(c);
	}
	if (name_len > 0 && !in_list(not_fields, w, name_len) &&
	    !ends_word(c->q[end + 1]) && c->q[end + 1] != ':')
		return refuse(c, at, "unknown field '%.*s:'; fields are from: "
		    "to: cc: subject: list: date: mid: thread: has: "
		    "filename: is:", (int)MIN(name_len, 40), w);

	/* check() hands over a byte that is no blank, quote or
	 * parenthesis, so the word is never empty. */
	end = at;
	while (!ends_word(c->q[end]) && c->q[end] != '"')
		end++;
	op = w == c->q + c->i ? operator_name(w, end - at) : NULL;
	c->i = end;
	g_string_append_len(c->out, w, end - at);
	if (op != NULL)
		return check_operator(c, op, at);
	return operand(c);
}

static enum larch_status
check(struct checker *c)
{
	GArray *opens = g_array_new(FALSE, FALSE, sizeof(size_t));
	enum larch_status status = LARCH_OK;

	while (status == LARCH_OK && c->i < c->len) {
		char ch = c->q[c->i];
		const char *close;

		if (is_blank(ch)) {
			g_string_append_c(c->out, ' ');
			c->i++;
		} else if (ch == '"') {
			close = memchr(c->q + c->i + 1, '"', c->len - c->i - 1);
			if (close == NULL) {
				status = refuse(c, c->i, "unbalanced quote: "
				    "this '\"' is never closed");
				break;
			}
			g_string_append_len(c->out, c->q + c->i,
			    close - (c->q + c->i) + 1);
			c->i = close - c->q + 1;
			status = operand(c);
		} else if (ch == '(') {
			g_array_append_val(opens, c->i);
			g_string_append_c(c->out, '(');
			c->i++;
			/* A group starts afresh (after an operand it is an
			 * implicit AND), except that "NOT (" still needs
			 * its operand. */
			if (c->prev != PREV_NOT)
				c->prev = PREV_START;
		} else if (ch == ')') {
			if (opens->len == 0) {
				status = refuse(c, c->i, "')' without a "
				    "matching '('");
				break;
			}
			if (c->prev == PREV_START) {
				status = refuse(c, c->i, "empty parentheses");
				break;
			}
			status = check_dangling(c);
			g_array_set_size(opens, opens->len - 1);
			g_string_append_c(c->out, ')');
			c->i++;
			c->prev = PREV_OPERAND;
		} else {
			status = check_word(c);
		}
	}
	if (status == LARCH_OK)
		status = check_dangling(c);
	if (status == LARCH_OK && opens->len > 0)
		status = refuse(c, g_array_index(opens, size_t,
		    opens->len - 1), "'(' is never closed");
	g_array_free(opens, TRUE);
	return status;
}

/*
 * Folds the whole query (larch_fold(), character by character) before it
 * is checked: folding can make syntax ("（" is "(", "：" is ":", "ＡＮＤ"
 * is AND), so checking the text as typed and folding afterwards let bad
 * queries through.  map[k] is the offset in query of the character that
 * gave byte k of the folded text, so errors point at what the user typed.
 */
static char *
fold_query(const char *query, size_t len, GArray *map)
{
	GString *out = g_string_sized_new(len);
	const char *p = query, *end = query + len;

	while (p < end) {
		const char *next = g_utf8_next_char(p);
		size_t at = p - query, before = out->len;
		char *folded = (unsigned char)*p < 0x80 ? NULL :
		    larch_fold(p, next - p);

		if (folded != NULL) {
			g_string_append(out, folded);
			g_free(folded);
		} else {
			g_string_append_len(out, p, next - p);
		}
		for (size_t k = before; k < out->len; k++)
			g_array_append_val(map, at);
		p = next;
	}
	g_array_append_val(map, len);	/* the end maps to the end */
	return g_string_free(out, FALSE);
}

enum larch_status
larch_query_prepare(const char *query, char **out,
    struct larch_query_error *err)
{
	struct larch_query_error spare;
	struct checker c = { 0 };
	const char *bad;
	enum larch_status status;
	GArray *map;
	char *folded;

	*out = NULL;
	if (err == NULL)
		err = &spare;
	memset(err, 0, sizeof *err);
	c.err = err;
	if (query == NULL)
		query = "";
	c.len = strlen(query);
	if (c.len > LARCH_QUERY_MAX)
		return refuse(&c, LARCH_QUERY_MAX, "query longer than %d "
		    "bytes", LARCH_QUERY_MAX);
	if (!g_utf8_validate(query, c.len, &bad))
		return refuse(&c, bad - query, "not UTF-8 text");
	map = g_array_new(FALSE, FALSE, sizeof(size_t));
	folded = fold_query(query, c.len, map);
	c.q = folded;
	c.len = strlen(folded);
	while (c.i < c.len && is_blank(folded[c.i]))
		c.i++;
	if (c.i == c.len) {
		status = refuse(&c, 0, "empty query");
		goto release;
	}
	c.out = g_string_sized_new(c.len + 16);
	c.prev = PREV_START;
	status = check(&c);
	if (status != LARCH_OK) {
		g_string_free(c.out, TRUE);
		err->offset = g_array_index(map, size_t,
		    MIN(err->offset, map->len - 1));
		goto release;
	}
	*out = g_string_free(c.out, FALSE);
release:
	g_array_free(map, TRUE);
	g_free(folded);
	return status;
}
