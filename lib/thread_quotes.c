/*
 * Which message each quote comes from: a quoted block is linked to the
 * parent or an earlier message of the thread whose new text holds it; see
 * include/larch/thread.h.  Thread shapes are in thread.c, summaries in
 * thread_summary.c.
 */
#include <string.h>

#include "larch/fold.h"
#include "larch/thread.h"

/* Quote lines shorter than this (letters and digits) say too little
 * ("Yes.", "Hi Bob,") to tell one message from another. */
#define QUOTE_LINE_MIN 8

/* Drops the word that ends out, from offset word on, when it is "at". */
static void
drop_at(GString *out, size_t word)
{
	if (out->len - word == 2 && memcmp(out->str + word, "at", 2) == 0)
		g_string_truncate(out, word);
}

/* Appends the ASCII letters and digits that start p, lowercased; returns
 * where they end.  Most text is ASCII, and this runs for every line of
 * every candidate a quote is compared with, so a run goes in at once. */
static const char *
append_ascii_word(GString *out, const char *p, const char *end)
{
	const char *q = p;
	size_t at = out->len;

	while (q < end && (unsigned char)*q < 0x80 && g_ascii_isalnum(*q))
		q++;
	g_string_set_size(out, at + (size_t)(q - p));
	for (char *w = out->str + at; p < q; p++, w++)
		*w = *p >= 'A' && *p <= 'Z' ? (char)(*p + ('a' - 'A')) : *p;
	return q;
}

/*
 * Appends the lowercased letters and digits of text to out, without
 * their accents.  The word "at" is dropped, so an address that an
 * archive wrote as "user at host" compares equal to "user@host"; both
 * sides drop it, so ordinary text still compares equal to itself.
 */
static void
append_letters(GString *out, const char *text, size_t len)
{
	const char *end = text + len;
	size_t word = out->len;

	for (const char *p = text; p < end;) {
		gunichar c;

		if ((unsigned char)*p < 0x80) {
			if (g_ascii_isalnum(*p)) {
				p = append_ascii_word(out, p, end);
				continue;
			}
		} else {
			c = g_utf8_get_char_validated(p, end - p);
			if (c == (gunichar)-1 || c == (gunichar)-2)
				break;
			p = g_utf8_next_char(p);
			/* Accents count for nothing, so text written
			 * decomposed (NFD, as macOS may write it) equals
			 * the same text composed.  Only the alphabets below
			 * U+2000 have accented letters: a Hangul syllable
			 * decomposes too, but into letters of its own. */
			if (g_unichar_ismark(c))
				continue;
			if (g_unichar_isalnum(c)) {
				gunichar base[
				    G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

				if (c < 0x2000 && g_unichar_fully_decompose(c,
				    FALSE, base, G_N_ELEMENTS(base)) > 0 &&
				    g_unichar_isalnum(base[0]))
					c = base[0];
				g_string_append_unichar(out,
				    g_unichar_tolower(c));
				continue;
			}
			drop_at(out, word);
			word = out->len;
			continue;
		}
		p++;
		drop_at(out, word);
		word = out->len;
	}
	drop_at(out, word);
}

struct quoted {
	GPtrArray *lines;	/* char *: the long normalised lines */
	char *all;		/* the whole quote normalised */
};

/* Whether a line ends with a colon: it introduces what follows ("On ...,
 * Ann wrote:", "Bob schrieb:", "写道：") and is seldom text of its own. */
static bool
introduces(const char *line, size_t len)
{
	while (len > 0 && g_ascii_isspace(line[len - 1]))
		len--;
	return (len >= 1 && line[len - 1] == ':') ||
	    (len >= 3 && memcmp(line + len - 3, "\xef\xbc\x9a", 3) == 0);
}

/* q made from text; whole, when given, also gets the letters of all of
 * text, lines that introduce others included. */
static void
quoted_init(struct quoted *q, const char *text, GString *whole)
{
	GString *buf = g_string_new(NULL);
	GString *all = g_string_new(NULL);
	const char *p = text != NULL ? text : "";

	q->lines = g_ptr_array_new_with_free_func(g_free);
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		bool counts = !introduces(p, len);

		g_string_truncate(buf, 0);
		if (counts || whole != NULL)
			append_letters(buf, p, len);
		if (whole != NULL)
			g_string_append_len(whole, buf->str, (gssize)buf->len);
		if (counts) {
			g_string_append_len(all, buf->str, (gssize)buf->len);
			if (g_utf8_strlen(buf->str, (gssize)buf->len) >=
			    QUOTE_LINE_MIN)
				g_ptr_array_add(q->lines, g_strdup(buf->str));
		}
		p += len + (nl != NULL);
	}
	q->all = g_string_free(all, FALSE);
	g_string_free(buf, TRUE);
}

