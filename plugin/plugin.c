/* plugin.c — the symbols Wireshark looks for in an epan plugin, written by hand (Wireshark's
 * own helper generates this file with Python; this project builds without Python).
 *
 * Wireshark 4.0 loads plugin_version, plugin_want_major/minor and calls plugin_register.
 * 4.2 added plugin_describe (a WS_PLUGIN_DESC_* bitmask). Development snapshots of 4.5/4.7
 * briefly used a single entry point, wireshark_load_module, behind WIRESHARK_PLUGIN_REGISTER;
 * when that macro exists it is used instead. Symbols are declared WS_DLL_PUBLIC (extern with
 * default visibility) and then defined, which works whether or not the headers still provide
 * WS_DLL_PUBLIC_DEF or declare these symbols themselves (wsutil/plugin_exports.h). */
#ifndef WS_BUILD_DLL
#define WS_BUILD_DLL
#endif
#include <ws_version.h>
#include <ws_symbol_export.h>
#include <epan/proto.h>
/* 4.2 and later declare WS_PLUGIN_DESC_* (and later the module API) here; 4.0 does not install
 * the header. */
#if defined(__has_include)
#if __has_include(<wsutil/plugins.h>)
#include <wsutil/plugins.h>
#endif
#endif

#include "scep-register.h"

#ifndef SCEP_PLUGIN_VERSION
#define SCEP_PLUGIN_VERSION "0.0.0"
#endif

#if defined(WIRESHARK_PLUGIN_REGISTER_EPAN)

static void scep_plugin_register(void)
{
    static proto_plugin plug;
    plug.register_protoinfo = proto_register_scep;
    plug.register_handoff = proto_reg_handoff_scep;
    proto_register_plugin(&plug);
}

static struct ws_module scep_module = {
    .flags = WS_PLUGIN_DESC_DISSECTOR,
    .version = SCEP_PLUGIN_VERSION,
    .spdx_id = "GPL-2.0-or-later",
    .home_url = "",
    .blurb = "Simple Certificate Enrollment Protocol (SCEP, RFC 8894) on libscepdec",
    .register_cb = &scep_plugin_register,
};

WIRESHARK_PLUGIN_REGISTER_EPAN(&scep_module, 0)

#else

WS_DLL_PUBLIC const char plugin_version[];
WS_DLL_PUBLIC const int plugin_want_major;
WS_DLL_PUBLIC const int plugin_want_minor;
WS_DLL_PUBLIC void plugin_register(void);

const char plugin_version[] = SCEP_PLUGIN_VERSION;
const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

void plugin_register(void)
{
    static proto_plugin plug;
    plug.register_protoinfo = proto_register_scep;
    plug.register_handoff = proto_reg_handoff_scep;
    proto_register_plugin(&plug);
}

#ifdef WS_PLUGIN_DESC_DISSECTOR
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

#endif
