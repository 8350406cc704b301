/*
 * The quote rules: reading a rules file (format in conf/quotes.conf) into
 * compiled patterns, and the built-in rules, which are that file's text
 * compiled in (quote_builtin.c).
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

static const char *const rule_names[LARCH_RULE_COUNT] = {
	[LARCH_RULE_QUOTE] = "quote",
	[LARCH_RULE_ATTRIBUTION] = "attribution",
	[LARCH_RULE_FORWARD] = "forward",
	[LARCH_RULE_FOOTER] = "footer",
	[LARCH_RULE_SNIP] = "snip",
	[LARCH_RULE_SIGNATURE] = "signature",
	[LARCH_RULE_SIGNATURE_WEAK] = "signature-weak",
	[LARCH_RULE_SIGNATURE_LINE] = "signature-line",
	[LARCH_RULE_SIGNATURE_END] = "signature-end",
	[LARCH_RULE_SIGNOFF] = "signoff",
	[LARCH_RULE_GREETING] = "greeting",
	[LARCH_RULE_SUMMARY_END] = "summary-end",
	[LARCH_RULE_POSTSCRIPT] = "postscript",
};

/* A rule being read: its first line and its pattern so far. */
struct pending {
	int kind;		/* -1 when no rule is open */
	unsigned line;
	GString *pattern;
};

const char *
larch_quote_rule_name(enum larch_quote_rule kind)
{
	g_assert((unsigned)kind < LARCH_RULE_COUNT);
	return rule_names[kind];
}

static struct larch_quote_rules *
rules_new(void)
{
	struct larch_quote_rules *rules = g_new0(struct larch_quote_rules, 1);

	for (int k = 0; k < LARCH_RULE_COUNT; k++)
		rules->rules[k] = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)larch_pattern_free);
	return rules;
}

void
larch_quote_rules_free(struct larch_quote_rules *rules)
{
	if (rules == NULL)
		return;
	for (int k = 0; k < LARCH_RULE_COUNT; k++)
		g_ptr_array_unref(rules->rules[k]);
	larch_quote_rules_free(rules->lossy);
	g_free(rules);
}

static int
kind_of(const char *word, size_t len)
{
	for (int k = 0; k < LARCH_RULE_COUNT; k++)
		if (strlen(rule_names[k]) == len &&
		    memcmp(rule_names[k], word, len) == 0)
			return k;
	return -1;
}

/* Compiles regex as a rule; *why as larch_pattern_new() sets it. */
static enum larch_status
compile_rule(const char *regex, struct larch_pattern **out, char **why)
{
	return larch_pattern_new(regex, LARCH_PATTERN_UTF |
	    LARCH_PATTERN_MULTILINE, out, why);
}

/*
 * The kinds whose rules get lossy variants, each held in place by
 * something a lost letter cannot fake.  Attributions ("a ?crit :",
 * "?????:") are held in place by a date
 * or an address (see quote_attr.c), forwarded-message markers by their
 * dashes or header lines, and sign-offs by filling their line, which
 * must also hold an ASCII letter ("Viele Gr??e"): "???????" alone is
 * "Спасибо" as much as anyone's name.  Greetings and phone signatures
 * have none: "发自我的..." lossily is any line after four '?', and runs
 * of '?' are what no-break spaces become, indenting code.
 */
static bool
has_lossy_variants(int kind)
{
	return kind == LARCH_RULE_ATTRIBUTION || kind == LARCH_RULE_FORWARD ||
	    kind == LARCH_RULE_SIGNOFF;
}

/* The lossy variant of a rule of such a kind, or NULL when the rewriting
 * changes nothing.  Caller g_free()s. */
static char *
lossy_variant(int kind, const char *pattern)
{
	/* Only an attribution's date or address holds a lost colon in
	 * place: in a forward's header lines "????" would be any key. */
	char *variant = larch_quote_lossy_pattern(pattern,
	    kind == LARCH_RULE_ATTRIBUTION), *held;

	if (variant == NULL || kind != LARCH_RULE_SIGNOFF)
		return variant;
	held = g_strconcat("(?:", pattern, ")|(?=[^\\n]*[A-Za-z])(?:", variant,
	    ")", NULL);
	g_free(variant);
	return held;
}

/* Compiles the open rule, if any, into rules and, for a kind with lossy
 * variants, its variant into rules->lossy (the rule itself when it has
 * none or it does not compile: a user's rule may use syntax the
 * rewriting does not know). */
