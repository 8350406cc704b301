/*
 * The quote splitter on replies as real mail clients write them, in the
 * languages of international policy lists: one row per client, language
 * and form (Gmail, Outlook desktop, web and mobile, Apple Mail and iOS,
 * Thunderbird, Android, Yahoo; English, French, Spanish, German,
 * Russian, Chinese, Arabic, Portuguese, Japanese, Korean, Italian,
 * Dutch), each a
 * whole reply: the author's text, the attribution or header block exactly
 * as the client writes it (today's form and the 2010s' one), the quoted
 * or unquoted original, maybe a signature and a list footer.  Then lines
 * that look like attributions and are not.
 */
#include <string.h>
#include <glib.h>

#include "larch/msg.h"
#include "larch/quote.h"
#include "test-quote-util.h"

/* The original message, quoted and as the quote's text. */
#define QUOTED "> The draft agenda for the June meeting is ready.\n" \
	"> Please send comments by Friday.\n"
#define ORIG "The draft agenda for the June meeting is ready.\n" \
	"Please send comments by Friday.\n"
#define QTEXT "The draft agenda for the June meeting is ready.\n" \
	"Please send comments by Friday."
#define REPLY "I support the proposal, with one change to item 3."
#define FOOTER "_______________________________________________\n" \
	"Igf-mag mailing list\nIgf-mag@intgovforum.org\n" \
	"http://intgovforum.org/mailman/listinfo/igf-mag_intgovforum.org\n"
#define FOOTER_TEXT "_______________________________________________\n" \
	"Igf-mag mailing list\nIgf-mag@intgovforum.org\n" \
	"http://intgovforum.org/mailman/listinfo/igf-mag_intgovforum.org"

struct l10n_row {
	const char *name;	/* client, language, form */
	const char *body;
	const char *kinds;	/* as test_quote_kind_codes() writes them */
	const char *new_text;
	const char *attribution;	/* the first quote's, lines joined by
					 * '\n'; NULL for none */
	const char *quote;	/* the first quote's text; NULL for no quote */
	const char *signature;	/* NULL for none */
	const char *footer;	/* NULL for none */
};

/* A top-posted reply over the quote, a blank line between attribution
 * and quote or not; a reply under it; a reply over an unquoted original
 * under a header block (Outlook). */
#define TOP(name, attr) { name, REPLY "\n\n" attr "\n" QUOTED, "N A Q1", \
	REPLY, attr, QTEXT, NULL, NULL }
#define TOPB(name, attr) { name, REPLY "\n\n" attr "\n\n" QUOTED, \
	"N A Q1", REPLY, attr, QTEXT, NULL, NULL }
#define UNDER(name, attr) { name, attr "\n" QUOTED "\n" REPLY "\n", \
	"A Q1 N", REPLY, attr, QTEXT, NULL, NULL }
#define BLOCK(name, hdr) { name, REPLY "\n\n" hdr "\n\n" ORIG, "N A W", \
	REPLY, hdr, QTEXT, NULL, NULL }
/* A phone's or a mobile client's line ending the reply: a signature. */
#define SIGLINE(name, line) { name, "OK.\n\n" line "\n", "N S", "OK.", \
	NULL, NULL, line, NULL }
/* The same when the attribution kept differs from the text (trailing
 * blanks dropped, a wrapped line's pieces). */
#define TOPX(name, attr, kept) { name, REPLY "\n\n" attr "\n\n" QUOTED, \
	"N A Q1", REPLY, kept, QTEXT, NULL, NULL }
#define BLOCKX(name, hdr, kept) { name, REPLY "\n\n" hdr "\n\n" ORIG, \
	"N A W", REPLY, kept, QTEXT, NULL, NULL }

