#!/bin/sh
# data/make-traces.sh [OUTDIR] - write the two SYNTHETIC power traces of
# data/traces/ (default OUTDIR: the traces/ folder beside this script).
#
# No measured log of these runs was available, so these files are made
# up: they follow the published statistics of the seed measurement and
# are written in the exact formats real tools write, so that the readers
# and `wattsim fit` can be tried on something realistic. They are not
# measurements; do not cite them as such.
#
# Source of the statistics: I. Latif et al., "Empirical Measurements of
# AI Training Power Demand on a GPU-Accelerated Node", IEEE Access 13
# (2025), arXiv:2412.08602, Sec. V and Table 1 (node AC power of an
# 8x H100 HGX node read from its rack PDUs at 1-minute intervals), as
# data/catalog.yaml quotes them:
#   ResNet-152 batch 512:  median 4.68 kW, max 5.02 kW, over 26 h
#   ResNet-152 batch 4096: median 6.26 kW, max 6.48 kW, 30 kWh in 5 h
#                          (a mean of 6.0 kW, below the median: the run
#                          spends time well below its steady power)
#
# resnet152-bs512.pdu.csv - a DCIM export of the node's PDU power:
#   ';'-separated, a decimal comma, kW with 3 decimals, the header
#   "Timestamp;Device;Active Power (kW)", one row a minute for 26 h
#   (1561 rows, 2024-03-04 08:00 to 2024-03-05 10:00, no time zone, as
#   such exports write local time). Node power = 4.68 kW + an AR(1)
#   fluctuation of standard deviation 0.11 kW and correlation time 2 min
#   (phi = exp(-1/2) = 0.60653 per minute), clipped at 5.02 kW. The
#   series is symmetric, so its mean is about its median: the paper's
#   123 kWh / 26 h = 4.73 kW is not reproduced (a mean 50 W above the
#   median cannot come from fluctuations that stop 340 W above it).
#
# resnet152-bs4096.nvidia-smi.csv - what
#     nvidia-smi --query-gpu=timestamp,index,power.draw,utilization.gpu \
#                --format=csv -l 5
#   prints: its header, then per query one row per GPU (0-7), e.g.
#     2024/03/05 09:00:00.123, 0, 677.81 W, 100 %
#   every 5 s for 2 h (1441 queries, 11528 rows). The node's power is a
#   steady 6.267 kW + an AR(1) fluctuation (sd 0.09 kW, correlation time
#   2 min: phi = exp(-5/120) = 0.959189 per 5 s), clipped at 6.48 kW,
#   with an evaluation dip every 20 min, the first 10 min in, each 75 s
#   long (15 samples) at 2.0 kW (+ noise of sd 0.02 kW). 75 s rather
#   than the catalogue's assumed 2 min: with dips a fraction 75/1200 =
#   6.25 % of the time the mean is 0.9375 x 6.267 + 0.0625 x 2.0 =
#   6.00 kW, the paper's 6.0 kW. The steady level is 6.267, not 6.26,
#   because the dips pull the whole run's median down to the steady
#   part's 46.7 % quantile (0.084 sd below its median): the file's median
#   is then the paper's 6.26 kW. Its maximum is 6.46 kW: two hours reach
#   the 6.48 kW ceiling less often than the paper's five. nvidia-smi sees only the GPUs: the host (CPUs,
#   memory, fans, NICs) is taken as a constant 0.84 kW, so the GPUs
#   share node - 0.84 kW, split over 8 GPUs with a fixed offset per GPU
#   (-9 to +9 W, summing to 0) and per-GPU noise (sd 3 W) made to sum to
#   0 in each query, so the 8 rows add up to the node's GPU share (to
#   the 0.01 W of the printed values). Read it back with the base load:
#     wattsim fit --format nvidia-smi --base 0.84kW FILE
#   In a dip each GPU draws (2.0 - 0.84) / 8 = 145 W (an idle H100 with
#   its memory allocated). Utilization is 97-100 % outside dips, 0-4 %
#   in them. The timestamps carry the query's milliseconds (100-179 ms
#   past each 5 s), the same on the 8 rows of a query.
#
# Random numbers: an integer generator inside awk (Park and Miller's
# minimal standard, x = 16807 x mod (2^31 - 1), exact in awk's doubles),
# normal deviates as the sum of 12 uniforms minus 6 - no rand(), no
# srand(), no transcendental function - so that any POSIX awk (mawk,
# gawk, busybox, the one true awk) writes the same bytes. Fixed seeds:
# 512 and 4096.
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/traces"}
mkdir -p "$out"

