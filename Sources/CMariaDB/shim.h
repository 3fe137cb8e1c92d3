// MariaDB Connector/C, imported whole, plus the wrappers Swift cannot express itself
// (mariadb_get_infov is variadic).
#ifndef XTALREPORT_CMARIADB_SHIM_H
#define XTALREPORT_CMARIADB_SHIM_H
#include <mysql.h>

// Whether the server takes a prepared statement's parameters as arrays (COM_STMT_BULK_EXECUTE,
// MariaDB 10.2 and later; never a MySQL server): the test MARIADB_STMT_BULK_SUPPORTED makes
// in mariadb_stmt.h, through the documented information call instead of the private structs.
static inline int xr_mariadb_bulk_supported(MYSQL *mysql) {
    unsigned long server = 0, extended = 0;
    if (mariadb_get_infov(mysql, MARIADB_CONNECTION_SERVER_CAPABILITIES, &server)) return 0;
    if (mariadb_get_infov(mysql, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &extended)) return 0;
    return !(server & CLIENT_MYSQL) && (extended & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
}
#endif
