/* tests/engine/test_jobs_io.c - the job list readers (engine/base/jobs_io.c):
 * SWF and CSV job lists, values checked by hand or by awk over the files,
 * every error with its line and column, the limits.
 *
 * Instants used below: 2024-03-01T10:00:00Z is 1709287200 s UTC (19 783
 * days from 1970-01-01 - 54 years with 13 leap days = 19 723 to
 * 2024-01-01, plus 31 + 29 - times 86 400, plus 10 h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

#include <fcntl.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/jobs_io.h"

#define T0 1709287200LL
#define SMALL_SWF "tests/data/jobs/small.swf"
#define ALIBABA "data/jobs/alibaba-openb-2023-pods.csv"

static void fail_with(int rc, const ws_error *err)
{
    char buf[1024];
    ws_error_format(err, buf, sizeof buf);
    print_error("read failed (%d): %s\n", rc, buf);
    fail();
}

static wsi_joblist *swf_ok(const char *text)
{
    wsi_joblist *l = NULL;
    ws_error err;
    int rc = wsi_swf_parse(text, strlen(text), "t.swf", &l, &err);
    if (rc != WS_OK)
        fail_with(rc, &err);
    return l;
}

static wsi_joblist *csv_ok(const char *text, const wsi_jobcsv_opts *o)
{
    wsi_joblist *l = NULL;
    ws_error err;
    int rc = wsi_jobcsv_parse(text, strlen(text), "t.csv", o, &l, &err);
    if (rc != WS_OK)
        fail_with(rc, &err);
    return l;
}

/* The formatted error of a parse that must fail with code. o NULL: SWF. */
static void bad(const char *text, size_t len, const char *name,
                const wsi_jobcsv_opts *o, int code, const char *want)
{
    wsi_joblist *l = (wsi_joblist *)1;
    ws_error err;
    int rc = o ? wsi_jobcsv_parse(text, len, name, o, &l, &err)
               : wsi_swf_parse(text, len, name, &l, &err);
    char buf[1024];
    ws_error_format(&err, buf, sizeof buf);
    if (rc != code || strcmp(buf, want) != 0) {
        print_error("got %d '%s'\nwant %d '%s'\n", rc, buf, code, want);
        fail();
    }
    assert_null(l);
    assert_int_equal(err.code, code);
}

/* Every field a CSV job leaves unknown is -1. */
static void csv_unknowns(const wsi_jobrec *j)
{
    assert_int_equal(j->procs, -1);
    assert_int_equal(j->req_procs, -1);
    assert_int_equal(j->status, -1);
    assert_int_equal(j->user, -1);
    assert_int_equal(j->group, -1);
    assert_int_equal(j->app, -1);
    assert_int_equal(j->queue, -1);
    assert_int_equal(j->partition, -1);
}

/* {===== SWF */

/* tests/data/jobs/small.swf, a hand-made log of eight jobs. Totals by
 * hand, from the table in the file (procs: field 5, or 8 when 5 is -1):
 *   run x procs: 3600 x 32 + 1800.5 x 64 + 600 x 16 + 0 x 8 + (job 5:
 *   run -1, left out) + 7200 x 128 + 2400 x 256 + 30 x 1
 *   = 115 200 + 115 232 + 9 600 + 0 + 921 600 + 614 400 + 30
 *   = 1 776 062 processor-seconds;
 *   status: 1 (completed) jobs 1, 2, 6, 7 = 4; 0 (failed) jobs 3, 8 = 2;
 *   5 (cancelled) job 4 = 1; -1 job 5 = 1;
 *   known waits 10 + 0 + 30 + 15 + 5 + 100 + 0 = 160 s (job 3: -1);
 *   submits from 0 to 3600: a span of 3600 s.
 * The same by awk:
 *   awk '!/^;/ && NF==18 { p = $5 != -1 ? $5 : $8;
 *        if ($4 != -1 && p != -1) s += $4 * p; st[$11]++;
 *        if ($3 != -1) w += $3 } END { print s, w; for (k in st)
 *        print k, st[k] }' tests/data/jobs/small.swf
 *   -> 1776062 160; -1 1, 0 2, 1 4, 5 1 */
