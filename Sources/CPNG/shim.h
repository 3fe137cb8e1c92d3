// libpng 1.6. png_create_write_struct takes the PNG_LIBPNG_VER_STRING macro, a string
// literal Swift sees only as a macro; the accessor keeps callers independent of the version.
#ifndef XTALREPORT_CPNG_SHIM_H
#define XTALREPORT_CPNG_SHIM_H
#include <png.h>

static inline const char *xr_png_libpng_ver_string(void) { return PNG_LIBPNG_VER_STRING; }
static inline int xr_PNG_COLOR_TYPE_RGBA(void) { return PNG_COLOR_TYPE_RGBA; }

#endif
