/* scep-enroll.c — `tshark -z scep,enrollments[,FILTER]`: one row per enrollment.
 *
 * An enrollment is every SCEP request of one transactionID; requests without one (GetCACert,
 * GetCACaps, GetNextCACert, a PKIOperation that did not decode) form one enrollment per
 * client and server. Each row says who asked whom, when, which requests in order
 * (consecutive repeats as CertPollx2), how the last request ended — `SUCCESS`,
 * `FAILURE <failInfo>`, `PENDING`, `HTTP <code>` (an error status, or a 2xx PKIOperation
 * answer without a CertRep) or `no response` — how long it took, the frames of each request
 * and its response, and the codes of its messages' diagnoses (scep-diagnosis.c). The GUI gets
 * the same grouping as a statistics tree (Statistics > SCEP enrollments): the table below is
 * printed text, which only tshark shows. The rows come from the SCEP tap, so they are the
 * same in one pass and two; responses are matched to their requests by the plugin's tracking
 * (transactionID and nonce, else HTTP's pairing). */
#ifndef WS_BUILD_DLL
#define WS_BUILD_DLL
#endif
#include <ws_version.h>

#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stat_tap_ui.h>
#include <epan/addr_resolv.h>
#include <epan/stats_tree.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "scep-int.h"

/* One request and its response (0 when not seen). */
typedef struct {
    guint32 request_frame;
    guint32 response_frame;
    char *outcome; /* of this request; NULL until answered */
} scep_exchange;

typedef struct {
    char *transaction_id; /* NULL: requests without a transaction */
    char *client;
    char *server;         /* address:port */
    nstime_t first;
    nstime_t last;
    GString *requests;    /* names in order, consecutive repeats as NAMExN */
    char *last_name;
    guint last_count;
    GArray *exchanges;    /* scep_exchange, in request order */
    GString *diagnoses;   /* the codes of its messages' diagnoses, each once, in order */
} scep_enrollment;

typedef struct {
    char *filter;
    GPtrArray *rows;          /* scep_enrollment *, in order of first request */
    GHashTable *by_key;       /* transactionID, or client/server of a group without one */
    GHashTable *by_request;   /* request frame -> row */
} enroll_table;

static void enrollment_free(gpointer p)
{
    scep_enrollment *e = (scep_enrollment *)p;
    for (guint i = 0; i < e->exchanges->len; i++)
        g_free(g_array_index(e->exchanges, scep_exchange, i).outcome);
    g_array_free(e->exchanges, TRUE);
    g_string_free(e->requests, TRUE);
    g_string_free(e->diagnoses, TRUE);
    g_free(e->transaction_id);
    g_free(e->client);
    g_free(e->server);
    g_free(e->last_name);
    g_free(e);
}

static void enroll_reset(void *tapdata)
{
    enroll_table *t = (enroll_table *)tapdata;
    g_hash_table_remove_all(t->by_request);
    g_hash_table_remove_all(t->by_key);
    g_ptr_array_set_size(t->rows, 0);
}

/* The row of a message: by transactionID, or by client and server when it has none. */
static scep_enrollment *row_for(enroll_table *t, const scep_tap_info *info, const char *client,
                                const char *server, const nstime_t *ts)
{
    char *key = info->transaction_id != NULL ? g_strdup_printf("t:%s", info->transaction_id)
                                             : g_strdup_printf("a:%s>%s", client, server);
    scep_enrollment *e = (scep_enrollment *)g_hash_table_lookup(t->by_key, key);
    if (e != NULL) {
        g_free(key);
        return e;
    }
    e = g_new0(scep_enrollment, 1);
    e->transaction_id = g_strdup(info->transaction_id);
    e->client = g_strdup(client);
    e->server = g_strdup(server);
    e->first = *ts;
    e->last = *ts;
    e->requests = g_string_new("");
    e->diagnoses = g_string_new("");
    e->exchanges = g_array_new(FALSE, TRUE, sizeof(scep_exchange));
    g_ptr_array_add(t->rows, e);
    g_hash_table_insert(t->by_key, key, e);
    return e;
}

