#include "cts/engine/position_watch.hpp"

namespace cts::engine {

void PositionWatch::streamed(Decimal venue, SteadyTime heard) {
  if (source_ != PositionSource::none && heard <= heard_) return;
  venue_ = venue;
  source_ = PositionSource::stream;
  heard_ = heard;
}

void PositionWatch::reconciled(Decimal venue, Decimal engine, SteadyTime now) {
  venue_ = venue;
  source_ = PositionSource::rest;
  heard_ = now;
  differs_since_.reset();
  if (venue == engine) {
    reported_.reset();
  } else {
    reported_ = venue - engine;
  }
}

void PositionWatch::moving(Decimal venue, SteadyTime now) {
  venue_ = venue;
  source_ = PositionSource::rest;
  heard_ = now;
  differs_since_.reset();
}

PositionVerdict PositionWatch::check(Decimal engine, bool complete, SteadyTime now) {
  if (!complete || !venue_) {
    differs_since_.reset();
    return PositionVerdict::unknown;
  }
  if (*venue_ == engine) {
    differs_since_.reset();
    reported_.reset();
    return PositionVerdict::agree;
  }
  if (reported_ && *reported_ == *venue_ - engine) {
    differs_since_.reset();  // a new difference settles from when it appears
    return PositionVerdict::reported;
  }
  if (!differs_since_) differs_since_ = now;
  if (now - *differs_since_ < options_.settle) return PositionVerdict::settling;
  return PositionVerdict::disagree;
}

}  // namespace cts::engine
