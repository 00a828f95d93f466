// The OrangeX WebSocket side: heartbeat and JSON-RPC calls over the front.
#include "cts/sim/orangex_streams.hpp"

#include <string>

namespace cts::sim {

namespace {
// Mixed into the fault seed so the WebSocket dice differ from the REST front's.
constexpr std::uint64_t kFaultSalt = 0x4f52414e4745ULL;
}  // namespace

OrangexStreams::OrangexStreams(OrangexFront& front, const FaultConfig& faults)
    : front_(front), connections_(faults, kFaultSalt) {}

bool OrangexStreams::open(std::uint64_t connection, std::string_view target, std::int64_t /*now_ms*/) {
  if (target != "/ws/api/v1") return false;
  connections_.open(connection, Connection{});
  return true;
}

void OrangexStreams::message(std::uint64_t connection, std::string_view text, std::int64_t now_ms,
                             std::vector<WsOutput>& out) {
  Connection* c = connections_.live(connection);
  if (c == nullptr) return;
  ++connections_.stats().requests;
  if (text == "PING") return connections_.send(connection, "PONG", out);
  std::string reply = front_.call(text, c->session, now_ms);
  if (reply.find(R"("error":)") != std::string::npos) ++connections_.stats().errors;
  connections_.send(connection, std::move(reply), out);
}

void OrangexStreams::tick(std::int64_t /*now_ms*/, std::vector<WsOutput>& /*out*/) { connections_.erase_dropped(); }

}  // namespace cts::sim
