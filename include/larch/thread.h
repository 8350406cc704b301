/*
 * Conversations: JWZ-style threading over a set of messages, links from
 * quoted blocks to the messages they quote, and thread summaries.  Pure
 * functions over struct larch_msg arrays; the indexer decides which
 * messages form one conversation and stores the results.
 */
#ifndef LARCH_THREAD_H
#define LARCH_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "larch/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The subject as threading compares it: list tags ("[IGFmaglist]") and
 * reply or forward prefixes (Re:, RE:, Re[2]:, AW:, SV:, VS:, Réf.:, RIF:,
 * Fwd:, Fw:, TR:, WG:, Antw:, Odp:, 回复:, 答复:, 转发:, ...) removed, also
 * repeated and mixed ("Re: [mag] AW: Fwd: x"), whitespace collapsed,
 * casefolded.  Caller g_free()s.  NULL subject gives "".
 */
char *larch_thread_subject_key(const char *subject);

/* Whether the subject says it is a reply: its first prefix after list tags
 * is a reply prefix ("Re:", "AW:"), not a forward prefix ("Fwd:", "WG:");
 * a forward is a new post even when it forwards a reply. */
bool larch_thread_subject_is_reply(const char *subject);

/* Whether the subject's first prefix after list tags is a forward prefix
 * ("Fwd: Re: x", "[dev] WG: x"). */
bool larch_thread_subject_is_forward(const char *subject);

/*
 * The subject as a thread summary shows it: leading reply prefixes
 * ("Re:", "AW:") and tags naming the list ("[OpenWrt-Devel]" on list
 * openwrt-devel) removed, other tags ("[PATCH 0/2]") and forward
 * prefixes kept, case and spacing untouched.  The subject itself when
 * nothing would be left.  Caller g_free()s; NULL for a NULL subject.
 */
char *larch_thread_subject_display(const char *subject, const char *list);

/*
 * Links the messages of one conversation, JWZ style.  Every id named by
 * In-Reply-To or References gets a container; a missing message is a ghost
 * that still holds its replies together.  A message's parent is its
 * In-Reply-To when that is a usable id, else the last usable References
 * id; references in the wrong order, self-references and cycles are
 * broken (the link that would close a cycle is dropped).  Duplicate mids in
 * msgs are an error of the caller.
 *
 * A message with no In-Reply-To and no References keeps msg->parent if it
 * is set with msg->inferred_parent (a subject-fallback link the caller
 * found); otherwise its parent is cleared.  A message whose headers name a
 * parent that is a ghost also keeps msg->parent set with
 * msg->inferred_parent when it is a message of msgs (the caller found by
 * quoted text that the ghost is a message without a Message-ID, or an id
 * appended after the real parent); in the second case, where the message
 * names that parent itself, only while no other message names the ghost.
 * The ghost's other replies get that parent too when all replies kept
 * under one for it agree, unless they are dated before it.  Once the named
 * parent is among msgs, the headers win.
 *
 * Sets msg->parent (a mid, maybe a ghost's), msg->depth (0 for a root;
 * ghosts count as levels) and msg->inferred_parent of every message.  Returns the mid of the
 * conversation's root container (a message's or a ghost's) for the
 * earliest-dated root when there are several, as a new string.
 */
char *larch_thread_link(GPtrArray *msgs);

/*
 * Finds, for each quote of each message, the message it quotes: the
 * parent (depth-1 quotes) or grandparent (depth 2) first, then any other
 * message of msgs dated no later whose new_text contains the quoted text
 * (compared on letters and digits only, so re-wrapping, "> " markers and
 * obfuscated addresses do not matter; a quote that keeps only part of the
 * text still matches).  Sets quote->source or leaves it NULL.
 * Needs msg->parent set (larch_thread_link).
 */
void larch_thread_link_quotes(GPtrArray *msgs);

/* Like larch_thread_link_quotes(), for the quotes of msg only (one of
 * msgs); the others are only candidates and stay as they are.  The
 * indexer places each new message with its parent and grandparent, and
 * relinking those costs twice the work of the new one. */
void larch_thread_link_quotes_of(GPtrArray *msgs,
    struct larch_msg *msg);

/*
 * Normalises msg's new text, signature, footer and quotes the way
 * larch_thread_link_quotes() compares them, once, and keeps the result in
 * msg->quote_text.  Normalising is most of the linker's work; the indexer
 * does it in its parser threads so that the one thread that links does
 * not.  The linker uses it only while the texts have the lengths they had
 * when it was made, and normalises anew otherwise.
 */
void larch_thread_prepare_quotes(struct larch_msg *msg);

/* Another reference to a prepared text, for a copy of its message;
 * accepts NULL. */
struct larch_quote_text *larch_quote_text_ref(struct larch_quote_text *t);

/* Drops a reference; accepts NULL. */
void larch_quote_text_unref(struct larch_quote_text *t);

/*
 * Whether reply's depth-1 quotes come from source: at least one of them
 * with a line of 8 or more letters and digits is source's text, as
 * larch_thread_link_quotes() compares them.  The evidence the indexer
 * wants before it puts a reply under a message its headers do not name.
 */
bool larch_thread_is_quoting(const struct larch_msg *reply,
    const struct larch_msg *source);

/*
 * How much of reply's depth-1 quoting source wrote: 0 when
 * larch_thread_is_quoting() is false, else the share (above 0, at most 1)
 * of those quotes' long lines that are source's text.  Of two messages a
 * reply may be quoting, the one that shares a sentence or two with the
 * quoted one by chance scores lower than the quoted one itself.
 */
double larch_thread_quoting_share(const struct larch_msg *reply,
    const struct larch_msg *source);

/* Sorts msgs into thread order: depth first from the roots, siblings by
 * date. */
void larch_thread_sort(GPtrArray *msgs);

/*
 * A thread summary: subject, participants with their message counts (most
 * first), the date span, then each message in thread order as date,
 * author, summary (indented by depth in text form).  json: one JSON object
 * {thread, root, subject, messages, participants: [{name, address,
 * messages}],
 * first, last, items: [{mid, parent, depth, date, from, from_name,
 * summary}]}.  msgs must be sorted (larch_thread_sort).  Caller g_free()s.
 */
char *larch_thread_summary(GPtrArray *msgs, bool json);

#ifdef __cplusplus
}
#endif
#endif
