/* tests/engine/test_trace_io.c - the trace readers (engine/base/trace_io.c):
 * every format variant with values checked by hand, and every error with
 * its line and column.
 *
 * Instants used below: 2024-03-01T10:00:00Z is 1709287200 s UTC (19 783
 * days from 1970-01-01 - 54 years with 13 leap days = 19 723 to
 * 2024-01-01, plus 31 + 29 - times 86 400, plus 10 h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

#include "base/trace_io.h"

#define T0 1709287200LL

static ws_trace_opts csv_opts(void)
{
    ws_trace_opts o;
    memset(&o, 0, sizeof o);
    o.format = WS_TRACE_CSV;
    return o;
}

static ws_trace_opts nv_opts(double base_w)
{
    ws_trace_opts o = csv_opts();
    o.format = WS_TRACE_NVIDIA_SMI;
    o.base_w = base_w;
    return o;
}

/* Parse text; fails the test when it does not parse. */
static ws_trace *ok(const char *text, const ws_trace_opts *o)
{
    ws_trace *tr = NULL;
    ws_error err;
    int rc = ws_trace_parse(text, strlen(text), "trace.csv", o, &tr, &err);
    if (rc != WS_OK) {
        char buf[1024];
        ws_error_format(&err, buf, sizeof buf);
        print_error("parse failed (%d): %s\n", rc, buf);
        fail();
    }
    return tr;
}

/* Parse text that must fail with code and the formatted error want. */
static void bad(const char *text, const ws_trace_opts *o, int code,
                const char *want)
{
    ws_trace *tr = NULL;
    ws_error err;
    int rc = ws_trace_parse(text, strlen(text), "trace.csv", o, &tr, &err);
    char buf[1024];
    ws_error_format(&err, buf, sizeof buf);
    if (rc != code || strcmp(buf, want) != 0) {
        print_error("got %d '%s'\nwant %d '%s'\n", rc, buf, code, want);
        fail();
    }
    assert_null(tr);
    assert_int_equal(err.code, code);
}

static void expect(const ws_trace *tr, size_t n, const double *t,
                   const double *w)
{
    assert_int_equal(ws_trace_len(tr), n);
    for (size_t i = 0; i < n; i++) {
        ws_assert_close(ws_trace_t_s(tr)[i], t[i], 0, 1e-9);
        ws_assert_close(ws_trace_w(tr)[i], w[i], 0, 1e-9);
    }
}

/* {===== CSV */

static void test_csv_basic(void **state)
{
    (void)state;
    ws_trace_opts o = csv_opts();
    ws_trace *tr = ok("time,power [W]\n"
                      "2024-03-01T10:00:00Z,100\n"
                      "2024-03-01T10:00:10Z,200.5\n"
                      "2024-03-01T10:00:20Z,300\n", &o);
    expect(tr, 3, (double[]){0, 10, 20}, (double[]){100, 200.5, 300});
    assert_int_equal(ws_trace_start_unix(tr), T0);
    assert_int_equal(ws_trace_gpus(tr), 0);
    int fl = -1;
    assert_int_equal(ws_trace_skipped(tr, &fl), 0);
    assert_int_equal(fl, 0);
    assert_string_equal(ws_trace_name(tr), "trace.csv");
    ws_trace_free(tr);
}

/* A DCIM export: BOM, comment and blank lines, CRLF, ';', quotes, a
 * Device column, kW in the header, decimal commas. */
static void test_csv_dcim(void **state)
{
    (void)state;
    ws_trace_opts o = csv_opts();
    ws_trace *tr = ok("\xef\xbb\xbf# exported by DCIM\r\n"
                      "\r\n"
                      "\"Timestamp\";\"Device\";\"Active Power (kW)\"\r\n"
                      "\"2024-03-01 10:00:00\";\"rack12/hgx01\";\"4,68\"\r\n"
                      "2024-03-01 10:01:00;rack12/hgx01;4,70\r\n"
                      "# a note in the middle\r\n"
                      "2024-03-01 10:02:00 ; \"a \"\"quoted\"\"; name\" ; 5\r\n",
                      &o);
    expect(tr, 3, (double[]){0, 60, 120}, (double[]){4680, 4700, 5000});
    assert_int_equal(ws_trace_start_unix(tr), T0);
    ws_trace_free(tr);
}

/* Offsets +02:00 / -05:00 / -0500 become UTC; no zone is UTC; fractions
 * of a second after '.' or ','. */