static const struct l10n_row rows[] = {
	/* ---- Gmail, web and apps -------------------------------------- */
	TOPB("gmail en", "On Thu, May 26, 2016 at 7:05 PM Markus Kummer "
	    "<markus@example.org> wrote:"),
	TOPB("gmail en 2010s", "On Thu, May 26, 2016 at 7:05 PM, Markus "
	    "Kummer <markus@example.org> wrote:"),
	TOPB("gmail en-gb", "On Thu, 26 May 2016 at 19:05, Markus Kummer "
	    "<markus@example.org> wrote:"),
	TOPB("gmail en via list", "On Thu, May 26, 2016 at 7:05 PM Markus "
	    "Kummer via Igf-mag <igf-mag@intgovforum.org> wrote:"),
	TOPX("gmail en wrapped", "On Thu, May 26, 2016 at 7:05 PM Markus "
	    "Kummer via Igf-mag <\nigf-mag@intgovforum.org> wrote:",
	    "On Thu, May 26, 2016 at 7:05 PM Markus Kummer via Igf-mag <\n"
	    "igf-mag@intgovforum.org> wrote:"),
	TOPB("gmail android en", "On Thu, May 26, 2016, 19:05 Markus Kummer "
	    "<markus@example.org> wrote:"),
	TOPB("gmail fr", "Le jeu. 26 mai 2016 à 19:05, Markus Kummer "
	    "<markus@example.org> a écrit :"),
	TOPB("gmail fr no-break space", "Le jeu. 26 mai 2016 à 19:05, Markus "
	    "Kummer <markus@example.org> a écrit\u00a0:"),
	TOPB("gmail fr 2010s", "Le 26 mai 2016 à 19:05, Markus Kummer "
	    "<markus@example.org> a écrit :"),
	TOPX("gmail fr wrapped", "Le jeu. 26 mai 2016 à 19:05, Markus Kummer "
	    "via Igf-mag <igf-mag@intgovforum.org> a\nécrit :",
	    "Le jeu. 26 mai 2016 à 19:05, Markus Kummer via Igf-mag "
	    "<igf-mag@intgovforum.org> a\nécrit :"),
	TOPB("gmail es", "El jue., 26 may. 2016 a las 19:05, Markus Kummer "
	    "(<markus@example.org>) escribió:"),
	TOPB("gmail es 2010s", "El 26 de mayo de 2016, 19:05, Markus Kummer "
	    "<markus@example.org> escribió:"),
	TOPB("gmail android es", "El jue., 26 may. 2016 19:05, Markus Kummer "
	    "<markus@example.org> escribió:"),
	TOPB("gmail de", "Am Do., 26. Mai 2016 um 19:05 Uhr schrieb Markus "
	    "Kummer <markus@example.org>:"),
	TOPB("gmail de 2010s", "Am 26. Mai 2016 um 19:05 schrieb Markus "
	    "Kummer <markus@example.org>:"),
	TOPB("gmail android de", "Markus Kummer <markus@example.org> schrieb "
	    "am Do., 26. Mai 2016, 19:05:"),
	TOPB("gmail pt-br", "Em qui., 26 de mai. de 2016 às 19:05, Markus "
	    "Kummer <markus@example.org> escreveu:"),
	TOPB("gmail pt 2010s", "Em 26 de maio de 2016 19:05, Markus Kummer "
	    "<markus@example.org> escreveu:"),
	TOPB("gmail pt-pt", "Markus Kummer <markus@example.org> escreveu no "
	    "dia quinta, 26/05/2016 à(s) 19:05:"),
	TOPB("gmail ru", "чт, 26 мая 2016 г. в 19:05, Markus Kummer "
	    "<markus@example.org>:"),
	TOPB("gmail ru 2010s", "26 мая 2016 г., 19:05 пользователь Markus "
	    "Kummer <markus@example.org> написал:"),
	TOPB("gmail zh-cn", "Markus Kummer <markus@example.org> "
	    "于2016年5月26日周四 下午7:05写道："),
	TOPB("gmail zh-tw", "Markus Kummer <markus@example.org> 於 "
	    "2016年5月26日 週四 下午7:05寫道："),
	TOPB("gmail zh 2010s", "2016-05-26 19:05 GMT+02:00 Markus Kummer "
	    "<markus@example.org>:"),
	TOPB("gmail ja", "2016年5月26日(木) 19:05 Markus Kummer "
	    "<markus@example.org>:"),
	TOPB("gmail ja 2010s", "2016年5月26日 19:05 Markus Kummer "
	    "<markus@example.org>:"),
	TOPB("gmail ko", "2016년 5월 26일 (목) 오후 7:05, Markus Kummer "
	    "<markus@example.org>님이 작성:"),
	TOPB("gmail ar", "في الخميس، 26 مايو 2016 في 7:05 م تمت كتابة ما يلي "
	    "بواسطة Markus Kummer <markus@example.org>:"),
	/* Gmail puts bidi marks around the name and address. */
	TOPB("gmail ar bidi marks", "\u202bفي الخميس، 26 مايو 2016 في 7:05 م "
	    "تمت كتابة ما يلي بواسطة \u202aMarkus Kummer\u202c\u200f "
	    "<\u202amarkus@example.org\u202c\u200f>:\u202c"),
	TOPB("gmail ar 2010s", "في 26 مايو، 2016 7:05 م، كتب Markus Kummer "
	    "<markus@example.org>:"),
	TOPB("gmail it", "Il giorno gio 26 mag 2016 alle ore 19:05 Markus "
	    "Kummer <markus@example.org> ha scritto:"),
	TOPB("gmail it 2010s", "Il 26 maggio 2016 19:05, Markus Kummer "
	    "<markus@example.org> ha scritto:"),
	TOPB("gmail nl", "Op do 26 mei 2016 om 19:05 schreef Markus Kummer "
	    "<markus@example.org>:"),
	TOPB("gmail nl 2010s", "Op 26 mei 2016 19:05 schreef Markus Kummer "
	    "<markus@example.org>:"),
	UNDER("gmail en, answer under the quote", "On Thu, May 26, 2016 at "
	    "7:05 PM Markus Kummer <markus@example.org> wrote:"),

	/* ---- Outlook desktop: the header block over the original ------ */
	BLOCK("outlook en 2010s", "-----Original Message-----\nFrom: Igf-mag "
	    "[mailto:igf-mag-bounces@intgovforum.org] On Behalf Of Markus "
	    "Kummer\nSent: Thursday, May 26, 2016 7:05 PM\nTo: "
	    "igf-mag@intgovforum.org\nSubject: Re: [IGF-MAG] Draft agenda"),
	BLOCK("outlook en", "From: Markus Kummer <markus@example.org>\nSent: "
	    "Thursday, May 26, 2016 7:05 PM\nTo: igf-mag@intgovforum.org\n"
	    "Cc: Anna Berg <anna@example.org>\nSubject: RE: [IGF-MAG] Draft "
	    "agenda"),
	BLOCK("outlook en exchange name", "From: Kummer, Markus\nSent: "
	    "Thursday, May 26, 2016 7:05 PM\nTo: 'igf-mag@intgovforum.org'\n"
	    "Subject: RE: [IGF-MAG] Draft agenda"),
	BLOCKX("outlook fr", "De : Markus Kummer [mailto:markus@example.org] "
	    "\nEnvoyé : jeudi 26 mai 2016 19:05\nÀ : igf-mag@intgovforum.org\n"
	    "Cc : Anna Berg\nObjet : RE: [IGF-MAG] Projet d'ordre du jour",
	    "De : Markus Kummer [mailto:markus@example.org]\nEnvoyé : jeudi "
	    "26 mai 2016 19:05\nÀ : igf-mag@intgovforum.org\nCc : Anna Berg\n"
	    "Objet : RE: [IGF-MAG] Projet d'ordre du jour"),
	BLOCK("outlook fr no-break spaces", "De\u00a0: Markus Kummer "
	    "<markus@example.org>\nEnvoyé\u00a0: jeudi 26 mai 2016 19:05\n"
	    "À\u00a0: igf-mag@intgovforum.org\nObjet\u00a0: RE: [IGF-MAG] "
	    "Projet d'ordre du jour"),
	BLOCK("outlook de", "Von: Markus Kummer [mailto:markus@example.org]\n"
	    "Gesendet: Donnerstag, 26. Mai 2016 19:05\nAn: "
	    "igf-mag@intgovforum.org\nCc: Anna Berg\nBetreff: AW: [IGF-MAG] "
	    "Tagesordnung"),
	BLOCK("outlook es", "De: Markus Kummer [mailto:markus@example.org]\n"
	    "Enviado el: jueves, 26 de mayo de 2016 19:05\nPara: "
	    "igf-mag@intgovforum.org\nCC: Anna Berg\nAsunto: RE: [IGF-MAG] "
	    "Orden del día"),
	BLOCK("outlook es web", "De: Markus Kummer <markus@example.org>\n"
	    "Enviado: jueves, 26 de mayo de 2016 19:05\nPara: "
	    "igf-mag@intgovforum.org\nAsunto: RE: [IGF-MAG] Orden del día"),
	BLOCK("outlook ru", "От: Markus Kummer [mailto:markus@example.org]\n"
	    "Отправлено: 26 мая 2016 г. 19:05\nКому: igf-mag@intgovforum.org\n"
	    "Копия: Anna Berg\nТема: RE: [IGF-MAG] Повестка дня"),
	BLOCK("outlook zh", "发件人: Markus Kummer "
	    "[mailto:markus@example.org]\n发送时间: 2016年5月26日 19:05\n"
	    "收件人: igf-mag@intgovforum.org\n抄送: Anna Berg\n"
	    "主题: 答复: [IGF-MAG] 议程草案"),
	BLOCK("outlook zh fullwidth colons", "发件人：Markus Kummer "
	    "<markus@example.org>\n发送时间：2016年5月26日 19:05\n"
	    "收件人：igf-mag@intgovforum.org\n主题：回复：议程草案"),
	BLOCK("outlook zh-tw", "寄件者: Markus Kummer <markus@example.org>\n"
	    "寄件日期: 2016年5月26日 下午 07:05\n收件者: "
	    "igf-mag@intgovforum.org\n主旨: 回覆: [IGF-MAG] 議程草案"),
	BLOCK("foxmail zh", "------------------ 原始邮件 ------------------\n"
	    "发件人: \"Markus Kummer\"<markus@example.org>;\n发送时间: "
	    "2016年5月26日(星期四) 晚上7:05\n收件人: "
	    "\"igf-mag\"<igf-mag@intgovforum.org>;\n主题: Re: [IGF-MAG] "
	    "议程草案"),
	BLOCK("outlook it", "Da: Markus Kummer [mailto:markus@example.org]\n"
	    "Inviato: giovedì 26 maggio 2016 19:05\nA: "
	    "igf-mag@intgovforum.org\nCc: Anna Berg\nOggetto: R: [IGF-MAG] "
	    "Ordine del giorno"),
	BLOCK("outlook nl", "Van: Markus Kummer [mailto:markus@example.org]\n"
	    "Verzonden: donderdag 26 mei 2016 19:05\nAan: "
	    "igf-mag@intgovforum.org\nCC: Anna Berg\nOnderwerp: RE: [IGF-MAG] "
	    "Agenda"),
	BLOCK("outlook pt-br", "De: Markus Kummer [mailto:markus@example.org]"
	    "\nEnviada em: quinta-feira, 26 de maio de 2016 19:05\nPara: "
	    "igf-mag@intgovforum.org\nCc: Anna Berg\nAssunto: RES: [IGF-MAG] "
	    "Pauta"),
	BLOCK("outlook pt-pt", "De: Markus Kummer <markus@example.org>\n"
	    "Enviado: 26 de maio de 2016 19:05\nPara: igf-mag@intgovforum.org"
	    "\nAssunto: RE: [IGF-MAG] Agenda"),
	BLOCK("outlook ar", "من: Markus Kummer [mailto:markus@example.org]\n"
	    "تاريخ الإرسال: الخميس، 26 مايو، 2016 07:05 م\nإلى: "
	    "igf-mag@intgovforum.org\nنسخة: Anna Berg\nالموضوع: رد: "
	    "[IGF-MAG] جدول الأعمال"),
	BLOCK("outlook ar 2010s", "من: Markus Kummer "
	    "[mailto:markus@example.org]\nأرسل: الخميس، 26 مايو، 2016 07:05 م"
	    "\nإلى: igf-mag@intgovforum.org\nالموضوع: رد: [IGF-MAG] جدول "
	    "الأعمال"),
	BLOCK("outlook ja", "差出人: Markus Kummer [mailto:markus@example.org]"
	    "\n送信日時: 2016年5月26日 19:05\n宛先: igf-mag@intgovforum.org\n"
	    "CC: Anna Berg\n件名: RE: [IGF-MAG] 議題"),
	BLOCK("outlook ko", "보낸 사람: Markus Kummer <markus@example.org>\n"
	    "보낸 날짜: 2016년 5월 26일 목요일 오후 7:05\n받는 사람: "
	    "igf-mag@intgovforum.org\n참조: Anna Berg\n제목: RE: [IGF-MAG] "
	    "의제"),
	BLOCK("outlook mac en", "From: Markus Kummer <markus@example.org>\n"
	    "Date: Thursday, 26 May 2016 at 19:05\nTo: "
	    "\"igf-mag@intgovforum.org\" <igf-mag@intgovforum.org>\nSubject: "
	    "Re: [IGF-MAG] Draft agenda"),
	BLOCK("outlook mac fr", "De : Markus Kummer <markus@example.org>\n"
	    "Date : jeudi 26 mai 2016 à 19:05\nÀ : igf-mag@intgovforum.org\n"
	    "Objet : Re: [IGF-MAG] Projet d'ordre du jour"),
	BLOCK("outlook web en", "________________________________\nFrom: "
	    "Igf-mag <igf-mag-bounces@intgovforum.org> on behalf of Markus "
	    "Kummer <markus@example.org>\nSent: Thursday, May 26, 2016 7:05 PM"
	    "\nTo: igf-mag@intgovforum.org\nSubject: Re: [IGF-MAG] Draft "
	    "agenda"),
	BLOCK("outlook web de", "________________________________\nVon: "
	    "Markus Kummer <markus@example.org>\nGesendet: Donnerstag, 26. Mai "
	    "2016 19:05\nAn: igf-mag@intgovforum.org\nBetreff: Re: [IGF-MAG] "
	    "Tagesordnung"),
	BLOCK("gmail quoting outlook html", "*From:* Markus Kummer "
	    "<markus@example.org>\n*Sent:* Thursday, May 26, 2016 7:05 PM\n"
	    "*To:* igf-mag@intgovforum.org\n*Subject:* Re: [IGF-MAG] Draft "
	    "agenda"),
	BLOCK("outlook wrapped on behalf of", "From: Igf-mag "
	    "[mailto:igf-mag-bounces@intgovforum.org] On\nBehalf Of Markus "
	    "Kummer\nSent: Thursday, May 26, 2016 7:05 PM\nTo: "
	    "igf-mag@intgovforum.org\nSubject: Re: [IGF-MAG] Draft agenda"),
	{ "outlook fr html spacing", "Oui.\n\nDe : Markus Kummer "
	  "<markus@example.org>\n\nEnvoyé : jeudi 26 mai 2016 19:05\n\nÀ : "
	  "igf-mag@intgovforum.org\n\nObjet : Re: ordre du jour\n\n" ORIG,
	  "N A W", "Oui.", "De : Markus Kummer <markus@example.org>\n"
	  "Envoyé : jeudi 26 mai 2016 19:05\nÀ : igf-mag@intgovforum.org\n"
	  "Objet : Re: ordre du jour", QTEXT, NULL, NULL },
	{ "outlook, no blank line under the block", REPLY "\n\nFrom: Markus "
	  "Kummer <markus@example.org>\nSent: Thursday, May 26, 2016 7:05 PM"
	  "\nTo: igf-mag@intgovforum.org\nSubject: Draft agenda\n" ORIG,
	  "N A W", REPLY, "From: Markus Kummer <markus@example.org>\nSent: "
	  "Thursday, May 26, 2016 7:05 PM\nTo: igf-mag@intgovforum.org\n"
	  "Subject: Draft agenda", QTEXT, NULL, NULL },
	{ "outlook with signature and footer", REPLY "\n\nBest regards,\n"
	  "Anna\n\n-- \nAnna Berg\nExample Foundation\n\nFrom: Markus Kummer "
	  "<markus@example.org>\nSent: Thursday, May 26, 2016 7:05 PM\nTo: "
	  "igf-mag@intgovforum.org\nSubject: Draft agenda\n\n" ORIG "\n"
	  FOOTER, "N S A W F", REPLY "\n\nBest regards,\nAnna",
	  "From: Markus Kummer <markus@example.org>\nSent: Thursday, May 26, "
	  "2016 7:05 PM\nTo: igf-mag@intgovforum.org\nSubject: Draft agenda",
	  QTEXT, "-- \nAnna Berg\nExample Foundation", FOOTER_TEXT },
	/* Inside a quote: the block is the deeper original's attribution. */
	{ "quoted outlook pt-br", "Concordo.\n\n> De: Markus Kummer "
	  "[mailto:markus@example.org]\n> Enviada em: quinta-feira, 26 de "
	  "maio de 2016 19:05\n> Para: igf-mag@intgovforum.org\n> Assunto: "
	  "Pauta\n>\n" QUOTED, "N A Q1", "Concordo.", "De: Markus Kummer "
	  "[mailto:markus@example.org]\nEnviada em: quinta-feira, 26 de maio "
	  "de 2016 19:05\nPara: igf-mag@intgovforum.org\nAssunto: Pauta",
	  QTEXT, NULL, NULL },
	{ "quoted outlook fr no-break spaces", "D'accord.\n\n> De\u00a0: "
	  "Markus Kummer <markus@example.org>\n> Envoyé\u00a0: jeudi 26 mai "
	  "2016 19:05\n> À\u00a0: igf-mag@intgovforum.org\n> Objet\u00a0: "
	  "ordre du jour\n>\n" QUOTED, "N A Q1", "D'accord.",
	  "De\u00a0: Markus Kummer <markus@example.org>\nEnvoyé\u00a0: jeudi "
	  "26 mai 2016 19:05\nÀ\u00a0: igf-mag@intgovforum.org\n"
	  "Objet\u00a0: ordre du jour", QTEXT, NULL, NULL },
	{ "quoted outlook wrapped, no separator", "Agreed.\n\n> From: Igf-mag "
	  "[mailto:igf-mag-bounces@intgovforum.org] On\n> Behalf Of Markus "
	  "Kummer\n> Sent: Thursday, May 26, 2016 7:05 PM\n> To: "
	  "igf-mag@intgovforum.org\n> Subject: Draft agenda\n>\n" QUOTED,
	  "N A Q1", "Agreed.", "From: Igf-mag "
	  "[mailto:igf-mag-bounces@intgovforum.org] On\nBehalf Of Markus "
	  "Kummer\nSent: Thursday, May 26, 2016 7:05 PM\nTo: "
	  "igf-mag@intgovforum.org\nSubject: Draft agenda", QTEXT, NULL,
	  NULL },
	/* Hotmail and Outlook.com before 2015 quoted the headers, the date
	 * first. */
	{ "hotmail 2010s", "Agreed.\n\n> Date: Thu, 26 May 2016 19:05:00 +0200"
	  "\n> From: markus@example.org\n> To: igf-mag@intgovforum.org\n> "
	  "Subject: Draft agenda\n> \n" QUOTED, "N A Q1", "Agreed.",
	  "Date: Thu, 26 May 2016 19:05:00 +0200\nFrom: markus@example.org\n"
	  "To: igf-mag@intgovforum.org\nSubject: Draft agenda", QTEXT, NULL,
	  NULL },

	/* Outlook Express wrapped a long subject; a digest's headers are
	 * folded and pipermail writes addresses "user at host". */
	{ "outlook express, subject wrapped", REPLY "\n\n----- Original "
	  "Message ----- \nFrom: \"Markus Kummer\" <markus@example.org>\n"
	  "To: <igf-mag@intgovforum.org>\nSent: Thursday, May 26, 2016 7:05 "
	  "PM\nSubject: Re: [IGF-MAG] Draft agenda for the\nJune meeting\n\n"
	  ORIG, "N A W", REPLY, "----- Original Message -----\nFrom: "
	  "\"Markus Kummer\" <markus@example.org>\nTo: "
	  "<igf-mag@intgovforum.org>\nSent: Thursday, May 26, 2016 7:05 PM\n"
	  "Subject: Re: [IGF-MAG] Draft agenda for the\nJune meeting", QTEXT,
	  NULL, NULL },
	{ "pipermail digest headers", "Thanks.\n\nMessage: 2\nDate: Thu, 26 "
	  "May 2016 19:05:00 +0200\nFrom: Markus Kummer <markus at "
	  "example.org>\nSubject: Re: [IGF-MAG] Draft agenda\nTo: Igf-mag\n"
	  "\t<igf-mag at intgovforum.org>\nContent-Type: text/plain\n\n" ORIG,
	  "N A W", "Thanks.\n\nMessage: 2", "Date: Thu, 26 May 2016 19:05:00 "
	  "+0200\nFrom: Markus Kummer <markus at example.org>\nSubject: Re: "
	  "[IGF-MAG] Draft agenda\nTo: Igf-mag\n<igf-mag at intgovforum.org>"
	  "\nContent-Type: text/plain", QTEXT, NULL, NULL },

	/* ---- Apple Mail, macOS and iOS ---------------------------------- */
	TOPB("apple en", "On 26 May 2016, at 19:05, Markus Kummer "
	    "<markus@example.org> wrote:"),
	TOPB("apple en-us", "On May 26, 2016, at 7:05 PM, Markus Kummer "
	    "<markus@example.org> wrote:"),
	TOPB("apple fr", "Le 26 mai 2016 à 19:05, Markus Kummer "
	    "<markus@example.org> a écrit :"),
	TOPB("apple de", "Am 26.05.2016 um 19:05 schrieb Markus Kummer "
	    "<markus@example.org>:"),
	TOPB("apple es", "El 26 may 2016, a las 19:05, Markus Kummer "
	    "<markus@example.org> escribió:"),
	TOPB("apple it", "Il giorno 26 mag 2016, alle ore 19:05, Markus Kummer "
	    "<markus@example.org> ha scritto:"),
	TOPB("apple nl", "Op 26 mei 2016 om 19:05 heeft Markus Kummer "
	    "<markus@example.org> het volgende geschreven:"),
	TOPB("apple pt-br", "Em 26 de mai de 2016, às 19:05, Markus Kummer "
	    "<markus@example.org> escreveu:"),
	TOPB("apple ru", "26 мая 2016 г., в 19:05, Markus Kummer "
	    "<markus@example.org> написал(а):"),
	TOPB("apple zh", "在 2016年5月26日，19:05，Markus Kummer "
	    "<markus@example.org> 写道："),
	TOPB("apple ja", "2016/05/26 19:05、Markus Kummer "
	    "<markus@example.org>のメール："),
	TOPB("apple ko", "2016. 5. 26. 오후 7:05, Markus Kummer "
	    "<markus@example.org> 작성:"),
	TOPB("apple ar arabic-indic digits", "في ٢٦‏/٠٥‏/٢٠١٦، الساعة ٧:٠٥ م، "
	    "كتب Markus Kummer <markus@example.org>:"),
	{ "iphone en", REPLY "\n\nSent from my iPhone\n\nOn May 26, 2016, at "
	  "7:05 PM, Markus Kummer <markus@example.org> wrote:\n\n" QUOTED,
	  "N S A Q1", REPLY, "On May 26, 2016, at 7:05 PM, Markus Kummer "
	  "<markus@example.org> wrote:", QTEXT, "Sent from my iPhone", NULL },
	{ "iphone fr", "D'accord.\n\nEnvoyé de mon iPhone\n\nLe 26 mai 2016 à "
	  "19:05, Markus Kummer <markus@example.org> a écrit :\n\n" QUOTED,
	  "N S A Q1", "D'accord.", "Le 26 mai 2016 à 19:05, Markus Kummer "
	  "<markus@example.org> a écrit :", QTEXT, "Envoyé de mon iPhone",
	  NULL },
	{ "iphone de", "Einverstanden.\n\nVon meinem iPhone gesendet\n\nAm "
	  "26.05.2016 um 19:05 schrieb Markus Kummer <markus@example.org>:\n"
	  "\n" QUOTED, "N S A Q1", "Einverstanden.", "Am 26.05.2016 um 19:05 "
	  "schrieb Markus Kummer <markus@example.org>:", QTEXT,
	  "Von meinem iPhone gesendet", NULL },
	{ "iphone it", "D'accordo.\n\nInviato da iPhone\n\nIl giorno 26 mag "
	  "2016, alle ore 19:05, Markus Kummer <markus@example.org> ha "
	  "scritto:\n\n" QUOTED, "N S A Q1", "D'accordo.", "Il giorno 26 mag "
	  "2016, alle ore 19:05, Markus Kummer <markus@example.org> ha "
	  "scritto:", QTEXT, "Inviato da iPhone", NULL },
	{ "iphone nl", "Akkoord.\n\nVerstuurd vanaf mijn iPhone\n\nOp 26 mei "
	  "2016 om 19:05 heeft Markus Kummer <markus@example.org> het volgende "
	  "geschreven:\n\n" QUOTED, "N S A Q1", "Akkoord.", "Op 26 mei 2016 "
	  "om 19:05 heeft Markus Kummer <markus@example.org> het volgende "
	  "geschreven:", QTEXT, "Verstuurd vanaf mijn iPhone", NULL },
	{ "iphone ja", "賛成です。\n\niPhoneから送信\n\n2016/05/26 19:05、"
	  "Markus Kummer <markus@example.org>のメール：\n\n" QUOTED,
	  "N S A Q1", "賛成です。", "2016/05/26 19:05、Markus Kummer "
	  "<markus@example.org>のメール：", QTEXT, "iPhoneから送信", NULL },
	{ "iphone es", "De acuerdo.\n\nEnviado desde mi iPhone\n\nEl 26 may "
	  "2016, a las 19:05, Markus Kummer <markus@example.org> escribió:\n"
	  "\n" QUOTED, "N S A Q1", "De acuerdo.", "El 26 may 2016, a las "
	  "19:05, Markus Kummer <markus@example.org> escribió:", QTEXT,
	  "Enviado desde mi iPhone", NULL },
	{ "outlook ios fr", "D'accord.\n\nObtenir Outlook pour iOS\n\n"
	  "________________________________\nDe : Markus Kummer "
	  "<markus@example.org>\nEnvoyé : jeudi, mai 26, 2016 19:05\nÀ : "
	  "igf-mag@intgovforum.org\nObjet : ordre du jour\n\n" ORIG,
	  "N S A W", "D'accord.", "________________________________\nDe : "
	  "Markus Kummer <markus@example.org>\nEnvoyé : jeudi, mai 26, 2016 "
	  "19:05\nÀ : igf-mag@intgovforum.org\nObjet : ordre du jour", QTEXT,
	  "Obtenir Outlook pour iOS", NULL },

	SIGLINE("outlook ios en", "Get Outlook for iOS"),
	SIGLINE("outlook ios de", "Outlook für iOS beziehen"),
	SIGLINE("outlook android es", "Obtener Outlook para Android"),
	SIGLINE("outlook ios pt", "Obter o Outlook para iOS"),
	SIGLINE("outlook ios it", "Scarica Outlook per iOS"),
	SIGLINE("outlook android nl", "Outlook voor Android downloaden"),
	SIGLINE("iphone pt", "Enviado do meu iPhone"),
	SIGLINE("iphone ru", "Отправлено с iPhone"),
	SIGLINE("iphone zh", "发自我的iPhone"),
	SIGLINE("ipad nl", "Verzonden vanaf mijn iPad"),
	SIGLINE("iphone ca", "Enviat des del meu iPhone"),
	SIGLINE("iphone sv", "Skickat från min iPhone"),
	SIGLINE("iphone da", "Sendt fra min iPhone"),
	SIGLINE("iphone fi", "Lähetetty iPhonesta"),
	SIGLINE("iphone pl", "Wysłane z iPhone'a"),
	SIGLINE("samsung pl", "Wysłane z mojego Samsung Galaxy"),
	SIGLINE("iphone cs", "Odesláno z iPhonu"),
	{ "not: a sentence about what was sent, in finnish", "OK.\n\n"
	  "Lähetetty paketti saapui eilen.\n", "N",
	  "OK.\n\nLähetetty paketti saapui eilen.", NULL, NULL, NULL, NULL },
	{ "not: a sentence about what was sent, in polish", "OK.\n\n"
	  "Wysłane z biura w poniedziałek.\n", "N",
	  "OK.\n\nWysłane z biura w poniedziałek.", NULL, NULL, NULL, NULL },
	{ "not: sent by someone, in italian", "OK.\n\nInviato da Anna il 3 "
	  "maggio.\n", "N", "OK.\n\nInviato da Anna il 3 maggio.", NULL,
	  NULL, NULL, NULL },

	/* ---- Thunderbird ------------------------------------------------- */
	UNDER("thunderbird en", "On 26/05/2016 19:05, Markus Kummer wrote:"),
	UNDER("thunderbird en-us", "On 5/26/16 7:05 PM, Markus Kummer wrote:"),
	UNDER("thunderbird en 2020s", "On 26.05.16 19:05, Markus Kummer "
	    "wrote:"),
	UNDER("thunderbird fr", "Le 26/05/2016 à 19:05, Markus Kummer a "
	    "écrit :"),
	UNDER("thunderbird de", "Am 26.05.2016 um 19:05 schrieb Markus "
	    "Kummer:"),
	UNDER("thunderbird es", "El 26/05/16 a las 19:05, Markus Kummer "
	    "escribió:"),
	UNDER("thunderbird it", "Il 26/05/2016 19:05, Markus Kummer ha "
	    "scritto:"),
	UNDER("thunderbird nl", "Op 26-05-16 om 19:05 schreef Markus "
	    "Kummer:"),
	UNDER("thunderbird pt", "Em 26/05/2016 19:05, Markus Kummer "
	    "escreveu:"),
	UNDER("thunderbird ru", "26.05.2016 19:05, Markus Kummer пишет:"),
	UNDER("thunderbird zh", "在 2016/5/26 19:05, Markus Kummer 写道:"),
	UNDER("thunderbird ja", "2016/05/26 19:05 に Markus Kummer "
	    "さんは書きました:"),
	UNDER("thunderbird ko", "2016-05-26 오후 7:05에 Markus Kummer "
	    "이(가) 쓴 글:"),
	UNDER("thunderbird cs", "Dne 26. 05. 16 v 19:05 Markus Kummer "
	    "napsal(a):"),
	UNDER("thunderbird sk", "Dňa 26. 5. 2016 o 19:05 Markus Kummer "
	    "napísal(a):"),
	TOP("thunderbird en, top-posted", "On 26/05/2016 19:05, Markus Kummer "
	    "wrote:"),

	/* ---- Android mail apps: Samsung and others ----------------------- */
	BLOCKX("samsung en", "-------- Original message --------\nFrom: "
	    "Markus Kummer <markus@example.org> \nDate: 26/05/2016 19:05 "
	    "(GMT+01:00) \nTo: igf-mag@intgovforum.org \nSubject: Re: "
	    "[IGF-MAG] Draft agenda ", "-------- Original message --------\n"
	    "From: Markus Kummer <markus@example.org>\nDate: 26/05/2016 19:05 "
	    "(GMT+01:00)\nTo: igf-mag@intgovforum.org\nSubject: Re: [IGF-MAG] "
	    "Draft agenda"),
	BLOCK("samsung fr", "-------- Message d'origine --------\nDe : Markus "
	    "Kummer <markus@example.org>\nDate : 26/05/2016 19:05 (GMT+01:00)\n"
	    "À : igf-mag@intgovforum.org\nObjet : Re: ordre du jour"),
	BLOCK("samsung de", "-------- Ursprüngliche Nachricht --------\nVon: "
	    "Markus Kummer <markus@example.org>\nDatum: 26.05.16 19:05 "
	    "(GMT+01:00)\nAn: igf-mag@intgovforum.org\nBetreff: Re: "
	    "Tagesordnung"),
	BLOCK("samsung es", "-------- Mensaje original --------\nDe: Markus "
	    "Kummer <markus@example.org>\nFecha: 26/5/16 19:05 (GMT+01:00)\n"
	    "Para: igf-mag@intgovforum.org\nAsunto: Re: orden del día"),
	BLOCK("samsung pt", "-------- Mensagem original --------\nDe: Markus "
	    "Kummer <markus@example.org>\nData: 26/05/2016 19:05 (GMT-03:00)\n"
	    "Para: igf-mag@intgovforum.org\nAssunto: Re: pauta"),
	BLOCK("samsung ru", "-------- Исходное сообщение --------\nОт: Markus "
	    "Kummer <markus@example.org>\nДата: 26.05.2016 19:05 (GMT+03:00)\n"
	    "Кому: igf-mag@intgovforum.org\nТема: Re: повестка"),
	BLOCK("samsung it", "-------- Messaggio originale --------\nDa: Markus "
	    "Kummer <markus@example.org>\nData: 26/05/16 19:05 (GMT+01:00)\n"
	    "A: igf-mag@intgovforum.org\nOggetto: Re: ordine del giorno"),
	BLOCK("samsung nl", "-------- Oorspronkelijk bericht --------\nVan: "
	    "Markus Kummer <markus@example.org>\nDatum: 26-05-2016 19:05 "
	    "(GMT+01:00)\nAan: igf-mag@intgovforum.org\nOnderwerp: Re: "
	    "agenda"),
	BLOCK("samsung zh", "-------- 原始邮件 --------\n发件人： Markus "
	    "Kummer <markus@example.org>\n日期： 2016年5月26日周四 19:05\n"
	    "收件人： igf-mag@intgovforum.org\n主题： Re: 议程草案"),
	BLOCK("samsung ar", "-------- الرسالة الأصلية --------\nمن: Markus "
	    "Kummer <markus@example.org>\nالتاريخ: 26/05/2016 19:05 "
	    "(GMT+03:00)\nإلى: igf-mag@intgovforum.org\nالموضوع: Re: جدول "
	    "الأعمال"),
	BLOCK("samsung ja", "-------- 元のメッセージ --------\n差出人： Markus "
	    "Kummer <markus@example.org>\n日付： 2016/05/26 19:05 "
	    "(GMT+09:00)\n宛先： igf-mag@intgovforum.org\n件名： Re: 議題"),

	/* ---- Yahoo ----------------------------------------------------- */
	TOPB("yahoo en", "On Thursday, May 26, 2016, 7:05 PM, Markus Kummer "
	    "<markus@example.org> wrote:"),
	TOPB("yahoo en 2010s", "On Thursday, May 26, 2016 7:05 PM, Markus "
	    "Kummer <markus@example.org> wrote:"),
	TOPB("yahoo classic", "--- On Thu, 5/26/16, Markus Kummer "
	    "<markus@example.org> wrote:"),
	TOPB("yahoo fr", "Le jeudi 26 mai 2016 à 19:05, Markus Kummer "
	    "<markus@example.org> a écrit :"),
	TOPB("yahoo es", "El jueves, 26 de mayo de 2016 19:05, Markus Kummer "
	    "<markus@example.org> escribió:"),
	TOPB("yahoo de", "Markus Kummer <markus@example.org> schrieb am 19:05 "
	    "Donnerstag, 26.Mai 2016:"),
	/* Yahoo and phones put the original under the reply, unquoted. */
	{ "yahoo fr, unquoted original", "Merci.\n\nLe jeudi 26 mai 2016 à "
	  "19:05, Markus Kummer <markus@example.org> a écrit :\n\n" ORIG,
	  "N A W", "Merci.", "Le jeudi 26 mai 2016 à 19:05, Markus Kummer "
	  "<markus@example.org> a écrit :", QTEXT, NULL, NULL },
	{ "gmail android es, unquoted original", "Gracias.\n\nEl jue., 26 "
	  "may. 2016 19:05, Markus Kummer <markus@example.org> escribió:\n\n"
	  ORIG, "N A W", "Gracias.", "El jue., 26 may. 2016 19:05, Markus "
	  "Kummer <markus@example.org> escribió:", QTEXT, NULL, NULL },
	{ "gmail ru, unquoted original", "Спасибо.\n\nчт, 26 мая 2016 г. в "
	  "19:05, Markus Kummer <markus@example.org>:\n\n" ORIG, "N A W",
	  "Спасибо.", "чт, 26 мая 2016 г. в 19:05, Markus Kummer "
	  "<markus@example.org>:", QTEXT, NULL, NULL },

	/* ---- with a signature and a list footer ------------------------- */
	{ "gmail en, signature and footer", REPLY "\n\nBest,\nAnna\n\n-- \n"
	  "Anna Berg\nExample Foundation\n\nOn Thu, May 26, 2016 at 7:05 PM "
	  "Markus Kummer <markus@example.org> wrote:\n\n" QUOTED FOOTER,
	  "N S A Q1 F", REPLY "\n\nBest,\nAnna", "On Thu, May 26, 2016 at "
	  "7:05 PM Markus Kummer <markus@example.org> wrote:", QTEXT,
	  "-- \nAnna Berg\nExample Foundation", FOOTER_TEXT },
	{ "thunderbird de, answer, signature, footer", "Am 26.05.2016 um "
	  "19:05 schrieb Markus Kummer:\n" QUOTED "\nEinverstanden.\n\n-- \n"
	  "Anna Berg\n" FOOTER, "A Q1 N S F", "Einverstanden.",
	  "Am 26.05.2016 um 19:05 schrieb Markus Kummer:", QTEXT,
	  "-- \nAnna Berg", FOOTER_TEXT },

	/* ---- lines that are not attributions ----------------------------- */
	{ "not: a sentence announcing a list", "We need three things for "
	  "the meeting:\n\n1. a room\n2. a projector\n3. coffee\n", "N",
	  "We need three things for the meeting:\n\n1. a room\n2. a "
	  "projector\n3. coffee", NULL, NULL, NULL, NULL },
	{ "not: from a point of view", "From: the committee's point of view:"
	  "\nthe budget is too small.\n", "N", "From: the committee's point "
	  "of view:\nthe budget is too small.", NULL, NULL, NULL, NULL },
	{ "not: a dated sentence announcing a list", "At the call on "
	  "26/05/2016 at 19:05 UTC we agreed on:\n\n- the agenda\n- the "
	  "speakers\n", "N", "At the call on 26/05/2016 at 19:05 UTC we "
	  "agreed on:\n\n- the agenda\n- the speakers", NULL, NULL, NULL,
	  NULL },
	{ "not: a meeting agenda", "Agenda of the call:\nDate: 26 May\n"
	  "Time: 19:05 UTC\nTo: all MAG members\nSubject: the draft "
	  "programme\n\nSee you there.\n", "N", "Agenda of the call:\nDate: "
	  "26 May\nTime: 19:05 UTC\nTo: all MAG members\nSubject: the draft "
	  "programme\n\nSee you there.", NULL, NULL, NULL, NULL },
	{ "not: a how-to", "To write to the list, fill in:\nFrom: your "
	  "subscribed address\nTo: the list's address\nSubject: [MAG] and "
	  "your topic\n\nThen press send.\n", "N", "To write to the list, "
	  "fill in:\nFrom: your subscribed address\nTo: the list's address\n"
	  "Subject: [MAG] and your topic\n\nThen press send.", NULL, NULL,
	  NULL, NULL },
	{ "not: a session's times", "The session:\nFrom: 10:00 UTC\nTo: "
	  "12:00 UTC\nSubject: access\n\nPlease join.\n", "N",
	  "The session:\nFrom: 10:00 UTC\nTo: 12:00 UTC\nSubject: access\n\n"
	  "Please join.", NULL, NULL, NULL, NULL },
	{ "not: prose in french", "Comme Markus l'a écrit :\n\nnous sommes "
	  "d'accord.\n", "N", "Comme Markus l'a écrit :\n\nnous sommes "
	  "d'accord.", NULL, NULL, NULL, NULL },
	{ "not: prose with a date that wrote", "On 26 May the secretariat "
	  "wrote:\n\nthe venue is confirmed.\n", "N", "On 26 May the "
	  "secretariat wrote:\n\nthe venue is confirmed.", NULL, NULL, NULL,
	  NULL },
	{ "not: a time and an address in prose", "Send the slides before "
	  "19:05 to Anna <anna@example.org>:\n\nshe will share them.\n", "N",
	  "Send the slides before 19:05 to Anna <anna@example.org>:\n\nshe "
	  "will share them.", NULL, NULL, NULL, NULL },
	{ "not: prose in korean", "19:05 회의 결과 보고서 작성:\n\n내일까지 "
	  "보내 주세요.\n", "N", "19:05 회의 결과 보고서 작성:\n\n내일까지 "
	  "보내 주세요.", NULL, NULL, NULL, NULL },
	{ "not: prose in czech", "Dne 26. 05. jsme o tom mluvili a Markus "
	  "napsal:\n\nje to v pořádku.\n", "N", "Dne 26. 05. jsme o tom "
	  "mluvili a Markus napsal:\n\nje to v pořádku.", NULL, NULL, NULL,
	  NULL },
	{ "not: an original message quoted in prose", "See the thread \"Von: "
	  "Anna\" from yesterday.\n", "N", "See the thread \"Von: Anna\" "
	  "from yesterday.", NULL, NULL, NULL, NULL },
};