static void test_swf_small(void **state)
{
    (void)state;
    wsi_joblist *l = NULL;
    ws_error err;
    int rc = wsi_swf_read(SMALL_SWF, &l, &err);
    if (rc != WS_OK)
        fail_with(rc, &err);
    assert_int_equal(l->n, 8);
    assert_string_equal(l->file, SMALL_SWF);
    assert_int_equal(l->skipped, 0);
    assert_int_equal(l->first_skipped, 0);
    /* the metadata, in order; the Note's second line continues it */
    static const char *const keys[] = {
        "Version", "Computer", "Installation", "UnixStartTime",
        "TimeZoneString", "StartTime", "MaxNodes", "MaxProcs", "Note"};
    static const char *const vals[] = {
        "2.2", "wattsim test cluster (hand-made)",
        "none: written for tests/engine/test_jobs_io.c", "1709287200",
        "Europe/Zurich", "Fri Mar  1 10:00:00 UTC 2024", "16", "512",
        "a small hand-made log of eight jobs: unknown (-1) fields, a failed "
        "and a cancelled job, decimal times"};
    assert_int_equal(l->n_meta, 9);
    for (size_t i = 0; i < 9; i++) {
        assert_string_equal(l->meta_keys[i], keys[i]);
        assert_string_equal(l->meta_vals[i], vals[i]);
    }
    assert_string_equal(wsi_joblist_meta(l, "maxprocs"), "512");
    assert_null(wsi_joblist_meta(l, "MaxRecords"));
    assert_true(l->has_start_unix);
    assert_int_equal(l->start_unix, T0);

    /* job 1: "1 0 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1" */
    const wsi_jobrec *j = &l->jobs[0];
    assert_int_equal(j->id, 1);
    assert_int_equal(j->line, 14);
    ws_assert_close(j->submit_s, 0, 0, 0);
    ws_assert_close(j->wait_s, 10, 0, 0);
    ws_assert_close(j->run_s, 3600, 0, 0);
    assert_int_equal(j->procs, 32);
    assert_int_equal(j->req_procs, 32);
    ws_assert_close(j->req_time_s, 7200, 0, 0);
    assert_int_equal(j->status, 1);
    assert_int_equal(j->user, 1);
    assert_int_equal(j->group, 1);
    assert_int_equal(j->app, 1);
    assert_int_equal(j->queue, 1);
    assert_int_equal(j->partition, 1);
    assert_int_equal(j->gpus, -1);
    assert_int_equal(j->nodes, -1);
    ws_assert_close(j->gpu_milli, -1, 0, 0);
    assert_null(j->workload);
    assert_null(j->klass);
    assert_null(j->name);
    /* job 2: a decimal run time */
    ws_assert_close(l->jobs[1].run_s, 1800.5, 0, 0);
    /* job 3: "3 120 -1 600 -1 -1 -1 16 1200 -1 0 1 1 1 2 1 -1 -1":
     * allocated unknown, so procs are the requested 16 */
    j = &l->jobs[2];
    assert_int_equal(j->id, 3);
    ws_assert_close(j->submit_s, 120, 0, 0);
    ws_assert_close(j->wait_s, -1, 0, 0);
    assert_int_equal(j->procs, 16);
    assert_int_equal(j->req_procs, 16);
    assert_int_equal(j->status, 0);
    assert_int_equal(j->queue, 2);
    /* job 4: "... 5 3 2 -1 1 1 -1 -1": cancelled, executable unknown */
    j = &l->jobs[3];
    assert_int_equal(j->status, 5);
    assert_int_equal(j->user, 3);
    assert_int_equal(j->group, 2);
    assert_int_equal(j->app, -1);
    ws_assert_close(j->run_s, 0, 0, 0);
    /* job 5: all unknown but its number and submit time */
    j = &l->jobs[4];
    assert_int_equal(j->id, 5);
    ws_assert_close(j->submit_s, 300, 0, 0);
    ws_assert_close(j->wait_s, 15, 0, 0);
    ws_assert_close(j->run_s, -1, 0, 0);
    assert_int_equal(j->procs, -1);
    assert_int_equal(j->req_procs, -1);
    ws_assert_close(j->req_time_s, -1, 0, 0);
    assert_int_equal(j->status, -1);
    assert_int_equal(j->user, -1);
    assert_int_equal(j->partition, -1);
    /* job 6: "6 900.25 5 7200 128 -1 -1 128 10800 -1 1 2 1 3 2 1 2 60" */
    j = &l->jobs[5];
    assert_int_equal(j->line, 19);
    ws_assert_close(j->submit_s, 900.25, 0, 0);
    ws_assert_close(j->req_time_s, 10800, 0, 0);
    assert_int_equal(j->app, 3);
    assert_int_equal(j->queue, 2);
    /* job 7: partition 2 */
    assert_int_equal(l->jobs[6].partition, 2);

    /* the totals of the comment above */
    double cpu_s = 0, wait = 0;
    int st[6] = {0}, unknown = 0;
    for (size_t i = 0; i < l->n; i++) {
        j = &l->jobs[i];
        if (j->run_s >= 0 && j->procs >= 0)
            cpu_s += j->run_s * (double)j->procs;
        if (j->wait_s >= 0)
            wait += j->wait_s;
        if (j->status < 0)
            unknown++;
        else
            st[j->status]++;
        if (i)
            assert_true(j->submit_s >= l->jobs[i - 1].submit_s);
    }
    ws_assert_close(cpu_s, 1776062, 0, 0);
    ws_assert_close(wait, 160, 0, 0);
    assert_int_equal(st[1], 4);
    assert_int_equal(st[0], 2);
    assert_int_equal(st[5], 1);
    assert_int_equal(unknown, 1);
    ws_assert_close(l->jobs[l->n - 1].submit_s - l->jobs[0].submit_s, 3600,
                    0, 0);
    wsi_joblist_free(l);
}

/* Line ends, a BOM, tabs, -1.0, exponents in decimal fields, what is and
 * is not metadata. */
static void test_swf_forms(void **state)
{
    (void)state;
    wsi_joblist *l = swf_ok(
        "\xef\xbb\xbf; Version: 2.2\r\n"                         /* 1 */
        ";Computer:\tIBM SP2  \r\n"                              /* 2 */
        "; Note: line one\r\n"                                   /* 3 */
        ";   line two\r\n"                                       /* 4 */
        ";\r\n"                                                  /* 5 */
        ";   not a continuation: the blank comment ended it\r\n" /* 6 */
        "; http://example.org/ is no key: ':' needs a blank\r\n" /* 7 */
        "; Note: second \xff\xfe note\r\n"                       /* 8 */
        "; Empty:\r\n"                                           /* 9 */
        "; UnixStartTime: soon\r\n"                              /* 10 */
        "\r\n"                                                   /* 11 */
        "1\t0\t-1 -1.0 -1 1e1 -1 4 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\r" /* 12 */
        "; Later: after the first job, not metadata\n"           /* 13 */
        "  2 0 0 5 0 -1 -1 -1 -1 -1 1 -0 0 0 0 0 1 0.5\n"        /* 14 */
        "3 2.5e1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1");
    assert_int_equal(l->n, 3);
    static const char *const keys[] = {"Version", "Computer", "Note", "Note",
                                       "Empty", "UnixStartTime"};
    static const char *const vals[] = {"2.2", "IBM SP2", "line one line two",
                                       "second ?? note", "", "soon"};
    assert_int_equal(l->n_meta, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(l->meta_keys[i], keys[i]);
        assert_string_equal(l->meta_vals[i], vals[i]);
    }
    assert_string_equal(wsi_joblist_meta(l, "NOTE"), "line one line two");
    /* an UnixStartTime that is not a number is only metadata */
    assert_false(l->has_start_unix);
    const wsi_jobrec *j = &l->jobs[0];
    assert_int_equal(j->line, 12);
    ws_assert_close(j->run_s, -1, 0, 0);  /* -1.0 */
    assert_int_equal(j->procs, 4);        /* from field 8 */
    j = &l->jobs[1];
    assert_int_equal(j->line, 14);
    assert_int_equal(j->procs, 0);        /* 0 allocated is known */
    assert_int_equal(j->req_procs, -1);
    assert_int_equal(j->user, 0);         /* -0 */
    assert_int_equal(j->status, 1);
    j = &l->jobs[2];
    assert_int_equal(j->line, 15);
    ws_assert_close(j->submit_s, 25, 0, 0);
    wsi_joblist_free(l);
    /* a header without a final job line: metadata kept to the end */
    l = swf_ok("; MaxProcs: 4\n;  (all of them)\n"
               "1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0");
    assert_int_equal(l->n_meta, 1);
    assert_string_equal(l->meta_vals[0], "4 (all of them)");
    ws_assert_close(l->jobs[0].submit_s, 0, 0, 0);
    wsi_joblist_free(l);
}
/* =====} */

/* {===== CSV */

/* A duration column, GPUs and nodes, workload, class, numeric ids and a
 * requested time; ';' with decimal commas and quotes; a comment and a
 * blank line. */
