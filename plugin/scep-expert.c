/* scep-expert.c — expert infos when nothing reads their text (see experts_observed in
 * scep-int.h): no tree is being built and the expert tap has no listener, as in tshark's
 * summary pass. Wireshark then keeps only the frame's highest severity, which the Expert
 * column shows; the plugin records that one, once per frame, instead of formatting texts
 * nobody reads and letting the last one decide the column. */

#include "scep-int.h"

#include <epan/proto_data.h>

gboolean experts_observed(const proto_tree *tree)
{
    static int expert_tap; /* Wireshark's own tap, registered before any dissector runs; 0: not found yet */
    if (tree != NULL)
        return TRUE;
    if (expert_tap == 0)
        expert_tap = find_tap_id("expert");
    return expert_tap != 0 && have_tap_listener(expert_tap);
}

#define SCEP_PENDING_EXPERT_KEY 2 /* packet-scope p_add_proto_data key of the frame's highest */

void expert_unobserved(packet_info *pinfo, expert_field *ei)
{
    expert_field **pending = (expert_field **)p_get_proto_data(pinfo->pool, pinfo, proto_scep,
                                                                SCEP_PENDING_EXPERT_KEY);
    if (pending == NULL) {
        pending = wmem_new0(pinfo->pool, expert_field *);
        p_add_proto_data(pinfo->pool, pinfo, proto_scep, SCEP_PENDING_EXPERT_KEY, pending);
    }
    if (*pending == NULL || scep_expert_severity(ei) > scep_expert_severity(*pending))
        *pending = ei;
}

void expert_flush_unobserved(packet_info *pinfo)
{
    expert_field **pending = (expert_field **)p_get_proto_data(pinfo->pool, pinfo, proto_scep,
                                                                SCEP_PENDING_EXPERT_KEY);
    if (pending != NULL && *pending != NULL) {
        expert_add_info(pinfo, NULL, *pending);
        *pending = NULL;
    }
}
