/* tests/fuzz/fuzz_cli.c - libFuzzer target: the wattsim command line.
 *
 * The input is an argument list, one argument per line (a NUL ends one
 * too; at most 24 are used), given to cli_main (cli/main.c) after
 * "wattsim" and a command chosen by the first byte: "run", "check",
 * "fit" (of t.csv, a small PDU export, or t.nvsmi, an nvidia-smi log,
 * appended like s.yaml) or "capacity" (of s.yaml; its --set arguments
 * dropped, --max at most 16 and --replicas at most 3, so that a search
 * stays within milliseconds). So flag values (--every 1e25s, --max-work 0x10, --series
 * rak), repeated and unknown options, --set overrides and file names go
 * through the same code as on a terminal. What must hold:
 *  - no crash, no sanitizer report (ASan, UBSan with float division by
 *    zero and unsigned overflow);
 *  - the exit code is one of the documented ones (0-5).
 * Confinement: the process works in its own directory (fuzz_common.h),
 * where s.yaml is a small scenario appended to every argument list;
 * arguments holding '/' are dropped, so nothing is read or written
 * elsewhere; "run" gets --max-work of at most 1e6 (milliseconds)
 * so that --set time.duration=... cannot make an input take minutes, and
 * --replicas at most 3 for the same reason. The
 * directory is emptied every 256 inputs (databases and CSV directories
 * the inputs made). Standard output goes to /dev/null, standard error
 * too while the command runs.
 *
 *   build-fuzz/tests/fuzz/fuzz_cli -dict=tests/fuzz/cli.dict \
 *       -max_len=512 CORPUS_DIR
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <fcntl.h>

#include "fuzz_common.h"

#include "../../cli/cli.h"

#define FUZZ_MAX_ARGS 24
#define FUZZ_WORK_MAX 1e6

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char scenario[] =
    "name: fz\n"
    "time: {start: 2024-06-01T00:00:00Z, duration: 2 h, step: 1 min}\n"
    "node_types: {n: {nameplate: 10 kW, idle: 2 kW}}\n"
    "workloads:\n"
    "  w: {kind: stats, median: 6 kW, max: 8 kW, runtime: 1 h}\n"
    "site:\n"
    "  feeds: [A, B]\n"
    "  racks:\n"
    "    - {name: r, count: 2, supply: {power: 30 kW, redundancy: 2N},\n"
    "       nodes: [{type: n, count: 2, workload: w}]}\n"
    "expect: ['rack:r01.peak_kw <= 20 kW', 'site.energy_it_kwh > 0']\n";

static const char pdu_csv[] =
    "Timestamp;Device;Active Power (kW)\n"
    "2024-03-04 08:00:00;n1;4,70\n2024-03-04 08:01:00;n1;4,72\n"
    "2024-03-04 08:02:00;n1;4,61\n2024-03-04 08:03:00;n1;4,66\n"
    "2024-03-04 08:04:00;n1;4,69\n2024-03-04 08:05:00;n1;4,80\n"
    "2024-03-04 08:06:00;n1;4,75\n2024-03-04 08:07:00;n1;4,70\n"
    "2024-03-04 08:08:00;n1;2,10\n2024-03-04 08:09:00;n1;4,68\n"
    "2024-03-04 08:10:00;n1;4,71\n2024-03-04 08:11:00;n1;4,73\n"
    "2024-03-04 08:12:00;n1;4,64\n2024-03-04 08:13:00;n1;4,69\n"
    "2024-03-04 08:14:00;n1;4,70\n2024-03-04 08:15:00;n1;4,77\n"
    "2024-03-04 08:16:00;n1;4,72\n2024-03-04 08:17:00;n1;4,66\n";
static const char nvsmi[] =
    "timestamp, index, power.draw [W], utilization.gpu [%]\n"
    "2024/03/05 09:00:00.150, 0, 679.90 W, 100 %\n"
    "2024/03/05 09:00:00.150, 1, 686.07 W, 97 %\n"
    "2024/03/05 09:00:05.150, 0, 681.00 W, 99 %\n"
    "2024/03/05 09:00:05.150, 1, 684.50 W, 98 %\n"
    "2024/03/05 09:00:10.150, 0, [N/A], 99 %\n"
    "2024/03/05 09:00:10.150, 1, 684.50 W, 98 %\n";

static int null_fd = -1, saved_err = -1;
static unsigned long runs;

/* Empty the work directory but for s.yaml. */
static void wipe(void)
{
    DIR *d = opendir(".");
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, "s.yaml") == 0 ||
            strcmp(e->d_name, "t.csv") == 0 ||
            strcmp(e->d_name, "t.nvsmi") == 0)
            continue;
        fuzz_rm_tree(e->d_name);
    }
    closedir(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ws_global_init();
    fuzz_setup_dir();
    if (chdir(fuzz_dir) != 0)
        fuzz_die("chdir");
    FILE *f = fopen("s.yaml", "w");
    if (!f || fputs(scenario, f) == EOF || fclose(f) != 0)
        fuzz_die("s.yaml");
    f = fopen("t.csv", "w");
    if (!f || fputs(pdu_csv, f) == EOF || fclose(f) != 0)
        fuzz_die("t.csv");
    f = fopen("t.nvsmi", "w");
    if (!f || fputs(nvsmi, f) == EOF || fclose(f) != 0)
        fuzz_die("t.nvsmi");
    if (!freopen("/dev/null", "w", stdout))
        fuzz_die("/dev/null");
    null_fd = open("/dev/null", O_WRONLY);
    saved_err = dup(STDERR_FILENO);
    if (null_fd < 0 || saved_err < 0)
        fuzz_die("dup");
    return 0;
}

