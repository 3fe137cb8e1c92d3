// glibc's heap tuning (mallopt), which Swift's Glibc module does not include.
#ifndef XTALREPORT_CMALLOC_SHIM_H
#define XTALREPORT_CMALLOC_SHIM_H
#include <malloc.h>
#endif
