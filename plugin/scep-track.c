/* scep-track.c — SCEP over the whole capture: requests and CertReps linked by transactionID
 * plus nonce (request senderNonce == CertRep recipientNonce), across TCP connections and
 * CertPoll rounds; operations without a transaction (GetCACert, GetCACaps, ...) and CertReps
 * whose nonce matches nothing are linked through HTTP's own request/response pairing. Also
 * what each message shows outside its tree: the Info column, the tap and `-z scep,tree`. */

#include "scep-int.h"

#include <string.h>

#include <epan/stats_tree.h>


int scep_tap = -1;

static wmem_map_t *scep_transactions; /* request record (transactionID, senderNonce) -> itself */

/* A request's record keys it by transactionID and senderNonce: a CertRep answers with the
 * same transactionID and the nonce as its recipientNonce. Hashed on the nonce (random, per
 * RFC 8894) and the transactionID's length and last octets: cheap, and still spread when a
 * faulty client repeats its nonce across transactions. */
static guint transaction_hash(gconstpointer key)
{
    const scep_record *r = (const scep_record *)key;
    guint h = 2166136261u; /* FNV-1a */
    for (gsize i = 0; i < r->sender_nonce_len; i++)
        h = (h ^ r->sender_nonce[i]) * 16777619u;
    gsize n = strlen(r->transaction_id);
    for (gsize i = n > 8 ? n - 8 : 0; i < n; i++)
        h = (h ^ (guchar)r->transaction_id[i]) * 16777619u;
    return h ^ (guint)n;
}

static gboolean transaction_equal(gconstpointer a, gconstpointer b)
{
    const scep_record *x = (const scep_record *)a, *y = (const scep_record *)b;
    return x->sender_nonce_len == y->sender_nonce_len &&
           (x->sender_nonce_len == 0 || memcmp(x->sender_nonce, y->sender_nonce, x->sender_nonce_len) == 0) &&
           strcmp(x->transaction_id, y->transaction_id) == 0;
}

static wmem_map_t *scep_last_requests; /* transactionID -> frame of its last request */

guint32 last_request_frame(const char *transaction_id)
{
    return GPOINTER_TO_UINT(wmem_map_lookup(scep_last_requests, transaction_id));
}

void scep_init_tracking(void)
{
    scep_last_requests = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
    scep_transactions = wmem_map_new(wmem_file_scope(), transaction_hash, transaction_equal);
}

gboolean scep_nonce_equal(const guint8 *a, gsize alen, const guint8 *b, gsize blen)
{
    return a != NULL && b != NULL && alen == blen && memcmp(a, b, alen) == 0;
}

/* remember fills the message's record |rec| (in its frame's memo, all zero until now). */
static void remember(packet_info *pinfo, scep_record *rec, const scep_summary *sum)
{
    wmem_allocator_t *fs = wmem_file_scope();
    rec->frame = pinfo->num;
    rec->ts = pinfo->abs_ts;
    rec->is_request = sum->is_request;
    rec->operation = sum->operation;
    /* The library's name of a known operation is static; only text as sent needs a copy. */
    rec->operation_text = sum->operation_text == scep_operation_name(sum->operation) || sum->operation_text == NULL
                              ? sum->operation_text
                              : wmem_strdup(fs, sum->operation_text);
    rec->message_type = sum->message_type;
    rec->transaction_id = sum->transaction_id ? wmem_strdup(fs, sum->transaction_id) : NULL;
    if (sum->sender_nonce != NULL) {
        rec->sender_nonce = (const guint8 *)wmem_memdup(fs, sum->sender_nonce, sum->sender_nonce_len);
        rec->sender_nonce_len = sum->sender_nonce_len;
    }
}

/* First pass: remember this message and, for a response, find its request. */
void track_first_pass(packet_info *pinfo, scep_record *rec, const scep_summary *sum,
                      guint32 http_request_frame)
{
    remember(pinfo, rec, sum);
    if (sum->is_request) {
        if (rec->transaction_id != NULL)
            wmem_map_insert(scep_last_requests, rec->transaction_id, GUINT_TO_POINTER(pinfo->num));
        if (rec->transaction_id != NULL && sum->sender_nonce != NULL) /* an empty nonce too */
            wmem_map_insert(scep_transactions, rec, rec);
        return;
    }
    scep_record *req = NULL;
    if (sum->transaction_id != NULL && sum->recipient_nonce != NULL) {
        scep_record probe;
        memset(&probe, 0, sizeof probe);
        probe.transaction_id = sum->transaction_id;
        probe.sender_nonce = sum->recipient_nonce;
        probe.sender_nonce_len = sum->recipient_nonce_len;
        req = (scep_record *)wmem_map_lookup(scep_transactions, &probe);
        rec->linked_by_nonce = req != NULL;
    }
    if (req == NULL)
        req = request_record(http_request_frame);
    if (req == NULL || req->frame >= pinfo->num)
        return;
    rec->peer_frame = req->frame;
    if (req->peer_frame == 0)
        req->peer_frame = pinfo->num;
}

