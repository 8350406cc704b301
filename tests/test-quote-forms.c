/*
 * Unit tests of the quote splitter on the forms real lists showed it
 * missing: attributions without mutt's "* ", away from their quote,
 * over an unquoted original, inside quotes and as Outlook header blocks
 * in quotes; a From and Date pair; webmail taglines.  Each form has a
 * near miss that must stay as it was (test-quote.c holds the rest).
 */
#include <string.h>
#include <glib.h>

#include "larch/msg.h"
#include "larch/quote.h"
#include "test-quote-util.h"

/*
 * A text, the segments expected as kind codes (N new, Q<depth> quote,
 * A attribution, W forward, S signature, F footer, X snip) and the new
 * text expected.
 */
static const struct {
	const char *name;
	const char *text;
	const char *kinds;
	const char *new_text;
} split_rows[] = {
	/* mutt without its "* ". */
	{ "mutt-no-star", "Daniel Danzberger <daniel@dd-wrt.com> "
	  "[2019-06-25 10:34:47]:\n\n> text\n\nOK.\n", "A Q1 N", "OK." },
	{ "mutt-name-date", "Petr [2019-06-25]:\n> text\n\nOK.\n", "A Q1 N",
	  "OK." },
	{ "bracket-not-date", "See the log [attached]:\n> text\n\nOK.\n",
	  "N Q1 N", "See the log [attached]:\n\nOK." },
	/* Attributions people wrote their own way: a date and a time, a
	 * name, any verb or none, right above the quote (wrapped too). */
	{ "own-verb", "On 2020-10-26 at 12:47 +0000 Ann Lee via dev sent "
	  "off:\n\n> text\n\nOK.\n", "A Q1 N", "OK." },
	{ "own-verb-mutt", "On Tue, Jul 19, 2005 at 10:40:39PM -0400, Jp "
	  "Calderone scribbled:\n> text\n\nOK.\n", "A Q1 N", "OK." },
	{ "own-verb-none", "03/07/2019 10:21, Kristian Evensen:\n> text\n\n"
	  "OK.\n", "A Q1 N", "OK." },
	{ "own-verb-wrapped", "OoO En ce d\xc3\xa9" "but de soir\xc3\xa9" "e du "
	  "mardi 07 avril 2009, vers 21:19,\nJack Moffitt <jack@example.com> "
	  "disait :\n\n> text\n\nOK.\n", "A Q1 N", "OK." },
	{ "own-verb-quoted", "> On 2022-01-27 at 07:00 +1300 Ann Lee via dev\n"
	  "> sent off:\n>> text\n\nOK.\n", "A Q2 N", "OK." },
	/* Near misses: a log line, prose, no year, no quote below. */
	{ "own-verb-log", "2004/05/19 08:08 CDT [-] Traceback (most recent "
	  "call last):\n> text\n\nOK.\n", "N Q1 N", "2004/05/19 08:08 CDT "
	  "[-] Traceback (most recent call last):\n\nOK." },
	{ "own-verb-prose", "On 2021-03-05 at 10:00 we decided the following:"
	  "\n> text\n\nOK.\n", "N Q1 N", "On 2021-03-05 at 10:00 we decided "
	  "the following:\n\nOK." },
	{ "own-verb-no-year", "Feb 23 12:22:44 test-box su[1672]:\n> text\n\n"
	  "OK.\n", "N Q1 N", "Feb 23 12:22:44 test-box su[1672]:\n\nOK." },
	{ "own-verb-no-quote", "On 2020-10-26 at 12:47 +0000 Ann Lee sent off:"
	  "\n\nOK.\n", "N", "On 2020-10-26 at 12:47 +0000 Ann Lee sent off:"
	  "\n\nOK." },
	/* davem's From and Date lines. */
	{ "from-date", "From: Joe Perches <joe@perches.com>\nDate: Sun, 14 "
	  "Nov 2010 19:04:58 -0800\n\n> text\n\nApplied.\n", "A Q1 N",
	  "Applied." },
	{ "from-date-prose", "From: the docs\nDate: unknown\n> text\n\nOK.\n",
	  "N Q1 N", "From: the docs\nDate: unknown\n\nOK." },
	/* GroupWise's own ">>>" marks around its attribution. */
	{ "groupwise-de", "Agreed.\n\n>>> can zhu <zhucan@example.com> "
	  "schrieb am 10.12.2019 um 15:25 in Nachricht\n"
	  "<372db1a3@googlegroups.com>:\n> old text\n", "N A Q1",
	  "Agreed." },
	{ "groupwise-en", "Agreed.\n\n>>> John Doe <jdoe@example.com> "
	  "12/10/2019 3:25 PM >>>\n> old text\n", "N A Q1", "Agreed." },
	{ "groupwise-pipermail", "Agreed.\n\n>>> John Doe <jdoe at "
	  "example.com> 12/10/2019 3:25 PM >>>\n> old text\n", "N A Q1",
	  "Agreed." },
	{ "groupwise-en-unquoted", "Agreed.\n\n>>> John Doe "
	  "<jdoe@example.com> 12/10/2019 3:25 PM >>>\n\nold text\n\n"
	  "_______________________________________________\n"
	  "dev mailing list\ndev@lists.example.org\n"
	  "https://lists.example.org/mailman/listinfo/dev\n", "N A W F",
	  "Agreed." },
	/* Wrapped over three lines, a snip marker under it, a Google Groups
	 * address. */
	{ "groupwise-wrapped", "Agreed.\n\n>>> Ann <ann...@example.com> "
	  "schrieb am 21.04.2020 um 18:06\nin\nNachricht <1@example.com>:\n"
	  "\n[...]\n> old text\n", "N A X Q1", "Agreed." },
	/* Quoted by a reply: three levels deeper than its quote, markers
	 * glued on or not. */
	{ "groupwise-quoted", "> Ulrich wrote:\n> >>> Ann <ann@example.com> "
	  "schrieb am 1.2.2019 um 10:00 in Nachricht\n> <1@example.com>:\n"
	  "> > old\n\nnew\n", "Q1 A Q2 N", "new" },
	{ "groupwise-quoted-glued", ">>>>> Ann <ann@example.com> schrieb am "
	  "1.2.2019 um 10:00 in Nachricht\n>> <1@example.com>:\n>>> old\n"
	  "\nnew\n", "A Q3 N", "new" },
	{ "groupwise-quoted-unquoted", "> >>> Ann Lee 26.05.2021, 06:08 >>>\n"
	  "> old\n\nnew\n", "A Q1 N", "new" },
	/* Another client's attribution quoted three levels deep names the
	 * date first. */
	{ "deep-attribution", "> On Feb 26, 2013, Ann <a at x.org> wrote:\n"
	  ">>> On Fri, Jan 4, 2013, at 19:58, bob at x.org wrote:\n"
	  ">> text\n\nOK.\n", "A Q3 Q2 N", "OK." },
	/* Closing marks without a date; a quote too deep below. */
	{ "groupwise-no-date", "OK.\n\n>>> Ann <a@example.com> >>>\n> x\n",
	  "N Q3 Q1", "OK." },
	{ "groupwise-deeper-below", "OK.\n\n>>> Ann <a@example.com> 1.2.2019 "
	  "10:00 >>>\n>>>> x\n", "N Q3 Q4", "OK." },
	/* A deep quoted line rewrapped with only the reply's marker on its
	 * overflow; answers between quoted lines stay. */
	{ "rewrapped-deep", "> > > the report says that the event was attached to "
	  "the session of the\n> working group\n> > > on Friday.\n\nnew\n",
	  "Q3 N", "new" },
	{ "rewrapped-deep-answer", "> > > the report says that the event was "
	  "attached to the session of the\n> yes, agreed\n> > > working group."
	  "\n\nnew\n", "Q3 Q1 Q3 N", "new" },
	{ "rewrapped-deep-capital", "> > > the report says that the event was "
	  "attached to the session of the\n> Which one?\n> > > working group."
	  "\n\nnew\n", "Q3 Q1 Q3 N", "new" },
	/* linux-mm's Majordomo footer. */
	{ "majordomo-kvack", "Acked.\n\n--\nTo unsubscribe, send a message "
	  "with 'unsubscribe linux-mm' in\nthe body to majordomo@kvack.org.  "
	  "For more info on Linux MM,\nsee: http://www.linux-mm.org/ .\n",
	  "N F", "Acked." },
	/* Old Mailman's scrubber note, its "Url :" key with a space. */
	{ "scrubber-old-url", "Signed.\n\nA non-text attachment was "
	  "scrubbed...\nName: signature.asc\nType: application/pgp-signature\n"
	  "Size: 256 bytes\nDesc: OpenPGP digital signature\nUrl : "
	  "http://example.org/pipermail/w/attachments/2004/0f/signature.bin\n",
	  "N F", "Signed." },
	/* Supercite (Gnus): its head's own five marks, names longer than
	 * the quote rule's that the head gave, lines it re-cited beside
	 * its named ones. */
	{ "supercite-head", ">>>>> \"Jp\" == Jp Calderone <jp@example.org> "
	  "writes:\n\n    Jp> old text\n    Jp> more\n\nnew\n", "A Q1 N",
	  "new" },
	{ "supercite-long-name", ">>>>> \"Glyph\" == Glyph L "
	  "<g@example.org> writes:\n    Glyph> old text\n\nnew\n",
	  "A Q1 N", "new" },
	{ "supercite-on-said", ">>>>> On Mon, 4 Jan 2010, Ann wrote:\n"
	  "AA> old\n\nnew\n", "A Q1 N", "new" },
	{ "supercite-recited", ">>>>> \"Jp\" == Jp <jp@example.org> "
	  "writes:\n\n    Jp> On 1 Jan 2002, Chris wrote:\n\n"
	  "    >> older text\n    >> more\n\n    Jp> his answer\n\nnew\n",
	  "A A Q2 Q1 N", "new" },
	{ "supercite-quoted", "> >>>>> \"Denis\" == Denis <d@example.org> "
	  "writes:\n>     Denis> old text\n\nnew\n", "A Q2 N", "new" },
	{ "supercite-quoted-recited", "On 1 Jan 2002, Chris wrote:\n\n"
	  "> >>>>> \"Jp\" == Jp <jp@example.org> writes:\n>\n"
	  ">     Jp> On 1 Jan 2002, Chris wrote:\n>\n>     >> older text\n"
	  "\nnew\n", "A A A Q3 N", "new" },
	/* A long chain's fifth level; a doctest without a named line. */
	{ "supercite-chain", ">>>> text:\n>>>>> \"X\" == X <x@example.org> "
	  "writes:\n>>>>>> deep\n\nnew\n", "Q4 Q5 Q6 N", "new" },
	{ "supercite-deep-colon", ">>>>> deep text ends:\n>>>>> more\n\n"
	  "new\n", "Q5 N", "new" },
	{ "supercite-doctest", "Try:\n\n    >>> x = 1\n    >>> x\n    1\n",
	  "N", "Try:\n\n    >>> x = 1\n    >>> x\n    1" },
	/* Outlook for Mac: the original indented under its attribution,
	 * its own quotes inside; an answer after it. */
	{ "indented-original", "Agreed.\n\n\ufeffOn 1/3/22, 1:26 PM, \"Ann\" "
	  "<ann@example.org> wrote:\n\n    Interesting.\n    >\n    > old\n"
	  "\n    more\n", "N A Q1 Q2 Q1", "Agreed." },
	{ "indented-original-answer", "On 1/3/22, 1:26 PM, Ann "
	  "<ann@example.org> wrote:\n    old one\n    old two\nMy answer.\n",
	  "A Q1 N", "My answer." },
	/* Indented code under prose, or one indented line: new text. */
	{ "indented-code", "The config on 1/3/22:\n\n    a = 1\n    b = 2\n",
	  "N", "The config on 1/3/22:\n\n    a = 1\n    b = 2" },
	{ "indented-one-line", "Hi.\n\nOn 1/3/22, 1:26 PM, Ann "
	  "<ann@example.org> wrote:\n\n    one line\n", "N A N",
	  "Hi.\n\n    one line" },
	/* A Python prompt names no address; a depth-3 quote among others
	 * stays one. */
	{ "python-prompt", "Try:\n\n>>> 1 + 2\n3\n", "N Q3 N",
	  "Try:\n\n3" },
	{ "deep-quote-with-address", "> On Mon, Ann <a@example.org> wrote:\n"
	  ">> text\n>>> from bob@example.org on 1.2.2019\n>>> more\n\nOK.\n",
	  "A Q2 Q3 N", "OK." },
	/* An attribution without its colon, right above its quote; the
	 * same line over prose is the author's. */
	{ "no-colon", "On 06.07.19 23:57, Christian Lamparter wrote\n> old\n"
	  "\nOK.\n", "A Q1 N", "OK." },
	{ "no-colon-prose", "On Monday, Christian wrote\nthe patch.\n", "N",
	  "On Monday, Christian wrote\nthe patch." },
	/* IMP in French. */
	{ "selon", "Selon Phil Mayers <p.mayers@example.ac.uk>:\n\n> texte\n"
	  "\nOui.\n", "A Q1 N", "Oui." },
	{ "selon-prose", "Selon moi :\n> texte\n\nOui.\n", "N Q1 N",
	  "Selon moi :\n\nOui." },
	/* An attribution a greeting away from its quote (KMail). */
	{ "greeting-between", "Am Dienstag, 21. Mai 2019, 10:00:00 CEST "
	  "schrieb Petr Štetiar:\n\nHi Petr,\n\n> quoted\n\nanswer\n",
	  "A N Q1 N", "Hi Petr,\n\nanswer" },
	/* The quote was cut: only the attribution is left. */
	{ "cut-quote", "On Mon, 1 Mar 2021 at 10:00, Jeremy Allison "
	  "<jra@example.org> wrote:\nI think we should do it.\n", "A N",
	  "I think we should do it." },
	{ "cut-quote-then-quote", "Thanks.\n\nOn Mon, 1 Mar 2021 at 10:00, "
	  "Anna <a@example.org> wrote:\nI agree with this part.\n> old\n"
	  "more\n", "N A N Q1 N",
	  "Thanks.\n\nI agree with this part.\n\nmore" },
	/* Prose that ends in "wrote:" names no date, time or address. */
	{ "prose-wrote", "On Monday, Markus wrote:\nthe plan is fine.\n", "N",
	  "On Monday, Markus wrote:\nthe plan is fine." },
	{ "prose-wrote-a-patch", "On Monday John wrote a patch:\nit is "
	  "below.\n", "N", "On Monday John wrote a patch:\nit is below." },
	/* Only a greeting above: the quote was cut, what follows is the
	 * author's. */
	{ "greeting-then-cut-quote", "Hi,\n\nOn Mon, July 31, 2006 7:36 pm, "
	  "L. Daniel Burr wrote:\n\nThanks, Daniel. It works.\n", "N A N",
	  "Hi,\n\nThanks, Daniel. It works." },
	/* Quotes the rules do not read as such ("    >>") below: not an
	 * unquoted original. */
	{ "indented-quotes-below", "See below.\n\n    > On Tue, May 6, 2003, "
	  "at 01:35 PM, Allen wrote:\n    >> old\n\n    new\n", "N A N",
	  "See below.\n\n    >> old\n\n    new" },
	/* A version number is no date. */
	{ "version-says", "Sure.\n\nSpecifically, Firefox 2.0.0.3 (at least, "
	  "what it reports) says:\nThe page is not redirecting.\n", "N",
	  "Sure.\n\nSpecifically, Firefox 2.0.0.3 (at least, what it "
	  "reports) says:\nThe page is not redirecting." },
	/* A log line with a time that ends in parentheses and a colon. */
	{ "traceback", "It broke:\n\n2005/04/26 13:52 CEST [HTTPChannel,388] "
	  "Traceback (most recent call last):\n  File \"x.py\", line 1\n"
	  "ValueError\n", "N", "It broke:\n\n2005/04/26 13:52 CEST "
	  "[HTTPChannel,388] Traceback (most recent call last):\n  File "
	  "\"x.py\", line 1\nValueError" },
	/* A top-posted reply over the original, unquoted (Yahoo). */
	{ "unquoted-original", "Thank you.\n\nOn Monday, April 26, 2021, "
	  "10:00:00 AM GMT+1, David Disseldorp via samba-technical "
	  "<samba-technical@lists.example.org> wrote:\n\nHi Jason,\n\n"
	  "the patch looks fine.\n\nCheers, David\n", "N A W", "Thank you." },
	{ "unquoted-original-glued", "Thank you.On Mon, 1 Mar 2021 at 10:00,"
	  " Anna <a@example.org> wrote:\nthe original.\n", "N A W",
	  "Thank you." },
	/* Interleaved: the attribution is right above quotes, as before. */
	{ "interleaved", "On Mon, 1 Mar 2021 at 10:00, Anna <a@example.org> "
	  "wrote:\n> one\nanswer one\n> two\nanswer two\n", "A Q1 N Q1 N",
	  "answer one\n\nanswer two" },
	/* Attributions inside quotes introduce the deeper quote. */
	{ "nested", "On Thu, Mar 25, 2021 at 10:00 AM, Jeremy "
	  "<j@example.org> wrote:\n> On Wed, Mar 24, 2021 at 05:10:15PM "
	  "+0100, Andreas Schneider via\n> samba-technical wrote:\n>> deep "
	  "text\n> middle text\n\nnew\n", "A A Q2 Q1 N", "new" },
	{ "nested-blank", "Ann wrote:\n> Bob wrote:\n>\n>> deep\n\nnew\n",
	  "A A Q2 N", "new" },
	{ "quoted-prose-wrote", "> On Monday, Markus wrote:\n> the plan is "
	  "fine.\n\nOK.\n", "Q1 N", "OK." },
	{ "quoted-wrote-no-deeper", "> Anna wrote:\n> text\n\nOK.\n", "Q1 N",
	  "OK." },
	/* Outlook header blocks inside quotes. */
	{ "quoted-outlook", "Agreed.\n\n> -----Original Message-----\n> From: "
	  "Markus [mailto:m@example.org]\n> Sent: Thursday, May 26, 2016 "
	  "7:05 PM\n> To: list@example.org\n> Subject: plan\n>\n> The plan.\n",
	  "N A Q1", "Agreed." },
	{ "quoted-outlook-mid", "On Mon, 1 Mar 2021 at 10:00, Bob "
	  "<b@example.org> wrote:\n> I agree.\n>\n> From: Anna <a@example.org>"
	  "\n> Sent: Monday, March 1, 2021 9:00 AM\n> To: list\n> Subject: x"
	  "\n>\n> The plan.\n\nOK.\n", "A Q1 A Q1 N", "OK." },
	{ "quoted-outlook-wrapped", "See below.\n\n> -----Original Message-----"
	  "\n> From: list [mailto:list-bounces@example.org] On\n> Behalf Of "
	  "Anna\n> Sent: Tuesday, 23 July 2019 09:45\n> Subject: patch\n>\n"
	  "> This patch adds a board.\n", "N A Q1", "See below." },
	{ "quoted-headers-prose", "> From: the team\n> To make it work, do "
	  "this.\n\nOK.\n", "Q1 N", "OK." },
	/* Webmail taglines. */
	{ "aside-after-signoff", "It breaks.\n\nthanks,\nLenny\n\n(I can "
	  "produce a short example that reproduces the\nbehavior if needed)"
	  "\n", "N", "It breaks.\n\nthanks,\nLenny\n\n(I can produce a "
	  "short example that reproduces the\nbehavior if needed)" },
	{ "yahoo", "Sure.\n\n__________________________________\nDo You Yahoo!?"
	  "\nTired of spam?  Yahoo! Mail has the best spam protection around"
	  "\nhttp://mail.yahoo.com\n", "N F", "Sure." },
	{ "yahoo-one-line", "Sure.\n\nGet your free @yahoo.com address at "
	  "http://mail.yahoo.com\n", "N F", "Sure." },
	{ "msn", "Sure.\n\n_______________________________________________"
	  "__________________\nSTOP MORE SPAM with the new MSN 8 and get 2 "
	  "months FREE*\nhttp://join.msn.com/?page=features/junkmail\n",
	  "N F", "Sure." },
	{ "msn-link-in-prose", "The article is at\nhttp://www.msn.com/news/1"
	  "\n", "N", "The article is at\nhttp://www.msn.com/news/1" },
	{ "yahoo-in-prose", "Do you Yahoo!? I do not.\n", "N",
	  "Do you Yahoo!? I do not." },
	/* Yahoo Groups footers: the group's addresses, the links block,
	 * the sponsor's advertisement, the terms line. */
	{ "yahoo-groups-addresses", "The book is on babymeat.\n\n--Remi\n\n"
	  "P5ML addresses:\nPost message: p5ml@yahoogroups.com\n"
	  "Subscribe:    p5ml-subscribe@yahoogroups.com\n"
	  "List owner:   p5ml-owner@yahoogroups.com\n"
	  "Shortcut URL to this page:\n  http://groups.yahoo.com/group/p5ml "
	  "\n\nYour use of Yahoo! Groups is subject to "
	  "http://docs.yahoo.com/info/terms/ \n", "N F",
	  "The book is on babymeat.\n\n--Remi" },
	{ "yahoo-groups-links", "Agreed.\n\n\nYahoo! Groups Links\n\n"
	  "<*> To visit your group on the web, go to:\n"
	  "    http://groups.yahoo.com/group/igf/\n\n"
	  "<*> To unsubscribe from this group, send an email to:\n"
	  "    igf-unsubscribe@yahoogroups.com\n\n"
	  "<*> Your use of Yahoo! Groups is subject to:\n"
	  "    http://docs.yahoo.com/info/terms/\n", "N F", "Agreed." },
	{ "yahoo-groups-sponsor", "Agreed.\n\n------------------------ "
	  "Yahoo! Groups Sponsor ---------------------~-->\nGet 128 Bit SSL "
	  "Encryption!\nhttp://us.click.yahoo.com/xaxhjB/hdqFAA/xGHJAA/"
	  "2gGylB/TM\n--------------------------------------------------"
	  "-------------------~->\n\nTo unsubscribe from this group, send "
	  "an email to:\nigf-unsubscribe@egroups.com\n", "N F", "Agreed." },
	{ "yahoo-groups-in-prose", "Post message: the board wants it.\n",
	  "N", "Post message: the board wants it." },
	/* The author's last line right above an attribution, no blank
	 * between, is not a piece of it, whatever rule has a free prefix. */
	{ "line-above-gmail", "I agree with Markus on this point and support "
	  "it\nOn Thu, May 26, 2016 at 7:05 PM, Markus Kummer "
	  "<markus@example.org> wrote:\n> text\n", "N A Q1",
	  "I agree with Markus on this point and support it" },
	{ "line-above-thunderbird", "I agree with Markus on this point and "
	  "support it\nOn 26/05/2016 19:05, Markus Kummer wrote:\n> text\n",
	  "N A Q1", "I agree with Markus on this point and support it" },
	{ "line-above-french", "Je suis d'accord avec la proposition de "
	  "Markus\nLe jeu. 26 mai 2016 à 19:05, Markus Kummer "
	  "<markus@example.org> a écrit :\n> texte\n", "N A Q1",
	  "Je suis d'accord avec la proposition de Markus" },
	{ "line-above-russian", "Я согласен с предложением Маркуса по "
	  "сессиям\nчт, 26 мая 2016 г. в 19:05, Markus Kummer "
	  "<markus@example.org>:\n> текст\n", "N A Q1",
	  "Я согласен с предложением Маркуса по сессиям" },
	{ "line-above-wrapped", "Thanks, I agree with the proposal\nOn Thu, "
	  "May 26, 2016 at 7:05 PM, Markus Kummer <markus@example.org>\n"
	  "wrote:\n> text\n", "N A Q1", "Thanks, I agree with the proposal" },
	{ "line-above-glued", "I support the proposal and suggest one more "
	  "session on community\nnetworks.___On Thu, May 26, 2016 at 7:05 "
	  "PM, Markus Kummer <markus@example.org> wrote:\n> text\n",
	  "N A Q1", "I support the proposal and suggest one more session on "
	  "community\nnetworks." },
	{ "glued-underscores-dropped", "Agreed, thanks___On Thu, May 26, 2016 "
	  "at 7:05 PM, Markus Kummer <markus@example.org> wrote:\n> text\n",
	  "N A Q1", "Agreed, thanks" },
	/* Still wrapped: at the address, or the first piece holds one. */
	{ "wrapped-at-address", "Agreed.\n\nOn Thu, May 26, 2016 at 7:05 PM, "
	  "Markus Kummer\n<markus@example.org> wrote:\n> text\n", "N A Q1",
	  "Agreed." },
	{ "wrapped-chinese", "好的。\n\nMarkus Kummer <markus@example.org> "
	  "于2016年5月26日周四\n下午7:05写道：\n> 文本\n", "N A Q1", "好的。" },
	/* Or a rule needs the first piece, which holds no time ("Le\s..."
	 * does; a rule with a free prefix would match without it). */
	{ "wrapped-rule-needs-it", "Oui.\n\nLe jeudi 26 mai 2016, Markus "
	  "Kummer\n<markus@example.org> a écrit :\n> texte\n", "N A Q1",
	  "Oui." },
	/* Dated prose that ends in a colon, with nothing quoted right
	 * below: the author's. */
	{ "prose-bracket-date", "Here is my proposal.\n\nDraft agenda for the "
	  "call [26.05.2016 15:00 UTC]:\n\n1. Welcome\n2. Programme\n", "N",
	  "Here is my proposal.\n\nDraft agenda for the call [26.05.2016 "
	  "15:00 UTC]:\n\n1. Welcome\n2. Programme" },
	{ "prose-date-address", "Thanks.\n\nPlease send comments before 31 "
	  "May 2016 17:00 UTC to the secretariat <igf@example.org>:\n\nthey "
	  "will compile them.\n", "N", "Thanks.\n\nPlease send comments "
	  "before 31 May 2016 17:00 UTC to the secretariat "
	  "<igf@example.org>:\n\nthey will compile them." },
	{ "prose-am-schrieb", "Danke.\n\nAm 30. Mai 2016 um 15:00 Uhr schrieb "
	  "die Arbeitsgruppe folgende Punkte auf:\n\n1. Zugang\n", "N",
	  "Danke.\n\nAm 30. Mai 2016 um 15:00 Uhr schrieb die Arbeitsgruppe "
	  "folgende Punkte auf:\n\n1. Zugang" },
	{ "prose-time-wrote", "Thanks.\n\nAt the 14:00 session the rapporteur "
	  "wrote:\n\nThe group agreed.\n", "N", "Thanks.\n\nAt the 14:00 "
	  "session the rapporteur wrote:\n\nThe group agreed." },
	{ "prose-lower-after-time", "Thanks.\n\nOn 26/05/2016 at 19:05 "
	  "someone wrote:\n\nthe plan.\n", "N", "Thanks.\n\nOn 26/05/2016 "
	  "at 19:05 someone wrote:\n\nthe plan." },
	{ "prose-above-quote", "My proposal.\n\nDraft agenda for the call "
	  "[26.05.2016 15:00 UTC]:\n\n1. Welcome\n\nOn Thu, May 26, 2016 at "
	  "7:05 PM, Markus Kummer <markus@example.org> wrote:\n> text\n",
	  "N A Q1", "My proposal.\n\nDraft agenda for the call [26.05.2016 "
	  "15:00 UTC]:\n\n1. Welcome" },
	/* Attributions in a client's shape still head an unquoted
	 * original. */
	{ "unquoted-original-german", "Danke.\n\nAm 26.05.2016 um 19:05 "
	  "schrieb Markus Kummer:\n\nHallo,\n\nder Plan.\n", "N A W",
	  "Danke." },
	{ "unquoted-original-russian", "Да.\n\nчт, 26 мая 2016 г. в 19:05, "
	  "Markus Kummer <markus@example.org>:\n\nТекст.\n", "N A W", "Да." },
	{ "unquoted-original-chinese", "好的。\n\nMarkus <markus@example.org> "
	  "于2016年5月26日周四 下午7:05写道：\n\n原文。\n", "N A W", "好的。" },
	{ "unquoted-original-lower-name", "Sure.\n\nOn Thu, May 26, 2016 at "
	  "7:05 PM, jdoe <jdoe@example.org> wrote:\n\nthe original.\n",
	  "N A W", "Sure." },
	{ "unquoted-original-via", "Sure.\n\nOn Thu, May 26, 2016 at 7:05 PM, "
	  "Markus Kummer via IGF <igf@example.org> wrote:\n\nthe original.\n",
	  "N A W", "Sure." },
	/* Answers right under a full quoted line are not its overflow. */
	{ "answer-plus-one", "On Thu, May 26, 2016 at 7:05 PM, Markus "
	  "<m@example.org> wrote:\n> and should we invite the remote hubs to "
	  "present their work this year\n+1\n\nAnna\n", "A Q1 N",
	  "+1\n\nAnna" },
	{ "answer-tag", "Markus wrote:\n> and should we invite the remote hubs "
	  "to present their work this year\n[AS] I agree, they did great "
	  "work.\n", "A Q1 N", "[AS] I agree, they did great work." },
	{ "answer-at", "Markus wrote:\n> and should we invite the remote hubs "
	  "to present their work this year\n@Markus: yes please.\n", "A Q1 N",
	  "@Markus: yes please." },
	{ "answer-yes", "Markus wrote:\n> could everyone confirm attendance "
	  "for the meeting on Friday in Geneva\nyes, I will attend.\n> and "
	  "should we invite the remote hubs to present their work this year"
	  "\nno objection from me.\n", "A Q1 N Q1 N",
	  "yes, I will attend.\n\nno objection from me." },
	{ "answer-digit", "Markus wrote:\n> and should we invite the remote "
	  "hubs to present their work this year\n2 hubs have already asked "
	  "to present.\n", "A Q1 N", "2 hubs have already asked to present." },
	/* Overflow that starts with a capital is new text, unless the quote
	 * after it finishes its sentence; a quoted line cut well short of
	 * the width takes what follows. */
	{ "wrap-overflow", "Markus wrote:\n> could everyone confirm attendance "
	  "for the meeting on Friday in\nGeneva or remotely\n> and the rest."
	  "\n\nYes.\n", "A Q1 N", "Yes." },
	{ "wrap-overflow-after-stop", "Markus wrote:\n> The meeting is on "
	  "Friday in Geneva as planned, in the big room.\nPlease confirm "
	  "your attendance for the\n> meeting by Thursday.\n\nYes.\n",
	  "A Q1 N", "Yes." },
	{ "answer-between-quoted-sentences", "Markus wrote:\n> The meeting is "
	  "on Friday in Geneva as planned, in room four.\nI will be there\n"
	  "> Please confirm by Thursday.\n\nYes.\n", "A Q1 N Q1 N",
	  "I will be there\n\nYes." },
	{ "deeper-overflow-finished-below", "Ann wrote:\n> Bob wrote:\n> > "
	  "I ran python setup.py install but that did not seem to work and "
	  "when\n> I\n> > look at the spec file I am not sure what to do.\n"
	  "\nYes.\n", "A A Q2 N", "Yes." },
	{ "snip-between-quoted-lines", "Markus wrote:\n> I wanted to create "
	  "a file like this, with the players in it...\n[snip snip snip]\n"
	  "> and want to access that player stuff directly\n\nYes.\n",
	  "A Q1 X Q1 N", "Yes." },
	{ "answer-between-ends-its-sentence", "Markus wrote:\n> The meeting "
	  "is on Friday in Geneva as planned, in room four.\nI will be "
	  "there.\n> and please confirm by Thursday.\n\nYes.\n",
	  "A Q1 N Q1 N", "I will be there.\n\nYes." },
	{ "wrap-overflow-lower", "Markus wrote:\n> could everyone confirm "
	  "attendance for the meeting on Friday\nin Geneva or remotely\n> and "
	  "the rest.\n\nYes.\n", "A Q1 N", "Yes." },
	{ "wrap-cut-short", "Markus wrote:\n> The consultation on the draft "
	  "programme\ncloses on Friday, and please send your comments on the "
	  "main sessions to the secretariat before then.\n\nYes.\n", "A Q1 N",
	  "Yes." },
	/* Under a full-width quoted line a sentence is still its overflow
	 * when the line ends open, when the quote goes on right after it,
	 * or when its first word would not have fit on the line. */
	{ "wrap-full-open", "Markus wrote:\n> please confirm your attendance "
	  "at the meeting on Friday in Geneva for\nthe next call.\n\nYes.\n",
	  "A Q1 N", "Yes." },
	{ "wrap-full-quote-goes-on", "Markus wrote:\n> could everyone confirm "
	  "attendance for the meeting on Friday in Geneva\nor remotely.\n> and "
	  "the rest.\n\nYes.\n", "A Q1 N", "Yes." },
	{ "wrap-full-long-word", "Markus wrote:\n> could everyone confirm "
	  "attendance for the meeting on Friday this week\nparticipation.\n\n"
	  "Yes.\n", "A Q1 N", "Yes." },
	/* Outlook for phones with its link. */
	{ "outlook-ios-link", "Yes.\n\nGet Outlook for iOS"
	  "<https://aka.ms/o0ukef>\n", "N S", "Yes." },
	{ "outlook-android-link-fr", "Oui.\n\nObtenir Outlook pour Android"
	  "<https://aka.ms/ghei36>\n", "N S", "Oui." },
	{ "outlook-ios-link-de", "Ja.\n\nOutlook für iOS beziehen "
	  "<https://aka.ms/o0ukef>\n", "N S", "Ja." },
	{ "outlook-in-prose", "Get Outlook for iOS and tell me what you think "
	  "of it.\n", "N", "Get Outlook for iOS and tell me what you think of "
	  "it." },
	/* Yahoo Mail for Android: the original glued after "wrote:". */
	{ "yahoo-android-glued", "I support the proposal.\n\nSent from Yahoo "
	  "Mail on Android\n\n  On Thu, 26 May 2016 at 19:05, Markus Kummer"
	  "<markus@example.org> wrote:   Dear all,\n   \n   The consultation "
	  "closes on Friday.\n", "N S A W", "I support the proposal." },
	{ "glued-prose", "Fine.\n\nWe met on 26/05/2016 at 19:05, as Markus "
	  "wrote:   the plan is fine.\n", "N", "Fine.\n\nWe met on 26/05/2016 "
	  "at 19:05, as Markus wrote:   the plan is fine." },
	{ "glued-undated", "Fine.\n\nAs Markus Kummer wrote:   the plan is "
	  "fine.\n", "N", "Fine.\n\nAs Markus Kummer wrote:   the plan is "
	  "fine." },
	/* What follows a sign-off is a signature only when it is short and
	 * holds no list: a heading or a list item is enough. */
	{ "signoff-then-list", "I propose the following.\n\nBest\nAnna\n\n"
	  "Agenda:\n1. Access\n2. Security\n", "N", "I propose the "
	  "following.\n\nBest\nAnna\n\nAgenda:\n1. Access\n2. Security" },
	{ "signoff-then-heading", "I propose the following.\n\nBest\nAnna\n\n"
	  "Next steps:\nwrite the draft\n", "N", "I propose the following."
	  "\n\nBest\nAnna\n\nNext steps:\nwrite the draft" },
	{ "signoff-then-items", "I propose the following.\n\nBest\nAnna\n\n"
	  "1. Access\n2. Security\n", "N", "I propose the following.\n\n"
	  "Best\nAnna\n\n1. Access\n2. Security" },
};