static void
quoted_release(struct quoted *q)
{
	g_ptr_array_unref(q->lines);
	g_free(q->all);
}

/* A candidate's text, normalised: what it wrote, and the signature and
 * footer that a quoter's client copies along with it. */
struct written {
	char *text;
	char *extra;
	char *quoted;		/* what it quoted itself */
	struct quoted own;	/* the new text as a quote would hold it */
};

static void
written_clear(struct written *w)
{
	g_free(w->text);
	g_free(w->extra);
	g_free(w->quoted);
	quoted_release(&w->own);
}

static void
written_free(gpointer p)
{
	written_clear(p);
	g_free(p);
}

/* w made from m; quotes, when given, also get m's quotes, one each, from
 * the same pass over their text. */
static void
written_init(struct written *w, const struct larch_msg *m,
    struct quoted *quotes)
{
	GString *buf = g_string_new(NULL);

	quoted_init(&w->own, m->new_text, buf);
	w->text = g_string_free(buf, FALSE);
	buf = g_string_new(NULL);
	if (m->signature != NULL)
		append_letters(buf, m->signature, strlen(m->signature));
	g_string_append_c(buf, ' ');
	if (m->footer != NULL)
		append_letters(buf, m->footer, strlen(m->footer));
	w->extra = g_string_free(buf, FALSE);
	buf = g_string_new(NULL);
	for (guint i = 0; i < m->quotes->len; i++) {
		const struct larch_quote *q = m->quotes->pdata[i];

		if (quotes != NULL)
			quoted_init(&quotes[i], q->text, buf);
		else if (q->text != NULL)
			append_letters(buf, q->text, strlen(q->text));
		g_string_append_c(buf, ' ');
	}
	w->quoted = g_string_free(buf, FALSE);
}

static struct written *
written_new(const struct larch_msg *m)
{
	struct written *w = g_new0(struct written, 1);

	written_init(w, m, NULL);
	return w;
}

/*
 * A message's texts normalised ahead (larch_thread_prepare_quotes()),
 * with the byte lengths of the texts they were made from: new text,
 * signature, footer, then each quote.  Reference counted, atomically, as
 * it is made in one thread and used and dropped in another.
 */
struct larch_quote_text {
	struct written written;
	struct quoted *quotes;		/* one per quote */
	guint nquotes;
	size_t *lens;			/* 3 + nquotes */
};

static size_t
len_or_0(const char *s)
{
	return s != NULL ? strlen(s) : 0;
}

static size_t
text_len(const struct larch_msg *m, guint i)
{
	switch (i) {
	case 0:
		return len_or_0(m->new_text);
	case 1:
		return len_or_0(m->signature);
	case 2:
		return len_or_0(m->footer);
	default:
		return len_or_0(((const struct larch_quote *)
		    m->quotes->pdata[i - 3])->text);
	}
}

/* m's prepared texts, when they were made from texts of the lengths m has
 * now; else NULL. */
static const struct larch_quote_text *
prepared(const struct larch_msg *m)
{
	const struct larch_quote_text *t = m->quote_text;

	if (t == NULL || t->nquotes != m->quotes->len)
		return NULL;
	for (guint i = 0; i < 3 + t->nquotes; i++)
		if (t->lens[i] != text_len(m, i))
			return NULL;
	return t;
}

static void
quote_text_clear(gpointer p)
{
	struct larch_quote_text *t = p;

	written_clear(&t->written);
	for (guint i = 0; i < t->nquotes; i++)
		quoted_release(&t->quotes[i]);
	g_free(t->quotes);
	g_free(t->lens);
}

void
larch_thread_prepare_quotes(struct larch_msg *msg)
{
	struct larch_quote_text *t;

	g_return_if_fail(msg != NULL);
	t = g_atomic_rc_box_new0(struct larch_quote_text);
	t->nquotes = msg->quotes->len;
	t->quotes = g_new0(struct quoted, t->nquotes);
	written_init(&t->written, msg, t->quotes);
	t->lens = g_new(size_t, 3 + t->nquotes);
	for (guint i = 0; i < 3 + t->nquotes; i++)
		t->lens[i] = text_len(msg, i);
	larch_quote_text_unref(msg->quote_text);
	msg->quote_text = t;
}

