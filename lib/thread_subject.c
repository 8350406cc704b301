/*
 * Subject keys: a subject with its reply and forward prefixes and list
 * tags stripped, as threading compares subjects; and the subject a
 * thread summary shows.  See include/larch/thread.h.
 */
#include <string.h>

#include "larch/thread.h"

/*
 * Reply and forward prefixes, casefolded and in NFKC form (which also
 * turns the full-width colon of CJK clients into ':').  A prefix is one of
 * these words, maybe a '.', maybe a counter ("[3]", "(3)", "^3"), then a
 * colon, with blanks allowed around the counter and before the colon.
 * Both kinds are stripped from subject keys; only a reply prefix makes a
 * subject a reply (see strip_subject()).
 */
static const char *const reply_words[] = {
	"re", "ré", "aw", "sv", "vs", "ref", "réf", "rif", "ris", "r", "res",
	"antw", "antwort", "odp", "ynt", "atb", "ats", "vá", "ang",
	"odg", "odgovor",
	"відп", "відповідь", "ответ", "отв",
	"απ", "σχετ",
	"回复", "答复", "回覆", "答覆", "返信",
	"답장", "회신",
	"رد", "השב",
};

/* Forward prefixes: English, French (TR), German (WG), Portuguese (Enc),
 * Polish (PD), Turkish (İlt), Spanish (RV), Dutch, Finnish (VL), Swedish
 * (VB), Russian, Greek, Chinese, Japanese, Korean, Hebrew. */
static const char *const forward_words[] = {
	"fwd", "fw", "fwi", "tr", "trs", "wg", "enc", "pd", "ilt", "rv",
	"doorst", "vl", "vb", "пересл", "προώθ", "转发", "轉寄", "轉發",
	"転送", "전달", "העבר",
};

/* The longest prefix word, in characters; longer words are not looked up. */
#define REPLY_WORD_MAX 10

enum prefix { PREFIX_NONE, PREFIX_REPLY, PREFIX_FORWARD };

/* Each prefix word, mapped to its enum prefix. */
static GHashTable *
prefix_word_set(void)
{
	static gsize once;
	static GHashTable *set;

	if (g_once_init_enter(&once)) {
		GHashTable *s = g_hash_table_new(g_str_hash, g_str_equal);

		for (size_t i = 0; i < G_N_ELEMENTS(reply_words); i++)
			g_hash_table_insert(s, (gpointer)reply_words[i],
			    GINT_TO_POINTER(PREFIX_REPLY));
		for (size_t i = 0; i < G_N_ELEMENTS(forward_words); i++)
			g_hash_table_insert(s, (gpointer)forward_words[i],
			    GINT_TO_POINTER(PREFIX_FORWARD));
		set = s;
		g_once_init_leave(&once, 1);
	}
	return set;
}

static const char *
skip_space(const char *p)
{
	while (*p != '\0' && g_unichar_isspace(g_utf8_get_char(p)))
		p = g_utf8_next_char(p);
	return p;
}

/* After a "[...]" group at p, or NULL when p does not start one. */
static const char *
skip_list_tag(const char *p)
{
	const char *end;

	if (*p != '[')
		return NULL;
	end = strchr(p + 1, ']');
	return end != NULL ? end + 1 : NULL;
}

/* After a reply or forward prefix at p (and its colon), or NULL when p
 * starts none; *kind says which it was. */
static const char *
skip_reply_prefix(const char *p, enum prefix *kind)
{
	const char *q = p;
	int n = 0;
	char *word, *folded;
	enum prefix known;

	while (*q != '\0' && g_unichar_isalpha(g_utf8_get_char(q)) &&
	    n <= REPLY_WORD_MAX) {
		q = g_utf8_next_char(q);
		n++;
	}
	if (n == 0 || n > REPLY_WORD_MAX)
		return NULL;
	word = g_strndup(p, (gsize)(q - p));
	folded = g_utf8_casefold(word, -1);
	known = GPOINTER_TO_INT(g_hash_table_lookup(prefix_word_set(),
	    folded));
	g_free(folded);
	g_free(word);
	if (known == PREFIX_NONE)
		return NULL;
	if (*q == '.')
		q++;
	q = skip_space(q);
	if (*q == '[' || *q == '(' || *q == '^') {
		char close = *q == '[' ? ']' : *q == '(' ? ')' : '\0';
		const char *d = skip_space(q + 1);
		const char *digits = d;

		while (g_ascii_isdigit(*d))
			d++;
		if (d == digits)
			return NULL;
		d = skip_space(d);
		if (close != '\0' && *d++ != close)
			return NULL;
		q = skip_space(d);
	}
	if (*q != ':')
		return NULL;
	*kind = known;
	return q + 1;
}

