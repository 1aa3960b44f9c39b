/* models/electrical/share.c - how a node group's load splits over the
 * feeds and PDUs it is cabled to, with or without a lost feed.
 *
 * A node's power supplies share its load evenly over the feeds it is
 * cabled to (each feed its 1/nf), and on each feed evenly over the node's
 * PDUs there (1/on_h of that); a lost feed carries nothing and its share
 * moves to the surviving feeds, which is the A/B behaviour of dual-corded
 * servers (docs/MODELS.md, "Load flow"). PSU limits after a loss are not
 * modelled here yet: the surviving supplies carry the whole load.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "models/electrical/electrical.h"

/* Distinct feeds among feed[0..n) but lost; and how many of the PDUs are
 * on feed h. */
static int distinct_feeds(const int *feed, int n, int lost, int h,
                          int *on_h)
{
    int seen[64], ns = 0;
    *on_h = 0;
    for (int q = 0; q < n; q++) {
        int f = feed[q];
        if (f == h)
            (*on_h)++;
        if (f == lost)
            continue;
        int dup = 0;
        for (int k = 0; k < ns; k++)
            dup |= seen[k] == f;
        if (!dup && ns < 64)
            seen[ns++] = f;
    }
    return ns;
}

double wsi_share_pdu(const int *feed, int n, int q, int lost)
{
    int h = feed[q], on_h;
    if (h == lost)
        return 0.0;
    int nf = distinct_feeds(feed, n, lost, h, &on_h);
    return 1.0 / ((double)nf * (double)on_h);
}

double wsi_share_lost(const int *feed, int n, int lost)
{
    for (int q = 0; q < n; q++)
        if (feed[q] != lost)
            return 0.0;
    return n > 0 ? 1.0 : 0.0; /* every supply on the lost feed */
}

double wsi_share_feed(const int *feed, int n, int h, int lost)
{
    int on_h;
    if (h == lost)
        return 0.0;
    int nf = distinct_feeds(feed, n, lost, h, &on_h);
    return on_h && nf ? 1.0 / nf : 0.0;
}
