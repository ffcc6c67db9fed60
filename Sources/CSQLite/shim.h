#ifndef BITLINK_CSQLITE_SHIM_H
#define BITLINK_CSQLITE_SHIM_H
#include <sqlite3.h>

// Swift cannot call C variadic functions, so the few sqlite3_db_config calls we need
// are wrapped here as plain inline functions.

/// Turns off double-quoted string literals, so a typo in a column name is an error
/// instead of a silent string constant.
static inline int bitlink_sqlite_disable_dqs(sqlite3 *db) {
#if SQLITE_VERSION_NUMBER >= 3029000
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)0);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)0);
#else
    (void)db;
    return SQLITE_OK;
#endif
}

/// SQLITE_TRANSIENT is a macro cast of -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type bitlink_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
#endif