/* A request's name: PKIOperation by its messageType, the others by operation. */
static const char *request_name(const scep_tap_info *info)
{
    if (info->message_type >= 0) {
        const char *name = scep_message_type_name(info->message_type);
        return name != NULL ? name : "messageType?";
    }
    return info->operation != NULL ? info->operation : "(no operation)";
}

/* append_name appends NAME (xCOUNT when repeated) to |out|, blank separated. */
static void append_name(GString *out, const char *name, guint count)
{
    if (name == NULL)
        return;
    if (out->len > 0)
        g_string_append_c(out, ' ');
    g_string_append(out, name);
    if (count > 1)
        g_string_append_printf(out, "x%u", count);
}

static void add_request(enroll_table *t, scep_enrollment *e, const scep_tap_info *info, guint32 frame)
{
    const char *name = request_name(info);
    if (e->last_name != NULL && strcmp(e->last_name, name) == 0) {
        e->last_count++;
    } else {
        append_name(e->requests, e->last_name, e->last_count);
        g_free(e->last_name);
        e->last_name = g_strdup(name);
        e->last_count = 1;
    }
    scep_exchange x = { frame, 0, NULL };
    g_array_append_val(e->exchanges, x);
    g_hash_table_insert(t->by_request, GUINT_TO_POINTER(frame), e);
}

/* outcome_of: how a response ends its request. */
static char *outcome_of(const scep_tap_info *info)
{
    if (info->http_status != 0 && (info->http_status < 200 || info->http_status >= 300))
        return g_strdup_printf("HTTP %u", info->http_status);
    if (info->message_type == SCEP_MSG_CERT_REP) {
        const char *status = info->pki_status >= 0 ? scep_pki_status_name(info->pki_status) : NULL;
        if (info->pki_status == SCEP_STATUS_FAILURE) {
            const char *fail = info->fail_info >= 0 ? scep_fail_info_name(info->fail_info) : NULL;
            const char *failure = scep_pki_status_name(SCEP_STATUS_FAILURE);
            return fail != NULL ? g_strdup_printf("%s %s", failure, fail) : g_strdup(failure);
        }
        return status != NULL ? g_strdup(status) : g_strdup_printf("pkiStatus %d", info->pki_status);
    }
    if (info->operation != NULL && strcmp(info->operation, scep_operation_name(SCEP_OP_PKI_OPERATION)) == 0)
        return g_strdup_printf("HTTP %u", info->http_status); /* 2xx, but no CertRep */
    return g_strdup(scep_pki_status_name(SCEP_STATUS_SUCCESS));
}

static scep_enrollment *add_response(enroll_table *t, const scep_tap_info *info, guint32 frame, const char *client,
                         const char *server, const nstime_t *ts)
{
    scep_enrollment *e = NULL;
    if (info->request_frame != 0)
        e = (scep_enrollment *)g_hash_table_lookup(t->by_request, GUINT_TO_POINTER(info->request_frame));
    if (e == NULL) /* its request is not in the capture */
        e = row_for(t, info, client, server, ts);
    scep_exchange *x = NULL;
    for (guint i = e->exchanges->len; i > 0 && x == NULL; i--) {
        scep_exchange *c = &g_array_index(e->exchanges, scep_exchange, i - 1);
        if (c->request_frame == info->request_frame && c->response_frame == 0)
            x = c;
    }
    if (x == NULL) {
        scep_exchange orphan = { 0, 0, NULL };
        g_array_append_val(e->exchanges, orphan);
        x = &g_array_index(e->exchanges, scep_exchange, e->exchanges->len - 1);
    }
    x->response_frame = frame;
    g_free(x->outcome);
    x->outcome = outcome_of(info);
    e->last = *ts;
    return e;
}

/* add_codes adds each code of |codes| (blank separated) not yet in |e|. */
static void add_codes(scep_enrollment *e, const char *codes)
{
    gchar **list = g_strsplit(codes != NULL ? codes : "", " ", -1);
    for (gchar **c = list; *c != NULL; c++) {
        if (**c == '\0')
            continue;
        gboolean seen = FALSE;
        gchar **have = g_strsplit(e->diagnoses->str, " ", -1);
        for (gchar **h = have; *h != NULL && !seen; h++)
            seen = strcmp(*h, *c) == 0;
        g_strfreev(have);
        if (!seen)
            g_string_append_printf(e->diagnoses, "%s%s", e->diagnoses->len ? " " : "", *c);
    }
    g_strfreev(list);
}