static void test_csv_instants(void **state)
{
    (void)state;
    ws_trace_opts o = csv_opts();
    ws_trace *tr = ok("when,kW\n"
                      "2024-03-01T12:00:00+02:00,1\n"
                      "2024-03-01T05:00:30-05:00,2\n"
                      "2024-03-01 10:01:00,3\n"
                      "2024-03-01T10:01:30.250Z,4\n"
                      "2024-03-01T05:02:00.5-0500,5\n"
                      "2024-03-01 10:02:30 UTC,6\n", &o);
    expect(tr, 6, (double[]){0, 30, 60, 90.25, 120.5, 150},
           (double[]){1000, 2000, 3000, 4000, 5000, 6000});
    assert_int_equal(ws_trace_start_unix(tr), T0);
    ws_trace_free(tr);
    /* a start in a leap day before the epoch's end of February */
    tr = ok("time;power_w\n2024-02-29T23:59:59;1\n2024-03-01 00:00:00;5\n",
            &o);
    expect(tr, 2, (double[]){0, 1}, (double[]){1, 5});
    assert_int_equal(ws_trace_start_unix(tr), T0 - 10 * 3600 - 1);
    ws_trace_free(tr);
}

/* Offsets: the time unit from the header, or from opts. */
static void test_csv_offsets(void **state)
{
    (void)state;
    ws_trace_opts o = csv_opts();
    ws_trace *tr = ok("t [s],power_kw\n10,1.5\n70,2\n130.5,0\n", &o);
    expect(tr, 3, (double[]){0, 60, 120.5}, (double[]){1500, 2000, 0});
    assert_int_equal(ws_trace_start_unix(tr), 0);
    ws_trace_free(tr);
    tr = ok("time_min;W\n0;100\n1,5;200\n3;300\n", &o);
    expect(tr, 3, (double[]){0, 90, 180}, (double[]){100, 200, 300});
    ws_trace_free(tr);
    tr = ok("elapsed (h),Power (kW)\n0,1\n0.5,2\n1,3\n", &o);
    expect(tr, 3, (double[]){0, 1800, 3600}, (double[]){1000, 2000, 3000});
    ws_trace_free(tr);
    /* opts give both units; the header names neither */
    o.time_unit_s = 60;
    o.power_scale = 1000;
    tr = ok("t,p\n2,1\n3,1.25\n", &o);
    expect(tr, 2, (double[]){0, 60}, (double[]){1000, 1250});
    ws_trace_free(tr);
    /* a value's own unit wins over the column's */
    o = csv_opts();
    tr = ok("t [ms],power [W]\n0,1 kW\n500,250 W\n1000,3\n", &o);
    expect(tr, 3, (double[]){0, 0.5, 1}, (double[]){1000, 250, 3});
    ws_trace_free(tr);
}

/* Choosing columns: by name, with or without the unit; the one that
 * says power among several. */
static void test_csv_columns(void **state)
{
    (void)state;
    ws_trace_opts o = csv_opts();
    ws_trace *tr = ok("time,voltage (V),current (A),power (W)\n"
                      "2024-03-01T10:00:00Z,230,10,2300\n"
                      "2024-03-01T10:00:05Z,230,11,2530\n", &o);
    expect(tr, 2, (double[]){0, 5}, (double[]){2300, 2530});
    ws_trace_free(tr);
    o.power_column = " \"INPUT\" ";
    o.power_scale = 1;
    o.time_column = "Date";
    tr = ok("id,input [W],Date,output [W]\n"
            "a,500,2024-03-01T10:00:00Z,480\n"
            "b,600,2024-03-01T10:00:01Z,580\n", &o);
    expect(tr, 2, (double[]){0, 1}, (double[]){500, 600});
    ws_trace_free(tr);
    /* a trailing separator: an empty last field in every line */
    o = csv_opts();
    tr = ok("time;kW;\n2024-03-01T10:00:00Z;1;\n2024-03-01T10:00:01Z;2;\n",
            &o);
    expect(tr, 2, (double[]){0, 1}, (double[]){1000, 2000});
    ws_trace_free(tr);
}