static void test_csv_duration(void **state)
{
    (void)state;
    wsi_jobcsv_opts o = {.submit = "submit", .duration = "run",
                         .gpus = "gpus", .nodes = "nodes", .workload = "kind",
                         .klass = "qos", .id = "id", .requested = "req"};
    wsi_joblist *l = csv_ok("# a job list\n"
                            "ID;Submit;Run;GPUs;Nodes;Kind;QoS;Req\n"
                            "7;0;3600;8;1;train;LS;7200\n"
                            "8;60,5;1800;0,5;1;\"infer; \"\"small\"\"\";BE;\n"
                            "\n"
                            "9 ; 120 ; 0 ; 16 ; 2 ; ; \"\" ; 3600\n", &o);
    assert_int_equal(l->n, 3);
    assert_false(l->has_start_unix);
    assert_int_equal(l->n_meta, 0);
    const wsi_jobrec *j = &l->jobs[0];
    assert_int_equal(j->id, 7);
    assert_string_equal(j->name, "7");
    assert_int_equal(j->line, 3);
    ws_assert_close(j->submit_s, 0, 0, 0);
    ws_assert_close(j->run_s, 3600, 0, 0);
    ws_assert_close(j->wait_s, -1, 0, 0);
    ws_assert_close(j->req_time_s, 7200, 0, 0);
    assert_int_equal(j->gpus, 8);
    assert_int_equal(j->nodes, 1);
    ws_assert_close(j->gpu_milli, -1, 0, 0);
    assert_string_equal(j->workload, "train");
    assert_string_equal(j->klass, "LS");
    csv_unknowns(j);
    j = &l->jobs[1];
    assert_int_equal(j->id, 8);
    ws_assert_close(j->submit_s, 60.5, 0, 0);
    assert_int_equal(j->gpus, 1);        /* 0.5 GPU holds one */
    assert_string_equal(j->workload, "infer; \"small\"");
    assert_string_equal(j->klass, "BE");
    ws_assert_close(j->req_time_s, -1, 0, 0);   /* empty */
    j = &l->jobs[2];
    assert_int_equal(j->id, 9);
    assert_int_equal(j->line, 6);
    ws_assert_close(j->run_s, 0, 0, 0);
    assert_int_equal(j->gpus, 16);
    assert_int_equal(j->nodes, 2);
    assert_null(j->workload);            /* empty, and "" */
    assert_null(j->klass);
    csv_unknowns(j);
    wsi_joblist_free(l);
}

/* end - start, and instants: zones, none, fractions; submits from the
 * smallest (the file is not in submit order); names that are not numbers
 * leave the row number as id. */
static void test_csv_instants(void **state)
{
    (void)state;
    wsi_jobcsv_opts o = {.submit = "submitted", .start = "started",
                         .end = "finished", .gpus = "gpus", .id = "job"};
    wsi_joblist *l = csv_ok(
        "job,submitted,started,finished,gpus\r\n"
        "a,2024-03-01 10:00:30,2024-03-01 10:01:00,2024-03-01T12:01:00Z,1\r\n"
        "b,2024-03-01T10:00:00Z,2024-03-01T11:00:00+01:00,"
        "2024-03-01T10:30:00.5Z,2\r\n"
        "c,2024-03-01T10:00:00.25Z,2024-03-01T10:00:00.25Z,"
        "2024-03-01 10:00:00.25,0\r\n", &o);
    assert_int_equal(l->n, 3);
    assert_true(l->has_start_unix);
    assert_int_equal(l->start_unix, T0);   /* b's submit */
    /* a: submitted 30 s after b, waits 30 s, runs 2 h */
    const wsi_jobrec *j = &l->jobs[0];
    assert_int_equal(j->id, 1);
    assert_string_equal(j->name, "a");
    ws_assert_close(j->submit_s, 30, 0, 0);
    ws_assert_close(j->wait_s, 30, 0, 0);
    ws_assert_close(j->run_s, 7200, 0, 0);
    assert_int_equal(j->gpus, 1);
    assert_int_equal(j->nodes, -1);
    /* b: 11:00+01:00 is 10:00Z, no wait; runs to 10:30:00.5 */
    j = &l->jobs[1];
    assert_int_equal(j->id, 2);
    ws_assert_close(j->submit_s, 0, 0, 0);
    ws_assert_close(j->wait_s, 0, 0, 0);
    ws_assert_close(j->run_s, 1800.5, 0, 1e-9);
    /* c: a quarter of a second after b; starts and ends at once */
    j = &l->jobs[2];
    assert_int_equal(j->id, 3);
    assert_int_equal(j->line, 4);
    ws_assert_close(j->submit_s, 0.25, 0, 1e-9);
    ws_assert_close(j->wait_s, 0, 0, 0);
    ws_assert_close(j->run_s, 0, 0, 0);
    assert_int_equal(j->gpus, 0);
    wsi_joblist_free(l);
}

/* Numbers in a time unit: minutes; not shifted to the smallest. */
static void test_csv_time_unit(void **state)
{
    (void)state;
    wsi_jobcsv_opts o = {.submit = "submit", .start = "start", .end = "end",
                         .nodes = "nodes", .requested = "req",
                         .time_unit_s = 60};
    wsi_joblist *l = csv_ok("submit,start,end,nodes,req\n"
                            "10,12,42,4,60\n"
                            "5,5,6.5,0.25,\n", &o);
    assert_int_equal(l->n, 2);
    assert_false(l->has_start_unix);
    const wsi_jobrec *j = &l->jobs[0];
    ws_assert_close(j->submit_s, 600, 0, 0);    /* 10 min */
    ws_assert_close(j->wait_s, 120, 0, 0);      /* 12 - 10 min */
    ws_assert_close(j->run_s, 1800, 0, 0);      /* 42 - 12 min */
    ws_assert_close(j->req_time_s, 3600, 0, 0); /* 60 min */
    assert_int_equal(j->nodes, 4);
    assert_int_equal(j->gpus, -1);
    j = &l->jobs[1];
    ws_assert_close(j->submit_s, 300, 0, 0);
    ws_assert_close(j->wait_s, 0, 0, 0);
    ws_assert_close(j->run_s, 90, 0, 0);        /* 1.5 min */
    ws_assert_close(j->req_time_s, -1, 0, 0);
    assert_int_equal(j->nodes, 1);              /* 0.25 rounded up */
    wsi_joblist_free(l);
    /* 0 is 1 s */
    o.time_unit_s = 0;
    o.requested = NULL;
    l = csv_ok("submit,start,end,nodes\n10,12,42,4\n", &o);
    ws_assert_close(l->jobs[0].submit_s, 10, 0, 0);
    ws_assert_close(l->jobs[0].run_s, 30, 0, 0);
    wsi_joblist_free(l);
}