static void
test_split(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(split_rows); i++) {
		GPtrArray *segs = g_ptr_array_new_with_free_func(
		    larch_segment_free);
		char *kinds, *text;

		g_test_message("split: %s", split_rows[i].name);
		larch_quote_split(NULL, split_rows[i].text,
		    strlen(split_rows[i].text), segs);
		kinds = test_quote_kind_codes(segs);
		text = larch_quote_new_text(segs);
		g_assert_cmpstr(kinds, ==, split_rows[i].kinds);
		g_assert_cmpstr(text, ==, split_rows[i].new_text);
		g_free(kinds);
		g_free(text);
		g_ptr_array_unref(segs);
	}
}

/* What larch_quote_apply() keeps: per quote its text and attribution. */
static const struct {
	const char *name;
	const char *body;
	const char *summary;
	struct {
		const char *text;
		int depth;
		const char *attribution;	/* NULL for none */
	} quotes[3];
} apply_rows[] = {
	{ "greeting between attribution and quote",
	  "Am Dienstag, 21. Mai 2019, 10:00:00 CEST schrieb Petr Štetiar:\n"
	  "\nHi Petr,\n\n> quoted\n\nanswer\n", "answer",
	  { { "quoted", 1, "Am Dienstag, 21. Mai 2019, 10:00:00 CEST schrieb "
	      "Petr Štetiar:" } } },
	{ "cut quote", "On Mon, 1 Mar 2021 at 10:00, Jeremy Allison "
	  "<jra@example.org> wrote:\nI think we should do it.\n",
	  "I think we should do it.", { { NULL } } },
	{ "unquoted original", "Thank you.\n\nOn Mon, 26 Apr 2021 at 10:00, "
	  "David <d@example.org> wrote:\n\nHi Jason,\n\nthe patch.\n",
	  "Thank you.",
	  { { "Hi Jason,\n\nthe patch.", 1, "On Mon, 26 Apr 2021 at 10:00, "
	      "David <d@example.org> wrote:" } } },
	{ "nested attributions",
	  "On Thu, 25 Mar 2021 at 10:00, Jeremy <j@example.org> wrote:\n"
	  "> On Wed, Mar 24, 2021 at 05:10:15PM +0100, Andreas via\n"
	  "> samba-technical wrote:\n>> deep text\n> middle text\n\nnew\n",
	  "new",
	  { { "deep text", 2, "On Wed, Mar 24, 2021 at 05:10:15PM +0100, "
	      "Andreas via\nsamba-technical wrote:" },
	    { "middle text", 1, "On Thu, 25 Mar 2021 at 10:00, Jeremy "
	      "<j@example.org> wrote:" } } },
	/* Each attribution goes to the quote of its own depth, not to the
	 * first deeper one: older text the replier kept without its
	 * attribution gets none. */
	{ "stacked attributions, older text first",
	  "On Fri, May 31, 2019 at 7:16 PM Ann <a@example.org> wrote:\n"
	  "> On Sat, Jun 1, 2019 at 12:26 AM Bob <b@example.org> wrote:\n"
	  ">>> oldest text\n>> bob text\n> ann text\n\nnew\n", "new",
	  { { "oldest text", 3, NULL },
	    { "bob text", 2, "On Sat, Jun 1, 2019 at 12:26 AM Bob "
	      "<b@example.org> wrote:" },
	    { "ann text", 1, "On Fri, May 31, 2019 at 7:16 PM Ann "
	      "<a@example.org> wrote:" } } },
	/* One whose own quote was cut goes to what it stood above. */
	{ "attribution over deeper text only",
	  "On Fri, May 31, 2019 at 7:16 PM Ann <a@example.org> wrote:\n"
	  ">> what Ann quoted\n\nnew\n", "new",
	  { { "what Ann quoted", 2, "On Fri, May 31, 2019 at 7:16 PM Ann "
	      "<a@example.org> wrote:" } } },
	{ "outlook block in a quote",
	  "Agreed.\n\n> -----Original Message-----\n> From: Markus "
	  "[mailto:m@example.org]\n> Sent: Thursday, May 26, 2016 7:05 PM\n"
	  "> To: list@example.org\n> Subject: plan\n>\n> The plan.\n",
	  "Agreed.",
	  { { "The plan.", 1, "-----Original Message-----\nFrom: Markus "
	      "[mailto:m@example.org]\nSent: Thursday, May 26, 2016 7:05 PM\n"
	      "To: list@example.org\nSubject: plan" } } },
	{ "digest header block in a quote",
	  "I support it.\n\n> Message: 3\n> Date: Thu, 26 May 2016 19:05:00 "
	  "+0200\n> From: Markus Kummer <markus@example.org>\n> To: "
	  "list@example.org\n> Subject: plan\n>\n> The plan.\n",
	  "I support it.",
	  { { "The plan.", 1, "Message: 3\nDate: Thu, 26 May 2016 19:05:00 "
	      "+0200\nFrom: Markus Kummer <markus@example.org>\nTo: "
	      "list@example.org\nSubject: plan" } } },
	{ "yahoo android glued original",
	  "Yes.\n\n  On Thu, 26 May 2016 at 19:05, Markus Kummer"
	  "<markus@example.org> wrote:   Dear all,\n   \n   The plan.\n",
	  "Yes.",
	  { { "Dear all,\n\n   The plan.", 1, "On Thu, 26 May 2016 at 19:05, "
	      "Markus Kummer<markus@example.org> wrote:" } } },
	{ "text between attribution and quote",
	  "On Mon, 1 Mar 2021 at 10:00, Anna <a@example.org> wrote:\n"
	  "Hi Anna, I disagree.\n\n> old\n\nmore\n",
	  "I disagree. more", { { "old", 1, NULL } } },
};