/* check_against_request flags a CertRep whose nonces or transactionID do not fit the request
 * |req| it answers. */
static void check_against_request(proto_tree *tree, packet_info *pinfo, const scep_summary *sum,
                                  const scep_record *req)
{
    if (sum->message_type == SCEP_MSG_CERT_REP && req->sender_nonce != NULL) {
        if (sum->recipient_nonce != NULL &&
            !scep_nonce_equal(sum->recipient_nonce, sum->recipient_nonce_len, req->sender_nonce,
                         req->sender_nonce_len))
            EXPERT_FORMAT(tree, pinfo, sum->recipient_nonce_item, &ei_scep_nonce_mismatch,
                          "recipientNonce differs from the senderNonce of the request in frame %u", req->frame);
        if (scep_nonce_equal(sum->sender_nonce, sum->sender_nonce_len, req->sender_nonce, req->sender_nonce_len))
            EXPERT_FORMAT(tree, pinfo, sum->sender_nonce_item, &ei_scep_nonce_reused,
                          "senderNonce repeats the request's senderNonce (frame %u); RFC 8894 wants a fresh one",
                          req->frame);
    }
    if (sum->transaction_id != NULL && req->transaction_id != NULL &&
        strcmp(sum->transaction_id, req->transaction_id) != 0)
        EXPERT_FORMAT(tree, pinfo, sum->transaction_id_item, &ei_scep_tid_mismatch,
                      "transactionID differs from the request's (frame %u): %s", req->frame, req->transaction_id);
}

/* Adds response_in / response_to / response_time and the nonce checks. Returns the request's
 * record for a response (NULL when unknown). */
scep_record *add_tracking(proto_tree *tree, packet_info *pinfo, const scep_record *rec, const scep_summary *sum)
{
    if (rec == NULL || rec->peer_frame == 0)
        return NULL;
    if (sum->is_request) {
        add_generated_uint(tree, hf_scep_response_in, rec->peer_frame);
        return NULL;
    }
    scep_record *req = request_record(rec->peer_frame);
    add_generated_uint(tree, hf_scep_response_to, rec->peer_frame);
    if (req != NULL) {
        nstime_t delta;
        nstime_delta(&delta, &pinfo->abs_ts, &req->ts);
        if (tree != NULL)
            proto_item_set_generated(proto_tree_add_time(tree, hf_scep_response_time, NULL, 0, 0, &delta));
        check_against_request(tree, pinfo, sum, req);
    }
    return req;
}

/* One message's Info text, built on the stack (Wireshark cuts Info at COL_MAX_INFO_LEN anyway)
 * and then copied once into packet scope. Summary passes build one per message, so no printf
 * for the words. */
typedef struct {
    char text[COL_MAX_INFO_LEN];
    size_t len;
} info_text;

static void info_add(info_text *t, const char *s)
{
    size_t n = strlen(s);
    size_t room = sizeof t->text - 1 - t->len;
    if (n > room)
        n = room;
    memcpy(t->text + t->len, s, n);
    t->len += n;
    t->text[t->len] = 0;
}

static void info_add_number(info_text *t, const char *before, long value, const char *after)
{
    char digits[24];
    char *p = digits + sizeof digits;
    unsigned long magnitude = value < 0 ? 0ul - (unsigned long)value : (unsigned long)value;
    *--p = 0;
    do
        *--p = (char)('0' + magnitude % 10);
    while ((magnitude /= 10) != 0);
    if (value < 0)
        *--p = '-';
    info_add(t, before);
    info_add(t, p);
    info_add(t, after);
}

/* info_add_named appends " NAME", or " LABEL N" for a number without a name. */
static void info_add_named(info_text *t, const char *(*name_of)(long), const char *label, gint value)
{
    const char *name = name_of(value);
    info_add(t, " ");
    if (name != NULL) {
        info_add(t, name);
    } else {
        info_add(t, label);
        info_add_number(t, " ", value, "");
    }
}

/* info_add_operation: " OPERATION" and, for an answer without a messageType, what it holds. */
static void info_add_operation(info_text *t, const scep_summary *sum)
{
    info_add(t, " ");
    info_add(t, sum->operation_text ? sum->operation_text : "message");
    if (sum->is_request)
        return;
    if (sum->caps != NULL && sum->caps[0] != 0) {
        info_add(t, ": ");
        info_add(t, sum->caps);
    } else if (sum->certificate_count >= 0) {
        info_add_number(t, " response: ", sum->certificate_count,
                        sum->certificate_count == 1 ? " certificate" : " certificates");
    } else {
        info_add(t, " response");
    }
}

