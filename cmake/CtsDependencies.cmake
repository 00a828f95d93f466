# Every dependency comes from a Debian 12 package (scripts/install-deps); nothing is
# downloaded at configure time. The same calls are repeated in ctsConfig.cmake.
find_package(fmt 9 CONFIG REQUIRED)
find_package(simdjson 3 CONFIG REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)  # libpq only (libpq-dev): the PostgreSQL journal
find_package(Boost 1.74 CONFIG REQUIRED)
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)
# hiredis (libhiredis-dev) ships a pkg-config file, no CMake package.
find_package(PkgConfig REQUIRED)
pkg_check_modules(hiredis REQUIRED IMPORTED_TARGET GLOBAL hiredis)
