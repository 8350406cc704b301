/*
 * AUTH and private lists (issue 6).  A [list NAME] group with private =
 * true names the SHA-256 digests of the tokens that may read it; a
 * connection that sends AUTH with such a token has "proven" that digest
 * and sees the list from then on.  The connection keeps digests, not list
 * names, so a SIGHUP that drops a token locks its lists again at once.
 *
 * Guessing is slowed down: after a rejected AUTH the connection's next
 * request waits a second, its fifth rejection closes it, and beyond
 * AUTH_FAILS_PER_MINUTE rejections server-wide AUTH is refused unchecked
 * until the minute is over.  Every rejection is logged (never the token).
 *
 * Owner: the daemon engineer.
 */
#include <string.h>

#include "auth.h"
#include "commands.h"
#include "config.h"
#include "conn.h"
#include "larch/log.h"
#include "server.h"

#define AUTH_DELAY_US		(1000 * 1000)
#define AUTH_FAILS_PER_CONN	5
#define AUTH_FAILS_PER_MINUTE	30
#define MINUTE_US		(60 * G_USEC_PER_SEC)

/* Compares two digests in time independent of where they differ. */
static bool
same_digest(const char *a, const char *b)
{
	size_t n = strlen(a);
	unsigned char diff = 0;

	if (n != strlen(b))
		return false;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

static bool
list_has_digest(const struct larchd_private_list *list, const char *digest)
{
	bool found = false;

	/* No early exit: the time taken does not say which one matched. */
	for (guint i = 0; i < list->digests->len; i++)
		found |= same_digest(list->digests->pdata[i], digest);
	return found;
}

bool
auth_is_unlocked(const struct conn *conn,
    const struct larchd_private_list *list)
{
	for (guint i = 0; conn->proven != NULL && i < conn->proven->len; i++)
		if (list_has_digest(list, conn->proven->pdata[i]))
			return true;
	return false;
}

/* Counts a rejection server-wide; false when the budget is spent. */
static bool
server_may_try(struct server *srv, int64_t now)
{
	if (now - srv->auth_window_start >= MINUTE_US) {
		srv->auth_window_start = now;
		srv->auth_window_fails = 0;
	}
	return srv->auth_window_fails < AUTH_FAILS_PER_MINUTE;
}

static void
reject(struct conn *conn, GString *out, int64_t now, bool locked)
{
	struct server *srv = conn->srv;
	uint64_t unlogged = 0;

	conn->auth_failures++;
	srv->auth_window_fails++;
	conn->hold_until = now + AUTH_DELAY_US;
	/* Rejections of tokens are at most AUTH_FAILS_PER_MINUTE a minute;
	 * those refused for that budget are as many as a client can send,
	 * so their lines are capped. */
	if (!locked || log_burst_allow(&srv->auth_lockouts_logged, now,
	    &unlogged)) {
		char note[LOG_BURST_NOTE_MAX];

		log_warnx("conn %u (%s): AUTH rejected: %s (%u on this "
		    "connection)%s", conn->id, conn->peer, locked ?
		    "too many failures server-wide" : "no list has this token",
		    conn->auth_failures, log_burst_note(locked ? unlogged : 0,
		    note));
	}
	if (conn->auth_failures >= AUTH_FAILS_PER_CONN) {
		larch_proto_append_statusf(out, 481, "authentication "
		    "rejected; %d failures, closing", AUTH_FAILS_PER_CONN);
		conn->quit = true;
		return;
	}
	larch_proto_append_status(out, 481, "authentication rejected");
}

void
answer_auth(struct conn *conn, const struct larch_proto_request *req,
    GString *out)
{
	const struct larchd_config *cfg = conn->srv->config;
	int64_t now = g_get_monotonic_time();
	GString *names;
	char *digest;

	if (!server_may_try(conn->srv, now)) {
		reject(conn, out, now, true);
		return;
	}
	digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
	    req->argv[0], -1);
	names = g_string_new(NULL);
	for (guint i = 0; i < cfg->private_lists->len; i++) {
		const struct larchd_private_list *l =
		    cfg->private_lists->pdata[i];

		if (list_has_digest(l, digest))
			g_string_append_printf(names, " %s", l->name);
	}
	if (names->len == 0) {
		reject(conn, out, now, false);
		g_free(digest);
	} else {
		if (conn->proven == NULL)
			conn->proven = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(conn->proven, digest);
		log_info("conn %u (%s): AUTH unlocked%s", conn->id, conn->peer,
		    names->str);
		larch_proto_append_statusf(out, 281, "authenticated; "
		    "unlocked%s", names->str);
	}
	g_string_free(names, TRUE);
}
