// SQLite 3, imported whole (Debian's libsqlite3-dev). SQLITE_TRANSIENT is a cast macro
// Swift cannot import; the accessor gives it as a destructor pointer.
#ifndef XTALREPORT_CSQLITE_SHIM_H
#define XTALREPORT_CSQLITE_SHIM_H
#include <sqlite3.h>

static inline sqlite3_destructor_type xr_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
