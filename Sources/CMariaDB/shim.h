// MariaDB Connector/C, imported whole. The API is plain functions and enums, so no
// accessors are needed yet; put any macro wrappers the store needs here.
#ifndef XTALREPORT_CMARIADB_SHIM_H
#define XTALREPORT_CMARIADB_SHIM_H
#include <mysql.h>
#endif
