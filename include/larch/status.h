/* Status codes shared by every lib/ module. */
#ifndef LARCH_STATUS_H
#define LARCH_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

enum larch_status {
	LARCH_OK = 0,
	LARCH_DONE,		/* an iterator has nothing more to give */
	LARCH_ERR_NOMEM,
	LARCH_ERR_IO,		/* a file could not be read or written */
	LARCH_ERR_PARSE,	/* input that could not be understood */
	LARCH_ERR_TOO_BIG,	/* input over a configured limit */
	LARCH_ERR_NOT_FOUND,
	LARCH_ERR_INVALID,	/* an argument or setting is wrong */
	LARCH_ERR_VERSION,	/* index written by another schema version */
	LARCH_ERR_LOCKED,	/* another writer holds the index */
	LARCH_ERR_CORRUPT,	/* the index is damaged */
	LARCH_ERR_MODIFIED,	/* the index moved under a reader: reopen */
	LARCH_ERR_STORE,	/* any other index failure */
	LARCH_ERR_TIMEOUT,	/* a time limit ran out */
	LARCH_ERR_INTERNAL,
};

/* A short lowercase description; static storage, never NULL. */
const char *larch_status_str(enum larch_status status);

#ifdef __cplusplus
}
#endif
#endif
