/*
 * Text from a pipermail archive, which wrote '?' for every character the
 * list's charset lacked (lib/quote_lossy.c): attributions, forward
 * markers, sign-offs and signatures whose letters were lost are still
 * found, and only there; the same text from a mailbox is read as it is.
 */
#include <string.h>
#include <glib.h>

#include "larch/msg.h"
#include "larch/quote.h"
#include "../lib/quote_private.h"
#include "test-quote-util.h"

struct lossy_row {
	const char *name;
	const char *from_name;	/* the From header's display name */
	const char *body;
	const char *kinds;	/* as test_quote_kind_codes() writes them */
	const char *new_text;
	const char *attribution; /* of the first quote, or NULL */
};

static const struct lossy_row rows[] = {
	{ "french attribution", "Anne Martin",
	  "D'accord.\n\nLe 30/01/2009 ? 06:06, St?phane Dubois a ?crit :\n"
	  "> Le serveur ne d?marre plus.\n", "N A Q1", "D'accord.",
	  "Le 30/01/2009 ? 06:06, St?phane Dubois a ?crit :" },
	{ "spanish gmail attribution", "Ana Ruiz",
	  "Gracias.\n\nEl vie., 30 de ene. de 2009, Henry Moore (<henry at "
	  "example.org>) escribi?:\n> El servidor no arranca.\n", "N A Q1",
	  "Gracias.", "El vie., 30 de ene. de 2009, Henry Moore (<henry at "
	  "example.org>) escribi?:" },
	{ "russian attribution", "Pavel Volkov",
	  "OK.\n\n10.05.2009 17:04, K?the Wagner ?????:\n> The index is "
	  "locked.\n", "N A Q1", "OK.",
	  "10.05.2009 17:04, K?the Wagner ?????:" },
	{ "gnus attribution with a lost name", "Ann Lee",
	  "Jes?s Garc?a <jesus.garcia at es.example.net> writes:\n\n> It "
	  "crashes.\n\nHere is the trace.\n", "A Q1 N", "Here is the trace.",
	  "Jes?s Garc?a <jesus.garcia at es.example.net> writes:" },
	{ "mutt attribution, name only", "Ann Lee",
	  "Katrin M?ller wrote:\n> It crashes.\n\nHere is the trace.\n",
	  "A Q1 N", "Here is the trace.", "Katrin M?ller wrote:" },
	{ "gmail attribution wrapped after a lost name", "Jing Zhao",
	  "On Sun, Jun 19, 2016 at 2:19 PM, ??????? ??????\n<natalya.popova "
	  "at example.com> wrote:\n> The daemon dies.\n\nIt is a race.\n",
	  "A Q1 N", "It is a race.", "On Sun, Jun 19, 2016 at 2:19 PM, "
	  "??????? ??????\n<natalya.popova at example.com> wrote:" },
	{ "chinese attribution", "Wei Gao",
	  "Yes.\n\n? 2009/8/15 10:29, Henry Moore ??:\n> Which version?\n",
	  "N A Q1", "Yes.", "? 2009/8/15 10:29, Henry Moore ??:" },
	{ "chinese gmail attribution, its full-width colon lost too",
	  "Tao Huang", "Hao.\n\nFrank Miller <fmiller at corp.example.com> "
	  "?2019?1?24??? ??7:23???\n> It works on my laptop.\n", "N A Q1",
	  "Hao.", "Frank Miller <fmiller at corp.example.com> ?2019?1?24??? "
	  "??7:23???" },
	{ "a phone signature that lost its words", "Tao Huang",
	  "It works now.\n\n????iPhone\n", "N S", "It works now.", NULL },
	{ "a russian phone signature that lost its words", "Pavel Volkov",
	  "It works now.\n\n?????????? ? iPhone\n", "N S", "It works now.",
	  NULL },
	{ "a french phone signature that lost a letter", "Anne Martin",
	  "It works now.\n\nEnvoy? de mon iPhone\n", "N S", "It works now.",
	  NULL },
	{ "a swedish phone signature, a letter lost per byte", "Anna Berg",
	  "It works now.\n\nSkickat fr??n min iPhone\n", "N S",
	  "It works now.", NULL },
	{ "german outlook original message", "Ursula Hartmann",
	  "Stimmt.\n\n-----Urspr?ngliche Nachricht-----\nVon: Thomas "
	  "<thomas at example.org>\nGesendet: Montag, 4. Mai 2009 10:00\n"
	  "An: users at lists.example.org\nBetreff: Index\n\nDer Index ist "
	  "kaputt.\n", "N A W", "Stimmt.", NULL },
	{ "outlook name signature with lost letters",
	  "\xc3\x8d\xc3\xb1igo Jim\xc3\xa9nez",
	  "We should use an iterative algorithm.\n\n??igo Jim?nez\n",
	  "N S", "We should use an iterative algorithm.", NULL },
	{ "a lost name above a motto", "\xd0\x90\xd0\xbb\xd0\xb5\xd0\xba"
	  "\xd1\x81\xd0\xb5\xd0\xb9 Petrov", "It crashes less now.\n\n"
	  "-???????\n\n???????\n\n\"Plan to throw one away.\"\n", "N S",
	  "It crashes less now.\n\n-???????", NULL },
	{ "a lost one-letter name above a motto", "\xe6\x98\x8e",
	  "It crashes less with J?rgen's patch.\n\n?\n\n\"Plan to throw one "
	  "away.\"\n", "N S", "It crashes less with J?rgen's patch.", NULL },
	{ "a card under a lost name", "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd "
	  "\xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2",
	  "It is fixed in 1.2.\n\n???? ??????\nMaintainer, Example "
	  "Foundation\n", "N S", "It is fixed in 1.2.", NULL },
	{ "a card with an address and a link under a lost name",
	  "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd \xd0\x9f\xd0\xb5\xd1\x82"
	  "\xd1\x80\xd0\xbe\xd0\xb2", "It is fixed in 1.2.\n\n???? ??????\n"
	  "<ivan at ru.example.org>\nhttps://www.example.org/~ivan/\n", "N S",
	  "It is fixed in 1.2.", NULL },
	{ "a lost name with its address over a link",
	  "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd \xd0\x9f\xd0\xb5\xd1\x82"
	  "\xd1\x80\xd0\xbe\xd0\xb2", "It is fixed in 1.2.\n\n???? ?????? "
	  "<ivan at ru.example.org>\nhttps://www.example.org/~ivan/\n", "N S",
	  "It is fixed in 1.2.", NULL },
	{ "a lost chinese given name above a motto", "\xe5\x88\x98\xe7\xa3"
	  "\x8a", "It is fixed in 1.2.\n\n?\n\n\"There are no easy answers."
	  "\"\n", "N S", "It is fixed in 1.2.", NULL },
	{ "not: a card announced by a colon", "\xd0\x98\xd0\xb2\xd0\xb0\xd0"
	  "\xbd \xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2",
	  "Write to the maintainer:\n\n???? ??????\n<ivan at ru.example.org>"
	  "\n", "N", "Write to the maintainer:\n\n???? ??????\n<ivan at "
	  "ru.example.org>", NULL },
	{ "not: a sentence under a lost name", "\xd0\x98\xd0\xb2\xd0\xb0"
	  "\xd0\xbd \xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2",
	  "It is fixed in 1.2.\n\n???? ??????\nI am away until Monday.\n",
	  "N", "It is fixed in 1.2.\n\n???? ??????\nI am away until Monday.",
	  NULL },
	{ "a lost one-letter name above a motto, nothing else lost",
	  "\xe6\x98\x8e", "It crashes less now.\n\n?\n\n\"Plan to throw "
	  "one away.\"\n", "N S", "It crashes less now.", NULL },
	{ "not: a motto under someone else's lost name", "Ann Lee",
	  "We kept the wording:\n\n???????\n\n\"Plan to throw one "
	  "away.\"\n", "N", "We kept the wording:\n\n???????\n\n\"Plan to "
	  "throw one away.\"", NULL },
	{ "sign-off with lost letters keeps the name", "Thomas Berg",
	  "Ich bin nicht sicher.\n\nViele Gr??e\nThomas\n", "N",
	  "Ich bin nicht sicher.\n\nViele Gr??e\nThomas", NULL },
	{ "a name lost whole is not a sign-off", "Natalya Popova",
	  "It goes away with the patch.\n\nCheers,\n???????\n", "N",
	  "It goes away with the patch.\n\nCheers,\n???????", NULL },
	{ "not: a russian line ending with a colon", "Pavel Volkov",
	  "?????? ?????:\n> ??? ?????\n\n?? ???????.\n", "N Q1 N",
	  "?????? ?????:\n\n?? ???????.", NULL },
	{ "not: code indented with lost no-break spaces", "Ann Lee",
	  "The code:\n\nclass Chat:\n??? def name(self):\n??????? if "
	  "self.name!=\"\":\n??????????? return self.name\n??????? "
	  "else:\n??????????? return \"\"\n", "N", "The code:\n\nclass "
	  "Chat:\n??? def name(self):\n??????? if self.name!=\"\":\n"
	  "??????????? return self.name\n??????? else:\n??????????? return "
	  "\"\"", NULL },
	{ "not: a line between lost characters", "Ann Lee",
	  "It works now.\n\n??? I see well a deferToThread ???\n\nThanks "
	  "Paul.\n", "N", "It works now.\n\n??? I see well a deferToThread "
	  "???\n\nThanks Paul.", NULL },
	{ "not: a question above a quote", "Ann Lee",
	  "Why??:\n> It crashes.\n\nNo idea.\n", "N Q1 N",
	  "Why??:\n\nNo idea.", NULL },
};

