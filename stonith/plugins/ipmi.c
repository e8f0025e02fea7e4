/* SPDX-License-Identifier: GPL-3.0-or-later (links libfreeipmi, GPL-3.0-or-later) */
/*
 * IPMI over LAN with libfreeipmi: IPMI 2.0 (lanplus, RMCP+) by default,
 * IPMI 1.5 with lanplus=0. One session per invocation, opened lazily and
 * reopened when the remaining time is shorter than the session timeout it
 * was opened with, so no request can outlive the agent's deadline by more
 * than the retransmission slack. The front end does the polling.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <freeipmi/freeipmi.h>

#include <baton/stonith.h>
#include <baton/strutil.h>

#define IPMI_PORT_DEFAULT 623
/* RMCP+ limits (IPMI 2.0 spec 13.x); IPMI 1.5 allows 16-byte passwords. */
#define IPMI_USERNAME_MAX 16
#define IPMI_PASSWORD_MAX_2_0 20
#define IPMI_PASSWORD_MAX_1_5 16
#define IPMI_KG_MAX 20
/* Below this a session cannot even be negotiated; report the timeout instead. */
#define SESSION_TIMEOUT_MIN_MS 200

struct baton_stonith_device {
    char *hostname;                     /* "host" or "host:port" as FreeIPMI takes it */
    const char *username;               /* the config's strings: valid until destroy */
    const char *password;
    bool lanplus;
    uint8_t cipher;
    uint8_t privilege;
    uint8_t auth_type;
    unsigned workarounds;
    unsigned char kg[IPMI_KG_MAX];
    unsigned kg_len;
    int64_t request_timeout_ms;
    ipmi_ctx_t ctx;
    int64_t session_timeout_ms;         /* what the open session was opened with */
};

static const char *const privlvl_options[] = { "callback", "user", "operator", "administrator", NULL };
static const char *const auth_options[] = { "md5", "password", "none", NULL };

static const baton_stonith_param ipmi_params[] = {
    { .name = "ip", .type = BATON_STONITH_PARAM_STRING, .required = true,
      .deprecated_name = "ipaddr", .getopt_short = 'a', .getopt_arg = "ip",
      .shortdesc = "IP address or hostname of the BMC" },
    { .name = "ipport", .type = BATON_STONITH_PARAM_INTEGER, .default_value = "623",
      .getopt_short = 'u', .getopt_arg = "port",
      .shortdesc = "UDP port of the BMC" },
    { .name = "username", .type = BATON_STONITH_PARAM_STRING, .deprecated_name = "login",
      .getopt_short = 'l', .getopt_arg = "name",
      .shortdesc = "Login name (empty: the anonymous user)" },
    { .name = "password", .type = BATON_STONITH_PARAM_STRING, .secret = true,
      .deprecated_name = "passwd", .getopt_short = 'p', .getopt_arg = "password",
      .shortdesc = "Login password (prefer stdin, password_script or password_file: "
                   "the command line is visible to every user)" },
    { .name = "lanplus", .type = BATON_STONITH_PARAM_BOOLEAN, .default_value = "1",
      .getopt_short = 'P',
      .shortdesc = "Use IPMI 2.0 (lanplus, RMCP+); lanplus=0 selects IPMI 1.5" },
    { .name = "cipher", .type = BATON_STONITH_PARAM_INTEGER, .default_value = "3",
      .getopt_short = 'C', .getopt_arg = "cipher",
      .shortdesc = "IPMI 2.0 cipher suite (3: HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128)" },
    { .name = "hexadecimal_kg", .type = BATON_STONITH_PARAM_STRING, .secret = true,
      .getopt_long = "hexadecimal-kg", .getopt_arg = "key",
      .shortdesc = "Hexadecimal-encoded K_g key for IPMI 2.0 authentication" },
    { .name = "privlvl", .type = BATON_STONITH_PARAM_SELECT, .default_value = "administrator",
      .options = privlvl_options, .getopt_short = 'L', .getopt_arg = "level",
      .shortdesc = "Privilege level on the BMC (chassis control needs operator)" },
    { .name = "auth", .type = BATON_STONITH_PARAM_SELECT, .default_value = "md5",
      .options = auth_options, .getopt_short = 'A', .getopt_arg = "auth",
      .shortdesc = "IPMI 1.5 authentication type (lanplus=0 only)" },
    { .name = "ipmi_workarounds", .type = BATON_STONITH_PARAM_STRING, .getopt_arg = "flags",
      .shortdesc = "Comma-separated FreeIPMI workaround flags (as ipmipower -W), e.g. "
                   "opensesspriv (without it, a refused IPMI 2.0 session is retried once "
                   "with it, as ipmitool asks)" },
    { .name = "ipmi_timeout", .type = BATON_STONITH_PARAM_SECOND, .default_value = "5",
      .getopt_arg = "seconds",
      .shortdesc = "Seconds to wait for the BMC to answer one request (FreeIPMI session "
                   "timeout; always within the agent's deadline)" },
    { .name = NULL },
};