/* The split's new text, attribution, quote, signature and footer. */
static void
test_row(gconstpointer data)
{
	const struct l10n_row *row = data;
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);
	struct larch_msg *m = larch_msg_new();
	char *kinds;

	m->body = g_strdup(row->body);
	larch_quote_apply(NULL, m, 200, segs);
	kinds = test_quote_kind_codes(segs);
	g_assert_cmpstr(kinds, ==, row->kinds);
	g_assert_cmpstr(m->new_text, ==, row->new_text);
	if (row->quote == NULL) {
		g_assert_cmpuint(m->quotes->len, ==, 0);
	} else {
		const struct larch_quote *q;

		g_assert_cmpuint(m->quotes->len, >=, 1);
		q = m->quotes->pdata[0];
		g_assert_cmpstr(q->text, ==, row->quote);
		g_assert_cmpint(q->depth, ==, 1);
		g_assert_cmpstr(q->attribution, ==, row->attribution);
	}
	g_assert_cmpstr(m->signature, ==, row->signature);
	g_assert_cmpstr(m->footer, ==, row->footer);
	/* Neither the new text nor its summary keeps the attribution. */
	if (row->attribution != NULL) {
		g_assert_null(strstr(m->new_text, "markus@example.org"));
		g_assert_null(strstr(m->summary, "Markus Kummer"));
	}
	g_free(kinds);
	larch_msg_free(m);
	g_ptr_array_unref(segs);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *path = g_strdelimit(g_strdup_printf("/quote-l10n/%s",
		    rows[i].name), ",", '_');

		g_test_add_data_func(path, &rows[i], test_row);
		g_free(path);
	}
	return g_test_run();
}
