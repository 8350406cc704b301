/* Read-ahead over the files larch-index reads next; see prefetch.h. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prefetch.h"

/* What tells the thread to stop; the batches it is handed are GArrays. */
static char stop_mark;
#define STOP ((gpointer)&stop_mark)

void
larch_prefetch_init(struct larch_prefetch *pf, GPtrArray *files,
    larch_prefetch_wanted_fn wanted, void *data)
{
	pf->files = files;
	pf->wanted = wanted;
	pf->data = data;
	pf->next = 0;
	pf->queued = 0;
	pf->asked = 0;
	pf->reading = 0;
	pf->queue = NULL;
	pf->thread = NULL;
	pf->no_thread = false;
}

static bool
ask(const char *path)
{
	struct stat st;
	bool asked = false;
	/* O_NONBLOCK: a file replaced by a FIFO since the walk must not
	 * hold the indexer here (opening a FIFO waits for a writer). */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size <= LARCH_PREFETCH_MAX_BYTES &&
	    posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED) == 0)
		asked = true;
	close(fd);
	return asked;
}

/* Asks for the files of one batch (a GArray of file numbers). */
static void
ask_batch(struct larch_prefetch *pf, GArray *batch)
{
	for (guint k = 0; k < batch->len; k++) {
		guint i = g_array_index(batch, guint, k);

		/* Behind the reader (a disk slower than the indexer):
		 * asking now would only slow the disk down. */
		if ((gint)i <= g_atomic_int_get(&pf->reading))
			continue;
		if (ask(pf->files->pdata[i]))
			pf->asked++;
	}
}

static gpointer
asking_thread(gpointer data)
{
	struct larch_prefetch *pf = data;
	gpointer v;

	while ((v = g_async_queue_pop(pf->queue)) != STOP) {
		ask_batch(pf, v);
		g_array_unref(v);
	}
	return NULL;
}

static void
start_thread(struct larch_prefetch *pf)
{
	pf->queue = g_async_queue_new();
	pf->thread = g_thread_try_new("larch-prefetch", asking_thread, pf,
	    NULL);
	if (pf->thread == NULL) {
		/* Out of threads: ask here, as before. */
		g_async_queue_unref(pf->queue);
		pf->queue = NULL;
		pf->no_thread = true;
	}
}

void
larch_prefetch_before(struct larch_prefetch *pf, guint i)
{
	guint end = MIN(pf->files->len, i + 1 + LARCH_PREFETCH_FILES);
	GArray *batch;

	g_atomic_int_set(&pf->reading, (gint)MIN(i, (guint)G_MAXINT));
	if (pf->next < i + 1)
		pf->next = i + 1;
	/* Whole batches only, but for the last files: each hand-over wakes
	 * the thread, a system call on this one. */
	if (pf->next >= end || (end < pf->files->len &&
	    end - pf->next < LARCH_PREFETCH_BATCH))
		return;
	batch = g_array_sized_new(FALSE, FALSE, sizeof(guint),
	    end - pf->next);
	for (; pf->next < end; pf->next++)
		if (pf->wanted(pf->files->pdata[pf->next], pf->data))
			g_array_append_val(batch, pf->next);
	pf->queued += batch->len;
	if (batch->len > 0 && pf->thread == NULL && !pf->no_thread)
		start_thread(pf);
	if (batch->len > 0 && pf->thread != NULL) {
		g_async_queue_push(pf->queue, batch);
		return;
	}
	ask_batch(pf, batch);
	g_array_unref(batch);
}

void
larch_prefetch_finish(struct larch_prefetch *pf)
{
	if (pf->thread == NULL)
		return;
	g_async_queue_push(pf->queue, STOP);
	g_thread_join(pf->thread);
	g_async_queue_unref(pf->queue);
	pf->thread = NULL;
	pf->queue = NULL;
}
