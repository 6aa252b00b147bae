/* A program that embeds libscepdec the way another tool would: decode a GetCACaps body and
 * a request target, print what the library found. */
#include <scepdec.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    static const char body[] = "POSTPKIOperation\r\nSHA-256\r\nAES\r\n";
    static scep_caps caps;
    if (scep_decode_caps(body, strlen(body), &caps) != SCEP_DECODE_OK)
        return 1;
    for (size_t i = 0; i < caps.count; i++)
        printf("%s\n", scep_capability_name(caps.items[i].id));
    static const char url[] = "/cgi-bin/pkiclient.exe?operation=GetCACert&message=ca1";
    static scep_query q;
    uint8_t buf[64];
    if (scep_decode_query(url, strlen(url), buf, sizeof buf, &q) != SCEP_DECODE_OK)
        return 1;
    printf("%s %.*s %s\n", scep_operation_name(q.operation), (int)q.message_len, (const char *)buf,
           SCEPDEC_VERSION);
    return 0;
}