static void test_csv_skip(void **state)
{
    (void)state;
    ws_trace_opts o = csv_opts();
    o.missing = WS_TRACE_MISSING_SKIP;
    ws_trace *tr = ok("time,power [W]\n"
                      "2024-03-01T10:00:00Z,100\n"
                      "2024-03-01T10:00:10Z,\n"
                      "2024-03-01T10:00:20Z,N/A\n"
                      "2024-03-01T10:00:30Z,400\n"
                      "2024-03-01T10:00:40Z,[Unknown Error]\n"
                      "2024-03-01T10:00:50Z,600\n", &o);
    expect(tr, 3, (double[]){0, 30, 50}, (double[]){100, 400, 600});
    int fl = 0;
    assert_int_equal(ws_trace_skipped(tr, &fl), 3);
    assert_int_equal(fl, 3);
    ws_trace_free(tr);
}
/* =====} */

/* {===== nvidia-smi */

/* Two GPUs, three queries, base 840 W: 840 + 352.17 + 300 = 1492.17,
 * 840 + 350 + 310.5 = 1500.5, 840 + 200 + 100 = 1140 (its rows in the
 * other order). Times: the first row's of each query. */
static void test_nvsmi_header_units(void **state)
{
    (void)state;
    ws_trace_opts o = nv_opts(840);
    ws_trace *tr = ok(
        "timestamp, index, power.draw [W], utilization.gpu [%]\n"
        "2024/03/01 10:00:00.123, 0, 352.17 W, 98 %\n"
        "2024/03/01 10:00:00.125, 1, 300.00 W, 97 %\n"
        "2024/03/01 10:00:05.123, 0, 350.00 W, 98 %\n"
        "2024/03/01 10:00:05.126, 1, 310.50 W, 99 %\n"
        "2024/03/01 10:00:10.623, 1, 100.00 W, 10 %\n"
        "2024/03/01 10:00:10.624, 0, 200.00 W, 11 %\n", &o);
    expect(tr, 3, (double[]){0, 5, 10.5}, (double[]){1492.17, 1500.5, 1140});
    assert_int_equal(ws_trace_gpus(tr), 2);
    assert_int_equal(ws_trace_start_unix(tr), T0);
    ws_trace_free(tr);
}

/* Columns in another order, extra ones, nounits with "[W]" in the header. */
static void test_nvsmi_reordered(void **state)
{
    (void)state;
    ws_trace_opts o = nv_opts(0);
    ws_trace *tr = ok(
        "name, index, power.draw [W], timestamp, temperature.gpu\n"
        "NVIDIA H100 80GB HBM3, 0, 650.5, 2024/03/01 10:00:00.000, 61\n"
        "NVIDIA H100 80GB HBM3, 1, 649.5, 2024/03/01 10:00:00.001, 60\n"
        "NVIDIA H100 80GB HBM3, 2, 100.25, 2024/03/01 10:00:00.002, 59\n"
        "NVIDIA H100 80GB HBM3, 0, 600, 2024/03/01 10:00:01.000, 61\n"
        "NVIDIA H100 80GB HBM3, 1, 600, 2024/03/01 10:00:01.001, 60\n"
        "NVIDIA H100 80GB HBM3, 2, 600, 2024/03/01 10:00:01.002, 59\n", &o);
    expect(tr, 2, (double[]){0, 1}, (double[]){1400.25, 1800});
    assert_int_equal(ws_trace_gpus(tr), 3);
    ws_trace_free(tr);
}

/* --format=csv,noheader,nounits: timestamp, index, power.draw, ... in W. */
static void test_nvsmi_noheader(void **state)
{
    (void)state;
    ws_trace_opts o = nv_opts(500);
    ws_trace *tr = ok("2024/03/01 10:00:00.123, 0, 352.17, 98\n"
                      "2024/03/01 10:00:00.124, 1, 47.83, 0\n"
                      "2024/03/01 10:00:02.123, 0, 400, 98\n"
                      "2024/03/01 10:00:02.124, 1, 50, 0\n", &o);
    expect(tr, 2, (double[]){0, 2}, (double[]){900, 950});
    assert_int_equal(ws_trace_gpus(tr), 2);
    ws_trace_free(tr);
}