static void
test_apply(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(apply_rows); i++) {
		struct larch_msg *m;
		guint n = 0;

		g_test_message("apply: %s", apply_rows[i].name);
		m = test_quote_applied(apply_rows[i].body, NULL);
		g_assert_cmpstr(m->summary, ==, apply_rows[i].summary);
		while (n < G_N_ELEMENTS(apply_rows[i].quotes) &&
		    apply_rows[i].quotes[n].text != NULL)
			n++;
		g_assert_cmpuint(m->quotes->len, ==, n);
		for (guint k = 0; k < n; k++) {
			const struct larch_quote *q = m->quotes->pdata[k];

			g_assert_cmpstr(q->text, ==,
			    apply_rows[i].quotes[k].text);
			g_assert_cmpint(q->depth, ==,
			    apply_rows[i].quotes[k].depth);
			g_assert_cmpstr(q->attribution, ==,
			    apply_rows[i].quotes[k].attribution);
		}
		/* No attribution line is left in the author's words. */
		g_assert_null(strstr(m->new_text, " wrote:"));
		g_assert_null(strstr(m->new_text, "schrieb"));
		larch_msg_free(m);
	}
}

/* Summaries leave out salutations of many words and a closing first
 * name alone, as they leave out "Hi Markus," and "Thanks,\nAnna". */