struct larch_quote_text *
larch_quote_text_ref(struct larch_quote_text *t)
{
	return t != NULL ? g_atomic_rc_box_acquire(t) : NULL;
}

void
larch_quote_text_unref(struct larch_quote_text *t)
{
	if (t != NULL)
		g_atomic_rc_box_release_full(t, quote_text_clear);
}

/* m's quotes normalised: the prepared ones, else made into *made, which
 * quotes_release() frees. */
static const struct quoted *
quotes_of(const struct larch_msg *m, struct quoted **made)
{
	const struct larch_quote_text *t = prepared(m);

	*made = NULL;
	if (t != NULL)
		return t->quotes;
	*made = g_new0(struct quoted, m->quotes->len + 1);
	for (guint i = 0; i < m->quotes->len; i++)
		quoted_init(&(*made)[i], ((const struct larch_quote *)
		    m->quotes->pdata[i])->text, NULL);
	return *made;
}

static void
quotes_release(struct quoted *made, guint n)
{
	if (made == NULL)
		return;
	for (guint i = 0; i < n; i++)
		quoted_release(&made[i]);
	g_free(made);
}

/*
 * Whether a candidate wrote the quote.  Either at least half of the
 * quote's long lines are in the candidate's new text, signature or footer
 * (the quoter may have cut some, or kept an attribution line), and at
 * least one is in the new text, as a signature alone says only who wrote;
 * or at least half of the candidate's long lines are in the quote, for a
 * block that holds all of a message and more: the forwarded-message
 * headers and the older quotes of a top-posting client.  A quote without
 * long lines must be all in the new text, and only counts for a message
 * it is expected to come from.  *written, when given, gets the number of
 * the quote's long lines the candidate wrote.
 */
static bool
quote_matches(const struct quoted *q, const struct written *w, bool expected,
    guint *written)
{
	guint own = 0, hits = 0, back = 0;

	if (written != NULL)
		*written = 0;
	if (w == NULL || *w->text == '\0')
		return false;
	if (q->lines->len == 0)
		return *q->all != '\0' && (expected ||
		    g_utf8_strlen(q->all, -1) >= QUOTE_LINE_MIN) &&
		    strstr(w->text, q->all) != NULL;
	for (guint i = 0; i < q->lines->len; i++) {
		const char *line = q->lines->pdata[i];

		if (strstr(w->text, line) != NULL)
			own++;
		else if (strstr(w->extra, line) == NULL)
			continue;
		hits++;
	}
	if (written != NULL)
		*written = hits;
	if (own > 0 && hits * 2 >= q->lines->len)
		return true;
	for (guint i = 0; i < w->own.lines->len; i++)
		back += strstr(q->all, w->own.lines->pdata[i]) != NULL;
	return back > 0 && back * 2 >= w->own.lines->len;
}

struct quote_ctx {
	GHashTable *by_mid;	/* mid -> struct larch_msg * (borrowed) */
	GHashTable *text;	/* struct larch_msg * -> const struct written *:
				 * the prepared one, or one in made */
	GPtrArray *made;	/* struct written *: made here, owned */
	GPtrArray *latest;	/* struct larch_msg *, latest first */
};

/* m's normalised text, looked up or made when first asked for: most
 * candidates are never compared with, and normalising is most of the
 * linker's work. */
static const struct written *
text_of(struct quote_ctx *ctx, const struct larch_msg *m)
{
	const struct larch_quote_text *t;
	const struct written *w;

	if (m == NULL)
		return NULL;
	w = g_hash_table_lookup(ctx->text, m);
	if (w != NULL)
		return w;
	t = prepared(m);
	if (t != NULL) {
		w = &t->written;
	} else {
		w = written_new(m);
		g_ptr_array_add(ctx->made, (gpointer)w);
	}
	g_hash_table_insert(ctx->text, (gpointer)m, (gpointer)w);
	return w;
}

static gint
latest_first(gconstpointer a, gconstpointer b)
{
	const struct larch_msg *x = *(struct larch_msg *const *)a;
	const struct larch_msg *y = *(struct larch_msg *const *)b;

	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	return strcmp(x->mid, y->mid);
}

/* The message depth levels up from msg, or NULL when the chain leaves the
 * conversation (a ghost) before that. */