/* A missing value leaves its whole query out, counted. */
static void test_nvsmi_skip(void **state)
{
    (void)state;
    ws_trace_opts o = nv_opts(100);
    o.missing = WS_TRACE_MISSING_SKIP;
    ws_trace *tr = ok("timestamp, index, power.draw [W]\n"
                      "2024/03/01 10:00:00, 0, 10 W\n"
                      "2024/03/01 10:00:00, 1, 20 W\n"
                      "2024/03/01 10:00:05, 0, [N/A]\n"
                      "2024/03/01 10:00:05, 1, 25 W\n"
                      "2024/03/01 10:00:10, 0, 30 W\n"
                      "2024/03/01 10:00:10, 1, [Not Supported]\n"
                      "2024/03/01 10:00:15, 0, 40 W\n"
                      "2024/03/01 10:00:15, 1, 50 W\n", &o);
    expect(tr, 2, (double[]){0, 15}, (double[]){130, 190});
    int fl = 0;
    assert_int_equal(ws_trace_skipped(tr, &fl), 2);
    assert_int_equal(fl, 4);
    ws_trace_free(tr);
}

/* One GPU: every row is a query (the index repeats at once). */
static void test_nvsmi_one_gpu(void **state)
{
    (void)state;
    ws_trace_opts o = nv_opts(0);
    ws_trace *tr = ok("timestamp, index, power.draw [W]\n"
                      "2024/03/01 10:00:00, 0, 10 W\n"
                      "2024/03/01 10:00:00.5, 0, 20 W\n"
                      "2024/03/01 10:00:01, 0, 30 W\n", &o);
    expect(tr, 3, (double[]){0, 0.5, 1}, (double[]){10, 20, 30});
    ws_trace_free(tr);
}
/* =====} */

/* {===== errors, each at its line and column */

static void test_errors_values(void **state)
{
    (void)state;
    ws_trace_opts o = csv_opts();
    bad("time,power [kW]\n"
        "2024-03-01T10:00:00Z,4.68\n"
        "2024-03-01T10:01:00Z,4.x\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:22: power '4.x' is not a number");
    bad("time,power [kW]\n"
        "2024-03-01T10:00:00Z,4.68\n"
        "2024-03-01T10:01:00Z,\"-0.5\"\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:23: power '-0.5' is negative");
    bad("time,power [kW]\n"
        "2024-03-01T10:00:00Z,1e999\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:22: power '1e999' is not a finite number");
    bad("time,power [kW]\n"
        "2024-03-01T10:00:00Z,1e307\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:22: power '1e307' is not a finite number of watts");
    bad("time,power [W]\n"
        "2024-03-01T10:00:00Z,4,68\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:24: 3 fields, the header has 2");
    bad("time,power [W]\n"
        "2024-03-01T10:00:00Z,\"4,68\"\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:23: power '4,68' is not a number (decimal commas are "
        "read in ';'-separated files only)");
    bad("time;power\n"
        "2024-03-01T10:00:00Z;4,68\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:22: power '4,68' has no unit and the column names "
        "none: give the unit (W or kW; power_scale, --unit) or name it in "
        "the header ('power [W]', 'Power (kW)')");
    bad("time,power [W]\n"
        "2024-03-01T10:00:00Z,5\n"
        "2024-03-01T10:00:10Z,[N/A]\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:22: power is missing ('[N/A]'): a sample without a "
        "value (WS_TRACE_MISSING_SKIP, --skip-missing, leaves such rows "
        "out)");
    bad("time,power [W]\n"
        "2024-03-01T10:00:00Z,5\n"
        "2024-03-01T10:00:10Z\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:21: 1 field, the header has 2");
}

