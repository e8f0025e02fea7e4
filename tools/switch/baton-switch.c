/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * baton-switch - move a running cluster's resources from the standard agents
 * to baton's (or back) without restarting anything.
 *
 * The steps of --apply, and why each is safe:
 *   1. wait until the cluster has nothing to do, and note where every
 *      resource runs and in which role;
 *   2. give each resource its new definition with is-managed=false: the
 *      cluster now neither stops nor starts it, whatever it learns;
 *   3. refresh it: its history is forgotten and every node probes it with the
 *      new agent (a probe only looks);
 *   4. when every probe put it exactly where it was, the original meta
 *      attributes come back and the cluster manages it again, finding nothing
 *      to do; otherwise the old definition comes back the same way.
 * A fence device is the one exception Pacemaker makes: its executor reports a
 * refreshed device stopped until it is started again, so a moved device is
 * registered once more with pacemaker-fenced (a start that touches no node).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <baton/param.h>
#include <baton/strutil.h>

#include "switch-cluster.h"
#include "switch.h"

#define DEFAULT_TIMEOUT_S 120
/* validate-all reads the parameters and looks at this node; it needs no cluster. */
#define AGENT_VALIDATE_TIMEOUT_MS 20000
#define EXIT_BLOCKED 1
#define EXIT_USAGE 2

typedef struct options {
    bool apply;
    switch_direction dir;
    const char *cib_file;
    char **only;                /* --resource IDs, NULL-terminated; NULL: all */
    size_t n_only;
    int64_t timeout_ms;
} options;

typedef enum outcome {
    OUTCOME_PLANNED = 0,
    OUTCOME_MOVED,
    OUTCOME_RESTORED,           /* the old definition is back, managed */
    OUTCOME_STUCK,              /* left unmanaged: the admin must look */
} outcome;

typedef struct plan {
    switch_item **items;
    size_t n;
    outcome *result;
    char **why;                 /* per item: why it did not move */
} plan;

static void plan_clear(plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        switch_item_free(p->items[i]);
        free(p->why[i]);
    }
    free(p->items);
    free(p->result);
    free(p->why);
    *p = (plan) { 0 };
}

static void usage(FILE *out)
{
    fputs("usage: baton-switch [--apply] [--back] [--resource ID]... [--cib FILE] [--timeout SECONDS]\n"
          "\n"
          "Lists every resource and fence device of the standard agents that baton replaces\n"
          "(IPaddr2, VirtualDomain, slapd, ocf:linbit:drbd, fence_ipmilan, fence_virsh), with\n"
          "its baton definition and what cannot be carried over. With --apply, moves them\n"
          "without restarting anything: each is probed by its new agent on every node and\n"
          "managed again only where it was found exactly as before; otherwise its old\n"
          "definition comes back.\n"
          "\n"
          "  --apply           change the running cluster (default: only show the plan)\n"
          "  --back            from baton back to the standard agents\n"
          "  --resource ID     only this resource (repeatable)\n"
          "  --cib FILE        plan from a CIB file (cibadmin --query) instead of the cluster\n"
          "  --timeout SECONDS for each wait on the cluster (default 120)\n"
          "\n"
          "Exit: 0 every resource moved (or, without --apply, can move), 1 some cannot or\n"
          "did not, 2 usage or cluster errors.\n", out);
}