static struct larch_msg *
ancestor(struct quote_ctx *ctx, struct larch_msg *msg, int depth)
{
	for (int i = 0; i < depth && msg != NULL; i++)
		msg = msg->parent != NULL ?
		    g_hash_table_lookup(ctx->by_mid, msg->parent) : NULL;
	return msg;
}

/* The first message in ctx->latest dated no later than date. */
static guint
first_not_after(struct quote_ctx *ctx, int64_t date)
{
	guint lo = 0, hi = ctx->latest->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		const struct larch_msg *m = ctx->latest->pdata[mid];

		if (m->date > date)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct larch_msg *
find_source(struct quote_ctx *ctx, struct larch_msg *msg,
    const struct quoted *q, struct larch_msg *want)
{
	if (want != NULL && want != msg && quote_matches(q,
	    text_of(ctx, want), true, NULL))
		return want;
	for (guint i = first_not_after(ctx, msg->date);
	    i < ctx->latest->len; i++) {
		struct larch_msg *m = ctx->latest->pdata[i];

		if (m == msg || m == want)
			continue;
		if (quote_matches(q, text_of(ctx, m), false, NULL))
			return m;
	}
	return NULL;
}

/* Whether most of the quote's long lines are in what w quoted itself. */
static bool
quoted_by(const struct quoted *q, const struct written *w)
{
	guint hits = 0;

	for (guint i = 0; i < q->lines->len; i++)
		hits += strstr(w->quoted, q->lines->pdata[i]) != NULL;
	return hits > 0 && hits * 2 >= q->lines->len;
}

/* Whether a is an ancestor of b (and not b). */
static bool
is_above(struct quote_ctx *ctx, struct larch_msg *a, struct larch_msg *b)
{
	/* A cycle of parents cannot trap the walk: it has at most as many
	 * steps as there are messages. */
	for (guint i = 0; b != NULL && i <= ctx->latest->len; i++) {
		b = ancestor(ctx, b, 1);
		if (b == a)
			return a != NULL;
	}
	return false;
}

/* Whether a quote's letters were all lost: a pipermail archive wrote
 * '?' for every one its list's charset lacked ("???? ??"), and nothing
 * is left to compare. */
static bool
letters_lost(const char *text)
{
	struct quoted q;
	bool lost;

	if (text == NULL || strstr(text, "??") == NULL)
		return false;
	quoted_init(&q, text, NULL);
	lost = *q.all == '\0';
	quoted_release(&q);
	return lost;
}

/*
 * Whether a block that matched got is really part of the expected
 * message: the quoter kept the expected message's own quote of an older
 * one (a top-posting client's unmarked "original message").  That is so
 * when another block at that depth comes from the expected message and
 * got is its ancestor or the block is in what it quoted.
 */
static bool
is_nested(struct quote_ctx *ctx, struct larch_msg *m, guint k,
    const struct quoted *text, struct larch_msg **want,
    struct larch_msg **got)
{
	struct larch_quote *q = m->quotes->pdata[k];
	bool sibling = false;

	if (got[k] == NULL || want[k] == NULL || got[k] == want[k])
		return false;
	for (guint j = 0; j < m->quotes->len && !sibling; j++) {
		struct larch_quote *o = m->quotes->pdata[j];

		sibling = got[j] == want[k] && MAX(o->depth, 1) ==
		    MAX(q->depth, 1);
	}
	/* Without that, only when the expected message's own words cannot
	 * be compared (a pipermail archive wrote '?' for each of them): a
	 * block holding what it quoted is then its whole message quoted. */
	if (!sibling && (*text_of(ctx, want[k])->text != '\0' ||
	    want[k]->new_text == NULL ||
	    strstr(want[k]->new_text, "??") == NULL))
		return false;
	if (sibling && is_above(ctx, got[k], want[k]))
		return true;
	return quoted_by(text, text_of(ctx, want[k]));
}

/* Whether the archive kept none of m's text: a pipermail copy of an
 * HTML-only mail is only the scrubber's note, which the splitter sets
 * aside, so nothing is left to compare a quote with. */
static bool
text_unknown(struct quote_ctx *ctx, const struct larch_msg *m)
{
	const struct written *w = text_of(ctx, m);

	return *w->text == '\0' && w->quoted[strspn(w->quoted, " ")] == '\0';
}

/* Links the quotes of one message.  A depth-1 block that no message's
 * text holds goes to the parent when the parent's text is unknown: its
 * replies still quote what it said, and nothing else in the thread
 * said it.  A block whose letters were all lost goes to the message its
 * depth points at. */
static void
link_message(struct quote_ctx *ctx, struct larch_msg *m)
{
	guint n = m->quotes->len;
	struct larch_msg **want = g_new0(struct larch_msg *, n + 1);
	struct larch_msg **got = g_new0(struct larch_msg *, n + 1);
	bool *nested = g_new0(bool, n + 1);
	struct quoted *made;
	const struct quoted *texts = quotes_of(m, &made);

	for (guint k = 0; k < n; k++) {
		struct larch_quote *q = m->quotes->pdata[k];

		want[k] = ancestor(ctx, m, MAX(q->depth, 1));
		got[k] = find_source(ctx, m, &texts[k], want[k]);
		if (got[k] == NULL && want[k] != NULL && want[k] != m &&
		    ((q->depth <= 1 && text_unknown(ctx, want[k])) ||
		    letters_lost(q->text)))
			got[k] = want[k];
	}
	for (guint k = 0; k < n; k++)
		nested[k] = is_nested(ctx, m, k, &texts[k], want, got);
	for (guint k = 0; k < n; k++) {
		struct larch_quote *q = m->quotes->pdata[k];
		struct larch_msg *source = nested[k] ? want[k] : got[k];

		g_free(q->source);
		q->source = source != NULL ? g_strdup(source->mid) : NULL;
	}
	quotes_release(made, n);
	g_free(nested);
	g_free(got);
	g_free(want);
}

/* Links the quotes of msgs' messages, or of only (one of them) when it
 * is not NULL. */
static void
link_quotes(GPtrArray *msgs, struct larch_msg *only)
{
	struct quote_ctx ctx;

	ctx.by_mid = g_hash_table_new(g_str_hash, g_str_equal);
	ctx.text = g_hash_table_new(g_direct_hash, g_direct_equal);
	ctx.made = g_ptr_array_new_with_free_func(written_free);
	ctx.latest = g_ptr_array_sized_new(msgs->len);
	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];

		if (!g_hash_table_contains(ctx.by_mid, m->mid))
			g_hash_table_insert(ctx.by_mid, m->mid, m);
		g_ptr_array_add(ctx.latest, m);
	}
	g_ptr_array_sort(ctx.latest, latest_first);
	for (guint i = 0; i < msgs->len; i++)
		if (only == NULL || msgs->pdata[i] == only)
			link_message(&ctx, msgs->pdata[i]);
	g_ptr_array_unref(ctx.latest);
	g_hash_table_destroy(ctx.text);
	g_ptr_array_unref(ctx.made);
	g_hash_table_destroy(ctx.by_mid);
}

