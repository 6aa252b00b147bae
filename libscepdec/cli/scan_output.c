/* scan_output.c decodes each message the scanner found (as `scepdec` decodes one input) and
 * writes it: a text line (file:line, time, client, operation, messageType, pkiStatus/failInfo,
 * transactionID, HTTP status) or a JSON Lines record through the library's
 * scep_json_log_record; then, for text, a timeline per transactionID. */
#include <stdlib.h>
#include <string.h>

#include "scan.h"

/* What a text line and the timeline show of one message. */
typedef struct {
    const char *operation;   /* name, or NULL */
    scep_span operation_text; /* an unknown operation as sent */
    const scep_signer *signer;
    char status[48];         /* "SUCCESS", "FAILURE/badRequest", "" */
    char tid[SCAN_KEY_MAX / 2];
} message_facts;

static void span_text(scep_span s, char *out, size_t cap)
{
    size_t n = s.length < cap - 1 ? s.length : cap - 1;
    for (size_t i = 0; i < n; i++) /* a log line shows printable text only */
        out[i] = s.data[i] >= 0x20 && s.data[i] < 0x7F ? (char)s.data[i] : '?';
    out[n] = '\0';
}

static const char *number_name(const scep_number_attr *a, const char *(*name_of)(long))
{
    if (!a->present)
        return NULL;
    const char *name = a->numeric ? name_of(a->value) : NULL;
    return name ? name : "(unknown)";
}

static void facts_of(const scan_hit *hit, const decoded *d, message_facts *f)
{
    memset(f, 0, sizeof *f);
    if (hit->has_facts) {
        f->operation = scep_operation_name(SCEP_OP_PKI_OPERATION);
        f->signer = &hit->facts;
    } else {
        scep_operation op = d->has_query ? d->query.operation : d->operation;
        f->operation = scep_operation_name(op);
        if (d->has_query && op == SCEP_OP_UNKNOWN)
            f->operation_text = d->query.operation_text;
        if (d->pki && (d->kind == RESULT_PKI || d->kind == RESULT_QUERY_ONLY))
            f->signer = &d->pki->signed_data.signer;
    }
    if (!f->signer)
        return;
    const char *status = number_name(&f->signer->pki_status, scep_pki_status_name);
    const char *fail = number_name(&f->signer->fail_info, scep_fail_info_name);
    snprintf(f->status, sizeof f->status, "%s%s%s", status ? status : "", fail ? "/" : "",
             fail ? fail : "");
    if (scep_span_present(f->signer->transaction_id))
        span_text(f->signer->transaction_id, f->tid, sizeof f->tid);
}

static int hit_status(const scan_hit *hit, const decoded *d)
{
    if (hit->has_facts)
        return 0;
    int status = decoded_exit_status(d);
    /* A PKIOperation URL without a message is a POST's: its body is not in the log. */
    if (status == 1 && d->problem && d->has_query && d->query.message_len == 0 &&
        !d->query.truncated && d->query.errors.count == 0)
        status = 0;
    return status;
}

/* write_cut_facts: for a message cut before its signer's attributes (the iOS log line), what
 * precedes the cut: the digest the SignedData announces and the envelope's first recipient. */
static void write_cut_facts(FILE *out, const scep_pki_message *m)
{
    const scep_signed_data *sd = &m->signed_data;
    if (sd->digest_algorithm_count > 0) {
        const scep_oid_info *info = scep_oid_lookup(sd->digest_algorithms[0].oid.data,
                                                    sd->digest_algorithms[0].oid.length);
        char dotted[128];
        if (info || scep_oid_to_dotted(sd->digest_algorithms[0].oid.data,
                                       sd->digest_algorithms[0].oid.length, dotted,
                                       sizeof dotted) > 0)
            fprintf(out, "  digest %s", info ? info->name : dotted);
    }
    if (m->has_envelope && m->envelope.recipient_count > 0 &&
        m->envelope.recipients[0].rid.kind == SCEP_ID_ISSUER_SERIAL) {
        const scep_identifier *rid = &m->envelope.recipients[0].rid;
        char issuer[512];
        if (scep_name_format(rid->issuer.data, rid->issuer.length, issuer, sizeof issuer) == 0)
            snprintf(issuer, sizeof issuer, "?");
        fprintf(out, "  recipient %s serial ", issuer);
        for (size_t i = 0; i < rid->serial.length; i++)
            fprintf(out, "%02x", rid->serial.data[i]);
    }
}

