/* engine/base/defs.h - compiler attributes used across the library.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_DEFS_H
#define WS_BASE_DEFS_H

/* A function whose unsigned arithmetic wraps around on purpose (hashes,
 * mixing): exempt from the fuzz build's unsigned-overflow check. */
#if defined(__clang__)
#define WSI_WRAPS __attribute__((no_sanitize("unsigned-integer-overflow")))
#else
#define WSI_WRAPS
#endif

#if defined(__GNUC__)
#define WSI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define WSI_HIDDEN __attribute__((visibility("hidden")))
#else
#define WSI_PRINTF(a, b)
#define WSI_HIDDEN
#endif

#endif /* WS_BASE_DEFS_H */
