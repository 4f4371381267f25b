// The system SQLite (Debian's libsqlite3-dev).
#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: this is the one call Storage makes. It must run before
// SQLite initializes, that is before the first connection opens.
static inline int csqlite_disable_memory_statistics(void) {
    // Without statistics, every allocation no longer takes SQLite's global memory mutex.
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