static void write_text(scanner *s, const scan_hit *hit, const decoded *d, const message_facts *f)
{
    FILE *out = s->out;
    if (!s->header_written) {
        fputs("# file:line  time  client  operation  messageType  pkiStatus/failInfo  "
              "transactionID  [HTTP status] (source)\n", out);
        s->header_written = true;
    }
    char op[64];
    if (f->operation)
        snprintf(op, sizeof op, "%s", f->operation);
    else if (scep_span_present(f->operation_text))
        span_text(f->operation_text, op, sizeof op);
    else
        snprintf(op, sizeof op, "-");
    const char *type = f->signer ? number_name(&f->signer->message_type, scep_message_type_name)
                                 : NULL;
    fprintf(out, "%s:%llu  %s  %s  %s  %s  %s  %s", s->file, (unsigned long long)hit->line,
            hit->time[0] ? hit->time : "-", hit->client[0] ? hit->client : "-", op,
            type ? type : "-", f->status[0] ? f->status : "-", f->tid[0] ? f->tid : "-");
    if (hit->has_http_status && hit->has_http_substatus && hit->http_substatus != 0)
        fprintf(out, "  HTTP %d.%d", hit->http_status, hit->http_substatus);
    else if (hit->has_http_status)
        fprintf(out, "  HTTP %d", hit->http_status);
    if (hit->has_http_status && hit->http_status == 404 && hit->has_http_substatus &&
        hit->http_substatus == 15)
        fputs(" (query string too long)", out);
    fprintf(out, "  (%s)", scan_source_name(hit->source));
    if (!type && d->pki)
        write_cut_facts(out, d->pki);
    bool truncated = (d->has_query && d->query.truncated) || (d->pki && d->pki->truncated) ||
                     (d->kind == RESULT_BUNDLE && d->bundle->truncated);
    if (!hit->has_facts && truncated)
        fprintf(out, "  cut: decoded as far as it goes (%zu bytes)", d->der_len);
    else if (hit_status(hit, d) != 0)
        fputs("  decoded with errors", out);
    fputc('\n', out);
}

static bool write_json(scanner *s, const scan_hit *hit, const decoded *d)
{
    scep_log_origin origin = {s->file, hit->line, hit->time[0] ? hit->time : NULL,
                              hit->client[0] ? hit->client : NULL, hit->has_http_status,
                              hit->http_status, hit->has_http_substatus, hit->http_substatus,
                              scan_source_name(hit->source)};
    scep_log_message m;
    scep_decrypted decrypted;
    json_message_of(d, &m, &decrypted);
    if (hit->has_facts) /* a CertRep the log describes in words: its facts, nothing decoded */
        m = (scep_log_message){.operation = SCEP_OP_PKI_OPERATION, .facts = &hit->facts};
    size_t need = scep_json_log_record(&origin, &m, NULL, 0);
    char *text = malloc(need + 1);
    if (!text)
        return false;
    scep_json_log_record(&origin, &m, text, need + 1);
    fprintf(s->out, "%s\n", text);
    free(text);
    return true;
}

static void add_to_timeline(scanner *s, const scan_hit *hit, const message_facts *f)
{
    if (!f->tid[0])
        return;
    if (s->timeline_count == SCAN_TIMELINE_MAX) {
        s->timeline_dropped++;
        return;
    }
    timeline_entry *e = &s->timeline[s->timeline_count++];
    memset(e, 0, sizeof *e);
    memcpy(e->tid, f->tid, sizeof e->tid);
    memcpy(e->time, hit->time, sizeof e->time);
    e->file = s->file;
    e->line = hit->line;
    const char *type = number_name(&f->signer->message_type, scep_message_type_name);
    snprintf(e->what, sizeof e->what, "%s%s%s", type ? type : "(no messageType)",
             f->status[0] ? " " : "", f->status);
    e->http_status = hit->has_http_status ? hit->http_status : 0;
    e->has_seconds = hit->time[0] && scan_time_seconds(hit->time, &e->seconds);
}

/* is_scep: pasted PEM and base64 count when they decode to a pkiMessage or a CA's bundle;
 * anything with "operation=" counts whatever it decodes to. */