static void test_errors_times(void **state)
{
    (void)state;
    ws_trace_opts o = csv_opts();
    bad("time,power [W]\n"
        "2024-03-01T10:00:00Z,1\n"
        "2024-03-01T10:00:10Z,1\n"
        "2024-03-01T10:00:10Z,1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:4:1: time '2024-03-01T10:00:10Z' is not after the "
        "previous sample's (line 3): times must increase strictly");
    bad("x;time;power [W]\n"
        "a;2024-03-01T10:00:00Z;1\n"
        "a;2024-03-01T11:00:00+02:00;1\n", &(ws_trace_opts){
            .time_column = "time"}, WS_ERR_SCENARIO,
        "trace.csv:3:3: time '2024-03-01T11:00:00+02:00' is not after "
        "the previous sample's (line 2): times must increase strictly");
    /* intervals 10, 10, 180: median 10, limit 50 */
    bad("time,power [W]\n"
        "2024-03-01T10:00:00Z,1\n"
        "2024-03-01T10:00:10Z,1\n"
        "2024-03-01T10:00:20Z,1\n"
        "2024-03-01T10:03:20Z,1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:5:1: gap of 3 min since the previous sample (line 4): "
        "longer than the 50 s accepted (5 x the median interval of 10 s; "
        "max_gap_s, --max-gap, sets it)");
    ws_trace_opts g = csv_opts();
    g.max_gap_s = 15;
    bad("time,power [W]\n"
        "2024-03-01T10:00:00Z,1\n"
        "2024-03-01T10:00:10Z,1\n"
        "2024-03-01T10:00:30Z,1\n", &g, WS_ERR_SCENARIO,
        "trace.csv:4:1: gap of 20 s since the previous sample (line 3): "
        "longer than the 15 s accepted (max_gap_s, --max-gap)");
    g.max_gap_s = 20;  /* a gap equal to the limit is accepted */
    ws_trace *tr = ok("time,power [W]\n"
                      "2024-03-01T10:00:00Z,1\n"
                      "2024-03-01T10:00:10Z,1\n"
                      "2024-03-01T10:00:30Z,1\n", &g);
    ws_trace_free(tr);
    bad("time,power [W]\n"
        "2024-02-30T10:00:00Z,1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:1: time '2024-02-30T10:00:00Z' is not a valid date");
    bad("time,power [W]\n"
        "2024-03-01T24:00:00Z,1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:1: time '2024-03-01T24:00:00Z' is not a valid time "
        "of day");
    bad("time,power [W]\n"
        "  2024-03-01X10:00:00Z  ,1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:3: time '2024-03-01X10:00:00Z' is not an instant "
        "such as 2024-03-01T10:00:00Z or 2024-03-01 10:00:00");
    bad("time,power [W]\n"
        "2024-03-01T10:00:00Z,1\n"
        "60,1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:1: time '60' is a number, not an instant such as "
        "2024-03-01T10:00:00Z: for offsets, give the column's unit in its "
        "name ('t [s]', 'time_min') or the time unit (time_unit_s)");
    bad("t [s],power [W]\n"
        "0,1\n"
        "2024-03-01T10:00:00Z,1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:1: time '2024-03-01T10:00:00Z' is not a number (the "
        "column holds offsets in units of 1 s)");
    bad("time,power [W]\n"
        ",1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:1: time is empty: every sample needs its time");
    bad("time,power [W]\n"
        "1899-12-31T23:00:00Z,1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:1: time '1899-12-31T23:00:00Z' is outside the years "
        "1900 to 9999 (UTC)");
    bad("time,power [W]\n"
        "1900-01-01T00:30:00+01:00,1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:1: time '1900-01-01T00:30:00+01:00' is outside the "
        "years 1900 to 9999 (UTC)");
}

