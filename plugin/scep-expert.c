/* scep-expert.c — expert infos when nothing reads their text (see experts_observed in
 * scep-int.h): no tree is being built and the expert tap has no listener, as in tshark's
 * summary pass. Wireshark then keeps only the frame's highest severity, which the Expert
 * column shows; the plugin records that one, once per frame, instead of formatting texts
 * nobody reads and letting the last one decide the column. */

#include <epan/column-info.h>

#include "scep-int.h"

gboolean experts_observed(const proto_tree *tree)
{
    static int expert_tap; /* Wireshark's own tap, registered before any dissector runs; 0: not found yet */
    if (tree != NULL)
        return TRUE;
    if (expert_tap == 0)
        expert_tap = find_tap_id("expert");
    return expert_tap != 0 && have_tap_listener(expert_tap);
}

gboolean severity_shown(const packet_info *pinfo)
{
    const column_info *cinfo = pinfo->cinfo;
    return cinfo != NULL && cinfo->col_first != NULL && cinfo->col_first[COL_EXPERT] >= 0;
}

/* The highest expert info of the frame being dissected, not yet recorded: frames are
 * dissected one at a time, and a static costs no proto-data list insert per frame. |frame|
 * says whose it is; one left by a dissection cut short by an exception is dropped. */
static struct {
    guint32 frame;
    expert_field *ei;
} pending;

void expert_unobserved(packet_info *pinfo, expert_field *ei)
{
    if (!severity_shown(pinfo))
        return;
    if (pending.frame != pinfo->num) {
        pending.frame = pinfo->num;
        pending.ei = NULL;
    }
    if (pending.ei == NULL || scep_expert_severity(ei) > scep_expert_severity(pending.ei))
        pending.ei = ei;
}

void expert_flush_unobserved(packet_info *pinfo)
{
    if (pending.frame == pinfo->num && pending.ei != NULL)
        expert_add_info(pinfo, NULL, pending.ei);
    pending.frame = 0;
    pending.ei = NULL;
}