static bool is_scep(const scan_hit *hit, const decoded *d)
{
    if (hit->source != SCAN_SRC_PEM && hit->source != SCAN_SRC_BASE64)
        return true;
    if (d->kind == RESULT_PKI)
        return d->status != SCEP_DECODE_NONE &&
               (d->pki->has_envelope || d->pki->signed_data.signer.message_type.present);
    return d->kind == RESULT_BUNDLE && d->status != SCEP_DECODE_NONE &&
           (d->bundle->kind == SCEP_BUNDLE_CERTS_ONLY || d->bundle->kind == SCEP_BUNDLE_SIGNED);
}

static void decode_and_write(scanner *s, const scan_hit *hit)
{
    static decoded d;
    static const key_material no_keys;
    memset(&d, 0, sizeof d);
    if (!hit->has_facts) {
        size_t consumed;
        bool is_url = hit->source != SCAN_SRC_PEM && hit->source != SCAN_SRC_BASE64;
        decode_input((const uint8_t *)hit->text, hit->text_len, is_url, SCEP_OP_NONE, &d,
                     &consumed);
        if (s->verify)
            open_message(&d, &no_keys);
    }
    if (is_scep(hit, &d)) {
        message_facts f;
        facts_of(hit, &d, &f);
        int status = hit_status(hit, &d);
        if (status > s->worst)
            s->worst = status;
        s->messages++;
        if (s->json) {
            if (!write_json(s, hit, &d) && s->worst < 2)
                s->worst = 2;
        } else {
            write_text(s, hit, &d, &f);
            add_to_timeline(s, hit, &f);
        }
    }
    decoded_free(&d);
}

void scan_flush(scanner *s)
{
    if (!s->has_pending)
        return;
    s->has_pending = false;
    decode_and_write(s, s->pending_hit);
}

void scan_emit(scanner *s, const scan_hit *hit, const char *jscep_key)
{
    scan_flush(s);
    if (!jscep_key) {
        decode_and_write(s, hit);
        return;
    }
    /* Kept until its "Received" line: the text is the line's, so it is copied. */
    *s->pending_hit = *hit;
    size_t n = hit->text_len < s->window ? hit->text_len : s->window;
    memcpy(s->pending_text, hit->text, n);
    s->pending_hit->text = s->pending_text;
    s->pending_hit->text_len = n;
    snprintf(s->pending_key, sizeof s->pending_key, "%s", jscep_key);
    s->has_pending = true;
}

bool scan_jscep_status(scanner *s, const char *key, int status)
{
    if (!s->has_pending || strcmp(s->pending_key, key) != 0)
        return false;
    s->pending_hit->has_http_status = true;
    s->pending_hit->http_status = status;
    scan_flush(s);
    return true;
}

static void timeline_one(scanner *s, size_t first, bool *done)
{
    const timeline_entry *prev = NULL;
    fprintf(s->out, "%s\n", s->timeline[first].tid);
    for (size_t i = first; i < s->timeline_count; i++) {
        const timeline_entry *e = &s->timeline[i];
        if (done[i] || strcmp(e->tid, s->timeline[first].tid) != 0)
            continue;
        done[i] = true;
        fprintf(s->out, "  %s:%llu  %s  %s", e->file, (unsigned long long)e->line,
                e->time[0] ? e->time : "-", e->what);
        if (e->http_status)
            fprintf(s->out, "  HTTP %d", e->http_status);
        if (prev && prev->has_seconds && e->has_seconds)
            fprintf(s->out, "  +%.3f s", e->seconds - prev->seconds);
        fputc('\n', s->out);
        prev = e;
    }
}

void scan_timeline(scanner *s)
{
    if (s->json || s->timeline_count == 0)
        return;
    bool *done = calloc(s->timeline_count, sizeof *done);
    if (!done)
        return;
    fputs("\n# timeline by transactionID: messages in log order, time since the previous one\n",
          s->out);
    for (size_t i = 0; i < s->timeline_count; i++)
        if (!done[i])
            timeline_one(s, i, done);
    if (s->timeline_dropped)
        fprintf(s->out, "# %zu more messages with a transactionID are not in the timeline "
                        "(it holds %d)\n", s->timeline_dropped, SCAN_TIMELINE_MAX);
    free(done);
}
