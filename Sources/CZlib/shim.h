// zlib (Debian's zlib1g-dev), for gzip-compressed streams. inflateInit2 is a macro that
// Swift cannot import; the wrapper passes the version and struct size as the macro does.
#ifndef XTALREPORT_CZLIB_SHIM_H
#define XTALREPORT_CZLIB_SHIM_H
#include <zlib.h>

static inline int xr_inflate_init_gzip(z_stream *strm) {
    // 15 + 16: a gzip wrapper only (a zlib or raw stream is not a .gz file).
    return inflateInit2(strm, 15 + 16);
}
#endif