static int parse_options(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        { "apply", no_argument, NULL, 'a' },
        { "back", no_argument, NULL, 'b' },
        { "resource", required_argument, NULL, 'r' },
        { "cib", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    *o = (options) { .dir = SWITCH_TO_BATON, .timeout_ms = DEFAULT_TIMEOUT_S * 1000 };
    while ((c = getopt_long(argc, argv, "abr:c:t:h", longopts, NULL)) != -1) {
        char *end;
        long v;
        char **grown;

        switch (c) {
        case 'a': o->apply = true; break;
        case 'b': o->dir = SWITCH_TO_STANDARD; break;
        case 'c': o->cib_file = optarg; break;
        case 'r':
            grown = realloc(o->only, (o->n_only + 2) * sizeof(*grown));
            if (!grown)
                return -ENOMEM;
            o->only = grown;
            o->only[o->n_only++] = optarg;
            o->only[o->n_only] = NULL;
            break;
        case 't':
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (errno || *end || v < 1 || v > 3600) {
                fprintf(stderr, "baton-switch: --timeout takes seconds, 1 to 3600\n");
                return -EINVAL;
            }
            o->timeout_ms = v * 1000;
            break;
        case 'h': usage(stdout); exit(0);
        default: return -EINVAL;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "baton-switch: unexpected argument '%s'\n", argv[optind]);
        return -EINVAL;
    }
    if (o->apply && o->cib_file) {
        fprintf(stderr, "baton-switch: --apply changes the running cluster; --cib is for plans\n");
        return -EINVAL;
    }
    return 0;
}

/* ------------------------------------------------------------------ the plan */

static bool wanted(const options *o, const char *id)
{
    return !o->only || switch_names_contain(o->only, id);
}

static int plan_add(plan *p, switch_item *it)
{
    switch_item **items = realloc(p->items, (p->n + 1) * sizeof(*items));
    outcome *result;
    char **why;

    if (!items)
        return -ENOMEM;
    p->items = items;
    result = realloc(p->result, (p->n + 1) * sizeof(*result));
    if (!result)
        return -ENOMEM;
    p->result = result;
    why = realloc(p->why, (p->n + 1) * sizeof(*why));
    if (!why)
        return -ENOMEM;
    p->why = why;
    p->items[p->n] = it;
    p->result[p->n] = OUTCOME_PLANNED;
    p->why[p->n] = NULL;
    p->n++;
    return 0;
}

/* Its clone's own meta attributes make it promotable (Pacemaker 2.1; <master> is the old form). */
static bool in_promotable_clone(xmlNodePtr primitive)
{
    xmlNodePtr parent = primitive->parent;

    if (!parent || parent->type != XML_ELEMENT_NODE)
        return false;
    if (switch_xml_is(parent, "master"))
        return true;
    if (!switch_xml_is(parent, "clone"))
        return false;
    for (xmlNodePtr set = parent->children; set; set = set->next) {
        if (!switch_xml_is(set, "meta_attributes"))
            continue;
        for (xmlNodePtr nv = set->children; nv; nv = nv->next) {
            xmlChar *name, *value;
            bool yes;

            if (!switch_xml_is(nv, "nvpair"))
                continue;
            name = xmlGetProp(nv, BAD_CAST "name");
            value = xmlGetProp(nv, BAD_CAST "value");
            yes = name && value && xmlStrcmp(name, BAD_CAST "promotable") == 0 &&
                  baton_value_means("true", (const char *) value);
            xmlFree(name);
            xmlFree(value);
            if (yes)
                return true;
        }
    }
    return false;
}

/* Every <primitive> under <resources>, in groups, clones and bundles too. */
static int collect(plan *p, const switch_agents *agents, const options *o, xmlNodePtr parent)
{
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        baton_autofree char *spec = NULL;
        xmlChar *id = NULL;
        const switch_agent *a;
        switch_direction dir;
        switch_item *it = NULL;
        int r;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!switch_xml_is(c, "primitive")) {
            if ((r = collect(p, agents, o, c)) < 0)
                return r;
            continue;
        }
        spec = switch_primitive_agent(c);
        a = spec ? switch_agents_find(agents, spec, &dir) : NULL;
        id = xmlGetProp(c, BAD_CAST "id");
        if (!a || dir != o->dir || !id || !wanted(o, (const char *) id)) {
            xmlFree(id);
            continue;
        }
        xmlFree(id);
        r = switch_map(a, dir, c, &it);
        if (r == 0) {
            it->promotable = in_promotable_clone(c);
            if (!it->blocked)
                r = switch_validate(it, dir, AGENT_VALIDATE_TIMEOUT_MS);
        }
        if (r == 0)
            r = plan_add(p, it);
        if (r < 0) {
            switch_item_free(it);
            return r;
        }
    }
    return 0;
}

