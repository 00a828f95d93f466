#pragma once
/// \file
/// The store component: the durable order journal (interface, SQLite backend, replay).

#include "cts/store/journal.hpp"
#include "cts/store/record.hpp"
#include "cts/store/sqlite_journal.hpp"