/* GPUs from the GPU count and the share (jobs_io.c): a share lifts 0 or
 * 1 GPU to ceil(share / 1000); 2 or more are kept. */
static void test_csv_gpu_share(void **state)
{
    (void)state;
    wsi_jobcsv_opts o = {.submit = "t", .duration = "d", .gpus = "num_gpu",
                         .gpu_share = "gpu_milli"};
    wsi_joblist *l = csv_ok("num_gpu,gpu_milli,t,d\n"
                            "0,0,0,1\n"       /* no GPU */
                            "0,460,0,1\n"     /* a share: 1 */
                            "1,460,0,1\n"
                            "1,1000,0,1\n"
                            "1,0,0,1\n"       /* no share: the count */
                            "0,1500,0,1\n"    /* ceil(1.5) = 2 */
                            "1,1001,0,1\n"    /* ceil(1.001) = 2 */
                            "2,500,0,1\n"     /* 2 GPUs at half each */
                            "8,1000,0,1\n"
                            "0.5,,0,1\n"      /* no share: ceil(0.5) */
                            "1,,0,1\n", &o);
    static const long gpus[] = {0, 1, 1, 1, 1, 2, 2, 2, 8, 1, 1};
    static const double milli[] = {0, 460, 460, 1000, 0, 1500, 1001, 500,
                                   1000, -1, -1};
    assert_int_equal(l->n, 11);
    for (size_t i = 0; i < 11; i++) {
        assert_int_equal(l->jobs[i].gpus, gpus[i]);
        ws_assert_close(l->jobs[i].gpu_milli, milli[i], 0, 0);
    }
    wsi_joblist_free(l);
}

/* skip_incomplete: rows with an empty submit, start or end are left out
 * and counted; row numbers count them. */
static void test_csv_skip(void **state)
{
    (void)state;
    const char *text = "name,t0,t1,t2,g\n"
                       "p1,0,0,10,1\n"
                       "p2,5,,,1\n"     /* never scheduled */
                       "p3,7,9,,1\n"    /* still running */
                       "p4,,1,2,x\n"    /* no submit: the rest is not read */
                       "p5,8,8,20,2\n";
    wsi_jobcsv_opts o = {.submit = "t0", .start = "t1", .end = "t2",
                         .gpus = "g", .id = "name", .skip_incomplete = 1};
    wsi_joblist *l = csv_ok(text, &o);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->skipped, 3);
    assert_int_equal(l->first_skipped, 3);
    assert_int_equal(l->jobs[0].id, 1);
    assert_string_equal(l->jobs[0].name, "p1");
    assert_int_equal(l->jobs[1].id, 5);
    assert_string_equal(l->jobs[1].name, "p5");
    assert_int_equal(l->jobs[1].line, 6);
    ws_assert_close(l->jobs[1].run_s, 12, 0, 0);
    assert_int_equal(l->jobs[1].gpus, 2);
    wsi_joblist_free(l);
    /* without it, the first empty one is an error */
    o.skip_incomplete = 0;
    bad(text, strlen(text), "t.csv", &o, WS_ERR_SCENARIO,
        "t.csv:3:6: column 't1': the start is empty (skip_incomplete leaves "
        "such rows out)");
    /* numeric ids of the kept rows are the ids, whatever the skipped */
    o.skip_incomplete = 1;
    l = csv_ok("name,t0,t1,t2,g\n17,0,0,1,1\nx,1,,,1\n19,2,2,3,1\n", &o);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->jobs[0].id, 17);
    assert_int_equal(l->jobs[1].id, 19);
    wsi_joblist_free(l);
    /* one id that is not a number: row numbers for all */
    l = csv_ok("name,t0,t1,t2,g\n17,0,0,1,1\n18b,1,1,1,1\n19,2,2,3,1\n", &o);
    assert_int_equal(l->jobs[0].id, 1);
    assert_int_equal(l->jobs[1].id, 2);
    assert_int_equal(l->jobs[2].id, 3);
    assert_string_equal(l->jobs[1].name, "18b");
    wsi_joblist_free(l);
}

/* The shipped Alibaba trace (data/jobs/SOURCES.md). Independently, by awk
 * over the file (a share lifts 0 or 1 GPU to ceil(gpu_milli / 1000)):
 *   awk -F, 'NR > 1 && $11 != "" { g = $4; if (g <= 1 && $5 > 0) {
 *     c = int(($5 + 999) / 1000); if (c > g) g = c };
 *     gs += g * ($10 - $11); run += $10 - $11; w += $11 - $9; n++ }
 *     NR > 1 && $11 == "" { sk++; if (!fs) fs = NR }
 *     END { printf "%d %d %d %.0f %.0f %.0f\n", n, sk, fs, gs, run, w }' \
 *     data/jobs/alibaba-openb-2023-pods.csv
 *   -> 7255 897 63 214603958 210028342 444748
 * (jobs, skipped, the first skipped line, GPU-seconds, run seconds, wait
 * seconds), and the rows below read off the file (line: row). */