static xmlNodePtr resources_of(xmlDocPtr cib)
{
    xmlNodePtr root = xmlDocGetRootElement(cib);

    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
        if (!switch_xml_is(c, "configuration"))
            continue;
        for (xmlNodePtr k = c->children; k; k = k->next)
            if (switch_xml_is(k, "resources"))
                return k;
    }
    return NULL;
}

/* Parameter values that are secrets stay in the CIB, not on the terminal. */
static bool secret_name(const char *name)
{
    return strstr(name, "passw") || strstr(name, "secret");
}

static void print_parameters(xmlDocPtr def)
{
    xmlNodePtr root = xmlDocGetRootElement(def);

    printf("    new:");
    for (xmlNodePtr set = root->children; set; set = set->next) {
        if (!switch_xml_is(set, "instance_attributes"))
            continue;
        for (xmlNodePtr nv = set->children; nv; nv = nv->next) {
            xmlChar *name, *value;

            if (!switch_xml_is(nv, "nvpair"))
                continue;
            name = xmlGetProp(nv, BAD_CAST "name");
            value = xmlGetProp(nv, BAD_CAST "value");
            if (name)
                printf(" %s=%s", (const char *) name,
                       secret_name((const char *) name) ? "****"
                           : value ? (const char *) value : "");
            xmlFree(name);
            xmlFree(value);
        }
    }
    putchar('\n');
}

static void print_item(const switch_item *it)
{
    static const char *const label[] = {
        [SWITCH_KEEP] = "kept",
        [SWITCH_DROP] = "left out",
        [SWITCH_BLOCK] = "CANNOT MOVE",
    };

    printf("%s: %s -> %s%s\n", it->id, it->from, it->to,
           it->blocked ? "  (stays: see below)" : "");
    if (!it->blocked)
        print_parameters(it->new_def);
    for (size_t i = 0; i < it->n_notes; i++)
        printf("    %s: %s\n", label[it->notes[i].verdict], it->notes[i].text);
    if (it->fence && !it->blocked)
        printf("    note: a fence device is registered again with pacemaker-fenced (one start, "
               "nothing is fenced)\n");
}

/* ------------------------------------------------------------------ apply */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    printf("[%02d:%02d:%02d] ", tm.tm_hour, tm.tm_min, tm.tm_sec);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static void item_fails(plan *p, size_t i, outcome o, char *why)
{
    p->result[i] = o;
    free(p->why[i]);
    p->why[i] = why ? why : strdup("out of memory");
}

/* One item's definition from the old or the new side, unmanaged or as the admin wrote it. */
static int put_definition(const switch_item *it, bool new_side, bool unmanaged, int64_t timeout_ms,
                          char **ret_error)
{
    xmlDocPtr def = new_side ? it->new_def : it->old_def;
    xmlDocPtr unm = unmanaged ? switch_def_unmanaged(def) : NULL;
    int r;

    if (unmanaged && !unm)
        return -ENOMEM;
    r = switch_cib_replace(unmanaged ? unm : def, timeout_ms, ret_error);
    xmlFreeDoc(unm);
    return r;
}

/*
 * Until every node has probed every listed item with the agent of its side,
 * or the time is up. The settle before it covers the usual case; this catches
 * a transition that had not begun when crm_resource looked.
 */
static void wait_probed(const plan *p, const outcome *which, outcome o, bool new_side,
                        const options *opt)
{
    int64_t waited = 0;

    for (;;) {
        xmlDocPtr cib = NULL;
        bool all = true;

        if (switch_cib_query(opt->timeout_ms, &cib, NULL) == 0) {
            for (size_t i = 0; i < p->n && all; i++) {
                const switch_item *it = p->items[i];

                if (which[i] == o)
                    all = switch_probed_everywhere(cib, it->id, new_side ? it->to : it->from, NULL);
            }
            xmlFreeDoc(cib);
        } else {
            all = false;
        }
        if (all || waited >= opt->timeout_ms)
            return;
        usleep(500 * 1000);
        waited += 500;
        if (waited % 5000 == 0)
            (void) switch_settle(opt->timeout_ms, NULL);
    }
}

