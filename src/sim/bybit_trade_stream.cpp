// The simulator's Bybit trade WebSocket `/v5/trade` (BybitStreams' order entry): frames,
// codes and reply members from Bybit's websocket/trade/guideline.mdx; the orders run
// through BybitFront::ws_order. See include/cts/sim/bybit_streams.hpp.
#include <iterator>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "bybit_json.hpp"
#include "cts/core/json_string.hpp"
#include "cts/sim/bybit_streams.hpp"

namespace cts::sim {

namespace {

/// The longest reqId (guideline.mdx: "The length cannot exceed 36 characters").
constexpr std::size_t kMaxReqId = 36;

/// True for the order ops (single and batch).
bool is_order_op(std::string_view op) { return op.starts_with("order."); }

}  // namespace

void BybitStreams::trade_message(std::uint64_t id, Connection& c, std::string_view text, std::int64_t now_ms,
                                 std::vector<WsOutput>& out) {
  std::string req_id;
  std::string op;
  // {"reqId"?,"retCode","retMsg","op", then `members` (each with its leading comma), "connId"}.
  const auto answer = [&](long code, std::string_view message, std::string_view members = {}) {
    if (code != 0) ++connections_.stats().errors;
    std::string frame = "{";
    if (!req_id.empty()) {
      frame += R"("reqId":)";
      append_json_string(frame, req_id);
      frame += ',';
    }
    fmt::format_to(std::back_inserter(frame), R"("retCode":{},"retMsg":)", code);
    append_json_string(frame, message);
    frame += R"(,"op":)";
    append_json_string(frame, op);
    fmt::format_to(std::back_inserter(frame), R"({},"connId":"cts-sim-{}"}})", members, id);
    connections_.send(id, std::move(frame), out);
  };

  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(text.data(), text.size()).get(object)) return answer(10001, "Params Error: not a JSON object");
  simdjson::dom::array args;
  bool has_args = false;
  std::optional<std::string_view> timestamp;
  std::optional<std::string_view> recv_window;
  bool well_formed = true;
  for (const auto field : object) {
    std::string_view value;
    if (field.key == "reqId") {
      well_formed = well_formed && !field.value.get_string().get(value) && value.size() <= kMaxReqId;
      if (well_formed) req_id = std::string(value);
    } else if (field.key == "op") {
      well_formed = well_formed && !field.value.get_string().get(value);
      if (well_formed) op = std::string(value.substr(0, 64));
    } else if (field.key == "args") {
      has_args = true;
      well_formed = well_formed && !field.value.get_array().get(args);
    } else if (field.key == "header") {
      simdjson::dom::object header;
      well_formed = well_formed && !field.value.get_object().get(header);
      if (!well_formed) continue;
      for (const auto entry : header) {
        if (entry.key != "X-BAPI-TIMESTAMP" && entry.key != "X-BAPI-RECV-WINDOW") continue;
        well_formed = well_formed && !entry.value.get_string().get(value);
        (entry.key == "X-BAPI-TIMESTAMP" ? timestamp : recv_window) = value;
      }
    }
  }
  if (!well_formed) {
    return answer(10001, "Params Error: reqId (at most 36 characters), op and header values must be strings");
  }
  if (op == "ping") {
    op = "pong";
    return answer(0, "OK", fmt::format(R"(,"data":["{}"])", now_ms));
  }
  if (op == "auth") {
    if (c.account) return answer(20001, "Repeat auth");
    std::vector<std::string> values;
    if (!has_args || !detail::read_op_args(args, values)) return answer(10001, "Params Error");
    AccountId account = 0;
    if (const auto refused = check_auth(values, now_ms, account)) return answer(refused->first, refused->second);
    c.account = account;
    return answer(0, "OK");
  }
  if (!is_order_op(op)) return answer(10404, "op type is not found");
  if (!c.account) return answer(10003, "Not authenticated: send auth first");
  if (!req_id.empty() && !c.req_ids.insert(req_id).second) return answer(20006, "reqId is duplicated");
  if (!has_args || args.size() != 1 || !args.at(0).is_object()) {
    return answer(10001, "Params Error: args must hold one object");
  }
  const BybitOpReply reply =
      front_.ws_order(*c.account, op, simdjson::minify(args.at(0).value_unsafe()), timestamp, recv_window, now_ms);
  std::string members = fmt::format(R"(,"data":{},"retExtInfo":{},"header":{{)", reply.data, reply.ext);
  for (const HttpHeader& header : reply.limit_headers) {
    fmt::format_to(std::back_inserter(members), R"("{}":"{}",)", header.name, header.value);
  }
  fmt::format_to(std::back_inserter(members), R"("Traceid":"cts-sim-trace-{}","Timenow":"{}"}})", next_trace_id_++,
                 now_ms);
  // The ws_lost_replies fault: executed, never answered (the connection kept).
  if (!connections_.lose_reply()) answer(reply.code, reply.msg, members);
  // What the op changed reaches the streams right after its reply, as after a REST request.
  tick(now_ms, out);
}

}  // namespace cts::sim