static void test_alibaba(void **state)
{
    (void)state;
    wsi_jobcsv_opts o = {.submit = "creation_time", .start = "scheduled_time",
                         .end = "deletion_time", .gpus = "num_gpu",
                         .gpu_share = "gpu_milli", .klass = "qos",
                         .id = "name", .skip_incomplete = 1};
    wsi_joblist *l = NULL;
    ws_error err;
    int rc = wsi_jobcsv_read(ALIBABA, &o, &l, &err);
    if (rc != WS_OK)
        fail_with(rc, &err);
    assert_int_equal(l->n, 7255);
    assert_int_equal(l->skipped, 897);
    assert_int_equal(l->first_skipped, 63);
    assert_false(l->has_start_unix);
    double gpu_s = 0, run = 0, wait = 0;
    for (size_t i = 0; i < l->n; i++) {
        const wsi_jobrec *j = &l->jobs[i];
        gpu_s += (double)j->gpus * j->run_s;
        run += j->run_s;
        wait += j->wait_s;
        csv_unknowns(j);
        assert_null(j->workload);
        assert_int_equal(j->nodes, -1);
    }
    ws_assert_close(gpu_s, 214603958, 0, 0);
    ws_assert_close(run, 210028342, 0, 0);
    ws_assert_close(wait, 444748, 0, 0);
    /* 2: openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0 */
    const wsi_jobrec *j = &l->jobs[0];
    assert_int_equal(j->line, 2);
    assert_int_equal(j->id, 1);
    assert_string_equal(j->name, "openb-pod-0000");
    ws_assert_close(j->submit_s, 0, 0, 0);
    ws_assert_close(j->wait_s, 0, 0, 0);
    ws_assert_close(j->run_s, 12537496, 0, 0);
    assert_int_equal(j->gpus, 1);
    ws_assert_close(j->gpu_milli, 1000, 0, 0);
    assert_string_equal(j->klass, "LS");
    /* 3: openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12902960,
     * 427061: a share of 460/1000 holds one GPU; 12902960 - 427061 */
    j = &l->jobs[1];
    ws_assert_close(j->submit_s, 427061, 0, 0);
    ws_assert_close(j->run_s, 12475899, 0, 0);
    assert_int_equal(j->gpus, 1);
    ws_assert_close(j->gpu_milli, 460, 0, 0);
    /* 7: openb-pod-0005,20000,65536,0,0,,LS,Running,2759674,12902960,
     * 2759676: no GPU; waits 2 s; runs 12902960 - 2759676 */
    j = &l->jobs[5];
    assert_int_equal(j->line, 7);
    assert_string_equal(j->name, "openb-pod-0005");
    assert_int_equal(j->gpus, 0);
    ws_assert_close(j->wait_s, 2, 0, 0);
    ws_assert_close(j->run_s, 10143284, 0, 0);
    /* 19: openb-pod-0017,88000,327680,8,1000,,Burstable,Succeeded,9437497,
     * 10769854,9437497 */
    j = &l->jobs[17];
    assert_int_equal(j->line, 19);
    assert_int_equal(j->gpus, 8);
    assert_string_equal(j->klass, "Burstable");
    ws_assert_close(j->run_s, 1332357, 0, 0);
    /* 8153, the last: openb-pod-8151,3152,5600,1,590,,BE,Failed,12901761,
     * 12901792,12901762; its row number counts the 897 skipped */
    j = &l->jobs[7254];
    assert_int_equal(j->line, 8153);
    assert_int_equal(j->id, 8152);
    assert_string_equal(j->name, "openb-pod-8151");
    ws_assert_close(j->submit_s, 12901761, 0, 0);
    ws_assert_close(j->wait_s, 1, 0, 0);
    ws_assert_close(j->run_s, 30, 0, 0);
    assert_int_equal(j->gpus, 1);
    ws_assert_close(j->gpu_milli, 590, 0, 0);
    assert_string_equal(j->klass, "BE");
    wsi_joblist_free(l);
    /* without skip_incomplete the first task never scheduled is an error:
     * line 63 is "openb-pod-0061,11908,47104,1,1000,,BE,Pending,10001278,
     * 10001403," (64 characters: its scheduled_time, column 65, is
     * empty) */
    o.skip_incomplete = 0;
    assert_int_equal(wsi_jobcsv_read(ALIBABA, &o, &l, &err),
                     WS_ERR_SCENARIO);
    assert_null(l);
    char buf[512];
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, ALIBABA ":63:65: column 'scheduled_time': the "
                             "start is empty (skip_incomplete leaves such "
                             "rows out)");
}
/* =====} */

/* {===== errors */

typedef struct bad_case {
    const char *text;
    const char *want;
} bad_case;

#define L18 "1 0 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1"

