#pragma once
/// \file
/// The store component: the durable order journal (interface, SQLite backend, replay),
/// its owner lock, and private temporary directories for run-long journals.

#include "cts/store/journal.hpp"
#include "cts/store/owner_lock.hpp"
#include "cts/store/private_temp_dir.hpp"
#include "cts/store/record.hpp"
#include "cts/store/sqlite_journal.hpp"
