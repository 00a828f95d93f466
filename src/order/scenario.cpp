// The scenario-script interpreter (declared in cts/order/scenario.hpp).
#include "cts/order/scenario.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/core/instrument.hpp"
#include "cts/order/account.hpp"

namespace cts::order {

namespace {

struct ScenarioFailure {
  std::string expected;
  std::string happened;
};

/// Interprets scenario lines against one Account.
class ScenarioRunner {
 public:
  std::optional<ScenarioFailure> run_line(std::string_view line, std::size_t number) {
    std::vector<std::string_view> tokens = tokenize(line);
    if (tokens.empty()) return std::nullopt;
    now_ = SystemTime{std::chrono::milliseconds(1'700'000'000'000 + static_cast<std::int64_t>(number))};
    std::optional<ErrorCode> expected_error;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i] != "=>") continue;
      if (i + 2 != tokens.size() || tokens[i + 1].substr(0, 6) != "error:") {
        return fail("`=> error:<code>` at the end of the line", std::string(line));
      }
      const std::string_view name = tokens[i + 1].substr(6);
      expected_error = parse_error_code(name);
      if (!expected_error) return fail("a known error code", fmt::format("\"{}\"", name));
      tokens.resize(i);
      break;
    }
    if (tokens.empty()) return fail("a command before `=>`", std::string(line));
    const std::string_view command = tokens[0];
    const std::vector<std::string_view> args(tokens.begin() + 1, tokens.end());
    if (command == "instrument") return no_error_expected(expected_error, instrument(args));
    if (command == "oms") return no_error_expected(expected_error, oms(args));
    if (command == "order") return refusable(expected_error, [&] { return order(args); });
    if (command == "event") return refusable(expected_error, [&] { return event(args); });
    if (command == "expect") {
      if (expected_error) return fail("no `=>` on expect", "`=> error:`");
      if (!args.empty() && args[0] == "position") return expect_position(args);
      return expect_order(args);
    }
    return fail("a command (instrument, oms, order, event, expect)", fmt::format("\"{}\"", command));
  }

 private:
  using Outcome = std::optional<ScenarioFailure>;
  struct Attempt {
    Outcome script_error;          // the line itself is malformed
    std::optional<Error> refused;  // the account refused the command
  };

  static Outcome fail(std::string expected, std::string happened) {
    return ScenarioFailure{std::move(expected), std::move(happened)};
  }
  static Attempt malformed(std::string expected, std::string happened) {
    return {fail(std::move(expected), std::move(happened)), std::nullopt};
  }

  static std::vector<std::string_view> tokenize(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      if (i >= line.size() || line[i] == '#') break;
      const std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
      out.push_back(line.substr(start, i - start));
    }
    return out;
  }

  static std::optional<ErrorCode> parse_error_code(std::string_view name) {
    if (name == "unknown_order") return ErrorCode::order_not_found;
    for (std::size_t i = 0; i < kErrorCodeCount; ++i) {
      if (to_string(static_cast<ErrorCode>(i)) == name) return static_cast<ErrorCode>(i);
    }
    return std::nullopt;
  }

  static Outcome no_error_expected(const std::optional<ErrorCode>& expected, Outcome outcome) {
    if (expected) return fail("`=> error:` only on order and event lines", "it on another command");
    return outcome;
  }

  template <class F>
  Outcome refusable(const std::optional<ErrorCode>& expected, F&& attempt_fn) {
    const std::string before = snapshot();
    Attempt attempt = attempt_fn();
    if (attempt.script_error) return attempt.script_error;
    if (!expected) {
      if (attempt.refused) return fail("success", "error " + attempt.refused->to_string());
      return std::nullopt;
    }
    if (!attempt.refused) return fail(fmt::format("error:{}", to_string(*expected)), "success");
    if (attempt.refused->code != *expected) {
      return fail(fmt::format("error:{}", to_string(*expected)), "error " + attempt.refused->to_string());
    }
    if (snapshot() != before) return fail("a refused command to change nothing", "the account changed");
    return std::nullopt;
  }

  // A text image of everything observable, to prove that refusals change nothing.
  std::string snapshot() const {
    std::string out;
    account_.orders().for_each([&](const Order& o) {
      out += fmt::format("{} {} {} {} {} {} {} {}|", o.client_id(), o.status(), o.filled(), o.quantity(),
                         o.fill_notional(), o.event_count(), o.venue_order_id(), o.trade_ids().size());
    });
    for (const std::string& id : account_.positions().ids()) {
      const Position* p = account_.positions().find(id);
      out += fmt::format("{} {} {} {} {}|", id, p->signed_qty(), p->open_cost(), p->realized_pnl(), p->fill_count());
    }
    return out;
  }

  // key=value arguments; every key must be in `allowed` (a trailing '.' allows a prefix).
  struct KeyValues {
    std::map<std::string, std::string, std::less<>> values;
    std::vector<std::string> flags;
  };
  static std::optional<std::string> parse_keys(const std::vector<std::string_view>& args, std::size_t from,
                                               std::initializer_list<std::string_view> allowed,
                                               std::initializer_list<std::string_view> allowed_flags, KeyValues& out) {
    for (std::size_t i = from; i < args.size(); ++i) {
      const std::string_view token = args[i];
      const std::size_t eq = token.find('=');
      if (eq == std::string_view::npos) {
        bool ok = false;
        for (std::string_view f : allowed_flags) ok = ok || f == token;
        if (!ok) return fmt::format("\"{}\"", token);
        out.flags.emplace_back(token);
        continue;
      }
      const std::string_view key = token.substr(0, eq);
      bool ok = false;
      for (std::string_view a : allowed) {
        ok = ok || a == key || (a.back() == '.' && key.size() > a.size() && key.substr(0, a.size()) == a);
      }
      if (!ok) return fmt::format("key \"{}\"", key);
      out.values.insert_or_assign(std::string(key), std::string(token.substr(eq + 1)));
    }
    return std::nullopt;
  }

  static Result<Decimal> decimal(std::string_view text) { return Decimal::parse(text); }

  Outcome instrument(const std::vector<std::string_view>& args) {
    if (args.size() < 2)
      return fail("instrument <symbol> <spot|linear|inverse> tick=<d> step=<d>", "too few arguments");
    Result<UnifiedSymbol> symbol = UnifiedSymbol::parse(args[0]);
    if (!symbol) return fail("a unified symbol", symbol.error().message);
    Instrument inst;
    inst.base = symbol->base;
    inst.quote = symbol->quote;
    inst.settle = symbol->settle;
    inst.expiry = symbol->expiry;
    const std::string_view kind = args[1];
    const bool dated = !symbol->expiry.empty();
    if (kind == "spot" && symbol->settle.empty())
      inst.kind = InstrumentKind::spot;
    else if (kind == "linear" && !symbol->settle.empty())
      inst.kind = dated ? InstrumentKind::linear_future : InstrumentKind::linear_perpetual;
    else if (kind == "inverse" && !symbol->settle.empty())
      inst.kind = dated ? InstrumentKind::inverse_future : InstrumentKind::inverse_perpetual;
    else
      return fail("spot for BASE/QUOTE, linear or inverse for BASE/QUOTE:SETTLE",
                  fmt::format("\"{}\" for {}", kind, args[0]));
    KeyValues kv;
    if (auto bad = parse_keys(args, 2, {"tick", "step", "multiplier"}, {}, kv))
      return fail("tick=, step= or multiplier=", *bad);
    for (std::string_view key : {"tick", "step"}) {
      if (!kv.values.contains(key)) return fail(fmt::format("{}=<d>", key), "none");
    }
    Result<Decimal> tick = decimal(kv.values["tick"]), step = decimal(kv.values["step"]);
    if (!tick || !tick->is_positive()) return fail("a positive tick", kv.values["tick"]);
    if (!step || !step->is_positive()) return fail("a positive step", kv.values["step"]);
    inst.tick_size = *tick;
    inst.step_size = *step;
    if (auto it = kv.values.find("multiplier"); it != kv.values.end()) {
      Result<Decimal> m = decimal(it->second);
      if (!m || !m->is_positive()) return fail("a positive multiplier", it->second);
      inst.multiplier = *m;
    }
    if (Result<void> ok = account_.add_instrument(inst); !ok) return fail("a valid instrument", ok.error().to_string());
    instruments_.insert_or_assign(std::string(args[0]), inst);
    return std::nullopt;
  }

  Outcome oms(const std::vector<std::string_view>& args) {
    if (args.size() != 1 || (args[0] != "netting" && args[0] != "hedging")) {
      return fail("oms <netting|hedging>", fmt::format("{} argument(s)", args.size()));
    }
    if (account_.orders().size() != 0) return fail("oms before the first order", "orders exist");
    account_ = Account(args[0] == "netting" ? OmsType::netting : OmsType::hedging);
    for (const auto& [name, inst] : instruments_) {
      if (Result<void> ok = account_.add_instrument(inst); !ok) return fail("a valid instrument", ok.error().to_string());
    }
    return std::nullopt;
  }

  Attempt order(const std::vector<std::string_view>& args) {
    if (args.size() < 5)
      return malformed("order <id> <symbol> <buy|sell> <type> <qty> [@ <price>]", "too few arguments");
    OrderRequest r;
    Result<ClientOrderId> id = ClientOrderId::from(args[0]);
    if (!id) return malformed("an order id", id.error().message);
    r.client_id = *id;
    r.symbol = std::string(args[1]);
    Result<Side> side = parse_side(args[2]);
    if (!side) return malformed("buy or sell", std::string(args[2]));
    r.side = *side;
    Result<OrderType> type = parse_order_type(args[3]);
    if (!type) return malformed("an order type", std::string(args[3]));
    r.type = *type;
    Result<Decimal> qty = decimal(args[4]);
    if (!qty) return malformed("a decimal quantity", std::string(args[4]));
    r.quantity = *qty;
    std::size_t next = 5;
    if (next < args.size() && args[next] == "@") {
      if (next + 1 >= args.size()) return malformed("a price after @", "end of line");
      Result<Decimal> px = decimal(args[next + 1]);
      if (!px) return malformed("a decimal price", std::string(args[next + 1]));
      r.price = *px;
      next += 2;
    }
    KeyValues kv;
    if (auto bad = parse_keys(args, next, {"tif", "trigger", "position"}, {"reduce_only"}, kv)) {
      return malformed("tif=, trigger=, position= or reduce_only", *bad);
    }
    if (auto it = kv.values.find("tif"); it != kv.values.end()) {
      Result<TimeInForce> tif = parse_time_in_force(it->second);
      if (!tif) return malformed("GTC, IOC, FOK or POST_ONLY", it->second);
      r.tif = *tif;
    }
    if (auto it = kv.values.find("trigger"); it != kv.values.end()) {
      Result<Decimal> t = decimal(it->second);
      if (!t) return malformed("a decimal trigger", it->second);
      r.trigger_price = *t;
    }
    if (auto it = kv.values.find("position"); it != kv.values.end()) r.position_id = it->second;
    r.reduce_only = !kv.flags.empty();
    r.ts = now_;
    if (auto inst = instruments_.find(r.symbol); inst != instruments_.end()) {
      OrderCheck check{r.side, r.quantity, r.price, std::nullopt};
      if (Result<void> ok = inst->second.validate(check); !ok) return {std::nullopt, ok.error()};
    }
    Result<const Order*> created = account_.create(r);
    if (!created) return {std::nullopt, created.error()};
    return {};
  }

  Attempt event(const std::vector<std::string_view>& args) {
    if (args.size() < 2) return malformed("event <id> <event> [key=value ...]", "too few arguments");
    Result<OrderEventKind> kind = parse_order_event_kind(args[1]);
    if (!kind) return malformed("an order event", fmt::format("\"{}\"", args[1]));
    OrderEvent e = make_event(*kind, now_);
    KeyValues kv;
    std::optional<std::string> bad;
    switch (*kind) {
      case OrderEventKind::filled:
        bad = parse_keys(args, 2, {"trade", "qty", "price", "fee", "fee_asset", "venue_id"}, {}, kv);
        break;
      case OrderEventKind::updated: bad = parse_keys(args, 2, {"qty", "price", "trigger", "venue_id"}, {}, kv); break;
      default: bad = parse_keys(args, 2, {"venue_id", "reason"}, {}, kv); break;
    }
    if (bad) return malformed(fmt::format("a key that applies to {}", *kind), *bad);
    auto text = [&](std::string_view key) -> std::optional<std::string> {
      auto it = kv.values.find(key);
      return it == kv.values.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    std::optional<ScenarioFailure> number_error;
    auto number = [&](std::string_view key) -> std::optional<Decimal> {
      const auto t = text(key);
      if (!t) return std::nullopt;
      Result<Decimal> d = decimal(*t);
      if (!d) {
        if (!number_error) number_error = ScenarioFailure{fmt::format("a decimal {}=", key), *t};
        return std::nullopt;
      }
      return *d;
    };
    if (auto v = text("venue_id")) {
      Result<VenueOrderId> id = VenueOrderId::from(*v);
      if (!id) return malformed("a venue order id", id.error().message);
      e.venue_order_id = *id;
    }
    if (auto v = text("reason")) e.reason = *v;
    if (*kind == OrderEventKind::filled) {
      for (std::string_view key : {"trade", "qty", "price"}) {
        if (!text(key)) return malformed(fmt::format("fill with {}=", key), "none");
      }
      Result<TradeId> trade = TradeId::from(*text("trade"));
      if (!trade) return malformed("a trade id", trade.error().message);
      e.fill.trade_id = *trade;
      e.fill.quantity = number("qty").value_or(Decimal{});
      e.fill.price = number("price").value_or(Decimal{});
      e.fill.fee = number("fee").value_or(Decimal{});
      if (auto asset = text("fee_asset")) {
        Result<Asset> a = Asset::from(*asset);
        if (!a) return malformed("an asset code", a.error().message);
        e.fill.fee_asset = *a;
      }
    } else if (*kind == OrderEventKind::updated) {
      e.quantity = number("qty");
      e.price = number("price");
      e.trigger_price = number("trigger");
    }
    if (number_error) return {ScenarioFailure(*number_error), std::nullopt};
    Result<const Order*> applied = account_.apply(args[0], e);
    if (!applied) return {std::nullopt, applied.error()};
    return {};
  }

  // Compares one expectation; on mismatch records "key=expected" / "key=actual".
  struct Comparison {
    std::vector<std::string> expected, actual;
    void check(std::string_view key, const std::string& want, const std::string& got) {
      if (want == got) return;
      expected.push_back(fmt::format("{}={}", key, want));
      actual.push_back(fmt::format("{}={}", key, got));
    }
    Outcome outcome() const {
      if (expected.empty()) return std::nullopt;
      return fail(fmt::format("{}", fmt::join(expected, " ")), fmt::format("{}", fmt::join(actual, " ")));
    }
  };

  // Canonical decimal text of an expected value, or the failure it causes.
  static std::optional<std::string> canonical(const std::string& text) {
    Result<Decimal> d = Decimal::parse(text);
    if (!d) return std::nullopt;
    return d->to_string();
  }

  Outcome expect_order(const std::vector<std::string_view>& args) {
    if (args.empty()) return fail("expect <id> key=value ...", "no order id");
    KeyValues kv;
    if (auto bad = parse_keys(
            args, 1, {"status", "filled", "leaves", "avg_px", "overfill", "venue_id", "outcome_unknown", "fee."}, {},
            kv)) {
      return fail("status=, filled=, leaves=, avg_px=, overfill=, venue_id=, outcome_unknown= or fee.<ASSET>=", *bad);
    }
    const Order* o = account_.orders().find(args[0]);
    if (o == nullptr) return fail(fmt::format("order {}", args[0]), "no such order");
    Comparison c;
    for (const auto& [key, want] : kv.values) {
      if (key == "status") {
        c.check(key, want, std::string(to_string(o->status())));
        continue;
      }
      if (key == "venue_id") {
        c.check(key, want, o->venue_order_id().str());
        continue;
      }
      if (key == "outcome_unknown") {
        c.check(key, want, o->outcome_unknown() ? "true" : "false");
        continue;
      }
      const std::optional<std::string> wanted = canonical(want);
      if (!wanted) return fail(fmt::format("a decimal {}=", key), want);
      Decimal got;
      if (key == "filled")
        got = o->filled();
      else if (key == "leaves")
        got = o->leaves();
      else if (key == "avg_px")
        got = o->avg_px();
      else if (key == "overfill")
        got = o->overfill();
      else
        got = o->fee(std::string_view(key).substr(4));
      c.check(key, *wanted, got.to_string());
    }
    return c.outcome();
  }

  Outcome expect_position(const std::vector<std::string_view>& args) {
    if (args.size() < 2) return fail("expect position <symbol> key=value ...", "no symbol");
    KeyValues kv;
    if (auto bad = parse_keys(args, 2, {"qty", "avg_open", "realized_pnl", "unrealized_pnl", "mark", "cycles", "fee."},
                              {}, kv)) {
      return fail("qty=, avg_open=, realized_pnl=, mark=, unrealized_pnl=, cycles= or fee.<ASSET>=", *bad);
    }
    const std::string symbol(args[1]);
    const PositionBook& book = account_.positions();
    if (book.find_instrument(symbol) == nullptr) return fail(fmt::format("instrument {}", symbol), "not declared");
    Comparison c;
    for (const auto& [key, want] : kv.values) {
      if (key == "mark") continue;
      if (key == "cycles") {
        std::size_t cycles = 0;
        for (const std::string& id : book.ids()) {
          const Position* p = book.find(id);
          if (p->spec().symbol == symbol) cycles += book.closed_cycles(id)->size() + (p->fill_count() > 0 ? 1 : 0);
        }
        c.check(key, want, std::to_string(cycles));
        continue;
      }
      const std::optional<std::string> wanted = canonical(want);
      if (!wanted) return fail(fmt::format("a decimal {}=", key), want);
      std::string got;
      if (key == "qty")
        got = book.net_quantity(symbol).to_string();
      else if (key == "realized_pnl")
        got = book.realized_pnl(symbol).to_string();
      else if (key == "avg_open") {
        const auto avg = book.avg_open(symbol);
        got = avg ? avg->to_string() : "mixed long and short";
      } else if (key == "unrealized_pnl") {
        const auto mark = kv.values.find("mark");
        if (mark == kv.values.end()) return fail("mark=<d> with unrealized_pnl=", "no mark");
        Result<Decimal> m = Decimal::parse(mark->second);
        if (!m) return fail("a decimal mark=", mark->second);
        Result<Decimal> pnl = book.unrealized_pnl(symbol, *m);
        got = pnl ? pnl->to_string() : "error " + pnl.error().to_string();
      } else {
        got = book.fees(symbol, std::string_view(key).substr(4)).to_string();
      }
      c.check(key, *wanted, got);
    }
    return c.outcome();
  }

  Account account_;
  std::map<std::string, Instrument> instruments_;
  SystemTime now_{};
};

}  // namespace

std::string ScenarioResult::report(std::string_view file) const {
  if (passed) return fmt::format("PASS {}", file);
  return fmt::format("FAIL {}:{}: {} / {}", file, line, expected, happened);
}

ScenarioResult run_scenario(std::string_view text) {
  ScenarioRunner runner;
  std::size_t number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    std::optional<ScenarioFailure> failure;
    try {
      failure = runner.run_line(text.substr(start, end - start), number);
    } catch (const Exception& e) {
      failure = ScenarioFailure{"a line that evaluates", e.what()};
    }
    if (failure) return ScenarioResult{false, number, std::move(failure->expected), std::move(failure->happened)};
    if (end == text.size()) break;
    start = end + 1;
  }
  return ScenarioResult{true, 0, {}, {}};
}

}  // namespace cts::order