static tap_packet_status enroll_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                       const void *data, tap_flags_t flags _U_)
{
    enroll_table *t = (enroll_table *)tapdata;
    const scep_tap_info *info = (const scep_tap_info *)data;
    /* The client is the request's sender: a response goes the other way. */
    const address *client = info->is_request ? &pinfo->src : &pinfo->dst;
    const address *server = info->is_request ? &pinfo->dst : &pinfo->src;
    guint32 port = info->is_request ? pinfo->destport : pinfo->srcport;
    char *client_text = address_to_str(NULL, client);
    char *server_addr = address_to_str(NULL, server);
    char *server_text = g_strdup_printf("%s:%u", server_addr, port);
    scep_enrollment *e;
    if (info->is_request) {
        e = row_for(t, info, client_text, server_text, &pinfo->abs_ts);
        add_request(t, e, info, pinfo->num);
    } else {
        e = add_response(t, info, pinfo->num, client_text, server_text, &pinfo->abs_ts);
    }
    add_codes(e, info->diagnoses);
    wmem_free(NULL, client_text);
    wmem_free(NULL, server_addr);
    g_free(server_text);
    return TAP_PACKET_REDRAW;
}

static void print_row(const scep_enrollment *e)
{
    GDateTime *first = g_date_time_new_from_unix_utc((gint64)e->first.secs);
    char *when = first != NULL ? g_date_time_format(first, "%Y-%m-%d %H:%M:%S") : g_strdup("-");
    if (first != NULL)
        g_date_time_unref(first);
    nstime_t took;
    nstime_delta(&took, &e->last, &e->first);
    const scep_exchange *last = e->exchanges->len > 0
        ? &g_array_index(e->exchanges, scep_exchange, e->exchanges->len - 1) : NULL;
    const char *outcome = last == NULL ? "-" : last->outcome != NULL ? last->outcome : "no response";
    GString *requests = g_string_new(e->requests->str);
    append_name(requests, e->last_name, e->last_count);
    GString *frames = g_string_new("");
    for (guint i = 0; i < e->exchanges->len; i++) {
        const scep_exchange *x = &g_array_index(e->exchanges, scep_exchange, i);
        if (i > 0)
            g_string_append_c(frames, ' ');
        if (x->request_frame != 0)
            g_string_append_printf(frames, "%u", x->request_frame);
        else
            g_string_append_c(frames, '-');
        if (x->response_frame != 0)
            g_string_append_printf(frames, ":%u", x->response_frame);
        else
            g_string_append(frames, ":-");
    }
    printf("%s\t%s\t%s\t%s UTC\t%s\t%s\t%.3f s\t%s\t%s\n", e->transaction_id ? e->transaction_id : "-",
           e->client, e->server, when, requests->str, outcome, nstime_to_sec(&took), frames->str,
           e->diagnoses->len ? e->diagnoses->str : "-");
    g_string_free(requests, TRUE);
    g_string_free(frames, TRUE);
    g_free(when);
}

static void enroll_draw(void *tapdata)
{
    enroll_table *t = (enroll_table *)tapdata;
    printf("\n==================================================================\n");
    printf("SCEP enrollments: %u%s%s\n", t->rows->len, t->filter ? "  filter: " : "",
           t->filter ? t->filter : "");
    printf("transaction\tclient\tserver\tfirst request\trequests\toutcome\tduration\tframes (request:response)\t"
           "diagnosis\n");
    for (guint i = 0; i < t->rows->len; i++)
        print_row((const scep_enrollment *)g_ptr_array_index(t->rows, i));
    printf("==================================================================\n");
}

static void enroll_finish(void *tapdata)
{
    enroll_table *t = (enroll_table *)tapdata;
    g_hash_table_destroy(t->by_request);
    g_hash_table_destroy(t->by_key);
    g_ptr_array_free(t->rows, TRUE);
    g_free(t->filter);
    g_free(t);
}

