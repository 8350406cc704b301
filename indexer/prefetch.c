/* Read-ahead over the files larch-index reads next; see prefetch.h. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prefetch.h"

void
larch_prefetch_init(struct larch_prefetch *pf, GPtrArray *files,
    larch_prefetch_wanted_fn wanted, void *data)
{
	pf->files = files;
	pf->wanted = wanted;
	pf->data = data;
	pf->next = 0;
	pf->asked = 0;
}

static void
ask(struct larch_prefetch *pf, const char *path)
{
	struct stat st;
	/* O_NONBLOCK: a file replaced by a FIFO since the walk must not
	 * hold the indexer here (opening a FIFO waits for a writer). */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size <= LARCH_PREFETCH_MAX_BYTES &&
	    posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED) == 0)
		pf->asked++;
	close(fd);
}

void
larch_prefetch_before(struct larch_prefetch *pf, guint i)
{
	guint end = MIN(pf->files->len, i + 1 + LARCH_PREFETCH_FILES);

	if (pf->next < i + 1)
		pf->next = i + 1;
	for (; pf->next < end; pf->next++) {
		const char *path = pf->files->pdata[pf->next];

		if (pf->wanted(path, pf->data))
			ask(pf, path);
	}
}