static bool
flush(struct pending *p, struct larch_quote_rules *rules, const char *name,
    char **error)
{
	struct larch_pattern *pat = NULL, *lossy = NULL;
	char *why = NULL, *variant;

	if (p->kind < 0)
		return true;
	if (p->pattern->len == 0) {
		*error = g_strdup_printf("%s:%u: '%s' rule without a pattern",
		    name, p->line, rule_names[p->kind]);
		return false;
	}
	if (compile_rule(p->pattern->str, &pat, &why) != LARCH_OK) {
		*error = g_strdup_printf("%s:%u: bad '%s' pattern: %s", name,
		    p->line, rule_names[p->kind], why);
		g_free(why);
		return false;
	}
	g_ptr_array_add(rules->rules[p->kind], pat);
	if (has_lossy_variants(p->kind)) {
		variant = lossy_variant(p->kind, p->pattern->str);
		if (variant == NULL || compile_rule(variant, &lossy,
		    NULL) != LARCH_OK)
			(void)compile_rule(p->pattern->str, &lossy,
			    NULL);
		g_free(variant);
		g_ptr_array_add(rules->lossy->rules[p->kind], lossy);
	}
	p->kind = -1;
	g_string_truncate(p->pattern, 0);
	return true;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Handles one line (no newline, no CR) of a rules file. */
static bool
parse_line(struct pending *p, struct larch_quote_rules *rules,
    const char *name, unsigned lineno, const char *s, size_t len,
    char **error)
{
	size_t i = 0, w;
	int kind;

	while (len > 0 && is_blank(s[len - 1]))
		len--;
	if (memchr(s, '\0', len) != NULL) {
		*error = g_strdup_printf("%s:%u: NUL byte", name, lineno);
		return false;
	}
	if (len > 0 && is_blank(s[0])) {
		/* A continuation of the open rule. */
		while (i < len && is_blank(s[i]))
			i++;
		if (p->kind < 0) {
			*error = g_strdup_printf("%s:%u: continuation line "
			    "without a rule", name, lineno);
			return false;
		}
		g_string_append_len(p->pattern, s + i, (gssize)(len - i));
		return true;
	}
	if (!flush(p, rules, name, error))
		return false;
	if (len == 0 || s[0] == '#')
		return true;
	for (w = 0; w < len && !is_blank(s[w]); w++)
		;
	kind = kind_of(s, w);
	if (kind < 0) {
		*error = g_strdup_printf("%s:%u: unknown rule kind '%.*s'",
		    name, lineno, (int)MIN(w, 40), s);
		return false;
	}
	for (i = w; i < len && is_blank(s[i]); i++)
		;
	p->kind = kind;
	p->line = lineno;
	g_string_append_len(p->pattern, s + i, (gssize)(len - i));
	return true;
}

enum larch_status
larch_quote_rules_parse(const char *text, size_t len, const char *name,
    struct larch_quote_rules **out, char **error)
{
	struct larch_quote_rules *rules = rules_new();
	struct pending p = { -1, 0, g_string_new(NULL) };
	const char *s = text, *end = text + len;
	unsigned lineno = 0;
	bool ok = true;

	*out = NULL;
	/* The kinds without variants share the plain rules. */
	rules->lossy = rules_new();
	rules->lossy->plain = rules;
	for (int k = 0; k < LARCH_RULE_COUNT; k++) {
		if (has_lossy_variants(k))
			continue;
		g_ptr_array_unref(rules->lossy->rules[k]);
		rules->lossy->rules[k] = g_ptr_array_ref(rules->rules[k]);
	}
	while (ok && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl != NULL ? nl : end;
		size_t n = (size_t)(e - s);

		if (n > 0 && s[n - 1] == '\r')
			n--;
		ok = parse_line(&p, rules, name, ++lineno, s, n, error);
		s = nl != NULL ? nl + 1 : end;
	}
	if (ok)
		ok = flush(&p, rules, name, error);
	g_string_free(p.pattern, TRUE);
	if (!ok) {
		larch_quote_rules_free(rules);
		return LARCH_ERR_INVALID;
	}
	*out = rules;
	return LARCH_OK;
}

enum larch_status
larch_quote_rules_load(const char *path, struct larch_quote_rules **out,
    char **error)
{
	char *text = NULL, *why = NULL;
	gsize len = 0;
	GError *gerr = NULL;
	enum larch_status st;

	*out = NULL;
	if (g_file_get_contents(path, &text, &len, &gerr)) {
		st = larch_quote_rules_parse(text, len, path, out, &why);
		g_free(text);
	} else {
		why = g_strdup_printf("%s: %s", path, gerr->message);
		g_error_free(gerr);
		st = LARCH_ERR_IO;
	}
	if (error != NULL)
		*error = why;
	else
		g_free(why);
	return st;
}

const struct larch_quote_rules *
larch_quote_rules_default(void)
{
	static struct larch_quote_rules *rules;

	if (g_once_init_enter(&rules)) {
		struct larch_quote_rules *r = NULL;
		char *error = NULL;

		/* The text is part of the program: failing here is a bug
		 * that the unit tests catch, not bad input. */
		if (larch_quote_rules_parse(larch_quote_builtin_text,
		    strlen(larch_quote_builtin_text), "built-in quotes.conf",
		    &r, &error) != LARCH_OK)
			g_error("%s", error);
		g_once_init_leave(&rules, r);
	}
	return rules;
}

char *
larch_quote_padded(const char *s, size_t len)
{
	char *copy = g_malloc0(len + 64);

	memcpy(copy, s, len);
	return copy;
}
