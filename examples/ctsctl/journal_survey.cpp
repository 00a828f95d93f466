// The survey of a journal and its scratch account (ctsctl/journal_survey.hpp).
#include "ctsctl/journal_survey.hpp"

#include <algorithm>

#include <fmt/format.h>

#include <cts/core/instrument.hpp>
#include <cts/store/snapshot.hpp>

namespace ctsctl {
namespace {

// The time a creation or event record carries.
cts::SystemTime record_time(const cts::store::JournalRecord& record) {
  return record.kind == cts::store::RecordKind::order_created ? record.request.ts : record.event.ts;
}

// The instrument of `symbol` with the facts of `spec` (a snapshot's position) or, without
// it, those the unified symbol names with contract size `multiplier`.
cts::Result<cts::Instrument> instrument_for(const std::string& symbol, const std::optional<cts::order::PositionSpec>& spec,
                                            cts::Decimal multiplier) {
  cts::Result<cts::UnifiedSymbol> unified = cts::UnifiedSymbol::parse(symbol);
  if (!unified) {
    return cts::make_error(cts::ErrorCode::invalid_argument,
                           fmt::format("the journal trades \"{}\", not a unified symbol: {}", symbol, unified.error().message));
  }
  cts::Instrument instrument;
  instrument.base = unified->base;
  instrument.quote = unified->quote;
  instrument.settle = unified->settle;
  instrument.expiry = unified->expiry;
  if (spec) {
    instrument.kind = spec->kind;
    instrument.multiplier = spec->multiplier;
    instrument.settle = std::string(spec->settle.view());
    return instrument;
  }
  const bool inverse = unified->settle == unified->base;
  const bool dated = !unified->expiry.empty();
  instrument.kind = unified->settle.empty() ? cts::InstrumentKind::spot
                    : inverse ? (dated ? cts::InstrumentKind::inverse_future : cts::InstrumentKind::inverse_perpetual)
                              : (dated ? cts::InstrumentKind::linear_future : cts::InstrumentKind::linear_perpetual);
  instrument.multiplier = multiplier;
  return instrument;
}

}  // namespace

cts::Result<JournalSurvey> survey_journal(cts::store::Journal& journal) {
  JournalSurvey survey;
  const auto seen_time = [&](cts::SystemTime t) {
    survey.first_time = survey.first_time ? std::min(*survey.first_time, t) : t;
    survey.last_time = survey.last_time ? std::max(*survey.last_time, t) : t;
  };
  cts::Result<void> read = journal.replay(0, [&](const cts::store::JournalRecord& record) -> cts::Result<void> {
    ++survey.records;
    if (survey.first_seq == 0) survey.first_seq = record.seq;
    survey.last_seq = record.seq;
    switch (record.kind) {
      case cts::store::RecordKind::snapshot: {
        ++survey.snapshots;
        survey.snapshot_seq = record.seq;
        cts::Result<cts::store::Snapshot> snapshot = cts::store::decode_snapshot(record.snapshot);
        if (!snapshot) return snapshot.error();
        for (const cts::store::SnapshotPosition& p : snapshot->positions) {
          survey.symbols.insert_or_assign(p.current.spec().symbol, p.current.spec());
        }
        for (const cts::store::JournalRecord& kept : snapshot->orders) {
          if (kept.kind == cts::store::RecordKind::order_created) survey.symbols.try_emplace(kept.request.symbol);
        }
        return {};
      }
      case cts::store::RecordKind::order_created:
        ++survey.orders_created;
        survey.symbols.try_emplace(record.request.symbol);
        break;
      case cts::store::RecordKind::order_event:
        ++survey.order_events;
        if (record.event.kind == cts::order::OrderEventKind::filled) ++survey.fills;
        break;
    }
    seen_time(record_time(record));
    return {};
  });
  if (!read) return read.error();
  return survey;
}

cts::Result<ScratchAccount> scratch_account(const JournalSurvey& survey,
                                            const std::map<std::string, cts::Decimal>& multipliers) {
  for (const auto& [symbol, size] : multipliers) {
    const auto traded = survey.symbols.find(symbol);
    if (traded == survey.symbols.end()) {
      return cts::make_error(cts::ErrorCode::invalid_argument,
                             fmt::format("--multiplier {}: the journal does not trade {}", symbol, symbol));
    }
    if (traded->second && traded->second->multiplier != size) {
      return cts::make_error(cts::ErrorCode::invalid_argument,
                             fmt::format("--multiplier {}={}: the journal's snapshot records a contract size of {}", symbol,
                                         size, traded->second->multiplier));
    }
  }
  ScratchAccount scratch{std::make_unique<cts::order::Account>(), {}};
  for (const auto& [symbol, spec] : survey.symbols) {
    const auto given = multipliers.find(symbol);
    cts::Result<cts::Instrument> instrument =
        instrument_for(symbol, spec, given != multipliers.end() ? given->second : cts::Decimal::from_int(1));
    if (!instrument) return instrument.error();
    if (!spec && given == multipliers.end() && instrument->kind != cts::InstrumentKind::spot) {
      scratch.unknown_size.push_back(symbol);
    }
    if (cts::Result<void> added = scratch.account->add_instrument(*instrument); !added) return added.error();
  }
  return scratch;
}

}  // namespace ctsctl
