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
#include "query_private.h"
#include "query_word.h"

const char *const larch_query_fields[] = {
	"from", "to", "cc", "subject", "list", "date", "mid", "thread",
	"has", "filename", "is", NULL,
};

/* Words before ':' that start a URL or other text, not a field. */
static const char *const not_fields[] = {
	"http", "https", "ftp", "mailto", "news", "urn", "tel", "file", NULL,
};

/* A rewrite of c->out: drop bytes at pos replaced with text. */
struct edit {
	size_t pos;
	size_t drop;		/* bytes replaced */
	const char *text;
};

static int
edit_later(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	if (x->pos != y->pos)
		return x->pos < y->pos ? 1 : -1;
	/* A replacement before an insertion at the same place, so the
	 * insertion lands in front of it. */
	return (int)y->drop - (int)x->drop;
}

static void
close_chain(struct checker *c, struct run *r)
{
	size_t end = r->out_end;

	if (!c->in_chain)
		return;
	g_array_append_val(r->chains, c->chain_start);
	g_array_append_val(r->chains, end);
	c->in_chain = false;
}

/* Applies a run's rewrites (see struct run) and empties it for the run
 * that follows: after_op says whether that one follows an operator. */
static void
finish_run(struct checker *c, struct run *r, bool after_op)
{
	GArray *edits = g_array_new(FALSE, FALSE, sizeof(struct edit));
	bool only_hated = r->operands > 0 && r->hated == r->operands;
	struct edit e;

	close_chain(c, r);
	if (only_hated || (r->after_op && r->first_hated)) {
		e = (struct edit){ r->out_start, 0, "(" };
		g_array_append_val(edits, e);
		e = (struct edit){ r->out_end, 0, ")" };
		g_array_append_val(edits, e);
	}
	for (guint k = 0; only_hated && k < r->signs->len; k++) {
		e = (struct edit){ g_array_index(r->signs, size_t, k), 1,
		    "NOT " };
		g_array_append_val(edits, e);
	}
	for (guint k = 0; r->operands > 1 && k + 1 < r->chains->len; k += 2) {
		e = (struct edit){ g_array_index(r->chains, size_t, k), 0,
		    "(" };
		g_array_append_val(edits, e);
		e = (struct edit){ g_array_index(r->chains, size_t, k + 1), 0,
		    ")" };
		g_array_append_val(edits, e);
	}
	g_array_sort(edits, edit_later);
	for (guint k = 0; k < edits->len; k++) {
		e = g_array_index(edits, struct edit, k);
		g_string_erase(c->out, e.pos, e.drop);
		g_string_insert(c->out, e.pos, e.text);
	}
	g_array_free(edits, TRUE);
	r->operands = r->hated = 0;
	r->first_hated = false;
	r->after_op = after_op;
	g_array_set_size(r->signs, 0);
	g_array_set_size(r->chains, 0);
}

static struct run *
run_new(void)
{
	struct run *r = g_new0(struct run, 1);

	r->signs = g_array_new(FALSE, FALSE, sizeof(size_t));
	r->chains = g_array_new(FALSE, FALSE, sizeof(size_t));
	return r;
}

static void
run_free(struct run *r)
{
	g_array_free(r->signs, TRUE);
	g_array_free(r->chains, TRUE);
	g_free(r);
}

static struct run *
top_run(struct checker *c)
{
	return c->runs->pdata[c->runs->len - 1];
}

/* What a word of field is, for errors. */
static const char *
word_kind(const char *field)
{
	return strcmp(field, "subject") == 0 ? "a subject: word" :
	    strcmp(field, "filename") == 0 ? "a filename: word" :
	    "a word of the text";
}

/* Takes the operand that has just been written to c->out, from
 * out_start, with the pending sign; field as in struct operand. */