static void test_errors_swf(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        /* 17 fields: one past the line's 46 characters */
        {"1 0 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1\n",
         "e.swf:1:47: 17 fields: an SWF job line has 18"},
        /* characters, not bytes: "é" is one */
        {"; c\n1 \xc3\xa9 10\n", "e.swf:2:7: 3 fields: an SWF job line has 18"},
        {L18 " 7\n", "e.swf:1:51: more than 18 fields: an SWF job line has 18"},
        {"1 0 10 1h 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:1:8: field 4 (run time) '1h' is not a number"},
        {"1 0 10 3600 2.5 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:1:13: field 5 (allocated processors) '2.5' is not a whole "
         "number"},
        {"1 0 10 3600 1e1 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:1:13: field 5 (allocated processors) '1e1' is not a whole "
         "number"},
        {"1.0 0 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:1:1: field 1 (job number) '1.0' is not a whole number"},
        {"1 0 -2 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:1:5: field 3 (wait time) -2 is negative: -1 (unknown) is the "
         "only negative value"},
        {"1 0 10 -0.5 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:1:8: field 4 (run time) -0.5 is negative: -1 (unknown) is "
         "the only negative value"},
        {"1 0 10 3600 32 -1 -1 32 7200 -1 -5 1 1 1 1 1 -1 -1\n",
         "e.swf:1:33: field 11 (status) -5 is negative: -1 (unknown) is the "
         "only negative value"},
        {"1 -1 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:1:3: field 2 (submit time) -1 is negative: it must be known, "
         ">= 0"},
        {"-1 0 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:1:1: field 1 (job number) -1 is negative: it must be known, "
         ">= 0"},
        {"-99999999999999999999 0 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 "
         "-1 -1\n",
         "e.swf:1:1: field 1 (job number) -99999999999999999999 is negative: "
         "it must be known, >= 0"},
        {"99999999999999999999 0 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 "
         "-1\n",
         "e.swf:1:1: field 1 (job number) 99999999999999999999 is above "
         "9223372036854775807, the largest accepted"},
        {"1 0 10 3600 2147483648 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:1:13: field 5 (allocated processors) 2147483648 is above "
         "2147483647, the largest accepted"},
        {"1 0 10 1e999 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:1:8: field 4 (run time) '1e999' is not a finite number"},
        {"1 0 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 nan\n",
         "e.swf:1:48: field 18 (think time) 'nan' is not a number"},
        {"1 0 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 0x10\n",
         "e.swf:1:48: field 18 (think time) '0x10' is not a number"},
        {L18 "\n2 10 0 1 1 -1 -1 1 1 -1 1 1 1 1 1 1 -1 -1\n"
             "3 5 0 1 1 -1 -1 1 1 -1 1 1 1 1 1 1 -1 -1\n",
         "e.swf:3:3: field 2 (submit time) 5 is before the previous job's, "
         "10 (line 2): an SWF file lists jobs in submit order"},
        {"; Note: a header, then no job\n;\n\n",
         "e.swf:3:1: no job in the file: an SWF file has a line of 18 fields "
         "per job"},
        {"", "e.swf:1:1: no job in the file: an SWF file has a line of 18 "
             "fields per job"},
        {"1 0 10 3600 32 -1 -1 32 7200 -1 1 1 1 1 1 1 -1 \xff\n",
         "e.swf:1:48: field 18 (think time) '\xff' is not a number"},
        /* a comment after data on a line is not one */
        {L18 " ; done\n",
         "e.swf:1:51: more than 18 fields: an SWF job line has 18"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        bad(cases[i].text, strlen(cases[i].text), "e.swf", NULL,
            WS_ERR_SCENARIO, cases[i].want);
    /* a NUL byte, in characters from the line's start */
    bad("; \xc3\xa9\n1 2\0 3\n", 12, "e.swf", NULL, WS_ERR_SCENARIO,
        "e.swf:2:4: NUL byte in the text: not a text file");
}

static void test_errors_csv(void **state)
{
    (void)state;
    wsi_jobcsv_opts o = {.submit = "submit", .duration = "dur",
                         .gpus = "gpus", .klass = "qos",
                         .gpu_share = "milli", .requested = "req"};
    static const bad_case cases[] = {
        {"submit,run,gpus,qos,milli,req\n",
         "e.csv:1:1: no column 'dur' (the duration) in the header; its "
         "columns: 'submit', 'run', 'gpus', 'qos', 'milli', 'req'"},
        {"submit,dur,gpus,qos,milli,req,DUR\n",
         "e.csv:1:31: column 'dur' (the duration) is in the header twice, "
         "fields 2 and 7: rename one"},
        {"submit,dur,gpus,qos,milli,req\n0,10\n",
         "e.csv:2:5: 2 fields, the header has 6"},
        {"submit,dur,gpus,qos,milli,req\n0,10,1,LS,,,x\n",
         "e.csv:2:13: 7 fields, the header has 6"},
        {"submit,dur,gpus,qos,milli,req\nabc,10,1,LS,,\n",
         "e.csv:2:1: column 'submit': the submit time 'abc' is not a number "
         "or an instant (2024-03-01T10:00:00Z)"},
        {"submit,dur,gpus,qos,milli,req\n2024-02-30T00:00:00Z,10,1,LS,,\n",
         "e.csv:2:1: column 'submit': '2024-02-30T00:00:00Z' is not a valid "
         "date"},
        {"submit,dur,gpus,qos,milli,req\n2024-03-01T10:00:00 CET,10,1,LS,,\n",
         "e.csv:2:1: column 'submit': '2024-03-01T10:00:00 CET' is not an "
         "ISO-8601 instant such as 2024-06-01T00:00:00Z"},
        {"submit,dur,gpus,qos,milli,req\n-5,10,1,LS,,\n",
         "e.csv:2:1: column 'submit': the submit time -5 is negative"},
        {"submit,dur,gpus,qos,milli,req\n1e999,10,1,LS,,\n",
         "e.csv:2:1: column 'submit': '1e999' is not a finite number"},
        {"submit,dur,gpus,qos,milli,req\n0,-1,1,LS,,\n",
         "e.csv:2:3: column 'dur': the duration -1 is negative"},
        {"submit,dur,gpus,qos,milli,req\n0,2024-03-01,1,LS,,\n",
         "e.csv:2:3: column 'dur': the duration '2024-03-01' is an instant, "
         "not a number of 1 s"},
        {"submit,dur,gpus,qos,milli,req\n0,1h,1,LS,,\n",
         "e.csv:2:3: column 'dur': the duration '1h' is not a number"},
        {"submit,dur,gpus,qos,milli,req\n0,,1,LS,,\n",
         "e.csv:2:3: column 'dur': the duration is empty (skip_incomplete "
         "leaves such rows out)"},
        {"submit,dur,gpus,qos,milli,req\n,1,1,LS,,\n",
         "e.csv:2:1: column 'submit': the submit time is empty "
         "(skip_incomplete leaves such rows out)"},
        {"submit,dur,gpus,qos,milli,req\n0,10,,LS,,\n",
         "e.csv:2:6: column 'gpus': the number of GPUs is empty: every job "
         "needs it"},
        {"submit,dur,gpus,qos,milli,req\n0,10,-1,LS,,\n",
         "e.csv:2:6: column 'gpus': the number of GPUs -1 is negative"},
        {"submit,dur,gpus,qos,milli,req\n0,10,two,LS,,\n",
         "e.csv:2:6: column 'gpus': the number of GPUs 'two' is not a number"},
        {"submit,dur,gpus,qos,milli,req\n0,10,1e400,LS,,\n",
         "e.csv:2:6: column 'gpus': the number of GPUs '1e400' is not a "
         "finite number"},
        {"submit,dur,gpus,qos,milli,req\n0,10,2147483647.5,LS,,\n",
         "e.csv:2:6: column 'gpus': the number of GPUs 2147483647.5 is above "
         "2147483647, the largest accepted"},
        {"submit,dur,gpus,qos,milli,req\n0,10,1,LS,-460,\n",
         "e.csv:2:11: column 'milli': the GPU share -460 is negative"},
        {"submit,dur,gpus,qos,milli,req\n0,10,1,LS,3e12,\n",
         "e.csv:2:11: column 'milli': the GPU share 3e12 is more than "
         "2147483647 GPUs"},
        {"submit,dur,gpus,qos,milli,req\n0,10,1,LS,,soon\n",
         "e.csv:2:12: column 'req': the requested time 'soon' is not a "
         "number"},
        {"submit,dur,gpus,qos,milli,req\n0,10,1,\xff,,\n",
         "e.csv:2:8: column 'qos': the class is not UTF-8 text"},
        {"submit,dur,gpus,qos,milli,req\n0,10,1,LS,,\n"
         "2024-03-01T00:00:00Z,10,1,LS,,\n",
         "e.csv:3:1: column 'submit': '2024-03-01T00:00:00Z' is an instant, "
         "but the times before are numbers (line 2): the time columns hold "
         "numbers or instants, not both"},
        {"submit,dur,gpus,qos,milli,req\n\"0,10,1,LS,,\n",
         "e.csv:2:1: quoted field without its closing quote (a field cannot "
         "span lines)"},
        {"submit,dur,gpus,qos,milli,req\n\"0\"x,10,1,LS,,\n",
         "e.csv:2:4: text after a closing quote: expected ',' or the end of "
         "the line"},
        {"", "e.csv:1:1: no header line: the file is empty"},
        {"# only a comment\n\n", "e.csv:2:1: no header line: the file is "
                                 "empty"},
        {"submit,dur,gpus,qos,milli,req\n# nothing\n",
         "e.csv:2:1: no job in the file: no row after the header (line 1)"},
        /* ';': the decimal comma; ',' files have none */
        {"submit;dur;gpus;qos;milli;req\n0;1,2,3;1;LS;;\n",
         "e.csv:2:3: column 'dur': the duration '1,2,3' is not a number"},
        {"submit,dur,gpus,qos,milli,req\n0,\"1,5\",1,LS,,\n",
         "e.csv:2:4: column 'dur': the duration '1,5' is not a number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        bad(cases[i].text, strlen(cases[i].text), "e.csv", &o,
            WS_ERR_SCENARIO, cases[i].want);
    /* start and end */
    wsi_jobcsv_opts se = {.submit = "submit", .start = "start", .end = "end",
                          .nodes = "nodes", .time_unit_s = 3600};
    static const bad_case se_cases[] = {
        {"submit,start,end,nodes\n0,10,5,1\n",
         "e.csv:2:6: column 'end': the end 5 is before the start 10 (column "
         "'start')"},
        {"submit,start,end,nodes\n10,5,20,1\n",
         "e.csv:2:4: column 'start': the start 5 is before the submit time "
         "10 (column 'submit')"},
        {"submit,start,end,nodes\n2024-03-01T10:00:00Z,"
         "2024-03-01T10:00:00+00:01,2024-03-01T11:00:00Z,1\n",
         "e.csv:2:22: column 'start': the start 2024-03-01T10:00:00+00:01 is "
         "before the submit time 2024-03-01T10:00:00Z (column 'submit')"},
        {"submit,start,end,nodes\n1e305,1e305,1e305,1\n",
         "e.csv:2:1: column 'submit': the submit time 1e305 is too large in "
         "seconds"},
        /* a quoted field's column is its content's (here: none) */
        {"submit,start,end,nodes\n0,0,\"\",1\n",
         "e.csv:2:6: column 'end': the end is empty (skip_incomplete leaves "
         "such rows out)"},
        {"submit,start,end,nodes\n0,0,1,0.5\n"
         "0,0,1,2147483648\n",
         "e.csv:3:7: column 'nodes': the number of nodes 2147483648 is above "
         "2147483647, the largest accepted"},
    };
    for (size_t i = 0; i < sizeof se_cases / sizeof se_cases[0]; i++)
        bad(se_cases[i].text, strlen(se_cases[i].text), "e.csv", &se,
            WS_ERR_SCENARIO, se_cases[i].want);
    /* all rows skipped */
    se.skip_incomplete = 1;
    const char *t = "submit,start,end,nodes\n0,,,1\n1,1,,1\n";
    bad(t, strlen(t), "e.csv", &se, WS_ERR_SCENARIO,
        "e.csv:3:1: no job in the file: its 2 rows were skipped as "
        "incomplete (the first at line 2)");
    /* a NUL byte */
    bad("submit,start,end,nodes\n0,0,\0", 28, "e.csv", &se, WS_ERR_SCENARIO,
        "e.csv:2:5: NUL byte in the text: not a text file");
}

/* Options that cannot work; NULL arguments. */
static void test_errors_api(void **state)
{
    (void)state;
    static const struct {
        wsi_jobcsv_opts o;
        const char *want;
    } cases[] = {
        {{.duration = "d", .gpus = "g"}, "wsi_jobcsv_opts: no submit column"},
        {{.submit = "s", .gpus = "g"},
         "wsi_jobcsv_opts: no duration column, nor start and end columns"},
        {{.submit = "s", .start = "a", .gpus = "g"},
         "wsi_jobcsv_opts: no duration column, nor start and end columns"},
        {{.submit = "s", .duration = "d", .start = "a", .end = "b",
          .gpus = "g"},
         "wsi_jobcsv_opts: both a duration and an end column: the run time "
         "is one or end - start"},
        {{.submit = "s", .duration = "d"},
         "wsi_jobcsv_opts: neither a nodes nor a GPUs column"},
        {{.submit = "s", .duration = "d", .nodes = "n", .gpu_share = "m"},
         "wsi_jobcsv_opts: a GPU-share column without the GPUs column"},
        {{.submit = "s", .duration = "d", .nodes = "n", .time_unit_s = -1},
         "wsi_jobcsv_opts: time_unit_s (s per time value, > 0; 0: 1 s)"},
        {{.submit = "s", .duration = "d", .nodes = "n", .time_unit_s = NAN},
         "wsi_jobcsv_opts: time_unit_s (s per time value, > 0; 0: 1 s)"},
        {{.submit = "s", .duration = "d", .nodes = "n", .klass = ""},
         "wsi_jobcsv_opts: a column named \"\" (NULL: no column)"},
    };
    wsi_joblist *l = (wsi_joblist *)1;
    ws_error err;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(wsi_jobcsv_parse("s\n", 2, "x", &cases[i].o, &l,
                                          &err), WS_ERR_MISUSE);
        assert_string_equal(err.message, cases[i].want);
        assert_null(l);
        l = (wsi_joblist *)1;
        assert_int_equal(wsi_jobcsv_read("no/such.csv", &cases[i].o, &l,
                                         &err), WS_ERR_MISUSE);
        assert_null(l);
    }
    wsi_jobcsv_opts o = {.submit = "s", .duration = "d", .nodes = "n"};
    assert_int_equal(wsi_jobcsv_parse("s", 1, "x", NULL, &l, &err),
                     WS_ERR_MISUSE);
    assert_int_equal(wsi_jobcsv_parse(NULL, 1, "x", &o, &l, &err),
                     WS_ERR_MISUSE);
    assert_int_equal(wsi_swf_parse(NULL, 1, "x", &l, &err), WS_ERR_MISUSE);
    assert_int_equal(wsi_swf_parse("", 0, "x", NULL, &err), WS_ERR_MISUSE);
    assert_int_equal(wsi_swf_read(NULL, &l, &err), WS_ERR_MISUSE);
    /* files */
    char buf[512];
    assert_int_equal(wsi_swf_read("no/such.swf", &l, &err), WS_ERR_IO);
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "no/such.swf: cannot open: No such file or "
                             "directory");
    assert_null(l);
    assert_int_equal(wsi_jobcsv_read("tests", &o, &l, &err), WS_ERR_IO);
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "tests: is a directory, not a job file");
    /* a located error from a file names it */
    char *dir = ws_tmpdir();
    const char *p = ws_write_file(dir, "b.swf", "; x\n" L18 "\n1 0 x\n");
    assert_int_equal(wsi_swf_read(p, &l, &err), WS_ERR_SCENARIO);
    assert_string_equal(err.file, p);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 6);
    ws_rmdir(dir);
    wsi_joblist_free(NULL);
    assert_null(wsi_joblist_meta(NULL, "Note"));
}
/* =====} */

