// PostgreSQL's client library (Debian's libpq-dev), for the PostgreSQL engine (DESIGN §14).
#include <libpq-fe.h>