static void
check_row(const struct lossy_row *row, bool lossy)
{
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);
	struct larch_msg *m = larch_msg_new();
	char *kinds;

	m->body = g_strdup(row->body);
	m->from_name = g_strdup(row->from_name);
	if (lossy)
		larch_msg_add_source(m, "/srv/lists/users/2009-May.txt.gz", 0,
		    strlen(row->body), LARCH_FORMAT_PIPERMAIL);
	larch_quote_apply(NULL, m, 200, segs);
	kinds = test_quote_kind_codes(segs);
	g_assert_cmpstr(kinds, ==, row->kinds);
	g_assert_cmpstr(m->new_text, ==, row->new_text);
	if (row->attribution != NULL) {
		g_assert_cmpuint(m->quotes->len, >=, 1);
		g_assert_cmpstr(((struct larch_quote *)m->quotes->pdata[0])->
		    attribution, ==, row->attribution);
	}
	g_free(kinds);
	larch_msg_free(m);
	g_ptr_array_unref(segs);
}

static void
test_row(gconstpointer data)
{
	check_row(data, true);
}

/* The lost letters count only in an archive that loses them: from a
 * mailbox, "a ?crit :" is not French. */
static void
test_mailbox(void)
{
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);
	struct larch_msg *m = larch_msg_new();

	m->body = g_strdup(rows[0].body);
	m->from_name = g_strdup(rows[0].from_name);
	larch_msg_add_source(m, "/srv/mail/users.mbox", 0, 10,
	    LARCH_FORMAT_MBOXRD);
	larch_quote_apply(NULL, m, 200, segs);
	g_assert_nonnull(strstr(m->new_text, "a ?crit"));
	larch_msg_free(m);
	g_ptr_array_unref(segs);
}

