/* scep-frames.c — what the first pass keeps for a frame, found again by frame number in every
 * later pass (see scep-int.h). Wireshark's per-frame proto data would do the same with an
 * allocation and a sorted-list insert for each SCEP frame; frames reach the first pass in
 * order, so an array appended at its end and searched by halves serves as well, and costs
 * only for the frames that hold SCEP. */

#include "scep-int.h"

#include <string.h>

typedef struct {
    guint32 frame;
    void *data;
} frame_entry;

static frame_entry *entries; /* by increasing frame number; file scope */
static guint entry_count, entry_cap;

void scep_init_frames(void)
{
    entries = NULL; /* the file scope that held the last file's array is gone */
    entry_count = entry_cap = 0;
}

/* position_of: where |frame| is, or would be inserted, in the array. */
static guint position_of(guint32 frame)
{
    guint low = 0, high = entry_count;
    /* The first pass appends frame after frame, and asks for the frame it keeps and for the
     * request a response answers, a few entries back: the last entries are looked at first. */
    for (guint tries = 0; tries < 4 && high > 0; tries++, high--) {
        if (entries[high - 1].frame < frame)
            return high;
        if (entries[high - 1].frame == frame)
            return high - 1;
    }
    while (low < high) {
        guint mid = low + (high - low) / 2;
        if (entries[mid].frame < frame)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

void scep_frame_keep(guint32 frame, void *data)
{
    guint at = position_of(frame);
    if (at < entry_count && entries[at].frame == frame) {
        entries[at].data = data; /* a frame dissected afresh before being marked visited */
        return;
    }
    if (entry_count == entry_cap) {
        entry_cap = entry_cap ? entry_cap * 2 : 64;
        entries = (frame_entry *)wmem_realloc(wmem_file_scope(), entries, entry_cap * sizeof *entries);
    }
    memmove(entries + at + 1, entries + at, (entry_count - at) * sizeof *entries);
    entries[at] = (frame_entry){ frame, data };
    entry_count++;
}

void *scep_frame_kept(guint32 frame)
{
    guint at = position_of(frame);
    return at < entry_count && entries[at].frame == frame ? entries[at].data : NULL;
}
