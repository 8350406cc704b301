/*
 * Private lists and AUTH; see auth.c.  The AUTH command's handler is
 * declared in commands.h with the others.
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_AUTH_H
#define LARCHD_AUTH_H

#include <stdbool.h>

struct conn;
struct larchd_private_list;

/* Whether the connection sent AUTH with one of list's tokens. */
bool auth_is_unlocked(const struct conn *conn,
    const struct larchd_private_list *list);

#endif