/* {===== limits */

static void test_limits(void **state)
{
    (void)state;
    wsi_joblist *l = NULL;
    ws_error err;
    char buf[512];
    /* jobs: 4 against a limit of 3, at the 4th job's line */
    const char *swf = "; h\n" L18 "\n" L18 "\n" L18 "\n" L18 "\n";
    wsi_jobs_limits lim = {0, 3};
    assert_int_equal(wsi_swf_parse_lim(swf, strlen(swf), "big.swf", &lim, &l,
                                       &err), WS_ERR_RANGE);
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "big.swf:5:1: more than 3 jobs: the limit of "
                             "one job list (WSI_JOBS_MAX_JOBS)");
    assert_null(l);
    lim.max_jobs = 4;
    assert_int_equal(wsi_swf_parse_lim(swf, strlen(swf), "big.swf", &lim, &l,
                                       &err), WS_OK);
    assert_int_equal(l->n, 4);
    wsi_joblist_free(l);
    /* CSV: skipped rows do not count */
    wsi_jobcsv_opts o = {.submit = "s", .duration = "d", .gpus = "g",
                         .skip_incomplete = 1};
    const char *csv = "s,d,g\n0,1,1\n0,,1\n0,1,1\n0,1,1\n0,1,1\n";
    lim.max_jobs = 3;
    assert_int_equal(wsi_jobcsv_parse_lim(csv, strlen(csv), "big.csv", &o,
                                          &lim, &l, &err), WS_ERR_RANGE);
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "big.csv:6:1: more than 3 jobs: the limit of "
                             "one job list (WSI_JOBS_MAX_JOBS)");
    lim.max_jobs = 4;
    assert_int_equal(wsi_jobcsv_parse_lim(csv, strlen(csv), "big.csv", &o,
                                          &lim, &l, &err), WS_OK);
    assert_int_equal(l->n, 4);
    assert_int_equal(l->skipped, 1);
    wsi_joblist_free(l);
    /* bytes: a text one byte over the limit; at the limit it is read */
    lim.max_jobs = 0;
    lim.max_bytes = strlen(csv) - 1;
    assert_int_equal(wsi_jobcsv_parse_lim(csv, strlen(csv), "big.csv", &o,
                                          &lim, &l, &err), WS_ERR_RANGE);
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "big.csv: 35 bytes: more than the limit of a "
                             "job list, 34 (WSI_JOBS_MAX_BYTES)");
    lim.max_bytes = strlen(csv);
    assert_int_equal(wsi_jobcsv_parse_lim(csv, strlen(csv), "big.csv", &o,
                                          &lim, &l, &err), WS_OK);
    wsi_joblist_free(l);
    lim.max_bytes = strlen(swf) - 1;
    assert_int_equal(wsi_swf_parse_lim(swf, strlen(swf), "big.swf", &lim, &l,
                                       &err), WS_ERR_RANGE);
    /* the default: a file of 256 MiB + 1 byte (sparse: nothing written)
     * is refused from its size, before it is read */
    char *dir = ws_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/huge.swf", dir);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)WSI_JOBS_MAX_BYTES + 1), 0);
    close(fd);
    assert_int_equal(wsi_swf_read(path, &l, &err), WS_ERR_RANGE);
    assert_string_equal(err.message, "file is larger than 256 MiB "
                                     "(WSI_JOBS_MAX_BYTES)");
    assert_int_equal(wsi_jobcsv_read(path, &o, &l, &err), WS_ERR_RANGE);
    assert_string_equal(err.message, "file is larger than 256 MiB "
                                     "(WSI_JOBS_MAX_BYTES)");
    assert_null(l);
    ws_rmdir(dir);
    /* a line of 1 MiB + 1 byte; one of 1 MiB is read (and is no job) */
    size_t n = (size_t)WSI_JOBS_MAX_LINE + 1;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, '7', n);
    big[n] = '\0';
    bad(big, n, "long.swf", NULL, WS_ERR_SCENARIO,
        "long.swf:1:1: line longer than 1048576 bytes (WSI_JOBS_MAX_LINE): "
        "not a job list");
    bad(big, n, "long.csv", &o, WS_ERR_SCENARIO,
        "long.csv:1:1: line longer than 1048576 bytes (WSI_JOBS_MAX_LINE): "
        "not a job list");
    bad(big, n - 1, "long.swf", NULL, WS_ERR_SCENARIO,
        "long.swf:1:1048577: 1 field: an SWF job line has 18");
    free(big);
    /* the size of one job, which the header's memory estimate uses */
    if (sizeof(void *) == 8 && sizeof(long) == 8)
        assert_int_equal(sizeof(wsi_jobrec), 160);
}

