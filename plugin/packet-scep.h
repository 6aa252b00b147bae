/* packet-scep.h — what plugin.c needs from the dissector. */
#ifndef PACKET_SCEP_H
#define PACKET_SCEP_H

void proto_register_scep(void);
void proto_reg_handoff_scep(void);

#endif