static enum larch_status
add_operand(struct checker *c, size_t at, size_t len, size_t out_start,
    const char *not_word, const char *field)
{
	struct run *r = top_run(c);

	if (c->near_op != NULL) {
		if (c->sign != 0)
			return refuse(c, c->sign_at, "'%.*s' takes single "
			    "words: no '%c' after it", (int)c->near_len,
			    c->near_op, c->sign);
		if (not_word != NULL)
			return refuse(c, at, "'%.*s' takes single words: "
			    "'%.*s' after it is %s", (int)c->near_len,
			    c->near_op, (int)MIN(len, 40), c->q + at,
			    not_word);
		/* Each field's words have positions of their own: a
		 * subject: word is never near a word of the text. */
		if (strcmp(field, c->chain_field) != 0)
			return refuse(c, at, "'%.*s' takes words of one "
			    "field: '%.*s' after it is %s, the word before "
			    "it %s", (int)c->near_len, c->near_op,
			    (int)MIN(len, 40), c->q + at, word_kind(field),
			    word_kind(c->chain_field));
		c->near_op = NULL;
		r->out_end = c->out->len;
	} else {
		close_chain(c, r);
		if (r->operands == 0)
			r->out_start = c->sign != 0 ? c->sign_out : out_start;
		if (c->sign == '-') {
			g_array_append_val(r->signs, c->sign_out);
			r->hated++;
			r->first_hated |= r->operands == 0;
		}
		r->operands++;
		r->out_end = c->out->len;
		c->operands++;
	}
	c->last = (struct operand){ at, len, out_start, not_word, field };
	c->sign = 0;
	c->prev = PREV_OPERAND;
	return LARCH_OK;
}

/* An operator word: AND OR XOR NOT NEAR ADJ, NEAR/n, ADJ/n.  *bad is
 * set for NEAR/ or ADJ/ without a distance of 1 or more. */
static const char *
operator_name(const char *w, size_t len, bool *bad)
{
	static const char *const ops[] = { "AND", "OR", "XOR", "NOT",
	    "NEAR", "ADJ", NULL };

	*bad = false;
	for (size_t k = 0; ops[k] != NULL; k++) {
		size_t n = strlen(ops[k]);

		if (len < n || strncmp(w, ops[k], n) != 0)
			continue;
		if (len == n)
			return ops[k];
		if (k >= 4 && w[n] == '/') {	/* NEAR, ADJ */
			int dist;

			/* Xapian reads a bad NEAR/x as words. */
			*bad = !parse_uint(w + n + 1, len - n - 1, &dist) ||
			    dist == 0;
			return ops[k];
		}
	}
	return NULL;
}

