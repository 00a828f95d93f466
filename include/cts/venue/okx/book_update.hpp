#pragma once
/// \file
/// BookUpdate: one OKX order book push (`books`, `books5`, `bbo-tbt`) as read by
/// parse_stream_event() (streams.hpp) and applied by BookSync (book_sync.hpp).

#include <cstdint>
#include <string>

#include "cts/venue/types.hpp"

namespace cts::venue::okx {

/// An order book push of `books`, `books5` or `bbo-tbt`: bids and asks best first (each
/// level ["price","size","0","orders"], of which the first two are read), `seqId` as
/// book.last_update_id, `ts` as book.event_time_ms.
struct BookUpdate {
  std::string channel;            ///< The channel it came on.
  std::string inst_id;            ///< arg.instId.
  bool snapshot = false;          ///< action "snapshot" (books5 and bbo-tbt send whole books without action: true).
  BookSnapshot book;              ///< Levels and sequence.
  std::int64_t prev_seq_id = -1;  ///< prevSeqId (-1 on a snapshot; absent on books5 and bbo-tbt).
  std::int32_t checksum = 0;      ///< checksum; 0 when absent.
  /// Equal when every member is.
  friend bool operator==(const BookUpdate&, const BookUpdate&) = default;
};

}  // namespace cts::venue::okx
