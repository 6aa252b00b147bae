/* scep-register.h — what plugin.c needs from the dissector. */
#ifndef SCEP_REGISTER_H
#define SCEP_REGISTER_H

void proto_register_scep(void);
void proto_reg_handoff_scep(void);

#endif