/*
 * The subject without leading list tags and reply or forward prefixes, in
 * NFKC form (a new string); *first_kind says what the first prefix is
 * (PREFIX_NONE without one).  "Fwd: Re: x" is a forward of a reply, a new
 * post that starts its own conversation: clients send it without
 * reference headers on purpose.  "Re: Fwd: x" answers such a post.
 */
static char *
strip_subject(const char *subject, enum prefix *first_kind)
{
	char *valid = g_utf8_make_valid(subject, -1);
	char *nfkc = g_utf8_normalize(valid, -1, G_NORMALIZE_NFKC);
	const char *p = nfkc != NULL ? nfkc : valid;
	enum prefix first = PREFIX_NONE, kind = PREFIX_NONE;
	char *out;

	for (;;) {
		const char *next;

		p = skip_space(p);
		if ((next = skip_list_tag(p)) != NULL) {
			p = next;
		} else if ((next = skip_reply_prefix(p, &kind)) != NULL) {
			if (first == PREFIX_NONE)
				first = kind;
			p = next;
		} else {
			break;
		}
	}
	out = g_strdup(p);
	g_free(nfkc);
	g_free(valid);
	if (first_kind != NULL)
		*first_kind = first;
	return out;
}

char *
larch_thread_subject_key(const char *subject)
{
	char *stripped, *key;
	GString *flat;
	bool blank = false;

	if (subject == NULL)
		return g_strdup("");
	stripped = strip_subject(subject, NULL);
	flat = g_string_sized_new(strlen(stripped));
	for (const char *p = stripped; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isspace(c)) {
			blank = flat->len > 0;
			continue;
		}
		if (blank)
			g_string_append_c(flat, ' ');
		blank = false;
		g_string_append_unichar(flat, c);
	}
	key = g_utf8_casefold(flat->str, (gssize)flat->len);
	g_string_free(flat, TRUE);
	g_free(stripped);
	return key;
}

/* The kind of the subject's first prefix after list tags. */
static enum prefix
first_prefix(const char *subject)
{
	enum prefix first = PREFIX_NONE;

	if (subject != NULL)
		g_free(strip_subject(subject, &first));
	return first;
}

bool
larch_thread_subject_is_reply(const char *subject)
{
	return first_prefix(subject) == PREFIX_REPLY;
}

bool
larch_thread_subject_is_forward(const char *subject)
{
	return first_prefix(subject) == PREFIX_FORWARD;
}

/* The letters and digits of s, casefolded: "OpenWrt-Devel" and
 * "openwrt_devel" both give "openwrtdevel". */
static char *
alnum_fold(const char *s, size_t len)
{
	GString *out = g_string_sized_new(len);
	char *folded;

	for (const char *p = s; p < s + len && *p != '\0';
	    p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isalnum(c))
			g_string_append_unichar(out, c);
	}
	folded = g_utf8_casefold(out->str, (gssize)out->len);
	g_string_free(out, TRUE);
	return folded;
}

/* Whether the "[...]" tag from tag to end names the list: its letters
 * and digits are those of the list's name, or of the name's part before
 * the first '.', '_' or '@' ("[IGFmaglist]" on
 * igfmaglist_intgovforum.org). */
static bool
is_tag_of_list(const char *tag, const char *end, const char *list)
{
	char *t = alnum_fold(tag + 1, (size_t)(end - 1 - (tag + 1)));
	char *whole = alnum_fold(list, strlen(list));
	char *head = alnum_fold(list, strcspn(list, "._@"));
	bool same = *t != '\0' && (strcmp(t, whole) == 0 ||
	    strcmp(t, head) == 0);

	g_free(head);
	g_free(whole);
	g_free(t);
	return same;
}

char *
larch_thread_subject_display(const char *subject, const char *list)
{
	const char *p;

	if (subject == NULL)
		return NULL;
	p = skip_space(subject);
	for (;;) {
		const char *next;
		enum prefix kind = PREFIX_NONE;

		if (list != NULL && (next = skip_list_tag(p)) != NULL &&
		    is_tag_of_list(p, next, list)) {
			p = skip_space(next);
		} else if ((next = skip_reply_prefix(p, &kind)) != NULL &&
		    kind == PREFIX_REPLY) {
			p = skip_space(next);
		} else {
			break;
		}
	}
	return g_strdup(*p != '\0' ? p : subject);
}
