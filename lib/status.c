#include "larch/status.h"

const char *
larch_status_str(enum larch_status status)
{
	switch (status) {
	case LARCH_OK:			return "success";
	case LARCH_DONE:		return "no more items";
	case LARCH_ERR_NOMEM:		return "out of memory";
	case LARCH_ERR_IO:		return "input/output error";
	case LARCH_ERR_PARSE:		return "cannot parse input";
	case LARCH_ERR_TOO_BIG:		return "input too large";
	case LARCH_ERR_NOT_FOUND:	return "not found";
	case LARCH_ERR_INVALID:		return "invalid argument";
	case LARCH_ERR_VERSION:		return "index schema version mismatch";
	case LARCH_ERR_LOCKED:		return "index is locked by another writer";
	case LARCH_ERR_CORRUPT:		return "index is corrupt";
	case LARCH_ERR_MODIFIED:	return "index changed while reading";
	case LARCH_ERR_STORE:		return "index error";
	case LARCH_ERR_TIMEOUT:		return "time limit exceeded";
	case LARCH_ERR_INTERNAL:	return "internal error";
	}
	return "unknown status";
}
