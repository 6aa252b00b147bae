/* A consumer that decodes a pkiMessage file and renders it as JSON: the library's core only
 * (no OpenSSL), unless built with -DCONSUMER_VERIFY, which also checks the signature and so
 * needs the crypto part. Prints one JSON object and, with CONSUMER_VERIFY, a second line with
 * the checks. */
#include <scepdec.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    static uint8_t data[1 << 16], content[1 << 16];
    static scep_pki_message msg;
    static char json[1 << 16];
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
    if (!f)
        return 2;
    size_t len = fread(data, 1, sizeof data, f);
    fclose(f);
    if (scep_decode_pki_message(data, len, content, sizeof content, &msg) == SCEP_DECODE_NONE)
        return 1;
    if (scep_json_pki_message(&msg, SCEP_OP_PKI_OPERATION, json, sizeof json) >= sizeof json)
        return 1;
    puts(json);
#ifdef CONSUMER_VERIFY
    scep_verification v;
    scep_verify_pki_message(data, len, &msg, NULL, 0, &v);
    if (scep_json_verification(&v, json, sizeof json) >= sizeof json)
        return 1;
    puts(json);
#endif
    return 0;
}