static void test_errors_header(void **state)
{
    (void)state;
    ws_trace_opts o = csv_opts();
    bad("", &o, WS_ERR_SCENARIO,
        "trace.csv:1:1: no header line: the trace is empty");
    bad("# only a comment\n\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:1: no header line: the trace is empty");
    bad("2024-03-01T10:00:00Z,100\n2024-03-01T10:00:10Z,100\n", &o,
        WS_ERR_SCENARIO,
        "trace.csv:1:1: line 1 looks like data, not a header: a CSV trace "
        "starts with a header line naming its columns");
    bad("\n# c\npower\n1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:1: the header has one column ('power'): a trace needs "
        "a time and a power column, separated by ',' or ';'");
    bad("time,voltage [V],current [A]\n", &o, WS_ERR_SCENARIO,
        "trace.csv:1:1: no column says it is the power: name the power "
        "column (power_column, --column) among 'time', 'voltage [V]', "
        "'current [A]'");
    bad("time,power_a [W],power_b [W]\n", &o, WS_ERR_SCENARIO,
        "trace.csv:1:1: several columns could be the power: name the power "
        "column (power_column, --column) among 'time', 'power_a [W]', "
        "'power_b [W]'");
    bad("time,Power (VA)\n", &o, WS_ERR_SCENARIO,
        "trace.csv:1:6: the unit of column 'Power (VA)' is 'VA', not W or "
        "kW: give the unit (power_scale, --unit) if its values are power");
    ws_trace_opts c = csv_opts();
    c.power_column = "watts";
    bad("time,power [W]\n", &c, WS_ERR_SCENARIO,
        "trace.csv:1:1: no power column 'watts' in the header (columns: "
        "'time', 'power [W]')");
    c.power_column = "p";
    bad("time,p [W],P (kW)\n", &c, WS_ERR_SCENARIO,
        "trace.csv:1:12: power column 'p' appears twice in the header "
        "(columns 3 and 2): rename one");
    c = csv_opts();
    c.time_column = "clock";
    bad("time;power [W]\n", &c, WS_ERR_SCENARIO,
        "trace.csv:1:1: no time column 'clock' in the header (columns: "
        "'time', 'power [W]')");
    c = csv_opts();
    c.power_scale = 1;
    bad("time,Power (kW)\n", &c, WS_ERR_SCENARIO,
        "trace.csv:1:6: column 'Power (kW)' is in kW but the unit given is "
        "1 W");
    bad("time,\"power [W]\n", &o, WS_ERR_SCENARIO,
        "trace.csv:1:6: quoted field without its closing quote (a field "
        "cannot span lines)");
    bad("time,\"power\" [W]\n", &o, WS_ERR_SCENARIO,
        "trace.csv:1:14: text after a closing quote: expected ',' or the "
        "end of the line");
    static const char nul[] = "time,power [W]\n2024-03-01T10:00:00Z,1\0\n";
    ws_trace *tr = NULL;
    ws_error err;
    assert_int_equal(ws_trace_parse(nul, sizeof nul - 1, "n.csv", &o, &tr,
                                    &err), WS_ERR_SCENARIO);
    char buf[512];
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "n.csv:2:23: NUL byte in the text: not a text "
                             "file");
    /* a line of more than 1 MiB */
    size_t big = (1u << 20) + 1;
    char *huge = malloc(big + 40);
    assert_non_null(huge);
    strcpy(huge, "time,power [W]\n");
    memset(huge + 15, '7', big);
    huge[15 + big] = '\0';
    assert_int_equal(ws_trace_parse(huge, strlen(huge), "h.csv", &o, &tr,
                                    &err), WS_ERR_SCENARIO);
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "h.csv:2:1: line longer than 1048576 bytes: "
                             "not a trace");
    free(huge);
    /* columns count characters, not bytes: 'Zürich' has a 2-byte ü */
    bad("Site;time;Puissance (kW)\n"
        "Zürich;2024-03-01T10:00:00Z;1\n"
        "Zürich;2024-03-01T10:01:00Z;x\n", &(ws_trace_opts){
            .time_column = "time"}, WS_ERR_SCENARIO,
        "trace.csv:3:29: power 'x' is not a number");
    /* and on line 1 from after a byte-order mark */
    bad("\xef\xbb\xbf" "time,Power (VA)\n", &o, WS_ERR_SCENARIO,
        "trace.csv:1:6: the unit of column 'Power (VA)' is 'VA', not W or "
        "kW: give the unit (power_scale, --unit) if its values are power");
}

static void test_errors_count(void **state)
{
    (void)state;
    ws_trace_opts o = csv_opts();
    bad("time,power [W]\n2024-03-01T10:00:00Z,1\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:1: 1 sample: a trace needs at least 2");
    ws_trace_opts s = csv_opts();
    s.missing = WS_TRACE_MISSING_SKIP;
    bad("time,power [W]\n2024-03-01T10:00:00Z,1\n2024-03-01T10:00:01Z,\n",
        &s, WS_ERR_SCENARIO,
        "trace.csv:3:1: 1 sample left after the missing ones: a trace "
        "needs at least 2");
    /* the sample limit (here 3, through the internal entry) */
    const char *text = "t [s],power [W]\n0,1\n1,1\n2,1\n3,1\n";
    ws_trace *tr = NULL;
    ws_error err;
    assert_int_equal(wsi_trace_parse_max(text, strlen(text), "big.csv", &o,
                                         3, &tr, &err), WS_ERR_RANGE);
    char buf[512];
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "big.csv:5:1: more than 3 samples: the limit "
                             "of one trace (WS_TRACE_MAX_SAMPLES)");
    assert_null(tr);
    assert_int_equal(wsi_trace_parse_max(text, strlen(text), "big.csv", &o,
                                         4, &tr, &err), WS_OK);
    assert_int_equal(ws_trace_len(tr), 4);
    ws_trace_free(tr);
}