/* A --max-work value within the fuzzing budget: valid numbers above it
 * are lowered, anything else (the parser's error paths) is kept. */
static const char *cap_work(const char *v, char *buf, size_t n)
{
    char *end = NULL;
    double x = strtod(v, &end);
    if (strcmp(v, "none") == 0 || (v[0] && end && !*end && !(x <= FUZZ_WORK_MAX)))
        return "1e6";
    snprintf(buf, n, "%s", v);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 4096)
        return 0;
    char *buf = fuzz_strndup(data + 1, size - 1);
    int cmd = data[0] % 4; /* 0 run, 1 check, 2 fit, 3 capacity */
    int run = cmd == 0, fit = cmd == 2, cap = cmd == 3;
    char *argv[FUZZ_MAX_ARGS + 8];
    char capped[FUZZ_MAX_ARGS][64];
    int argc = 0, has_work = 0;
    argv[argc++] = "wattsim";
    argv[argc++] = run ? "run" : fit ? "fit" : cap ? "capacity" : "check";
    size_t start = 0, len = size - 1;
    for (size_t i = 0; i <= len && argc < FUZZ_MAX_ARGS + 2; i++) {
        if (i < len && buf[i] != '\n' && buf[i] != '\0')
            continue;
        buf[i == len ? len : i] = '\0';
        char *a = buf + start;
        start = i + 1;
        if (strchr(a, '/') || (i == len && !*a))
            continue;
        int k = argc - 2;
        if (cap && (strncmp(a, "--set", 5) == 0 ||
                    (argc > 2 && strcmp(argv[argc - 1], "--set") == 0)))
            continue; /* overrides are fuzzed by run and check */
        if (cap && (strncmp(a, "--max=", 6) == 0 || !strcmp(a, "--max")))
            has_work = 1; /* the search's bound given */
        if (cap && strncmp(a, "--max=", 6) == 0 && atol(a + 6) > 16) {
            a = "--max=16";
        } else if (cap && argc > 2 && strcmp(argv[argc - 1], "--max") == 0 &&
                   atol(a) > 16) {
            a = "16";
        } else if (run && strncmp(a, "--max-work=", 11) == 0) {
            char tmp[64];
            snprintf(capped[k], sizeof capped[k], "--max-work=%s",
                     cap_work(a + 11, tmp, sizeof tmp));
            a = capped[k];
            has_work = 1;
        } else if (run && argc > 2 && strcmp(argv[argc - 1], "--max-work") == 0) {
            a = (char *)cap_work(a, capped[k], sizeof capped[k]);
        } else if (strcmp(a, "--max-work") == 0) {
            has_work = 1;
        } else if (strncmp(a, "--replicas=", 11) == 0 && atol(a + 11) > 3) {
            a = "--replicas=3";
        } else if (argc > 2 && strcmp(argv[argc - 1], "--replicas") == 0 &&
                   atol(a) > 3) {
            a = "3";
        }
        argv[argc++] = a;
    }
    /* a trailing "--max-work" takes the scenario as its value: harmless */
    if (run && !has_work)
        argv[argc++] = "--max-work=1e6";
    if (cap && !has_work)
        argv[argc++] = "--max=16";
    argv[argc++] = fit ? ((data[0] / 3) & 1 ? "t.nvsmi" : "t.csv")
                       : "s.yaml";
    argv[argc] = NULL;

    fflush(stderr);
    dup2(null_fd, STDERR_FILENO);
    int code = cli_main(argc, argv);
    fflush(stdout);
    clearerr(stdout);
    fflush(stderr);
    dup2(saved_err, STDERR_FILENO);
    FUZZ_CHECK(code >= 0 && code <= 5, "exit code %d", code);
    if (++runs % 256 == 0)
        wipe();
    free(buf);
    return 0;
}