static const struct {
	const char *body;
	const char *from_name;
	const char *summary;
} summary_rows[] = {
	{ "Dear Members of the MAG,\n\nThanks for the draft.\n", NULL,
	  "Thanks for the draft." },
	{ "Dear MAG members and observers,\n\nI agree.\n", NULL,
	  "I agree." },
	{ "Dear co-facilitators and MAG colleagues:\n\nI agree.\n", NULL,
	  "I agree." },
	{ "Dear Members of the MAG will meet on Friday in Geneva.\n", NULL,
	  "Dear Members of the MAG will meet on Friday in Geneva." },
	{ "Hello to everyone who joined the mailing list after the meeting "
	  "in Geneva,\nwelcome.\n", NULL, "Hello to everyone who joined the "
	  "mailing list after the meeting in Geneva, welcome." },
	{ "I support it.\n\nAnna\n", "Anna Schmidt", "I support it." },
	{ "I support it.\n\n-Anna\n", "Schmidt, Anna", "I support it." },
	{ "I support it.\n\nMarkus\n", "Anna Schmidt",
	  "I support it. Markus" },
	{ "Anna\n", "Anna Schmidt", "Anna" },
	/* The name in any case, full, right under the text, or after a
	 * sign-off on its line. */
	{ "Nor flash writes.\n\n                yousong\n", "Yousong Zhou",
	  "Nor flash writes." },
	{ "Did you work it out?\nAndrew Bartlett\n", "Andrew Bartlett",
	  "Did you work it out?" },
	/* Indented with no-break spaces, as HTML mail made text has it. */
	{ "Hi Bj\xc3\xb8rn\n\nthat would carry extra files.\n\n"
	  "\xc2\xa0\xc2\xa0\xc2\xa0 John\n", "John Crispin",
	  "that would carry extra files." },
	{ "It works.\n\n\xc2\xa0John\xc2\xa0\n", "John Crispin",
	  "It works." },
	{ "A fantastic effort!\n\nCheers, David\n", "David Mulder",
	  "A fantastic effort!" },
	{ "Ticket 2648?\n\nThanks  Manlio Perillo\n", "Manlio Perillo",
	  "Ticket 2648?" },
	{ "Looks good!\n\npeace & happiness,\nmartin\n", "Martin Schwenke",
	  "Looks good!" },
	/* Someone else's name, or a sentence, stays. */
	{ "I asked him.\n\nCheers, Markus\n", "David Mulder",
	  "I asked him. Cheers, Markus" },
	{ "Did you work it out?\nAndrew knows\n", "Andrew Bartlett",
	  "Did you work it out? Andrew knows" },
};

static void
test_summary(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(summary_rows); i++) {
		struct larch_msg *m;

		g_test_message("summary: %s", summary_rows[i].body);
		m = test_quote_applied(summary_rows[i].body,
		    summary_rows[i].from_name);
		g_assert_cmpstr(m->summary, ==, summary_rows[i].summary);
		larch_msg_free(m);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/quote-forms/split", test_split);
	g_test_add_func("/quote-forms/apply", test_apply);
	g_test_add_func("/quote-forms/summary", test_summary);
	return g_test_run();
}
