#pragma once
/// \file
/// The store component: the durable order journal (interface, SQLite and PostgreSQL
/// backends, opening either from a setting, copying one into another, replay), its
/// owner lock, and private temporary directories for run-long journals.

#include "cts/store/copy_journal.hpp"
#include "cts/store/journal.hpp"
#include "cts/store/open_journal.hpp"
#include "cts/store/owner_lock.hpp"
#include "cts/store/postgres_journal.hpp"
#include "cts/store/private_temp_dir.hpp"
#include "cts/store/record.hpp"
#include "cts/store/sqlite_journal.hpp"