/*
 * What becomes of fence_ipmilan's parameters that are not declared above
 * with the same name and meaning (fence_ipmilan -o metadata; make check
 * compares). The front end decides fence-agents' common options itself.
 */
static const baton_stonith_standard_param ipmi_standard[] = {
    { .name = "lanplus", .decision = BATON_STONITH_DECISION_DIFFERS,
      .why = "IPMI 2.0 (lanplus=1) is the default; fence_ipmilan's is IPMI 1.5 (lanplus=0)" },
    { .name = "cipher", .decision = BATON_STONITH_DECISION_DIFFERS,
      .why = "defaults to cipher suite 3; fence_ipmilan leaves it to ipmitool (3 or 17, "
             "by version)" },
    { .name = "power_wait", .decision = BATON_STONITH_DECISION_DIFFERS,
      .why = "defaults to 0: the power state is polled until it changed; fence_ipmilan "
             "waits 2 s" },
    { .name = "stonith_status_sleep", .decision = BATON_STONITH_DECISION_DIFFERS,
      .why = "defaults to 0.5 s; fence_ipmilan's is 1 s" },
    { .name = "target", .decision = BATON_STONITH_DECISION_REFUSED,
      .why = "bridging requests to another controller (ipmitool -t) is not implemented",
      .instead = "address the target's own BMC with ip=, or keep fence_ipmilan for bridged targets" },
    { .name = "port_as_ip", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "false",
      .why = "the plug as the BMC's address is not implemented",
      .instead = "configure one fence_baton_ipmi device per BMC (ip=, pcmk_host_list=NODE)" },
    { .name = "ipmitool_path", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "no ipmitool is run: libfreeipmi talks to the BMC in-process" },
    { .name = "ipmitool_timeout", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "ipmitool's retransmission interval; FreeIPMI retransmits by itself within "
             "ipmi_timeout (default 5 s), which bounds each request" },
    { .name = "use_sudo", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "no program is run, so none needs sudo" },
    { .name = "sudo", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "the old name of use_sudo: no program is run, so none needs sudo" },
    { .name = "sudo_path", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "no program is run, so none needs sudo" },
    { .name = NULL },
};

typedef struct workaround_name {
    const char *name;
    unsigned flag_1_5;
    unsigned flag_2_0;
} workaround_name;