static void test_errors_nvsmi(void **state)
{
    (void)state;
    ws_trace_opts o = nv_opts(0);
    bad("timestamp, index, power.draw [W]\n"
        "2024/03/01 10:00:00, 0, 10 W\n"
        "2024/03/01 10:00:00, 1, [N/A]\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:25: power of GPU 1 is missing ('[N/A]'): "
        "WS_TRACE_MISSING_SKIP (--skip-missing) leaves such queries out");
    bad("timestamp, index, power.draw [W]\n"
        "2024/03/01 10:00:00, 0, 10 W\n"
        "2024/03/01 10:00:00, 1, 10 W\n"
        "2024/03/01 10:00:05, 0, 10 W\n"
        "2024/03/01 10:00:05, 2, 10 W\n", &o, WS_ERR_SCENARIO,
        "trace.csv:5:22: GPU 2 is not in the first query (lines 2-3, 2 "
        "GPUs): every query must have the same GPUs");
    /* a query without GPU 1: the next row is 1 s later, a new query */
    bad("timestamp, index, power.draw [W]\n"
        "2024/03/01 10:00:00, 0, 10 W\n"
        "2024/03/01 10:00:00, 1, 10 W\n"
        "2024/03/01 10:00:05, 0, 10 W\n"
        "2024/03/01 10:00:10, 1, 10 W\n"
        "2024/03/01 10:00:10, 0, 10 W\n", &o, WS_ERR_SCENARIO,
        "trace.csv:4:1: the query from this line has 1 GPU, the first one "
        "(lines 2-3) 2: GPU 1 is missing");
    /* a log cut in its last query */
    bad("2024/03/01 10:00:00, 0, 10\n"
        "2024/03/01 10:00:00, 1, 10\n"
        "2024/03/01 10:00:05, 0, 10\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:1: the query from this line has 1 GPU, the first one "
        "(lines 1-2) 2: GPU 1 is missing");
    bad("timestamp, index, power.draw [W]\n"
        "2024/03/01 10:00:00, 0, 352.17 W\n"
        "2024/03/01 10:00:05, 0, 35\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:25: power '35' has no unit, unlike line 2: a line cut "
        "short or logs of two formats");
    bad("timestamp, index, power.draw [W]\n"
        "2024/03/01 10:00:00, gpu0, 10 W\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:22: GPU index 'gpu0' is not a whole number from 0 to "
        "1023");
    bad("timestamp, index, power.draw [W]\n"
        "2024/03/01 10:00:00, 1024, 10 W\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:22: GPU index '1024' is not a whole number from 0 to "
        "1023");
    bad("timestamp, power.draw [W]\n", &o, WS_ERR_SCENARIO,
        "trace.csv:1:1: no index column in the header (columns: "
        "'timestamp', 'power.draw [W]'): query timestamp,index,power.draw "
        "so that the rows of one query can be told apart");
    bad("timestamp, index, utilization.gpu [%]\n", &o, WS_ERR_SCENARIO,
        "trace.csv:1:1: no power.draw column in the header (columns: "
        "'timestamp', 'index', 'utilization.gpu [%]')");
    bad("2024/03/01 10:00:00, 0\n", &o, WS_ERR_SCENARIO,
        "trace.csv:1:23: 2 fields: a log without a header needs "
        "timestamp, index, power.draw");
    ws_trace_opts n = nv_opts(0);
    n.power_column = "power.draw.average";
    bad("2024/03/01 10:00:00, 0, 1\n", &n, WS_ERR_SCENARIO,
        "trace.csv:1:1: the log has no header line, so columns cannot be "
        "chosen by name: without one its fields are timestamp, index, "
        "power.draw");
    bad("timestamp, index, power.draw [W]\n"
        "2024/03/01 10:00:05, 0, 10 W\n"
        "2024/03/01 10:00:00, 0, 10 W\n", &o, WS_ERR_SCENARIO,
        "trace.csv:3:1: time '2024/03/01 10:00:00' is not after the "
        "previous sample's (line 2): times must increase strictly");
    bad("timestamp, index, power.draw [W]\n"
        "2024-03-01 10:00:00, 0, 10 A\n", &o, WS_ERR_SCENARIO,
        "trace.csv:2:25: power '10 A' is not a number");
}