/* Text in a charset of its own, nothing lost, splits as it always did. */
static void
test_nothing_lost(void)
{
	static const char body[] = "\xe6\x88\x91\xe5\x9c\xa8\xe6\x9c\x80"
	    "\xe6\x96\xb0\xe7\x89\x88\xe6\x9c\xac\xe4\xb8\x8a\xe4\xb9\x9f"
	    "\xe9\x81\x87\xe5\x88\xb0\xe4\xba\x86\xe3\x80\x82\n\n"
	    "\xe7\xa5\x9d\xe5\xa5\xbd\n\xe9\xab\x98\xe4\xbc\x9f\n";
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);
	struct larch_msg *m = larch_msg_new();

	m->body = g_strdup(body);
	m->from_name = g_strdup("\xe9\xab\x98\xe4\xbc\x9f");
	larch_msg_add_source(m, "/srv/lists/users-zh/2009-May.txt.gz", 0,
	    sizeof body - 1, LARCH_FORMAT_PIPERMAIL);
	larch_quote_apply(NULL, m, 200, segs);
	g_assert_cmpuint(strlen(m->new_text), ==, sizeof body - 2);
	larch_msg_free(m);
	g_ptr_array_unref(segs);
}

/* The rewriting itself. */
static void
test_pattern(void)
{
	static const struct {
		const char *in;
		bool marks;	/* any non-ASCII character, not just letters */
		const char *out;
	} cases[] = {
		{ "a\\s[\xc3\xa9""e]crit", false, "a\\s[\xc3\xa9""e\\?]crit" },
		{ "escribi\xc3\xb3", false, "escribi(?:\xc3\xb3|\\?{1,4})" },
		{ "[^\\s<>!?\"]{1,40}", false, "[^\\s<>!\"]{1,40}" },
		{ "[^\\s\\?]", false, "[^\\s]" },
		{ "\\\xc3\xa9", false, NULL },
		{ "wrote\\s?:", false, NULL },
		{ "[[:alpha:]\xc3\xa9]", false, "[[:alpha:]\xc3\xa9\\?]" },
		{ "[:\xef\xbc\x9a]$", false, NULL },
		{ "[:\xef\xbc\x9a]$", true, "[:\xef\xbc\x9a\\?]$" },
		{ "\xe5\x86\x99\xef\xbc\x9a", false,
		  "(?:\xe5\x86\x99|\\?{1,4})\xef\xbc\x9a" },
		{ "\xe5\x86\x99\xef\xbc\x9a", true,
		  "(?:\xe5\x86\x99|\\?{1,4})(?:\xef\xbc\x9a|\\?{1,4})" },
		{ "\\Q\xc3\xa9\\E", false, NULL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = larch_quote_lossy_pattern(cases[i].in,
		    cases[i].marks);

		g_assert_cmpstr(got, ==, cases[i].out);
		g_free(got);
	}
}

static void
test_same_name(void)
{
	static const char name[] = "\xc3\x8d\xc3\xb1igo Jim\xc3\xa9nez";

	g_assert_true(larch_quote_same_name("??igo Jim?nez", 13, name, true));
	/* One '?' per byte when the message's charset was misdeclared. */
	g_assert_true(larch_quote_same_name("????igo Jim??nez", 16, name,
	    true));
	g_assert_false(larch_quote_same_name("??igo Jim?nez", 13, name,
	    false));
	g_assert_false(larch_quote_same_name("?igo Jim?nez", 12, name, true));
	g_assert_false(larch_quote_same_name("??igo Jimenez", 13, name,
	    true));
	g_assert_true(larch_quote_same_name(name, strlen(name), name, true));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *path = g_strdelimit(g_strdup_printf("/quote-lossy/%s",
		    rows[i].name), ",", '_');

		g_test_add_data_func(path, &rows[i], test_row);
		g_free(path);
	}
	g_test_add_func("/quote-lossy/mailbox", test_mailbox);
	g_test_add_func("/quote-lossy/nothing-lost", test_nothing_lost);
	g_test_add_func("/quote-lossy/pattern", test_pattern);
	g_test_add_func("/quote-lossy/same-name", test_same_name);
	return g_test_run();
}