void set_info(packet_info *pinfo, const scep_summary *sum, gboolean first)
{
    info_text buf;
    info_text *info = &buf;
    info->len = 0;
    info_add(info, "SCEP");
    if (sum->message_type >= 0) {
        info_add_named(info, scep_message_type_name, "messageType", sum->message_type);
        if (sum->pki_status >= 0)
            info_add_named(info, scep_pki_status_name, "pkiStatus", sum->pki_status);
        if (sum->pki_status == SCEP_STATUS_FAILURE && sum->fail_info >= 0)
            info_add_named(info, scep_fail_info_name, "failInfo", sum->fail_info);
        if (sum->transaction_id != NULL) {
            info_add(info, " tid=");
            info_add(info, sum->transaction_id);
        }
    } else {
        info_add_operation(info, sum);
    }
    if (sum->http_status != 0 && sum->http_status != 200)
        info_add_number(info, " (HTTP ", (long)sum->http_status, ")");
    if (sum->truncated)
        info_add(info, " [truncated]");
    else if (sum->malformed)
        info_add(info, " [malformed]");

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "SCEP");
    if (first) {
        /* HTTP fences its Info text; SCEP replaces it. With the fence gone, col_set_str points
         * the column at the text, where col_add_str would copy it byte by byte. The copy in
         * packet scope outlives the use: every front end reads a frame's columns before it
         * frees the frame's packet scope (Wireshark's own dissectors rely on this too). */
        col_clear_fence(pinfo->cinfo, COL_INFO);
        col_set_str(pinfo->cinfo, COL_INFO, scep_strndup(pinfo->pool, info->text, info->len));
    } else {
        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", info->text);
    }
}

/* ---------------------------------------------------------------------------------------
 * The tap and -z scep,tree
 * ------------------------------------------------------------------------------------- */

void queue_tap(packet_info *pinfo, const scep_summary *sum, guint32 request_frame)
{
    if (!have_tap_listener(scep_tap))
        return;
    scep_tap_info *tap = wmem_new0(pinfo->pool, scep_tap_info);
    tap->is_request = sum->is_request;
    tap->operation = sum->operation_text;
    tap->message_type = sum->message_type;
    tap->pki_status = sum->pki_status;
    tap->fail_info = sum->fail_info;
    tap->transaction_id = sum->transaction_id;
    tap->http_status = sum->http_status;
    tap->request_frame = request_frame;
    tap->diagnoses = sum->diagnoses != NULL ? sum->diagnoses : "";
    tap_queue_packet(scep_tap, pinfo, tap);
}

static int st_node_messages = -1;
static int st_node_operation = -1;
static int st_node_message_type = -1;
static int st_node_pki_status = -1;
static int st_node_fail_info = -1;

static void scep_stats_tree_init(stats_tree *st)
{
    st_node_messages = stats_tree_create_node(st, "SCEP messages", 0, STAT_DT_INT, TRUE);
    st_node_operation = stats_tree_create_node(st, "Operation", st_node_messages, STAT_DT_INT, TRUE);
    st_node_message_type = stats_tree_create_node(st, "messageType", st_node_messages, STAT_DT_INT, TRUE);
    st_node_pki_status = stats_tree_create_node(st, "pkiStatus", st_node_messages, STAT_DT_INT, TRUE);
    st_node_fail_info = stats_tree_create_node(st, "failInfo", st_node_messages, STAT_DT_INT, TRUE);
}

static const char *number_label(wmem_allocator_t *scope, gint value, const char *(*name_of)(long))
{
    const char *name = name_of(value);
    return name ? wmem_strdup_printf(scope, "%s (%d)", name, value)
                : wmem_strdup_printf(scope, "unknown value (%d)", value); /* as the renderers say it */
}

static tap_packet_status scep_stats_tree_packet(stats_tree *st, packet_info *pinfo,
                                                epan_dissect_t *edt _U_, const void *p,
                                                tap_flags_t flags _U_)
{
    const scep_tap_info *info = (const scep_tap_info *)p;
    tick_stat_node(st, "SCEP messages", 0, TRUE);
    tick_stat_node(st, "Operation", st_node_messages, TRUE);
    char *op = wmem_strdup_printf(pinfo->pool, "%s %s", info->operation ? info->operation : "(none)",
                                  info->is_request ? "request" : "response");
    tick_stat_node(st, op, st_node_operation, FALSE);
    if (info->message_type >= 0) {
        tick_stat_node(st, "messageType", st_node_messages, TRUE);
        tick_stat_node(st, number_label(pinfo->pool, info->message_type, scep_message_type_name),
                       st_node_message_type, FALSE);
    }
    if (info->pki_status >= 0) {
        tick_stat_node(st, "pkiStatus", st_node_messages, TRUE);
        tick_stat_node(st, number_label(pinfo->pool, info->pki_status, scep_pki_status_name),
                       st_node_pki_status, FALSE);
    }
    if (info->fail_info >= 0) {
        tick_stat_node(st, "failInfo", st_node_messages, TRUE);
        tick_stat_node(st, number_label(pinfo->pool, info->fail_info, scep_fail_info_name),
                       st_node_fail_info, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

void register_stats(void)
{
    scep_tap = register_tap("scep");
    /* The postdissector reads HTTP's tree in the first pass: the statistics need one built.
     * Registered as a plugin's tree: the GUI lists only those in its Statistics menu. */
    stats_tree_register_plugin("scep", "scep", "SCEP", TL_REQUIRES_PROTO_TREE, scep_stats_tree_packet,
                               scep_stats_tree_init, NULL);
    scep_register_enrollments();
}
