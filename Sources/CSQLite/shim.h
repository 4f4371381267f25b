// The system SQLite (Debian's libsqlite3-dev); nothing else.
#include <sqlite3.h>
