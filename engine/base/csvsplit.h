/* engine/base/csvsplit.h - one line of a CSV file cut into its fields,
 * for the readers of traces, carbon series and job lists.
 *
 * Fields are separated by sep; blanks (space, tab) around a field are
 * dropped; a field may be quoted ("a, b"), a doubled quote standing for
 * one; a quoted field cannot span lines, and only blanks may follow its
 * closing quote. Columns count characters (UTF-8 sequences), from 1.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_CSVSPLIT_H
#define WS_BASE_CSVSPLIT_H

#include <stddef.h>

typedef struct wsi_csv_field {
    char *s;     /* the content: unquoted, trimmed, NUL-terminated */
    int col;     /* 1-based character column of its first character */
    int quoted;
} wsi_csv_field;

/* Cut s[0..n) at sep: the fields' contents into *buf (grown to n + 1
 * bytes), the fields into *f (grown), their count into *nf, the column
 * just past the line's end into *eol_col (may be NULL). Returns 0; -1
 * when out of memory; 1 on a malformed line, with the column of the
 * fault in *err_col and what is wrong in msg (one line). */
int wsi_csv_split(const char *s, size_t n, char sep, char **buf,
                  size_t *bcap, wsi_csv_field **f, size_t *fcap, size_t *nf,
                  int *eol_col, int *err_col, char *msg, size_t msgn);

/* The separator of a header line s[0..n): the one of ';' and ',' it has
 * more of outside quotes; ';' on a tie; ',' when it has neither. */
char wsi_csv_sep(const char *s, size_t n);

#endif /* WS_BASE_CSVSPLIT_H */