static enum larch_status
check_operator(struct checker *c, const char *op, size_t at, size_t len)
{
	bool is_not = strcmp(op, "NOT") == 0;
	bool is_near = strcmp(op, "NEAR") == 0 || strcmp(op, "ADJ") == 0;

	if (is_not && c->near_op != NULL)
		return refuse(c, at, "'%.*s' takes single words, not 'NOT' "
		    "after it", (int)c->near_len, c->near_op);
	if (!is_not && c->prev != PREV_OPERAND)
		return refuse(c, at, "'%s' needs a word before it", op);
	if (is_not && c->prev == PREV_NOT)
		return refuse(c, at, "'NOT' twice in a row");
	c->prev = is_not ? PREV_NOT : PREV_BINARY;
	c->op_offset = at;
	c->op_name = op;
	if (!is_near) {
		finish_run(c, top_run(c), true);
		return LARCH_OK;
	}
	if (c->last.not_word != NULL)
		return refuse(c, c->last.at, "'%.*s' takes single words: "
		    "'%.*s' before it is %s", (int)len, c->q + at,
		    (int)MIN(c->last.len, 40), c->q + c->last.at,
		    c->last.not_word);
	if (c->in_chain && (len != c->chain_op_len ||
	    strncmp(c->q + at, c->chain_op, len) != 0))
		return refuse(c, at, "'%.*s' after '%.*s': a chain of words "
		    "takes one operator and one distance", (int)len,
		    c->q + at, (int)c->chain_op_len, c->chain_op);
	if (!c->in_chain) {
		c->in_chain = true;
		c->chain_start = c->last.out_start;
		c->chain_field = c->last.field;
		c->chain_op = c->q + at;
		c->chain_op_len = len;
	}
	c->near_op = c->q + at;
	c->near_len = len;
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

/* A token Xapian reads as nothing ("!", "*", "-"): left out of the
 * rewrite with its sign, so that it can leave no operator without a
 * side behind Xapian's back. */
static enum larch_status
drop_token(struct checker *c, size_t at, size_t len, size_t out_start)
{
	g_string_truncate(c->out, c->sign != 0 ? c->sign_out : out_start);
	c->sign = 0;
	if (c->dropped_len == 0) {	/* tokens are never empty */
		c->dropped_at = at;
		c->dropped_len = len;
	}
	return LARCH_OK;
}

/* What a field:value is to NEAR: words of subject: and filename: are
 * terms like free words; other fields are filters. */
static const char *
field_not_word(struct checker *c, const char *field, size_t value_at)
{
	if (strcmp(field, "subject") != 0 && strcmp(field, "filename") != 0)
		return "a field other than subject: or filename:";
	if (c->q[value_at] == '"')
		return "a phrase";
	return larch_query_word_not_single(c->q + value_at, c->i - value_at);
}

static enum larch_status
check_word(struct checker *c)
{
	size_t start = c->i, at = start, end, name_len = 0;
	size_t out_start = c->out->len;
	const char *w, *op, *star;
	bool bad_op;

	/* Xapian's parser skips what cannot start a word (punctuation
	 * such as "!date:2016") and then reads a field, so the field is
	 * checked after it too: it is copied, the field read after it. */
	while (!ends_word(c->q[at]) && c->q[at] != '"' &&
	    !larch_query_starts_word(c->q + at))
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
		status = larch_query_check_value(c, field, at);
		if (status == LARCH_OK)
			status = add_operand(c, start, c->i - start, out_start,
			    field_not_word(c, field, end + 1),
			    strcmp(field, "subject") == 0 ? "subject" :
			    strcmp(field, "filename") == 0 ? "filename" : "");
		g_free(field);
		return status;
	}
	/* "ldap://host" or "svn://host" pasted from a message is a URL
	 * whatever its scheme; "a::b" is C++. */
	if (name_len > 0 && !in_list(not_fields, w, name_len) &&
	    !ends_word(c->q[end + 1]) && c->q[end + 1] != ':' &&
	    strncmp(c->q + end + 1, "//", 2) != 0)
		return refuse(c, at, "unknown field '%.*s:'; fields are from: "
		    "to: cc: subject: list: date: mid: thread: has: "
		    "filename: is:", (int)MIN(name_len, 40), w);

	end = at;
	while (!ends_word(c->q[end]) && c->q[end] != '"')
		end++;
	c->i = end;
	/* Xapian reads an operator after skipped punctuation ("!AND"). */
	op = operator_name(w, end - at, &bad_op);
	if (op != NULL && bad_op)
		return refuse(c, at, "'%.*s': %s takes a distance in words "
		    "of 1 or more, as in %s/3", (int)MIN(end - at, 40), w, op,
		    op);
	if (op != NULL && c->sign != 0)
		return refuse(c, c->sign_at, "a '%c' goes before a word, not "
		    "before '%s'", c->sign, op);
	if (!larch_query_has_word(w, end - at))
		return drop_token(c, start, end - start, out_start);
	/* A call pasted from code, "talloc_free()": its empty parentheses
	 * end the word, they do not open an empty group. */
	if (op == NULL && c->q[end] == '(' && c->q[end + 1] == ')')
		c->i = end + 2;
	star = memchr(c->q + start, '*', end - start);
	if (star != NULL && star + strspn(star, "*") < c->q + end)
		return refuse(c, star - c->q, "'%.*s': '*' ends a word, as in "
		    "polic*; it cannot start one or stand inside it",
		    (int)MIN(end - start, 40), c->q + start);
	if (star != NULL && op == NULL &&
	    larch_query_count_wildcard(c, star - c->q) != LARCH_OK)
		return LARCH_ERR_PARSE;
	g_string_append_len(c->out, w, end - at);
	if (op != NULL)
		return check_operator(c, op, at, end - at);
	return add_operand(c, start, end - start, out_start,
	    larch_query_word_not_single(c->q + start, end - start), "");
}