/* FreeIPMI's own names (ipmipower -W); 0: not applicable to that protocol version. */
static const workaround_name workaround_names[] = {
    { "authcap", IPMI_WORKAROUND_FLAGS_OUTOFBAND_AUTHENTICATION_CAPABILITIES,
      IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_AUTHENTICATION_CAPABILITIES },
    { "idzero", IPMI_WORKAROUND_FLAGS_OUTOFBAND_ACCEPT_SESSION_ID_ZERO, 0 },
    { "forcepermsg", IPMI_WORKAROUND_FLAGS_OUTOFBAND_FORCE_PERMSG_AUTHENTICATION, 0 },
    { "unexpectedauth", IPMI_WORKAROUND_FLAGS_OUTOFBAND_CHECK_UNEXPECTED_AUTHCODE, 0 },
    { "endianseq", IPMI_WORKAROUND_FLAGS_OUTOFBAND_BIG_ENDIAN_SEQUENCE_NUMBER, 0 },
    { "noauthcodecheck", IPMI_WORKAROUND_FLAGS_OUTOFBAND_NO_AUTH_CODE_CHECK, 0 },
    { "intel20", 0, IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_INTEL_2_0_SESSION },
    { "supermicro20", 0, IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_SUPERMICRO_2_0_SESSION },
    { "sun20", 0, IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_SUN_2_0_SESSION },
    { "opensesspriv", 0, IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_OPEN_SESSION_PRIVILEGE },
    { "integritycheckvalue", 0, IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_NON_EMPTY_INTEGRITY_CHECK_VALUE },
    { "nochecksumcheck", IPMI_WORKAROUND_FLAGS_OUTOFBAND_NO_CHECKSUM_CHECK,
      IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_NO_CHECKSUM_CHECK },
};

static baton_stonith_result parse_workarounds(const char *s, bool lanplus, unsigned *ret,
                                              baton_stonith_call *call)
{
    char *copy, *tok, *save = NULL;
    unsigned flags = 0;

    if (!s || !*s) {
        *ret = 0;
        return BATON_STONITH_OK;
    }
    copy = strdup(s);
    if (!copy)
        return baton_stonith_fail(call, BATON_STONITH_FAILED, "out of memory");
    for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        const workaround_name *w = NULL;
        unsigned f;

        for (size_t i = 0; i < sizeof(workaround_names) / sizeof(workaround_names[0]); i++)
            if (strcasecmp(tok, workaround_names[i].name) == 0)
                w = &workaround_names[i];
        f = w ? (lanplus ? w->flag_2_0 : w->flag_1_5) : 0;
        if (!f) {
            baton_stonith_result r = baton_stonith_fail(call, BATON_STONITH_BAD_CONFIG,
                "ipmi_workarounds: '%s' is %s", tok,
                w ? (lanplus ? "an IPMI 1.5 workaround (lanplus=0 only)"
                             : "an IPMI 2.0 workaround (lanplus=1 only)")
                  : "not a FreeIPMI workaround flag");
            free(copy);
            return r;
        }
        flags |= f;
    }
    free(copy);
    *ret = flags;
    return BATON_STONITH_OK;
}

