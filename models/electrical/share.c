/* models/electrical/share.c - how one node's load splits over the PDUs
 * and feeds it is cabled to, with some PDUs dead (a failure case).
 *
 * With its PSUs modelled, a node's PSUs that are up share its load
 * evenly (active current sharing): PDU q carries up_q / up. Without, the
 * load splits evenly over the feeds it is cabled to, and on each feed
 * evenly over its PDUs there (the A/B behaviour of dual-corded servers).
 * Either way a dead PDU carries nothing and its share moves to the live
 * ones; with no live PDU the load has no path and is lost (the engine
 * counts it so). docs/MODELS.md 5.1.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "models/electrical/electrical.h"

static int alive(const wsi_cabling *c, int q, const unsigned char *dead)
{
    return !dead || !dead[c->pdu[q]];
}

/* Without PSUs: live feeds, and live PDUs on feed h. */
static int live_feeds(const wsi_cabling *c, const unsigned char *dead,
                      int h, int *on_h)
{
    int seen[WSI_REDUNDANCY_MAX_SIDES], ns = 0;
    *on_h = 0;
    for (int q = 0; q < c->n; q++) {
        if (!alive(c, q, dead))
            continue;
        int f = c->feed[q], dup = 0;
        if (f == h)
            (*on_h)++;
        for (int k = 0; k < ns; k++)
            dup |= seen[k] == f;
        if (!dup && ns < WSI_REDUNDANCY_MAX_SIDES)
            seen[ns++] = f;
    }
    return ns;
}

int wsi_cabling_up(const wsi_cabling *c, const unsigned char *dead)
{
    int up = 0;
    for (int q = 0; q < c->n; q++)
        if (alive(c, q, dead))
            up += c->psu ? c->psu[q] : 1;
    return c->psu ? up : up > 0;
}

double wsi_cabling_share(const wsi_cabling *c, int q,
                         const unsigned char *dead)
{
    if (!alive(c, q, dead))
        return 0.0;
    if (c->psu) {
        int up = wsi_cabling_up(c, dead);
        return up > 0 ? (double)c->psu[q] / (double)up : 0.0;
    }
    int on_h;
    int nf = live_feeds(c, dead, c->feed[q], &on_h);
    return 1.0 / ((double)nf * (double)on_h);
}

double wsi_cabling_share_feed(const wsi_cabling *c, int h,
                              const unsigned char *dead)
{
    double s = 0;
    for (int q = 0; q < c->n; q++)
        if (c->feed[q] == h)
            s += wsi_cabling_share(c, q, dead);
    return s;
}
