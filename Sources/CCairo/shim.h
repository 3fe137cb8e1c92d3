// cairo 1.16 (Debian libcairo2-dev): the 2D rasterizer behind the report's plots.
#ifndef XTALREPORT_CCAIRO_SHIM_H
#define XTALREPORT_CCAIRO_SHIM_H
#include <cairo.h>
#endif