static baton_stonith_result parse_kg(const char *s, baton_stonith_device *d, baton_stonith_call *call)
{
    size_t n;

    if (!s || !*s)
        return BATON_STONITH_OK;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    n = strlen(s);
    if (n % 2 || n / 2 > IPMI_KG_MAX)
        return baton_stonith_fail(call, BATON_STONITH_BAD_CONFIG,
                                  "hexadecimal_kg: an even number of hex digits, at most %d bytes",
                                  IPMI_KG_MAX);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = baton_hex_digit(s[2 * i]), lo = baton_hex_digit(s[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return baton_stonith_fail(call, BATON_STONITH_BAD_CONFIG,
                                      "hexadecimal_kg: not a hexadecimal string");
        d->kg[i] = (unsigned char) (hi << 4 | lo);
    }
    d->kg_len = (unsigned) (n / 2);
    return BATON_STONITH_OK;
}

static uint8_t privilege_of(const char *s)
{
    if (strcmp(s, "callback") == 0)
        return IPMI_PRIVILEGE_LEVEL_CALLBACK;
    if (strcmp(s, "user") == 0)
        return IPMI_PRIVILEGE_LEVEL_USER;
    if (strcmp(s, "operator") == 0)
        return IPMI_PRIVILEGE_LEVEL_OPERATOR;
    return IPMI_PRIVILEGE_LEVEL_ADMIN;
}

static uint8_t auth_type_of(const char *s)
{
    if (strcmp(s, "none") == 0)
        return IPMI_AUTHENTICATION_TYPE_NONE;
    if (strcmp(s, "password") == 0)
        return IPMI_AUTHENTICATION_TYPE_STRAIGHT_PASSWORD_KEY;
    return IPMI_AUTHENTICATION_TYPE_MD5;
}

static void ipmi_destroy(baton_stonith_device *d)
{
    if (!d)
        return;
    if (d->ctx) {
        ipmi_ctx_close(d->ctx);
        ipmi_ctx_destroy(d->ctx);
    }
    explicit_bzero(d->kg, sizeof(d->kg));
    free(d->hostname);
    free(d);
}

static baton_stonith_result ipmi_create(const baton_stonith_config *config, baton_stonith_call *call,
                                        baton_stonith_device **ret)
{
    baton_stonith_device *d = calloc(1, sizeof(*d));
    const char *ip = config->get(config, "ip");
    int64_t port = config->get_int(config, "ipport");
    int64_t cipher = config->get_int(config, "cipher");
    size_t pw_max;
    baton_stonith_result r;
    int k;

    if (!d)
        return baton_stonith_fail(call, BATON_STONITH_FAILED, "out of memory");
    d->username = config->get(config, "username");
    d->password = config->get(config, "password");
    d->lanplus = config->get_bool(config, "lanplus");
    d->privilege = privilege_of(config->get(config, "privlvl"));
    d->auth_type = auth_type_of(config->get(config, "auth"));
    d->request_timeout_ms = config->get_ms(config, "ipmi_timeout");
    r = BATON_STONITH_BAD_CONFIG;
    /* FreeIPMI resolves what it is given: a word like "-h" or "%s" must not reach it. */
    if (!ip || (!baton_ip_address_valid(ip) && !baton_host_name_valid(ip))) {
        call->set_error(call, "ip '%s' is neither an IP address nor a host name", ip ? ip : "");
        goto fail;
    }
    if (port < 1 || port > 65535) {
        call->set_error(call, "ipport %lld is not a UDP port", (long long) port);
        goto fail;
    }
    if (cipher < 0 || cipher > 255 || !IPMI_CIPHER_SUITE_ID_SUPPORTED((uint8_t) cipher)) {
        call->set_error(call, "cipher suite %lld is not supported by FreeIPMI", (long long) cipher);
        goto fail;
    }
    d->cipher = (uint8_t) cipher;
    if (d->username && strlen(d->username) > IPMI_USERNAME_MAX) {
        call->set_error(call, "username longer than %d characters", IPMI_USERNAME_MAX);
        goto fail;
    }
    pw_max = d->lanplus ? IPMI_PASSWORD_MAX_2_0 : IPMI_PASSWORD_MAX_1_5;
    if (d->password && strlen(d->password) > pw_max) {
        call->set_error(call, "password longer than %zu characters (IPMI %s)", pw_max,
                        d->lanplus ? "2.0" : "1.5");
        goto fail;
    }
    if (d->request_timeout_ms < SESSION_TIMEOUT_MIN_MS) {
        call->set_error(call, "ipmi_timeout below %d ms", SESSION_TIMEOUT_MIN_MS);
        goto fail;
    }
    r = parse_kg(config->get(config, "hexadecimal_kg"), d, call);
    if (r == BATON_STONITH_OK)
        r = parse_workarounds(config->get(config, "ipmi_workarounds"), d->lanplus,
                              &d->workarounds, call);
    if (r != BATON_STONITH_OK)
        goto fail;
    /* FreeIPMI takes "host:port"; an IPv6 literal needs brackets then. */
    if (port == IPMI_PORT_DEFAULT)
        k = asprintf(&d->hostname, "%s", ip);
    else if (strchr(ip, ':') && ip[0] != '[')
        k = asprintf(&d->hostname, "[%s]:%lld", ip, (long long) port);
    else
        k = asprintf(&d->hostname, "%s:%lld", ip, (long long) port);
    if (k < 0) {
        d->hostname = NULL;
        r = baton_stonith_fail(call, BATON_STONITH_FAILED, "out of memory");
        goto fail;
    }
    *ret = d;
    return BATON_STONITH_OK;
fail:
    ipmi_destroy(d);
    return r;
}

/* What a FreeIPMI error means for the cluster. */
static baton_stonith_result result_of_errnum(int e)
{
    switch (e) {
    case IPMI_ERR_USERNAME_INVALID:
    case IPMI_ERR_PASSWORD_INVALID:
    case IPMI_ERR_K_G_INVALID:
    case IPMI_ERR_PRIVILEGE_LEVEL_INSUFFICIENT:
    case IPMI_ERR_PRIVILEGE_LEVEL_CANNOT_BE_OBTAINED:
    case IPMI_ERR_AUTHENTICATION_TYPE_UNAVAILABLE:
    case IPMI_ERR_PASSWORD_VERIFICATION_TIMEOUT:
        return BATON_STONITH_AUTH_FAILED;
    case IPMI_ERR_CIPHER_SUITE_ID_UNAVAILABLE:
    case IPMI_ERR_IPMI_2_0_UNAVAILABLE:
    case IPMI_ERR_PARAMETERS:
        return BATON_STONITH_BAD_CONFIG;
    case IPMI_ERR_CONNECTION_TIMEOUT:
    case IPMI_ERR_SESSION_TIMEOUT:
    case IPMI_ERR_HOSTNAME_INVALID:
    case IPMI_ERR_BMC_BUSY:
        return BATON_STONITH_UNREACHABLE;
    case IPMI_ERR_COMMAND_INVALID_OR_UNSUPPORTED:
        return BATON_STONITH_UNSUPPORTED;
    default:
        return BATON_STONITH_FAILED;
    }
}

static baton_stonith_result ipmi_error(baton_stonith_device *d, baton_stonith_call *call,
                                       const char *what)
{
    int e = ipmi_ctx_errnum(d->ctx);
    baton_stonith_result r = result_of_errnum(e);

    call->set_error(call, "BMC %s: %s: %s", d->hostname, what, ipmi_ctx_errormsg(d->ctx));
    /* The session may be dead; the next call opens a fresh one. */
    ipmi_ctx_close(d->ctx);
    ipmi_ctx_destroy(d->ctx);
    d->ctx = NULL;
    return r;
}

/*
 * ipmitool (so fence_ipmilan) asks for the highest privilege the user has in
 * the RMCP+ Open Session Request; FreeIPMI asks for the privilege level
 * configured, and some BMCs (OpenIPMI's ipmi_sim among them) refuse that with
 * "privilege level cannot be obtained". FreeIPMI's opensesspriv workaround
 * asks as ipmitool does. Retried once, only when the user did not choose the
 * workaround flags for that case already.
 */
static bool opensesspriv_retry_wanted(const baton_stonith_device *d, int errnum)
{
    return d->lanplus && errnum == IPMI_ERR_PRIVILEGE_LEVEL_CANNOT_BE_OBTAINED &&
           !(d->workarounds & IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_OPEN_SESSION_PRIVILEGE);
}

/* A fresh context with a session, or -1 with the error in d->ctx (-ENOMEM: no context). */
static int session_open(baton_stonith_device *d, int64_t timeout, unsigned retrans)
{
    if (d->ctx) {
        ipmi_ctx_close(d->ctx);
        ipmi_ctx_destroy(d->ctx);
    }
    d->ctx = ipmi_ctx_create();
    if (!d->ctx)
        return -ENOMEM;
    if (d->lanplus)
        return ipmi_ctx_open_outofband_2_0(d->ctx, d->hostname, d->username, d->password,
                                           d->kg_len ? d->kg : NULL, d->kg_len, d->privilege,
                                           d->cipher, (unsigned) timeout, retrans,
                                           d->workarounds, IPMI_FLAGS_DEFAULT);
    return ipmi_ctx_open_outofband(d->ctx, d->hostname, d->username, d->password,
                                   d->auth_type, d->privilege, (unsigned) timeout, retrans,
                                   d->workarounds, IPMI_FLAGS_DEFAULT);
}

static baton_stonith_result ipmi_session(baton_stonith_device *d, baton_stonith_call *call)
{
    int64_t remaining = call->remaining_ms(call);
    int64_t timeout;
    unsigned retrans;
    int r;

    /*
     * FreeIPMI overruns its session timeout by up to a retransmission
     * interval or so: keep a fifth of what is left (at most 1 s) back.
     */
    if (remaining != INT64_MAX)
        remaining -= remaining / 5 < 1000 ? remaining / 5 : 1000;
    timeout = d->request_timeout_ms < remaining ? d->request_timeout_ms : remaining;

    if (d->ctx && d->session_timeout_ms <= remaining)
        return BATON_STONITH_OK;
    if (d->ctx) {
        ipmi_ctx_close(d->ctx);
        ipmi_ctx_destroy(d->ctx);
        d->ctx = NULL;
    }
    if (timeout < SESSION_TIMEOUT_MIN_MS)
        return baton_stonith_fail(call, BATON_STONITH_TIMED_OUT,
                                  "BMC %s: no time left to open a session", d->hostname);
    /* Retransmit a few times within one request timeout: UDP loses packets. */
    retrans = (unsigned) (timeout / 5);
    if (retrans < 100)
        retrans = 100;
    if (retrans > 1000)
        retrans = 1000;
    r = session_open(d, timeout, retrans);
    if (r == -ENOMEM)
        return baton_stonith_fail(call, BATON_STONITH_FAILED, "ipmi_ctx_create: %m");
    if (r < 0 && opensesspriv_retry_wanted(d, ipmi_ctx_errnum(d->ctx))) {
        char first[256];

        snprintf(first, sizeof(first), "%s", ipmi_ctx_errormsg(d->ctx));
        d->workarounds |= IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_OPEN_SESSION_PRIVILEGE;
        r = session_open(d, timeout, retrans);
        if (r == -ENOMEM)
            return baton_stonith_fail(call, BATON_STONITH_FAILED, "ipmi_ctx_create: %m");
        if (r < 0) {
            /*
             * The retry's answer is the one to report: ipmi_sim, for one,
             * refuses the privilege before it checks the password.
             */
            d->workarounds &= ~(unsigned) IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_OPEN_SESSION_PRIVILEGE;
            call->log(call, LOG_DEBUG, "BMC %s: first answer: %s", d->hostname, first);
            return ipmi_error(d, call, "cannot open a session (also not with the opensesspriv workaround)");
        }
        /* The flag stays set: a session reopened later in this call needs it too. */
        call->log(call, LOG_NOTICE, "BMC %s: session refused (%s); opened it again with the "
                  "opensesspriv workaround, as ipmitool asks; set ipmi_workarounds=opensesspriv "
                  "to skip the first attempt", d->hostname, first);
    }
    if (r < 0)
        return ipmi_error(d, call, "cannot open a session");
    d->session_timeout_ms = timeout;
    call->log(call, LOG_DEBUG, "IPMI %s session to %s open (timeout %lld ms)",
              d->lanplus ? "2.0" : "1.5", d->hostname, (long long) timeout);
    return BATON_STONITH_OK;
}

static baton_stonith_result chassis_power(baton_stonith_device *d, baton_stonith_call *call,
                                          baton_stonith_power *ret)
{
    fiid_obj_t rs;
    uint64_t on = 0;
    baton_stonith_result r;

    r = ipmi_session(d, call);
    if (r != BATON_STONITH_OK)
        return r;
    rs = fiid_obj_create(tmpl_cmd_get_chassis_status_rs);
    if (!rs)
        return baton_stonith_fail(call, BATON_STONITH_FAILED, "fiid_obj_create: %m");
    if (ipmi_cmd_get_chassis_status(d->ctx, rs) < 0) {
        fiid_obj_destroy(rs);
        return ipmi_error(d, call, "get chassis status");
    }
    if (fiid_obj_get(rs, "current_power_state.power_is_on", &on) != 1) {
        fiid_obj_destroy(rs);
        *ret = BATON_STONITH_POWER_UNKNOWN;
        return BATON_STONITH_OK;
    }
    fiid_obj_destroy(rs);
    *ret = on ? BATON_STONITH_POWER_ON : BATON_STONITH_POWER_OFF;
    return BATON_STONITH_OK;
}

static baton_stonith_result chassis_control(baton_stonith_device *d, baton_stonith_call *call,
                                            uint8_t what, const char *name)
{
    fiid_obj_t rs;
    baton_stonith_result r;

    r = ipmi_session(d, call);
    if (r != BATON_STONITH_OK)
        return r;
    rs = fiid_obj_create(tmpl_cmd_chassis_control_rs);
    if (!rs)
        return baton_stonith_fail(call, BATON_STONITH_FAILED, "fiid_obj_create: %m");
    if (ipmi_cmd_chassis_control(d->ctx, what, rs) < 0) {
        fiid_obj_destroy(rs);
        return ipmi_error(d, call, name);
    }
    fiid_obj_destroy(rs);
    call->log(call, LOG_DEBUG, "BMC %s: %s sent", d->hostname, name);
    return BATON_STONITH_OK;
}

static baton_stonith_result ipmi_status(baton_stonith_device *d, const char *plug,
                                        baton_stonith_call *call, baton_stonith_power *ret)
{
    (void) plug;
    return chassis_power(d, call, ret);
}

static baton_stonith_result ipmi_on(baton_stonith_device *d, const char *plug, baton_stonith_call *call)
{
    (void) plug;
    return chassis_control(d, call, IPMI_CHASSIS_CONTROL_POWER_UP, "chassis power up");
}

static baton_stonith_result ipmi_off(baton_stonith_device *d, const char *plug, baton_stonith_call *call)
{
    (void) plug;
    /* Power down is the hard off; soft shutdown would ask the (possibly hung) OS. */
    return chassis_control(d, call, IPMI_CHASSIS_CONTROL_POWER_DOWN, "chassis power down");
}

static baton_stonith_result ipmi_reboot(baton_stonith_device *d, const char *plug,
                                        baton_stonith_call *call)
{
    (void) plug;
    return chassis_control(d, call, IPMI_CHASSIS_CONTROL_POWER_CYCLE, "chassis power cycle");
}

static baton_stonith_result ipmi_diag(baton_stonith_device *d, const char *plug,
                                      baton_stonith_call *call)
{
    (void) plug;
    return chassis_control(d, call, IPMI_CHASSIS_CONTROL_PULSE_DIAGNOSTIC_INTERRUPT,
                           "chassis pulse diagnostic interrupt");
}

static baton_stonith_result ipmi_monitor(baton_stonith_device *d, baton_stonith_call *call)
{
    baton_stonith_power p = BATON_STONITH_POWER_UNKNOWN;

    /* A session proves the BMC answers and takes our credentials at our privilege. */
    return chassis_power(d, call, &p);
}

static const baton_stonith_plugin ipmi_plugin = {
    BATON_STONITH_PLUGIN_HEADER,
    .name = "ipmi",
    .version = "1.0",
    .shortdesc = "Fence agent for IPMI (FreeIPMI library, no ipmitool)",
    .longdesc = "fence_baton_ipmi powers a host off and on through its BMC with IPMI 2.0 "
                "(lanplus, default) or IPMI 1.5 over LAN, using libfreeipmi in-process: the "
                "password never appears on any command line. Off and on are confirmed by "
                "polling the chassis power state; a chassis already off counts as off, and "
                "reboot (off, confirm, on, confirm) powers an off chassis on.",
    .vendor_url = "https://www.gnu.org/software/freeipmi/",
    .params = ipmi_params,
    .create = ipmi_create,
    .destroy = ipmi_destroy,
    .status = ipmi_status,
    .on = ipmi_on,
    .off = ipmi_off,
    .reboot = ipmi_reboot,
    .monitor = ipmi_monitor,
    .diag = ipmi_diag,
    .standard_agent = "fence_ipmilan",
    .standard_params = ipmi_standard,
};

BATON_STONITH_PLUGIN_EXPORT(ipmi_plugin)
