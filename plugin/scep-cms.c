/* scep-cms.c — Wireshark's CMS dissector's full ASN.1 view of a pkiMessage, under the SCEP
 * tree, when the cms_subtree preference asks for it. */

#include "scep-int.h"

#include <epan/exceptions.h>
#include <epan/oids.h>
#include <epan/dissectors/packet-ber.h>


static dissector_handle_t cms_handle;
static dissector_handle_t envelope_cms_handle;
static dissector_handle_t attribute_value_handle;

/* How the CMS view stays clean.
 *
 * CMS hands each content and attribute value to whatever the "ber.oid" table has for its OID.
 * Two of those would go wrong on a pkiMessage, so for the length of this one call (and only
 * then: the previous entries are put back whatever happens, nothing else in a capture sees
 * the change):
 *   - id-data, the eContentType of the pkcsPKIEnvelope, belongs to IMF (S/MIME bodies): it
 *     would parse the binary envelope as mail headers, fill the columns with garbage and add
 *     imf fields to SCEP frames. Here it goes back to CMS, which shows the ContentInfo of
 *     EnvelopedData it is.
 *   - SCEP's own attributes have no entry: BER would flag each as "Dissector for OID not
 *     implemented". Here BER's generic decoder shows their PrintableString/OCTET STRING. */
#define OID_ID_DATA "1.2.840.113549.1.7.1"

static const struct {
    const char *oid;
    const char *name;
} scep_attribute_oids[] = {
    { "2.16.840.1.113733.1.9.2", "id-scep-messageType" },
    { "2.16.840.1.113733.1.9.3", "id-scep-pkiStatus" },
    { "2.16.840.1.113733.1.9.4", "id-scep-failInfo" },
    { "2.16.840.1.113733.1.9.5", "id-scep-senderNonce" },
    { "2.16.840.1.113733.1.9.6", "id-scep-recipientNonce" },
    { "2.16.840.1.113733.1.9.7", "id-scep-transactionID" },
    { "1.3.6.1.5.5.7.24.1", "id-scep-failInfoText" },
    /* Not an attribute: DES-CBC parameters (the IV), which Wireshark 4.0 has no entry for. */
    { "1.3.14.3.2.7", NULL },
};

static int dissect_envelope_with_cms(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    /* micromdm sends FAILURE and PENDING with an empty eContent: CMS already says "eContent (0
     * bytes)"; claim it (BER would read a tag from the empty buffer and throw). */
    if (tvb_reported_length(tvb) == 0)
        return 1;
    return call_dissector(cms_handle, tvb, pinfo, tree);
}

static int dissect_attribute_value(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    return dissect_unknown_ber(pinfo, tvb, 0, tree);
}

typedef struct {
    const char *oid;
    dissector_handle_t previous;
    gboolean swapped;
} ber_oid_swap;

static void swap_ber_oid(dissector_table_t ber_oid, ber_oid_swap *s, const char *oid,
                         dissector_handle_t handle, gboolean only_if_unset)
{
    s->oid = oid;
    s->previous = dissector_get_string_handle(ber_oid, oid);
    s->swapped = handle != NULL && !(only_if_unset && s->previous != NULL);
    if (s->swapped)
        dissector_change_string("ber.oid", oid, handle);
}

static void restore_ber_oid(const ber_oid_swap *s)
{
    if (!s->swapped)
        return;
    if (s->previous != NULL)
        dissector_change_string("ber.oid", s->oid, s->previous);
    else
        dissector_reset_string("ber.oid", s->oid);
}

void call_cms(tvbuff_t *tvb, gint base, gint length, packet_info *pinfo, proto_tree *tree)
{
    if (!pref_on(&pref_call_cms) || cms_handle == NULL || length <= 0)
        return;
    tvbuff_t *sub = tvb_new_subset_length(tvb, base, length);
    dissector_table_t ber_oid = find_dissector_table("ber.oid");
    ber_oid_swap swaps[1 + G_N_ELEMENTS(scep_attribute_oids)];
    guint nswaps = 0;
    if (ber_oid != NULL) {
        swap_ber_oid(ber_oid, &swaps[nswaps++], OID_ID_DATA, envelope_cms_handle, FALSE);
        for (size_t i = 0; i < G_N_ELEMENTS(scep_attribute_oids); i++)
            swap_ber_oid(ber_oid, &swaps[nswaps++], scep_attribute_oids[i].oid, attribute_value_handle,
                         TRUE);
    }
    TRY {
        call_dissector(cms_handle, sub, pinfo, tree);
    }
    CATCH_NONFATAL_ERRORS {
        /* The library has already reported the fault at its bytes (expert info above); CMS
         * giving up is noted, not turned into a second "Malformed Packet". */
        proto_tree_add_expert_format(tree, pinfo, &ei_scep_cms_incomplete, sub, 0, 0,
                                     "CMS view incomplete: %s",
                                     GET_MESSAGE ? GET_MESSAGE : "exception in the CMS dissector");
    }
    FINALLY {
        for (guint i = 0; i < nswaps; i++)
            restore_ber_oid(&swaps[i]);
    }
    ENDTRY;
}

/* cms_handoff finds the CMS dissector (at hand-off: it may register after this plugin),
 * names SCEP's attribute OIDs for Wireshark's OID resolution and creates the handles the
 * "ber.oid" swaps use. */
void cms_handoff(void)
{
    envelope_cms_handle = create_dissector_handle(dissect_envelope_with_cms, proto_scep);
    attribute_value_handle = create_dissector_handle(dissect_attribute_value, proto_scep);
    for (size_t i = 0; i < G_N_ELEMENTS(scep_attribute_oids); i++)
        if (scep_attribute_oids[i].name != NULL)
            oid_add_from_string(scep_attribute_oids[i].name, scep_attribute_oids[i].oid);
    cms_handle = find_dissector_add_dependency("cms", proto_scep);
    if (cms_handle == NULL) {
        dissector_table_t media = find_dissector_table("media_type");
        if (media != NULL)
            cms_handle = dissector_get_string_handle(media, "application/pkcs7-mime");
    }
}