static void test_errors_api(void **state)
{
    (void)state;
    ws_trace *tr = (ws_trace *)1;
    ws_error err;
    char buf[512];
    assert_int_equal(ws_trace_read("no/such/trace.csv", NULL, &tr, &err),
                     WS_ERR_IO);
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "no/such/trace.csv: cannot open: No such file "
                             "or directory");
    assert_null(tr);
    assert_int_equal(ws_trace_read("tests", NULL, &tr, &err), WS_ERR_IO);
    ws_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "tests: is a directory, not a trace file");
    ws_trace_opts o = csv_opts();
    o.base_w = 100;
    assert_int_equal(ws_trace_parse("a", 1, "x", &o, &tr, &err),
                     WS_ERR_MISUSE);
    o = csv_opts();
    o.power_scale = -1;
    assert_int_equal(ws_trace_parse("a", 1, "x", &o, &tr, &err),
                     WS_ERR_MISUSE);
    o = csv_opts();
    o.max_gap_s = NAN;
    assert_int_equal(ws_trace_parse("a", 1, "x", &o, &tr, &err),
                     WS_ERR_MISUSE);
    assert_int_equal(ws_trace_parse(NULL, 3, "x", NULL, &tr, &err),
                     WS_ERR_MISUSE);
    /* arrays */
    double t[] = {5, 6, 8}, w[] = {1, 2, 3};
    assert_int_equal(ws_trace_from_arrays(t, w, 3, &tr, &err), WS_OK);
    expect(tr, 3, (double[]){0, 1, 3}, (double[]){1, 2, 3});
    assert_int_equal(ws_trace_start_unix(tr), 0);
    assert_string_equal(ws_trace_name(tr), "");
    ws_trace_free(tr);
    assert_int_equal(ws_trace_from_arrays(t, w, 1, &tr, &err),
                     WS_ERR_SCENARIO);
    assert_string_equal(err.message, "1 sample: a trace needs at least 2");
    double t2[] = {0, 1, 1};
    assert_int_equal(ws_trace_from_arrays(t2, w, 3, &tr, &err),
                     WS_ERR_SCENARIO);
    assert_string_equal(err.message, "sample 2: time 1 is not after the "
                                     "previous sample's");
    double w2[] = {1, -2, 3};
    assert_int_equal(ws_trace_from_arrays(t, w2, 3, &tr, &err),
                     WS_ERR_SCENARIO);
    assert_string_equal(err.message, "sample 1: power -2 W is negative");
    double w3[] = {1, 2, INFINITY};
    assert_int_equal(ws_trace_from_arrays(t, w3, 3, &tr, &err),
                     WS_ERR_SCENARIO);
    assert_string_equal(err.message, "sample 2: power inf W is not finite");
    ws_trace_free(NULL);
    assert_int_equal(ws_trace_len(NULL), 0);
}

/* ws_trace_read on a file: the same as parsing its text. */
static void test_read_file(void **state)
{
    (void)state;
    char *dir = ws_tmpdir();
    const char *p = ws_write_file(dir, "t.csv", "time;power [W]\n"
                                  "2024-03-01T10:00:00Z;1,5\n"
                                  "2024-03-01T10:00:01Z;2,5\n");
    ws_trace *tr = NULL;
    ws_error err;
    assert_int_equal(ws_trace_read(p, NULL, &tr, &err), WS_OK);
    expect(tr, 2, (double[]){0, 1}, (double[]){1.5, 2.5});
    assert_string_equal(ws_trace_name(tr), p);
    ws_trace_free(tr);
    p = ws_write_file(dir, "b.csv", "time;power [W]\n"
                      "2024-03-01T10:00:00Z;1,5\n"
                      "2024-03-01T10:00:01Z;2.x\n");
    assert_int_equal(ws_trace_read(p, NULL, &tr, &err), WS_ERR_SCENARIO);
    assert_string_equal(err.file, p);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 22);
    ws_rmdir(dir);
}
/* =====} */

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_basic),
        cmocka_unit_test(test_csv_dcim),
        cmocka_unit_test(test_csv_instants),
        cmocka_unit_test(test_csv_offsets),
        cmocka_unit_test(test_csv_columns),
        cmocka_unit_test(test_csv_skip),
        cmocka_unit_test(test_nvsmi_header_units),
        cmocka_unit_test(test_nvsmi_reordered),
        cmocka_unit_test(test_nvsmi_noheader),
        cmocka_unit_test(test_nvsmi_skip),
        cmocka_unit_test(test_nvsmi_one_gpu),
        cmocka_unit_test(test_errors_values),
        cmocka_unit_test(test_errors_times),
        cmocka_unit_test(test_errors_header),
        cmocka_unit_test(test_errors_count),
        cmocka_unit_test(test_errors_nvsmi),
        cmocka_unit_test(test_errors_api),
        cmocka_unit_test(test_read_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