/*
 * A '+' or '-' before a word, phrase or group (at c->i): kept as the
 * next operand's sign.  Xapian ignores a lone one ("a - b") and a run of
 * them ("--verbose"), so those are dropped.
 */
static void
check_sign(struct checker *c)
{
	size_t at = c->i, n = strspn(c->q + at, "+-");
	char next = c->q[at + n];

	c->i = at + n;
	if (n > 1 || is_blank(next) || next == '\0' || next == ')') {
		drop_token(c, at, n, c->out->len);
		return;
	}
	c->sign = c->q[at];
	c->sign_at = at;
	c->sign_out = c->out->len;
	g_string_append_c(c->out, c->sign);
}

enum larch_status
larch_query_count_wildcard(struct checker *c, size_t at)
{
	if (++c->wildcards > LARCH_QUERY_MAX_WILDCARDS)
		return refuse(c, at, "more than %d wildcards in one query",
		    LARCH_QUERY_MAX_WILDCARDS);
	return LARCH_OK;
}

bool
larch_query_has_wildcard(const char *text, size_t len)
{
	for (size_t k = 1; k < len; k++)
		if (text[k] == '*' && !ends_word(text[k - 1]) &&
		    text[k - 1] != '*')
			return true;
	return false;
}

static enum larch_status
check_phrase(struct checker *c)
{
	size_t at = c->i, out_start = c->out->len;
	const char *close = memchr(c->q + at + 1, '"', c->len - at - 1);

	if (close == NULL)
		return refuse(c, at, "unbalanced quote: this '\"' is never "
		    "closed");
	if (!larch_query_has_word(c->q + at + 1, close - (c->q + at) - 1))
		return refuse(c, at, "empty phrase: '%.*s' holds no word",
		    (int)MIN(close - (c->q + at) + 1, 40), c->q + at);
	if (larch_query_has_wildcard(c->q + at + 1, close - (c->q + at) - 1))
		return refuse(c, at, "'%.*s': a phrase matches whole words, "
		    "so '*' cannot go in it; search the words without quotes "
		    "(polic* forum)", (int)MIN(close - (c->q + at) + 1, 40),
		    c->q + at);
	g_string_append_len(c->out, c->q + at, close - (c->q + at) + 1);
	c->i = close - c->q + 1;
	return add_operand(c, at, c->i - at, out_start, "a phrase", "");
}

static enum larch_status
open_group(struct checker *c)
{
	struct run *r;

	if (c->near_op != NULL)
		return refuse(c, c->i, "'%.*s' takes single words, not a "
		    "group in parentheses", (int)c->near_len, c->near_op);
	close_chain(c, top_run(c));
	r = run_new();
	r->group_at = c->i;
	r->group_out = c->out->len;
	r->group_sign = c->sign;
	r->group_sign_out = c->sign_out;
	c->sign = 0;
	g_ptr_array_add(c->runs, r);
	g_string_append_c(c->out, '(');
	c->i++;
	/* A group starts afresh: after an operand it is an implicit AND,
	 * after NOT its operand, which may start with NOT ("NOT -a" is
	 * "NOT (NOT a)"); "NOT ()" is refused as empty. */
	c->prev = PREV_START;
	return LARCH_OK;
}