void
larch_thread_link_quotes(GPtrArray *msgs)
{
	g_return_if_fail(msgs != NULL);
	link_quotes(msgs, NULL);
}

void
larch_thread_link_quotes_of(GPtrArray *msgs, struct larch_msg *msg)
{
	g_return_if_fail(msgs != NULL && msg != NULL);
	link_quotes(msgs, msg);
}

double
larch_thread_quoting_share(const struct larch_msg *reply,
    const struct larch_msg *source)
{
	const struct larch_quote_text *ready;
	struct written *made_w = NULL;
	const struct written *w = NULL;
	struct quoted *made;
	const struct quoted *texts;
	bool found = false;
	guint lines = 0, written = 0;

	g_return_val_if_fail(reply != NULL && source != NULL, 0);
	ready = prepared(source);
	texts = quotes_of(reply, &made);
	for (guint i = 0; i < reply->quotes->len; i++) {
		const struct larch_quote *quote = reply->quotes->pdata[i];
		const struct quoted *q = &texts[i];
		guint n;

		if (MAX(quote->depth, 1) != 1 || q->lines->len == 0)
			continue;
		if (w == NULL)
			w = ready != NULL ? &ready->written :
			    (made_w = written_new(source));
		found |= quote_matches(q, w, false, &n);
		lines += q->lines->len;
		written += n;
	}
	quotes_release(made, reply->quotes->len);
	if (made_w != NULL)
		written_free(made_w);
	/* A quote may match by the source's lines found in it (a rewrapped
	 * quote), none of its own lines whole: it still counts a little. */
	return !found ? 0 : MAX((double)written / lines, 1.0 / (lines + 1));
}

bool
larch_thread_is_quoting(const struct larch_msg *reply,
    const struct larch_msg *source)
{
	return larch_thread_quoting_share(reply, source) > 0;
}
