/* decode_any — libscepdec in a few dozen lines: every argument (a file holding DER, PEM,
 * base64 text, a saved HTTP message or a log line with a URL; or a URL itself) is decoded with
 * one call to scep_decode_input, then a few facts and the JSON object are printed.
 *
 *   cc -o decode_any decode_any.c $(pkg-config --cflags --libs scepdec-core)
 *   ./decode_any message.der 'https://ca/scep?operation=PKIOperation&message=MIAG...'
 *   ./decode_any --sizes        # what the caller-owned result structs cost */
#include <scepdec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_facts_and_json(const scep_input *in)
{
    static char json[1 << 16];
    const char *op = scep_operation_name(in->operation);
    printf("form: %s, kind: %s, operation: %s%s, status: %s\n", scep_input_form_name(in->form),
           in->kind ? scep_input_kind_name(in->kind) : "nothing", op ? op : "-",
           in->has_query && in->query.operation_inferred ? " (inferred)" : "",
           scep_status_name(in->status));
    size_t need = 0;
    if (in->kind == SCEP_INPUT_PKI_MESSAGE) {
        const scep_signer *s = &in->pki.signed_data.signer;
        char type[64], nonce[128];
        scep_number_attr_format(&s->message_type, scep_message_type_name, type, sizeof type);
        scep_hex_format(s->sender_nonce.data, s->sender_nonce.length, nonce, sizeof nonce);
        printf("messageType: %s, senderNonce: %s\n", type, nonce);
        if (in->has_query) /* a URL: the request's keys and the message's */
            need = scep_json_query(&in->query, in->query_message, &in->pki, json, sizeof json);
        else
            need = scep_json_pki_message(&in->pki, in->operation, json, sizeof json);
    } else if (in->kind == SCEP_INPUT_BUNDLE) {
        need = scep_json_cert_bundle(&in->bundle, in->operation, json, sizeof json);
    } else if (in->kind == SCEP_INPUT_CAPS) {
        need = scep_json_caps(&in->caps, json, sizeof json);
    } else if (in->kind == SCEP_INPUT_REQUEST) {
        need = scep_json_query(&in->query, in->query_message, NULL, json, sizeof json);
    }
    if (need > 0)
        printf("%s%s\n", json, need >= sizeof json ? " (cut)" : "");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--sizes") == 0) {
        printf("scep_input %zu, scep_pki_message %zu, scep_cert_bundle %zu, scep_query %zu, "
               "scep_caps %zu bytes\n", sizeof(scep_input), sizeof(scep_pki_message),
               sizeof(scep_cert_bundle), sizeof(scep_query), sizeof(scep_caps));
        return 0;
    }
    static scep_input in; /* ~31 KB: static or heap, not the stack of a small thread */
    int worst = 0;
    for (int i = 1; i < argc; i++) {
        static uint8_t data[1 << 20];
        size_t len;
        FILE *f = fopen(argv[i], "rb");
        scep_input_hints hints = {.is_url = f == NULL}; /* not a file: a URL */
        if (f) {
            len = fread(data, 1, sizeof data, f);
            fclose(f);
        } else {
            len = strlen(argv[i]) < sizeof data ? strlen(argv[i]) : sizeof data;
            memcpy(data, argv[i], len);
        }
        uint8_t *work = malloc(SCEP_INPUT_WORK_SIZE(len));
        if (!work)
            return 2;
        scep_status st = scep_decode_input(data, len, &hints, work, SCEP_INPUT_WORK_SIZE(len),
                                           &in);
        print_facts_and_json(&in);
        free(work);
        if ((int)st > worst)
            worst = (int)st; /* 0 decoded cleanly, 1 partly, 2 nothing */
    }
    return worst;
}