/* Refresh the items in state o, wait for their probes, and compare with before. */
static void probe_and_compare(plan *p, outcome o, bool new_side, const switch_placement *before,
                              const options *opt, bool *ret_ok)
{
    switch_placement after = { 0 };
    baton_autofree char *error = NULL;

    for (size_t i = 0; i < p->n; i++) {
        ret_ok[i] = false;
        if (p->result[i] != o)
            continue;
        if (switch_refresh(p->items[i]->id, opt->timeout_ms, &error) < 0)
            say("%s: refresh failed: %s", p->items[i]->id, error);
    }
    if (switch_settle(opt->timeout_ms, &error) < 0)
        say("the cluster did not settle: %s", error);
    wait_probed(p, p->result, o, new_side, opt);
    if (switch_placement_read(opt->timeout_ms, &after, &error) < 0) {
        say("cannot read where the resources are: %s", error);
        return;
    }
    for (size_t i = 0; i < p->n; i++) {
        const switch_item *it = p->items[i];
        baton_autofree char *was = NULL;
        baton_autofree char *now = NULL;
        bool failed;

        if (p->result[i] != o)
            continue;
        was = switch_placement_of(before, it->id);
        now = switch_placement_of(&after, it->id);
        if (!was || !now)
            continue;
        /* The executor forgets a fence device's registration: stopped is what its probe says. */
        failed = switch_placement_failed(&after, it->id);
        ret_ok[i] = !failed &&
                    (strcmp(was, now) == 0 || (it->fence && strcmp(now, "stopped") == 0));
        say("%s: the %s agent %s finds it: %s%s (the cluster had: %s)%s", it->id,
            new_side ? "new" : "old", new_side ? it->to : it->from, now,
            failed ? ", and a failed probe" : "", was, ret_ok[i] ? "" : "  MISMATCH");
    }
    switch_placement_clear(&after);
}

static int apply(plan *p, const options *opt)
{
    switch_placement before = { 0 };
    baton_autofree char *error = NULL;
    baton_autofree bool *ok = calloc(p->n + 1, sizeof(*ok));
    size_t n_moving = 0;

    if (!ok)
        return -ENOMEM;
    say("waiting until the cluster has nothing to do");
    if (switch_settle(opt->timeout_ms, &error) < 0 ||
        switch_placement_read(opt->timeout_ms, &before, &error) < 0) {
        fprintf(stderr, "baton-switch: %s\n", error);
        return -EIO;
    }
    for (size_t i = 0; i < p->n; i++) {
        const switch_item *it = p->items[i];

        if (it->blocked) {
            item_fails(p, i, OUTCOME_RESTORED, strdup("cannot be carried over (see the plan)"));
            continue;
        }
        if (switch_placement_failed(&before, it->id)) {
            item_fails(p, i, OUTCOME_RESTORED, strdup("it has failed: clean it up first "
                                                       "(crm_resource --cleanup)"));
            continue;
        }
        if (put_definition(it, true, true, opt->timeout_ms, &error) < 0) {
            item_fails(p, i, OUTCOME_RESTORED, baton_strdup_printf("the CIB refused the new "
                                                                    "definition: %s", error));
            (void) put_definition(it, false, false, opt->timeout_ms, NULL);
            continue;
        }
        say("%s: unmanaged, agent now %s", it->id, it->to);
        n_moving++;
    }
    if (n_moving > 0) {
        say("probing with the new agents on every node");
        probe_and_compare(p, OUTCOME_PLANNED, true, &before, opt, ok);
    }
    for (size_t i = 0; i < p->n; i++) {
        if (p->result[i] != OUTCOME_PLANNED)
            continue;
        if (ok[i] && put_definition(p->items[i], true, false, opt->timeout_ms, &error) == 0) {
            p->result[i] = OUTCOME_MOVED;
            say("%s: managed again by the cluster, on %s", p->items[i]->id, p->items[i]->to);
            continue;
        }
        item_fails(p, i, OUTCOME_STUCK, ok[i]
                   ? baton_strdup_printf("the CIB refused the managed definition: %s", error)
                   : strdup("the new agent did not find it where the cluster had it"));
        if (put_definition(p->items[i], false, true, opt->timeout_ms, &error) < 0)
            say("%s: cannot put the old definition back: %s", p->items[i]->id, error);
    }
    for (size_t i = 0; i < p->n; i++) {
        if (p->result[i] != OUTCOME_STUCK)
            continue;
        say("putting the old definitions back where the new agent disagreed");
        probe_and_compare(p, OUTCOME_STUCK, false, &before, opt, ok);
        for (size_t k = 0; k < p->n; k++) {
            if (p->result[k] == OUTCOME_STUCK && ok[k] &&
                put_definition(p->items[k], false, false, opt->timeout_ms, &error) == 0)
                p->result[k] = OUTCOME_RESTORED;
        }
        break;
    }
    switch_placement_clear(&before);
    if (switch_settle(opt->timeout_ms, &error) < 0)
        say("the cluster did not settle afterwards: %s", error);
    return 0;
}