/* -z scep,enrollments[,FILTER] */
static bool enroll_start(const char *opt_arg)
{
    static const char prefix[] = "scep,enrollments";
    enroll_table *t = g_new0(enroll_table, 1);
    if (strncmp(opt_arg, prefix, sizeof prefix - 1) == 0 && opt_arg[sizeof prefix - 1] == ',')
        t->filter = g_strdup(opt_arg + sizeof prefix);
    t->rows = g_ptr_array_new_with_free_func(enrollment_free);
    t->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    t->by_request = g_hash_table_new(g_direct_hash, g_direct_equal);
    GString *error = register_tap_listener("scep", t, t->filter, TL_REQUIRES_NOTHING, enroll_reset,
                                           enroll_packet, enroll_draw, enroll_finish);
    if (error != NULL) {
        fprintf(stderr, "tshark: -z scep,enrollments: %s\n", error->str);
        g_string_free(error, TRUE);
        enroll_finish(t);
        return false;
    }
    return true;
}

/* stat_tap_ui's init callback returns void up to Wireshark 4.4 and bool from 4.6 on: both
 * are offered, and the one matching the header's type is registered. */
static void enroll_init_void(const char *opt_arg, void *userdata _U_)
{
    enroll_start(opt_arg);
}

static bool enroll_init_bool(const char *opt_arg, void *userdata _U_)
{
    return enroll_start(opt_arg);
}

/* ---------------------------------------------------------------------------------------
 * The GUI's view: Statistics > SCEP enrollments (a stats_tree, also -z scep_enrollments,tree
 * and sharkd's "stat:scep_enrollments"): one node per enrollment, under it each request and
 * each outcome with its count.
 * ------------------------------------------------------------------------------------- */

static int st_node_enrollments = -1;

static void enroll_tree_init(stats_tree *st)
{
    st_node_enrollments = stats_tree_create_node(st, "SCEP enrollments", 0, STAT_DT_INT, TRUE);
}

static tap_packet_status enroll_tree_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_,
                                            const void *p, tap_flags_t flags _U_)
{
    const scep_tap_info *info = (const scep_tap_info *)p;
    const address *client = info->is_request ? &pinfo->src : &pinfo->dst;
    const address *server = info->is_request ? &pinfo->dst : &pinfo->src;
    guint32 port = info->is_request ? pinfo->destport : pinfo->srcport;
    char *label = wmem_strdup_printf(pinfo->pool, "%s  %s -> %s:%u",
                                     info->transaction_id ? info->transaction_id : "(no transaction)",
                                     address_to_str(pinfo->pool, client), address_to_str(pinfo->pool, server),
                                     port);
    tick_stat_node(st, "SCEP enrollments", 0, TRUE);
    int enrollment = tick_stat_node(st, label, st_node_enrollments, TRUE);
    if (info->is_request) {
        tick_stat_node(st, wmem_strdup_printf(pinfo->pool, "request %s", request_name(info)), enrollment,
                       FALSE);
    } else {
        char *outcome = outcome_of(info);
        tick_stat_node(st, wmem_strdup_printf(pinfo->pool, "answer %s", outcome), enrollment, FALSE);
        g_free(outcome);
    }
    return TAP_PACKET_REDRAW;
}

void scep_register_enrollments(void)
{
    stats_tree_register_plugin("scep", "scep_enrollments", "SCEP enrollments", TL_REQUIRES_PROTO_TREE,
                               enroll_tree_packet, enroll_tree_init, NULL);

    static stat_tap_ui ui;
    ui.group = REGISTER_STAT_GROUP_GENERIC;
    ui.title = "SCEP enrollments";
    ui.cli_string = "scep,enrollments";
    ui.tap_init_cb = _Generic(ui.tap_init_cb, void (*)(const char *, void *): enroll_init_void,
                              default: enroll_init_bool);
    ui.nparams = 0;
    ui.params = NULL;
    register_stat_tap_ui(&ui, NULL);
}