static enum larch_status
close_group(struct checker *c)
{
	struct run *r;
	enum larch_status status;

	if (c->runs->len == 1)
		return refuse(c, c->i, "')' without a matching '('");
	if (c->prev == PREV_START)
		return refuse(c, c->i, "empty parentheses");
	if ((status = check_dangling(c)) != LARCH_OK)
		return status;
	r = top_run(c);
	finish_run(c, r, false);
	g_string_append_c(c->out, ')');
	c->i++;
	c->sign = r->group_sign;
	c->sign_out = r->group_sign_out;
	c->sign_at = r->group_at;
	g_ptr_array_steal_index(c->runs, c->runs->len - 1);
	status = add_operand(c, r->group_at, c->i - r->group_at,
	    r->group_out, "a group in parentheses", "");
	run_free(r);
	return status;
}

static enum larch_status
check(struct checker *c)
{
	enum larch_status status = LARCH_OK;

	c->runs = g_ptr_array_new_with_free_func((GDestroyNotify)run_free);
	g_ptr_array_add(c->runs, run_new());
	while (status == LARCH_OK && c->i < c->len) {
		char ch = c->q[c->i];

		if (is_blank(ch)) {
			g_string_append_c(c->out, ' ');
			c->i++;
			continue;
		}
		/* Tokens the checker tells apart are apart for Xapian too:
		 * it reads "(a)x*", "\"a b\"c" or "c(a OR b)" otherwise, and
		 * takes no sign in "(a)-b".  So every token starts after a
		 * blank, a '(' or its sign, where the '(' of finish_run()
		 * opens a group too. */
		if (c->out->len > 0 && c->sign == 0 && ch != ')' &&
		    !strchr(" (", c->out->str[c->out->len - 1]))
			g_string_append_c(c->out, ' ');
		if ((ch == '+' || ch == '-') && c->sign == 0) {
			check_sign(c);
		} else if (ch == '"') {
			status = check_phrase(c);
		} else if (ch == '(') {
			status = open_group(c);
		} else if (ch == ')') {
			status = close_group(c);
		} else {
			status = check_word(c);
		}
	}
	if (status == LARCH_OK)
		status = check_dangling(c);
	if (status == LARCH_OK && c->runs->len > 1)
		status = refuse(c, top_run(c)->group_at, "'(' is never closed");
	/* No operand and nothing refused: the query, never blank, was
	 * only tokens Xapian reads as nothing. */
	if (status == LARCH_OK && c->operands == 0) {
		const char *d = c->q + c->dropped_at;

		status = d[strspn(d, "+-")] == '*' ?
		    refuse(c, c->dropped_at, "'*' alone: a wildcard ends a "
		    "word, as in polic*") :
		    refuse(c, c->dropped_at, "nothing to search for: '%.*s' "
		    "holds no letter or digit", (int)MIN(c->dropped_len, 40),
		    d);
	}
	if (status == LARCH_OK)
		finish_run(c, top_run(c), false);
	/* What a dropped token leaves in front, as the leading blanks
	 * that are never copied, so the rewrite reads the same again. */
	if (status == LARCH_OK)
		g_string_erase(c->out, 0, strspn(c->out->str, " "));
	g_ptr_array_free(c->runs, TRUE);
	return status;
}

/*
 * Folds the whole query (larch_fold(), character by character, and its
 * elided articles dropped as larch_fold() drops them) before it is
 * checked: folding can make syntax ("（" is "(", "：" is ":", "ＡＮＤ" is
 * AND), so checking the text as typed and folding afterwards let bad
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
	/* From the folded text, not the typed one, so that "Ｌ’x" loses its
	 * article too and a second preparation finds none left. */
	g_array_set_size(map, larch_fold_drop_elisions(out->str, out->len,
	    (size_t *)(void *)map->data) + 1);
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