# The generator, the calendar and the two writers, shared by both files.
common='
function rnd() { seed = (16807 * seed) % 2147483647; return seed / 2147483647 }
function gauss(   k, s) { s = 0; for (k = 0; k < 12; k++) s += rnd(); return s - 6 }
function leap(y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
function mdays(y, m) { return m == 2 ? 28 + leap(y) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31 }
# calendar time Y M D h mi s, advanced by whole seconds
function tick(n) {
    s += n
    while (s >= 60) { s -= 60; mi++ }
    while (mi >= 60) { mi -= 60; h++ }
    while (h >= 24) { h -= 24; D++ }
    while (D > mdays(Y, M)) { D -= mdays(Y, M); M++; if (M > 12) { M = 1; Y++ } }
}
# round to 3 decimals, written with a decimal comma
function dcomma(v,   t) { t = sprintf("%.3f", v); sub(/\./, ",", t); return t }
'

awk "$common"'
BEGIN {
    seed = 512
    Y = 2024; M = 3; D = 4; h = 8; mi = 0; s = 0
    level = 4.68; sd = 0.11; phi = 0.60653; top = 5.02
    inn = sqrt(1 - phi * phi)
    z = gauss()
    printf "Timestamp;Device;Active Power (kW)\r\n"
    for (k = 0; k <= 1560; k++) {
        if (k > 0) { z = phi * z + inn * gauss(); tick(60) }
        p = level + sd * z
        if (p > top) p = top
        printf "%04d-%02d-%02d %02d:%02d:%02d;HGX-H100-01 (synthetic);%s\r\n", Y, M, D, h, mi, s, dcomma(p)
    }
}' > "$out/resnet152-bs512.pdu.csv"

awk "$common"'
BEGIN {
    seed = 4096
    Y = 2024; M = 3; D = 5; h = 9; mi = 0; s = 0
    level = 6.267; sd = 0.09; phi = 0.959189; top = 6.48
    dip = 2.0; dipsd = 0.02; period = 240; first = 120; len = 15   # samples of 5 s
    host = 0.84
    inn = sqrt(1 - phi * phi)
    split("-9 -5 -2 0 1 3 5 7", off, " ")   # W per GPU, sum 0
    z = gauss()
    print "timestamp, index, power.draw [W], utilization.gpu [%]"
    for (k = 0; k <= 1440; k++) {
        if (k > 0) { z = phi * z + inn * gauss(); tick(5) }
        indip = k >= first && (k - first) % period < len
        if (indip) p = dip + dipsd * gauss()
        else { p = level + sd * z; if (p > top) p = top }
        share = (p - host) * 1000 / 8            # W per GPU
        ms = 100 + int(rnd() * 80)
        m = 0
        for (g = 1; g <= 8; g++) { e[g] = 3 * gauss(); m += e[g] }
        m /= 8
        for (g = 1; g <= 8; g++) {
            w = share + (indip ? 0 : off[g]) + e[g] - m
            u = indip ? int(rnd() * 5) : 97 + int(rnd() * 4)
            printf "%04d/%02d/%02d %02d:%02d:%02d.%03d, %d, %.2f W, %d %%\n", Y, M, D, h, mi, s, ms, g - 1, w, u
        }
    }
}' > "$out/resnet152-bs4096.nvidia-smi.csv"

for f in "$out/resnet152-bs512.pdu.csv" "$out/resnet152-bs4096.nvidia-smi.csv"; do
    printf 'make-traces: %s: %s lines\n' "$f" "$(wc -l < "$f" | tr -d ' ')"
done