/* Out of memory at every allocation of a read: an error, nothing leaked. */
static void test_nomem(void **state)
{
    (void)state;
    const char *swf = "; Note: a\n;  b\n; Version: 2\n" L18 "\n" L18 "\n";
    const char *csv = "id,s,e,g,m,c\nx,2024-03-01,2024-03-01,1,500,LS\n"
                      "y,2024-03-01,2024-03-02,2,,BE\n";
    wsi_jobcsv_opts o = {.submit = "s", .start = "s", .end = "e",
                         .gpus = "g", .gpu_share = "m", .klass = "c",
                         .id = "id"};
    for (int which = 0; which < 2; which++) {
        int done = 0;
        for (long k = 0; k < 200 && !done; k++) {
            ws_failing f;
            ws_allocator a = ws_failing_alloc(&f, k);
            const ws_allocator *prev = wsi_enter(&a);
            wsi_joblist *l = NULL;
            ws_error e;
            int rc = which ? wsi_jobcsv_parse(csv, strlen(csv), "n", &o, &l,
                                              &e)
                           : wsi_swf_parse(swf, strlen(swf), "n", &l, &e);
            if (rc == WS_OK) {
                assert_int_equal(l->n, 2);
                wsi_joblist_free(l);
                done = 1;
            } else {
                assert_int_equal(rc, WS_ERR_NOMEM);
                assert_null(l);
            }
            wsi_leave(prev);
            assert_int_equal(f.allocs, f.frees);
        }
        assert_true(done);
    }
}
/* =====} */

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_swf_small),
        cmocka_unit_test(test_swf_forms),
        cmocka_unit_test(test_csv_duration),
        cmocka_unit_test(test_csv_instants),
        cmocka_unit_test(test_csv_time_unit),
        cmocka_unit_test(test_csv_gpu_share),
        cmocka_unit_test(test_csv_skip),
        cmocka_unit_test(test_alibaba),
        cmocka_unit_test(test_errors_swf),
        cmocka_unit_test(test_errors_csv),
        cmocka_unit_test(test_errors_api),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
