/* engine/base/csvsplit.c - one CSV line cut into fields (csvsplit.h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>

#include "base/alloc.h"
#include "base/csvsplit.h"

int wsi_csv_split(const char *s, size_t n, char sep, char **buf,
                  size_t *bcap, wsi_csv_field **f, size_t *fcap, size_t *nf,
                  int *eol_col, int *err_col, char *msg, size_t msgn)
{
    if (wsi_grow((void **)buf, bcap, n + 1, 1) != 0)
        return -1;
    char *b = *buf;
    size_t i = 0, o = 0;
    int col = 1;
    *nf = 0;
#define ADVANCE()                                                            \
    do {                                                                     \
        col += ((unsigned char)s[i] & 0xc0) != 0x80;                         \
        i++;                                                                 \
    } while (0)
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            ADVANCE();
        if (wsi_grow((void **)f, fcap, *nf + 1, sizeof **f) != 0)
            return -1;
        wsi_csv_field *x = &(*f)[(*nf)++];
        x->s = b + o;
        x->quoted = 0;
        if (i < n && s[i] == '"') {
            const int qcol = col;
            x->quoted = 1;
            ADVANCE();
            x->col = col;
            for (;;) {
                if (i >= n) {
                    *err_col = qcol;
                    snprintf(msg, msgn, "quoted field without its closing "
                             "quote (a field cannot span lines)");
                    return 1;
                }
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        b[o++] = '"';
                        ADVANCE();
                        ADVANCE();
                        continue;
                    }
                    ADVANCE();
                    break;
                }
                b[o++] = s[i];
                ADVANCE();
            }
            while (i < n && (s[i] == ' ' || s[i] == '\t'))
                ADVANCE();
            if (i < n && s[i] != sep) {
                *err_col = col;
                snprintf(msg, msgn, "text after a closing quote: expected "
                         "'%c' or the end of the line", sep);
                return 1;
            }
        } else {
            x->col = col;
            const size_t start = o;
            while (i < n && s[i] != sep) {
                b[o++] = s[i];
                ADVANCE();
            }
            while (o > start && (b[o - 1] == ' ' || b[o - 1] == '\t'))
                o--;
        }
        b[o++] = '\0';
        if (i >= n)
            break;
        ADVANCE(); /* the separator */
    }
#undef ADVANCE
    if (eol_col)
        *eol_col = col;
    return 0;
}

char wsi_csv_sep(const char *s, size_t n)
{
    size_t commas = 0, semis = 0;
    int inq = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"')
            inq = !inq;
        else if (!inq && c == ',')
            commas++;
        else if (!inq && c == ';')
            semis++;
    }
    return semis && semis >= commas ? ';' : ',';
}
