// Zstandard (Debian's libzstd-dev), for zstd-compressed streams.
#ifndef XTALREPORT_CZSTD_SHIM_H
#define XTALREPORT_CZSTD_SHIM_H
#include <zstd.h>
#endif
