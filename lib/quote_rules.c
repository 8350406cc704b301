/*
 * The quote rules: reading a rules file (format in conf/quotes.conf) into
 * compiled patterns, and the built-in rules, which are that file's text
 * compiled in.
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
	[LARCH_RULE_SIGNOFF] = "signoff",
	[LARCH_RULE_GREETING] = "greeting",
	[LARCH_RULE_SUMMARY_END] = "summary-end",
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

/* Compiles regex as a rule of kind; *why as larch_pattern_new() sets
 * it. */
static enum larch_status
compile_rule(int kind, const char *regex, struct larch_pattern **out,
    char **why)
{
	struct larch_pattern *pat = NULL;
	unsigned flags = LARCH_PATTERN_UTF | LARCH_PATTERN_MULTILINE;
	enum larch_status st = larch_pattern_new(regex, flags, &pat, why);

	if (st != LARCH_OK)
		return st;
	if (kind == LARCH_RULE_FORWARD || kind == LARCH_RULE_FOOTER) {
		/*
		 * These are tried at every line start against the rest of
		 * the text.  Anchored at match time, pcre2 gives up its JIT
		 * and checks the UTF-8 of all the rest on every call, which
		 * makes long texts quadratic; anchored by \G it does not.
		 * Errors were reported against the pattern as written.
		 */
		char *fast = g_strconcat("(*NO_START_OPT)\\G(?:", regex, ")",
		    NULL);
		struct larch_pattern *fpat = NULL;

		if (larch_pattern_new(fast, flags, &fpat, NULL) == LARCH_OK) {
			larch_pattern_free(pat);
			pat = fpat;
		}
		g_free(fast);
	}
	*out = pat;
	return LARCH_OK;
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
	char *variant = larch_quote_lossy_pattern(pattern), *held;

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
	if (compile_rule(p->kind, p->pattern->str, &pat, &why) != LARCH_OK) {
		*error = g_strdup_printf("%s:%u: bad '%s' pattern: %s", name,
		    p->line, rule_names[p->kind], why);
		g_free(why);
		return false;
	}
	g_ptr_array_add(rules->rules[p->kind], pat);
	if (has_lossy_variants(p->kind)) {
		variant = lossy_variant(p->kind, p->pattern->str);
		if (variant == NULL || compile_rule(p->kind, variant, &lossy,
		    NULL) != LARCH_OK)
			(void)compile_rule(p->kind, p->pattern->str, &lossy,
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

/*
 * conf/quotes.conf, verbatim.  Do not edit by hand: after changing the
 * file, run "build/tests/test-quote --sync-builtin" from the top of the
 * tree; the unit tests fail while the two differ.
 */
/* BEGIN quotes.conf */
const char larch_quote_builtin_text[] =
	"# larch quote rules: how a message's text is split into what the "
	"author\n"
	"# wrote and everything else (lib/quote.c).  This file is compiled "
	"into\n"
	"# larch as its built-in rules; a copy given to the indexer replaces "
	"them.\n"
	"# docs/quotes.md lists the mail clients and languages whose "
	"attributions\n"
	"# and header blocks these rules recognise.\n"
	"#\n"
	"# FORMAT\n"
	"#   One rule per line:   KIND  PATTERN\n"
	"#   KIND is one of the words below; PATTERN, after the blanks that "
	"follow\n"
	"#   KIND, runs to the end of the line (trailing blanks are dropped: "
	"write\n"
	"#   [ ] or \\s for a meaningful one).  A line that starts with a "
	"blank\n"
	"#   continues the pattern of the rule on the line right above it: "
	"its\n"
	"#   leading blanks are dropped and the rest is appended as is.  "
	"Lines whose\n"
	"#   first character is '#', and empty lines, are ignored.  Rules of "
	"one\n"
	"#   kind are tried in file order.  A bad rule stops loading with\n"
	"#   \"file:line: reason\".\n"
	"#\n"
	"#   Patterns are PCRE2, UTF-8, Unicode classes (\\s, \\w, \\d match "
	"beyond\n"
	"#   ASCII), case-sensitive unless they start with (?i), and "
	"multi-line:\n"
	"#   ^ and $ match at line starts and ends.  Line rules see a line "
	"without\n"
	"#   its quote markers.  Lines over 4096 bytes are only quoted or new "
	"text.\n"
	"#\n"
	"# HOW THEY ARE USED\n"
	"#   Each line gets one kind, decided in this order: quote markers; "
	"footer;\n"
	"#   forward; attribution; snip; signature, signature-weak, "
	"signature-line;\n"
	"#   last the undelimited signature after a sign-off.  The rest is "
	"new text,\n"
	"#   or quoted text when it has markers.  A forward rule's match with "
	"the\n"
	"#   header lines right after it (an Outlook header block: "
	"\"-----Original\n"
	"#   Message-----\", \"From:\", \"Sent:\"...; folded and wrapped "
	"header lines\n"
	"#   included) is the attribution of the text under it, its lines "
	"kept one\n"
	"#   per line, at any depth: unquoted, it heads the forwarded or "
	"original\n"
	"#   message (lib/quote.c); inside quoted text, found on the quote's "
	"own\n"
	"#   lines, it heads the quoted text under it.  Other attributions "
	"are found\n"
	"#   in two places (lib/quote_attr.c): an attribution right above "
	"deeper\n"
	"#   quoted text, at any depth (\"> On ..., Bob wrote:\" over \">> "
	"text\"),\n"
	"#   introduces that quote; and an unquoted line that an attribution "
	"rule\n"
	"#   matches and that names a date, a time or an address, with no "
	"quote right\n"
	"#   below it, is still kept out of the new text: it introduces the "
	"quote\n"
	"#   when only blank lines and greetings come between (\"Hi Petr,\"); "
	"else,\n"
	"#   only when it also names who wrote where a client puts the name "
	"(\"...,\n"
	"#   Ann wrote:\", \"19:05, Ann <addr>:\", \"Am ... schrieb Ann:\"; "
	"not \"At the\n"
	"#   14:00 session the rapporteur wrote:\", lib/quote_names.c), when "
	"nothing\n"
	"#   after it is quoted (no line starts with '>') and the author\n"
	"#   wrote above it, the rest of the text is the original message, "
	"unquoted\n"
	"#   under a top-posted reply (Yahoo, Gmail on phones), a forward "
	"block with\n"
	"#   that attribution; otherwise its quote was cut and the line is "
	"dropped.\n"
	"#   Such an attribution may share its line with the original's first "
	"words,\n"
	"#   two blanks or more after it (\"wrote:   Dear all,\", Yahoo on "
	"Android).\n"
	"#   Two repairs need no rules: an\n"
	"#   unquoted line that continues a long quoted line cut mid-sentence "
	"(and\n"
	"#   does not start with a capital or like an answer: \"+1\", "
	"\"[AS]\",\n"
	"#   \"@Ann:\", \"yes, ...\") is quoted, as clients that rewrap "
	"quotes leave it,\n"
	"#   unless under a quoted line of full width it is a sentence whose "
	"first\n"
	"#   word would have fit on that line and the quote ends there\n"
	"#   (lib/quote_wrap.c); and a short block after a sign-off (no "
	"heading\n"
	"#   such as \"Agenda:\" and no list item in it), a business card (a "
	"name\n"
	"#   and up to three short lines) or a name and a motto in quotation "
	"marks\n"
	"#   ending the new text is an undelimited signature.  When the "
	"indexer\n"
	"#   knows the author, their full name (the From header's display "
	"name: two\n"
	"#   words or more, or a name like \"马霞\") alone in the last "
	"paragraph of new\n"
	"#   text, under other text and not after a sign-off, is a signature "
	"too.\n"
	"#\n"
	"# TEXT THAT LOST ITS LETTERS\n"
	"#   A pipermail archive wrote '?' for each character its list's "
	"charset\n"
	"#   lacked (\"a ?crit :\", \"?\?\?\?\?:\", \"J?rgen\").  Text from "
	"one that shows\n"
	"#   such a '?' (before a letter, a '?' or a colon) is read with a "
	"lossy\n"
	"#   variant of each attribution, forward and sign-off rule, made "
	"when the\n"
	"#   rules load: each non-ASCII letter of a pattern may also be one "
	"to four\n"
	"#   '?', a [class] holding one admits '?', and a [^class] stops "
	"excluding\n"
	"#   '?' (a name may hold one now).  A lossy attribution with a '?' "
	"in it\n"
	"#   must also hold a date, a time or an address, and a lossy "
	"sign-off an\n"
	"#   ASCII letter, since \"?\?\?\?\?:\" alone ends any Russian "
	"sentence before a\n"
	"#   colon and \"?\?\?\?\?\?\?\" is any name.  Greetings and "
	"signature lines are\n"
	"#   read as written: runs of '?' are also what no-break spaces "
	"become.\n"
	"#   Attributions are also tried with each such '?' read as a letter\n"
	"#   (\"Jes?s Garc?a wrote:\"), and a name in a signature may have "
	"'?' where\n"
	"#   the From header has a letter.  Write rules as usual: the "
	"variants\n"
	"#   follow (lib/quote_lossy.c).\n"
	"#\n"
	"# KINDS\n"
	"#   quote           One quote marker.  Tried at the start of a line "
	"and\n"
	"#                   again right after each marker it matched; the "
	"number of\n"
	"#                   matches is the quote depth.  Do not anchor with "
	"^.\n"
	"#   attribution     A line that introduces quoted text (\"On ..., X "
	"wrote:\").\n"
	"#                   Tried on lines right above quoted text, at any "
	"depth\n"
	"#                   (up to three blank lines, snip markers or "
	"\"[asides]\" may\n"
	"#                   come between), on the line alone and on it "
	"joined with\n"
	"#                   the one or two lines above it (by one space), "
	"since\n"
	"#                   clients wrap long attributions (the pieces above "
	"the\n"
	"#                   last are 20 characters or more and end no "
	"sentence).\n"
	"#                   The longest join that matches wins, but a line "
	"joins\n"
	"#                   the lines below it that already match only when "
	"it\n"
	"#                   looks like a piece of an attribution (a date, a "
	"time,\n"
	"#                   an address, a name alone) or some rule needs it: "
	"a\n"
	"#                   rule with a free prefix (\"^.{1,250}?wrote:\") "
	"would\n"
	"#                   swallow the author's last line above it.\n"
	"#                   The match must reach the end of the (joined) "
	"line.  When\n"
	"#                   it starts later than the line's start, the text "
	"before\n"
	"#                   it is new text glued to the attribution "
	"(\"Thanks.On\n"
	"#                   ...\"), if that text ends in a non-blank or a "
	"sentence\n"
	"#                   end; leave such rules unanchored to allow that.\n"
	"#   forward         Matched at the start of an unquoted line against "
	"the\n"
	"#                   text from there on (so it may span lines): where "
	"it\n"
	"#                   matches, a forwarded or original message starts "
	"and\n"
	"#                   runs to the end of the text; its header block is "
	"its\n"
	"#                   attribution.  Also tried on a quote's lines.\n"
	"#   footer          Matched like forward; the lines the match covers "
	"are a\n"
	"#                   list footer, an archiver's note or a webmail "
	"tagline.  Checked first, so a\n"
	"#                   footer inside a forwarded block stays a footer.\n"
	"#   snip            A whole unquoted line that marks elided text.\n"
	"#   signature       A signature delimiter line: from it to the next "
	"quoted\n"
	"#                   text, attribution, forward or footer is "
	"signature.\n"
	"#   signature-weak  The same, but only when what follows it is a "
	"short\n"
	"#                   block (at most 6 non-blank lines).\n"
	"#   signature-line  An undelimited one-line signature (\"Sent from "
	"my\n"
	"#                   iPhone\"): it and the short block after it (4 "
	"lines at\n"
	"#                   most), else only itself.\n"
	"#   signoff         A whole sign-off line (\"Thanks,\" \"Best "
	"regards,\"): what\n"
	"#                   comes after a sign-off and its name at the end "
	"of new\n"
	"#                   text may be a signature; summaries leave a "
	"closing\n"
	"#                   sign-off out.\n"
	"#   greeting        Matched at the start of new text, repeatedly "
	"(after\n"
	"#                   blanks, and again right after what the last one\n"
	"#                   matched): what it matches is left out of "
	"summaries\n"
	"#                   (\"Hi Markus,\", \"  Dear Anna, dear all,\").\n"
	"#   summary-end     Matched against the new text (so it may span "
	"lines):\n"
	"#                   the summary ends where its first match starts, "
	"when\n"
	"#                   some text is left before it (a patch's trailers "
	"and\n"
	"#                   diffstat).\n"
	"\n"
	"# ---- quote markers "
	"--------------------------------------------------------\n"
	"# \"> \" at any depth, \">>\" and \"> >\"; a line starting \">From "
	"\" is mbox\n"
	"# escaping, not a quote.\n"
	"quote [ \\t]{0,2}>(?!From\\s)[ ]?\n"
	"# Supercite's \"Jp> \", as Gnus writes it.\n"
	"quote [ \\t]{0,4}[A-Z][A-Za-z]{0,3}>(?=[ \\t>]|$)[ ]?\n"
	"# \"| \" quoting; a line that also ends with '|' is a table row.\n"
	"quote \\|(?=[ \\t>]|$)(?![^\\n]*\\|[ \\t]*$)[ ]?\n"
	"\n"
	"# ---- attributions -------------------------------------------------"
	"---------\n"
	"# \"On Thu, May 26, 2016 at 7:05 PM, Markus Kummer "
	"<markus@example.org>\n"
	"# wrote:\" (Gmail), \"On 26 May 2016, at 19:05, Name <addr> wrote:\" "
	"(Apple\n"
	"# Mail), \"On 26/05/2016 19:05, Name wrote:\" (Thunderbird), \"On "
	"Thu, May 26,\n"
	"# 2016 at 07:05:12PM +0200, Name wrote:\" (mutt); unanchored: may be "
	"glued.\n"
	"attribution On\\s.{1,250}?\\s(?:wrote|writes|said|says)\\s?:$\n"
	"# French: \"Le jeu. 26 mai 2016 à 19:05, Name <addr> a écrit :\"\n"
	"attribution Le\\s.{1,250}?\\sa\\s[ée]crit\\s?:$\n"
	"# German: \"Am 26.05.2016 um 19:05 schrieb Name:\", Gmail's \"Am "
	"Do., 26. Mai\n"
	"# 2016 um 19:05 Uhr schrieb Name <addr>:\"\n"
	"attribution Am\\s.{1,250}?\\sschrieb\\s.{1,200}?:$\n"
	"# Spanish: \"El jue, 26 may 2016 a las 19:05, Name escribió:\"\n"
	"attribution El\\s.{1,250}?\\s(?:escribió|escribio|escribe)\\s?:$\n"
	"# Italian, Dutch, Portuguese, Polish.\n"
	"attribution Il(?:\\sgiorno)?\\s.{1,250}?\\sha\\sscritto\\s?:$\n"
	"attribution Op\\s.{1,250}?\\sschreef\\s.{1,200}?:$\n"
	"# Apple Mail in Dutch: \"Op 26 mei 2016 om 19:05 heeft Name <addr> "
	"het\n"
	"# volgende geschreven:\"\n"
	"attribution Op\\s.{1,250}?\\sheeft\\s.{1,200}?\\shet\\svolgende\\sges"
	"chreven\\s?:$\n"
	"attribution Em\\s.{1,250}?\\sescreveu\\s?:$\n"
	"attribution W\\sdniu\\s.{1,250}?\\s(?:pisze|napisał\\(a\\)|napisał|na"
	"pisała)\\s?:$\n"
	"# Czech and Slovak (Thunderbird): \"Dne 26. 05. 16 v 19:05 Name "
	"napsal(a):\",\n"
	"# \"Dňa 26. 5. 2016 o 19:05 Name napísal(a):\".\n"
	"attribution (?:Dne|Dňa)\\s.{1,250}?\\s(?:napsal|napísal)(?:\\(a\\)|a)"
	"?\\s?:$\n"
	"# Chinese: \"在 2016年5月26日 19:05，Name 写道：\", Gmail's \"Name "
	"<addr>\n"
	"# 于2016年5月26日周四 下午7:05写道：\"; Japanese \"... "
	"さんは書きました:\"\n"
	"# (Thunderbird), \"2016/05/26 19:05、Name <addr>のメール：\" (Apple "
	"Mail).\n"
	"attribution 在\\s?.{1,250}?(?:写道|寫道)\\s?[:：]$\n"
	"attribution ^.{1,250}?(?:写道|寫道|書きました|のメール|wrote)\\s?[:："
	"]$\n"
	"# A date and time, then a name and a verb, in any of these "
	"languages:\n"
	"# Russian \"26.05.2016 19:05, Имя пишет:\" / \"... написал(а):\".\n"
	"attribution ^.{0,150}?\\d{1,2}:\\d{2}(?::\\d{2})?.{0,150}?\\s\n"
	"\t(?:пишет|писал\\(а\\)|писала|писал|написал\\(а\\)|написала|написал"
	"\n"
	"\t|wrote|writes|schrieb|escribió|a\\s[ée]crit)\\s?[:：]$\n"
	"# A date and time, then an address and a colon: Gmail in Russian, "
	"\"чт, 26\n"
	"# мая 2016 г. в 19:05, Name <addr>:\", Japanese, \"2016年5月26日(木) "
	"19:05\n"
	"# Name <addr>:\", Arabic, and the 2010s' \"2016-05-26 19:05 "
	"GMT+02:00 Name\n"
	"# <addr>:\" in several.  The date has its year (\"before 19:05 to "
	"Anna\n"
	"# <addr>:\" is prose).  An address in parentheses must have its "
	"'@':\n"
	"# \"13:52 Traceback (most recent call last):\" is a log.\n"
	"attribution ^.{0,150}?(?:\\d{4}|\\d{1,2}[./-]\\d{1,2}[./-]\\d{2}).{0,"
	"100}?\n"
	"\t\\d{1,2}:\\d{2}.{0,150}?\n"
	"\t(?:<[^<>\\n]{1,100}>|\\([^()\\n]{0,100}@[^()\\n]{1,100}\\))\\s?[:："
	"]$\n"
	"# mutt's \"* Name <addr> [2016-05-26 19:05]:\"\n"
	"attribution ^\\*\\s.{1,150}?\\s\\[[^\\[\\]\\n]{4,40}\\]\\s?:$\n"
	"# The same without the \"* \" (\"Name <addr> [2016-05-26 19:05]:\", "
	"\"Name\n"
	"# [2016-05-26]:\"): the brackets must hold a date or a time.\n"
	"attribution ^[^\\s\\[\\]<>:][^\\[\\]<>\\n]{0,100}?(?:\\s<[^<>\\s]{1,1"
	"00}>)?\n"
	"\t\\s\\[(?=[^\\]\\n]*\\d{1,4}[-./:]\\d)[^\\[\\]\\n]{4,40}\\]\\s?:$\n"
	"# \"Name wrote:\", \"Name <addr> writes:\" (Gnus), \"addr wrote:\", "
	"\"Name\n"
	"# schrieb:\", \"Имя пишет:\", in several languages; Gmane writes "
	"addresses\n"
	"# as \"<user <at> host>\".\n"
	"attribution ^(?:(?:\"[^\"\\n]{1,80}\"|'[^'\\n]{1,80}'\n"
	"\t|[^\\s<>()\\[\\]:;!?\"]{1,40}(?:[ "
	"\\t]+[^\\s<>()\\[\\]:;!?\"]{1,40}){0,5})\n"
	"\t(?:[ \\t]*(?:<(?:[^<>\\n]|<[^<>\\n]{1,8}>){1,100}>\n"
	"\t|\\([^()\\n]{1,100}\\)|\\[[^\\[\\]\\n]{1,100}\\]))?\n"
	"\t|<[^<>\\n]{1,100}>)\n"
	"\t[ \\t]+(?:wrote|writes|said|says|a\\s[ée]crit|schrieb|schreibt\n"
	"\t|escribió|escribio|escribe|ha\\sscritto|scrive|schreef|escreveu\n"
	"\t|napisał\\(a\\)|napisał|napisała|pisze|пишет|писал\\(а\\)|писал\n"
	"\t|написал\\(а\\)|написала|написал)\\s?[:：]$\n"
	"# \"Name <addr> schrieb am Do., 26. Mai 2016, 19:05:\" (Gmail on "
	"phones,\n"
	"# Yahoo), \"Name <addr> escreveu no dia quinta, 26/05/2016 à(s) "
	"19:05:\"\n"
	"# (Gmail in Portugal)\n"
	"attribution ^.{1,200}?\\s(?:schrieb\\sam|wrote\\son|a\\s[ée]crit\\sle"
	"\n"
	"\t|escribió\\sel|escreveu\\sno\\sdia)\\s.{1,100}:$\n"
	"# Horde, IMP, sup, news readers.\n"
	"attribution ^(?:Quoting|Zitat\\svon|Citando|Citation\\sde)\\s.{1,200}"
	":$\n"
	"# IMP in French: \"Selon Name <addr>:\" (with the address: \"Selon "
	"lui :\"\n"
	"# is prose).\n"
	"attribution ^Selon\\s[^\\n]{1,100}<[^<>\\s]{1,100}@[^<>\\s]{1,100}>[ "
	"\\t]?:$\n"
	"# A From line and a Date line, as some mail readers write them "
	"(davem's):\n"
	"# \"From: Name <addr>\" then \"Date: Sun, 14 Nov 2010 19:04:58 "
	"-0800\".\n"
	"attribution ^From:\\s[^\\n]{1,150}@[^\\n]{1,150}\\sDate:\\s[^\\n]{0,6"
	"0}\n"
	"\t\\d{1,2}:\\d{2}[^\\n]{0,40}$\n"
	"attribution ^Excerpts\\sfrom\\s.{1,200}:$\n"
	"attribution ^In\\s(?:article|message|reply\\sto)\\s.{1,250}\\s\n"
	"\t(?:wrote|writes|said)\\s?:$\n"
	"\n"
	"# ---- forwarded and original messages "
	"---------------------------------------\n"
	"# \"-----Original Message-----\", \"----- Original Message -----\",\n"
	"# \"---------- Forwarded message ---------\", \"-------- Forwarded "
	"Message\n"
	"# --------\", and their translations; maybe with the header block "
	"glued.\n"
	"forward (?i)^[ \\t]*[-_=*]{2,}[ "
	"\\t]*(?:Original\\sMessage|Forwarded\\sMessage\n"
	"\t|Message\\sd'origine|Message\\stransféré|Message\\soriginal\n"
	"\t|Ursprüngliche\\sNachricht|Originalnachricht|Weitergeleitete\\sNach"
	"richt\n"
	"\t|Mensaje\\soriginal|Mensaje\\sreenviado|Исходное\\sсообщение\n"
	"\t|Пересылаемое\\sсообщение|Пересланное\\sсообщение\n"
	"\t|Оригинальное\\sсообщение|原始邮件|原始郵件|转发的邮件|轉寄的郵件\n"
	"\t|Messaggio\\soriginale|Messaggio\\sinoltrato|Oorspronkelijk\\sberic"
	"ht\n"
	"\t|Doorgestuurd\\sbericht|Mensagem\\soriginal|Mensagem\\sencaminhada"
	"\n"
	"\t|Wiadomość\\soryginalna|Przekazana\\swiadomość|转发的消息|轉寄的訊"
	"息\n"
	"\t|元のメッセージ|転送メッセージ|الرسالة\\sالأصلية\n"
	"\t|الرسالة\\sالمعاد\\sتوجيهها)[ \\t]*[-_=*]{2,}\n"
	"# mutt: \"----- Forwarded message from Name <addr> -----\"\n"
	"forward ^-{3,}[ \\t]?Forwarded\\smessage\\sfrom\\s[^\\n]{1,200}-{3,}["
	" \\t]*$\n"
	"# Apple Mail and others.\n"
	"forward ^(?:Begin\\sforwarded\\smessage|Début\\sdu\\smessage\\sréexpé"
	"dié\n"
	"\t|Anfang\\sder\\sweitergeleiteten\\sNachricht\n"
	"\t|Inicio\\sdel\\smensaje\\sreenviado\n"
	"\t|Начало\\sпереадресованного\\sсообщения)\\s?:[ \\t]*$\n"
	"# Outlook's header block: a From line then at least two header "
	"lines\n"
	"# (HTML mails may have blank lines between them), maybe after a line "
	"of\n"
	"# underscores: \"From: / Sent: / To: / Subject:\" (Outlook desktop, "
	"web and\n"
	"# for Mac, which writes \"Date:\"), \"De : / Envoyé : / À : / Objet "
	":\" (the\n"
	"# blank before the colon may be a no-break space), \"Von: / "
	"Gesendet: /\n"
	"# An: / Betreff:\", \"De: / Enviado el: / Para: / Asunto:\", \"De: / "
	"Enviada\n"
	"# em: / Para: / Assunto:\" (Brazil), \"Da: / Inviato: / A: / "
	"Oggetto:\",\n"
	"# \"Van: / Verzonden: / Aan: / Onderwerp:\", \"От: / Отправлено: / "
	"Кому: /\n"
	"# Тема:\", \"发件人: / 发送时间: / 收件人: / 主题:\", \"寄件者: / "
	"寄件日期: /\n"
	"# 收件者: / 主旨:\" (Taiwan), \"差出人: / 送信日時: / 宛先: / "
	"件名:\", \"من: /\n"
	"# تاريخ الإرسال: / إلى: / الموضوع:\" (older: \"أرسل:\").  Hotmail "
	"and\n"
	"# Outlook.com before 2015 put \"Date:\" first.  A From line wrapped\n"
	"# (\"From: list [mailto:...] On\" / \"Behalf Of Name\") may take a "
	"second\n"
	"# line.  The From line names an address (pipermail's \"user at "
	"host\" too)\n"
	"# or a date line follows: \"From: your address\" / \"To: ...\" / "
	"\"Subject:\n"
	"# ...\" is a how-to.  Not the\n"
	"# headers of a patch that git format-patch wrote into the text.\n"
	"forward (?<!Mon\\sSep\\s17\\s00:00:00\\s2001\\n)\n"
	"\t(?(DEFINE)(?<key>[ "
	"\\t]*\\*?(?:Sent|Date|To|Cc|CC|Bcc|Subject|Reply-To\n"
	"\t|Importance|Envoyé|À|A|Objet|Répondre\\sà|Gesendet|Datum|An|Kopie\n"
	"\t|Betreff|Antwort\\san|Envia(?:do|da)(?:\\s(?:el|em))?|Fecha|Para|As"
	"unto\n"
	"\t|Assunto|Responder\\sa|Inviato|Data|Oggetto|Verzonden|Aan|Onderwerp"
	"\n"
	"\t|Skickat|Till|Ämne|Отправлено|Дата|Кому|Копия|Тема|发送时间|日期|时"
	"间\n"
	"\t|收件人|抄送|主题|傳送時間|寄件日期|收件者|副本|主旨|送信日時|日付|"
	"宛先\n"
	"\t|件名|تاريخ\\sالإرسال|التاريخ|أرسل|مرسل|إلى|نسخة|الموضوع)\\*?\\h?[:"
	"：])\n"
	"\t(?<dated>[ \\t]*\\*?(?:Sent|Date|Envoyé|Gesendet|Datum\n"
	"\t|Envia(?:do|da)(?:\\s(?:el|em))?|Fecha|Inviato|Data|Verzonden|Skick"
	"at\n"
	"\t|Отправлено|Дата|发送时间|日期|时间|傳送時間|寄件日期|送信日時|日付"
	"\n"
	"\t|تاريخ\\sالإرسال|التاريخ|أرسل|مرسل)\\*?\\h?[:：]))\n"
	"\t^(?:[ \\t]*[_\\-=]{8,}[ \\t]*\\n(?:[ \\t]*\\n)*)?\n"
	"\t(?:[ \\t]*\\*?Date\\*?\\h?:[^\\n]*\\d[^\\n]*\\n)?\n"
	"\t[ \\t]*\\*?(?:From|De|Von|Van|Da|Från|От|Від|发件人|寄件者|差出人|م"
	"ن)\n"
	"\t\\*?\\h?[:：](?=[^\\n]*(?:@|[\\w.+-]\\sat\\s[\\w-]+\\.\\w)\n"
	"\t|(?:[^\\n]*\\n(?:[ \\t]*\\n)*){1,3}(?&dated))\n"
	"\t[^\\n]*\\n(?:(?!(?&key))[^\\n]{1,100}\\n)?(?:[ \\t]*\\n)*\n"
	"\t(?:(?&key)[^\\n]*(?:\\n|$)(?:[ \\t]*\\n)*){2}\n"
	"\n"
	"# ---- list footers and archiver notes "
	"----------------------------------------\n"
	"# Mailman 2 (\"_____\", \"List mailing list\", address, listinfo "
	"URL) and\n"
	"# Mailman 3 (\"_____\", \"List mailing list -- list@host\", \"To "
	"unsubscribe\n"
	"# send an email to list-leave@host\").\n"
	"footer ^_{20,}[ \\t]*\\n[^\\n]{1,150}\\smailing\\slist\\b[^\\n]*\n"
	"\t(?:\\n[^\\n]*\\S[^\\n]*){0,8}\n"
	"footer ^[^\\n]{1,150}\\smailing\\slist[ \\t]*\\n[^\\n]*@[^\\n]*\\n\n"
	"\t[^\\n]*/listinfo/[^\\n]*\n"
	"footer ^To\\sunsubscribe\\ssend\\san\\semail\\sto\\s\\S+@\\S+(?:\\n[^"
	"\\n]*\\S[^\\n]*){0,4}\n"
	"# Google Groups, through the end of its block.\n"
	"footer ^(?:-{2,3}[ \\t]?\\n)?You\\sreceived\\sthis\\s(?:message|topic"
	")\\sbecause\n"
	"\t\\syou\\sare\\ssubscribed\\sto\\sthe\\sGoogle\\sGroups?[^\\n]*\n"
	"\t(?:\\n[^\\n]*\\S[^\\n]*)*\n"
	"# LISTSERV.\n"
	"footer ^(?:#{20,}[ \\t]*\\n(?:[ "
	"\\t]*\\n)*)?To\\sunsubscribe\\sfrom\\sthe\\s[^\\n]{1,80}\n"
	"\t\\slist,?\\sclick\\sthe\\sfollowing\\slink:?[^\\n]*(?:\\n[^\\n]*\\S"
	"[^\\n]*)*\n"
	"# Majordomo (vger), ezmlm, Debian.\n"
	"footer ^(?:-{2}[ \\t]?\\n)?To\\sunsubscribe\\sfrom\\sthis\\slist:\\ss"
	"end\\sthe\\sline\n"
	"\t[^\\n]*(?:\\n[^\\n]*\\S[^\\n]*)*\n"
	"footer ^(?:-{2,}[ \\t]*\\n)?To\\sunsubscribe,\\se-mail:\\s[^\\n]*\n"
	"\t(?:\\n[^\\n]*\\S[^\\n]*)*\n"
	"footer ^(?:-{2}[ \\t]?\\n)?To\\sUNSUBSCRIBE,\\semail\\sto\\s[^\\n]*\n"
	"\t(?:\\n[^\\n]*\\S[^\\n]*)*\n"
	"# Pipermail: everything after a part separator is an attachment or "
	"a\n"
	"# scrubber note, not what the author typed.\n"
	"footer ^-{5,}[ \\t]?(?:next\\spart|section\\ssuivante|nächster\\sTeil"
	"\n"
	"\t|próxima\\sparte|siguiente\\sparte|следующая\\sчасть)[ \\t]?-{5,}[ "
	"\\t]*$\n"
	"\t[\\s\\S]*\n"
	"footer ^(?:An\\sHTML\\sattachment|A\\snon-text\\sattachment|An\\sembe"
	"dded\\sand\n"
	"\t\\scharset-unspecified\\stext|An\\sembedded\\smessage|Une\\spièce\\"
	"sjointe\n"
	"\t|Ein\\sDateianhang)[^\\n]*(?:scrubbed|nettoyée|abgetrennt)[^\\n]*\n"
	"\t(?:\\n(?:Name|Type|Size|Desc|URL|Url|From|Subject|Date|Nom|Taille)"
	"\n"
	"\t:[^\\n]*)*\n"
	"footer ^Skipped\\scontent\\sof\\stype\\s[^\\n]*$\n"
	"\n"
	"# Webmail taglines: \"Do You Yahoo!?\" and the line or two under it, "
	"or an\n"
	"# advertisement (a line or two naming the provider or \"FREE\", "
	"maybe under\n"
	"# a line of underscores) that ends with a link to the provider's "
	"site:\n"
	"# \"STOP MORE SPAM with the new MSN 8 and get 2 months FREE*\" /\n"
	"# \"http://join.msn.com/...\", \"Get your free @yahoo.com address "
	"at\n"
	"# http://mail.yahoo.com\".\n"
	"footer (?i)^(?:_{20,}[ \\t]*\\n)?Do\\syou\\sYahoo!\\?[ \\t]*$\n"
	"\t(?:\\n[ \\t]*[^\\s>][^\\n]*){0,2}\n"
	"footer ^(?:_{20,}[ \\t]*\\n)?(?:[^\\n>]{0,150}(?:Yahoo!|MSN|Hotmail|F"
	"REE|[Ff]ree\\s)\n"
	"\t[^\\n]{0,150}(?:\\n|\\s))[ "
	"\\t]*https?://[\\w.-]{0,40}\\.?(?:yahoo|msn|hotmail)\n"
	"\t\\.[\\w.]{2,8}(?:/\\S*)?[ \\t]*$\n"
	"\n"
	"# ---- snips --------------------------------------------------------"
	"--------\n"
	"# \"[snip]\", \"[...]\", \"<snip>\", \"(...)\", \"[snipped: 40 "
	"lines]\", \"*snip*\",\n"
	"# \"<snap>\", \"[]\", \"...\" and \"..\".\n"
	"snip (?i)^[ \\t]*[\\[<({*][ "
	"\\t]*(?:\\.{2,}|…|snip(?:ped)?|snap|schnipp?|cut\n"
	"\t|trimmed|deleted|removed|elided|skipped|gekürzt|coupé|recortado)\n"
	"\t[^\\]>)}*\\n]{0,80}[\\]>)}*][ \\t]*$\n"
	"snip ^[ \\t]*(?:\\.{2,}|…|\\[\\])[ \\t]*$\n"
	"snip (?i)^[ \\t]*-{2,}[ \\t]*(?:snip|schnipp)[ \\t]*-{2,}[ \\t]*$\n"
	"\n"
	"# ---- signatures ---------------------------------------------------"
	"----------\n"
	"signature ^--[ ][ \\t]*$\n"
	"signature-weak ^--$\n"
	"signature-line (?i)^[ \\t]*(?:Sent\\sfrom\\smy\\s[^\\n]{1,60}\n"
	"\t|Sent\\s(?:from|with|via)\\s(?:Mail\\sfor\\sWindows|Outlook|Yahoo\\"
	"sMail\n"
	"\t|Proton\\s?Mail|BlackBerry|Samsung|Android|iPhone|iPad)[^\\n]{0,60}"
	"\n"
	"\t|Envoyé\\s(?:de|depuis)\\smon\\s[^\\n]{1,40}\n"
	"\t|Von\\smeinem\\s[^\\n]{1,40}\\sgesendet\\.?\n"
	"\t|Gesendet\\s(?:von|mit)\\s(?:meinem\\s)?[^\\n]{1,40}\n"
	"\t|Enviado\\sdesde\\smi\\s[^\\n]{1,40}|Enviado\\sdo\\smeu\\s[^\\n]{1,"
	"40}\n"
	"\t|Inviato\\sda(?:l)?\\smi[oa]\\s[^\\n]{1,40}\n"
	"\t|Inviato\\sda\\s(?:iPhone|iPad|Android|Outlook|Samsung|BlackBerry|Y"
	"ahoo)\n"
	"\t[^\\n]{0,40}\n"
	"\t|Verstuurd\\svanaf\\smijn\\s[^\\n]{1,40}|Verzonden\\svanaf\\smijn\\"
	"s[^\\n]{1,40}\n"
	"\t|(?:iPhone|iPad|Android|Outlook)\\s?から送信\n"
	"\t|Отправлено\\s(?:с|со|из)\\s[^\\n]{1,40}\n"
	"\t|发自我的[^\\n]{1,30}|从我的[^\\n]{1,30}发送)[ \\t]*$\n"
	"# Outlook for iOS and Android, in each language, maybe with the link "
	"its\n"
	"# text/plain part glues on (\"Get Outlook for "
	"iOS<https://aka.ms/o0ukef>\").\n"
	"signature-line (?i)^[ "
	"\\t]*(?:Get\\sOutlook\\sfor\\s(?:iOS|Android)[^\\n]{0,20}\n"
	"\t|Obtenir\\sOutlook\\spour\\s(?:iOS|Android)|Obtener\\sOutlook\\spar"
	"a\n"
	"\t\\s(?:iOS|Android)|Obter\\so\\sOutlook\\spara\\s(?:iOS|Android)\n"
	"\t|Outlook\\sfür\\s(?:iOS|Android)\\sbeziehen|Scarica\\sOutlook\\sper"
	"\n"
	"\t\\s(?:iOS|Android)|Outlook\\svoor\\s(?:iOS|Android)\\sdownloaden)\n"
	"\t(?:[ \\t]*<https?://[^\\s<>]{1,200}>)?[ \\t]*$\n"
	"signoff (?i)^[ \\t]*(?:thanks|thank\\s?you|thanks\\sagain|many\\sthan"
	"ks\n"
	"\t|thanks\\sin\\sadvance|thx|ta|tia|cheers|regards|rgds|br|kr|best\n"
	"\t|best\\sregards|kind\\sregards|warm\\sregards|best\\swishes|all\\st"
	"he\\sbest\n"
	"\t|greetings|ciao|bye|hth|peace|take\\scare|see\\syou|sincerely|yours"
	"\n"
	"\t|yours\\ssincerely|yours\\struly|cordialement|bien\\sà\\svous|merci"
	"\n"
	"\t|merci\\sd'avance|merci\\sbeaucoup|bonne\\sjournée|a\\+|à\\s\\+|ami"
	"calement\n"
	"\t|bien\\scordialement|salutations|viele\\sgrüße|vg|gruß|grüße|tschüs"
	"s\n"
	"\t|servus|mit\\sfreundlichen\\sgrüßen|beste\\sgrüße|schöne\\sgrüße\n"
	"\t|liebe\\sgrüße|lg|danke|danke\\sund\\sgruß|saludos|un\\ssaludo\n"
	"\t|atentamente|gracias|gracias\\sde\\santemano|muchas\\sgracias\n"
	"\t|с\\sуважением|спасибо|заранее\\sспасибо|всего\\sдоброго|谢谢|多谢|"
	"祝好\n"
	"\t|此致|敬礼)[ \\t]*[,.!！，。]?[ \\t]*$\n"
	"\n"
	"# ---- greetings (summaries only) "
	"------------------------------------------\n"
	"greeting (?i)^(?:hi|hello|hey|hiya|dear|greetings|good\\s(?:morning\n"
	"\t|afternoon|evening|day)|hallo|moin|servus|liebe[rs]?\n"
	"\t|sehr\\sgeehrte[rs]?|guten\\s(?:morgen|tag|abend)|bonjour|bonsoir|s"
	"alut\n"
	"\t|cher|chère|chers|chères|hola|buenas|buenos\\sdías|estimad[oa]s?\n"
	"\t|querid[oa]s?|привет|здравствуйте|добрый\\s(?:день|вечер|утро)\n"
	"\t|доброе\\sутро|уважаем\\w*|коллеги)\\b(?:[ "
	"\\t]+[^\\s,!.:;?]+){0,3}\n"
	"\t[ \\t]*(?:[,!.:;]|$)\n"
	"# A longer salutation alone on its line, four to eight words after "
	"its\n"
	"# greeting word (\"Dear Members of the MAG,\", \"Dear MAG members "
	"and\n"
	"# observers,\"): the comma or colon at its end keeps a sentence that "
	"starts\n"
	"# so (\"Dear Members of the MAG will meet ...\"), the eight words a "
	"longer\n"
	"# line that goes on below (\"Hello to everyone who joined ... in "
	"Geneva,\").\n"
	"greeting (?i)^(?:hi|hello|hey|dear|greetings|good\\s(?:morning|aftern"
	"oon\n"
	"\t|evening|day)|hallo|liebe[rs]?|sehr\\sgeehrte[rs]?|guten\\s(?:morge"
	"n\n"
	"\t|tag|abend)|bonjour|bonsoir|salut|cher|chère|chers|chères|hola|buen"
	"as\n"
	"\t|buenos\\sdías|estimad[oa]s?|querid[oa]s?|привет|здравствуйте\n"
	"\t|добрый\\s(?:день|вечер|утро)|доброе\\sутро|уважаем\\w*)\\b\n"
	"\t(?:[ \\t]+[^\\s,!.:;?]+){4,8}[ \\t]*[,:][ \\t]*$\n"
	"# \"大家好，\" \"各位同事：\" but not \"你好像...\" (\"you seem\").\n"
	"greeting ^(?:大家好|你好|您好|各位好|各位)[^\\n，,！!。：:]{0,6}\n"
	"\t(?:[，,！!。：:]|$)\n"
	"# A name alone on the first line: \"Markus,\".\n"
	"greeting ^\\p{Lu}[\\p{L}\\-']{1,20}(?:[ "
	"\\t]\\p{Lu}[\\p{L}\\-']{1,20})?[,!][ \\t]*$\n"
	"\n"
	"# ---- where summaries end "
	"--------------------------------------------------\n"
	"# A patch's trailer block: \"Signed-off-by:\" with the trailers "
	"right above\n"
	"# it (\"Fixes: ...\", \"Reported-by: ...\").\n"
	"summary-end ^(?:[A-Z][\\w-]{1,30}:[ "
	"\\t][^\\n]*\\n){0,6}Signed-off-by:[ \\t]\n"
	"# The \"---\" line git format-patch writes above the diffstat, when "
	"a\n"
	"# diffstat line, a diff or a \"N files changed\" line follows (maybe "
	"after\n"
	"# notes between versions).\n"
	"summary-end ^---[ \\t]*\\n(?:[^\\n]*\\n){0,40}?(?:[ "
	"\\t]+\\S[^\\n]*\\|[ \\t]+(?:\\d+|Bin)\n"
	"\t|diff\\s--git\\s|Index:\\s|[ \\t]*\\d+\\sfiles?\\schanged)\n";
/* END quotes.conf */
