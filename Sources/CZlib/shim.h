// The system zlib (Debian's zlib1g-dev).
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros (they pass zlib's version and the stream's size), which Swift cannot call.
static inline int czlib_deflate_init(z_streamp stream, int level, int window_bits, int mem_level) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, mem_level, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init(z_streamp stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