static int report(const plan *p, bool applied)
{
    int rc = 0;

    for (size_t i = 0; i < p->n; i++) {
        const switch_item *it = p->items[i];

        if (!applied) {
            if (it->blocked)
                rc = EXIT_BLOCKED;
            continue;
        }
        switch (p->result[i]) {
        case OUTCOME_MOVED:
            printf("moved:     %s (%s -> %s)\n", it->id, it->from, it->to);
            break;
        case OUTCOME_RESTORED:
            printf("not moved: %s stays on %s: %s\n", it->id, it->from, p->why[i]);
            rc = EXIT_BLOCKED;
            break;
        default:
            printf("UNMANAGED: %s: %s; it is left unmanaged on %s: check it, then "
                   "crm_resource --resource %s --manage\n", it->id,
                   p->why[i] ? p->why[i] : "not probed", it->from, it->id);
            rc = EXIT_BLOCKED;
            break;
        }
    }
    return rc;
}

int main(int argc, char **argv)
{
    options opt;
    switch_agents agents = { 0 };
    plan p = { 0 };
    xmlDocPtr cib = NULL;
    xmlNodePtr resources;
    baton_autofree char *error = NULL;
    int rc = EXIT_USAGE;

    if (parse_options(argc, argv, &opt) < 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (switch_agents_load(&agents, &error) < 0) {
        fprintf(stderr, "baton-switch: %s\n", error ? error : "out of memory");
        goto out;
    }
    if ((opt.cib_file ? switch_cib_read_file(opt.cib_file, &cib, &error)
                      : switch_cib_query(opt.timeout_ms, &cib, &error)) < 0) {
        fprintf(stderr, "baton-switch: %s\n", error ? error : "out of memory");
        goto out;
    }
    resources = resources_of(cib);
    if (!resources || collect(&p, &agents, &opt, resources) < 0) {
        fprintf(stderr, "baton-switch: the CIB has no resources section, or out of memory\n");
        goto out;
    }
    for (size_t i = 0; i < opt.n_only; i++) {
        bool found = false;

        for (size_t k = 0; k < p.n; k++)
            found |= strcmp(p.items[k]->id, opt.only[i]) == 0;
        if (!found) {
            fprintf(stderr, "baton-switch: %s is no resource of an agent to move %s\n",
                    opt.only[i], opt.dir == SWITCH_TO_BATON ? "to baton" : "back");
            goto out;
        }
    }
    if (p.n == 0)
        printf("nothing to move %s\n", opt.dir == SWITCH_TO_BATON ? "to baton" : "back");
    for (size_t i = 0; i < p.n; i++)
        print_item(p.items[i]);
    if (opt.apply && p.n > 0 && apply(&p, &opt) < 0)
        goto out;
    rc = report(&p, opt.apply);
out:
    xmlFreeDoc(cib);
    plan_clear(&p);
    switch_agents_clear(&agents);
    free(opt.only);
    return rc;
}
