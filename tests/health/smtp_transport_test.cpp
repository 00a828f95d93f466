// Integration tests for cts/health/smtp_transport.hpp: the real SMTP client against a
// scripted SMTP server on 127.0.0.1 (tests/health/smtp_server.hpp), in plain text and
// with STARTTLS on an in-memory certificate; through the real notifier, whose time is
// explicit. Checks the exact command sequence, the AUTH payloads (base64 computed
// independently), dot-stuffed DATA, and the mapping of every failure to the notifier's
// retry / drop / disable semantics.
#include <cts/health/email.hpp>
#include <cts/health/smtp_transport.hpp>

#include <doctest/doctest.h>

#include "fake_transport.hpp"
#include "smtp_server.hpp"

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};

EmailConfig config(const smtp_test::Server& server, std::vector<std::string> to = {"ops@example.com", "oncall@example.org"}) {
  EmailConfig c;
  c.from = "alerts@example.com";
  c.to = std::move(to);
  c.server = server.hostport();
  return c;
}

SmtpOptions plain() {
  SmtpOptions o;
  o.security = SmtpSecurity::plain;
  o.connect_timeout = 5s;
  o.reply_timeout = 5s;
  return o;
}

SmtpOptions tls(const net::TestCertificate& cert) {
  SmtpOptions o = plain();
  o.security = SmtpSecurity::starttls;
  o.ca_pem = cert.certificate_pem;
  return o;
}

HttpRequest envelope(std::string body, std::vector<std::string> to = {"ops@example.com"}) {
  HttpRequest r;
  r.method = HttpMethod::post;
  r.path = "/";
  r.body = std::move(body);
  r.headers.push_back({"Mail-From", "alerts@example.com"});
  for (auto& t : to) r.headers.push_back({"Rcpt-To", std::move(t)});
  return r;
}

struct Pipeline {
  fake::Transport unused;  // the email channel brings its own transport
  Outbox outbox;
  NotificationLog log;
  Notifier notifier{unused, outbox, log};

  void add(const smtp_test::Server& server, SmtpOptions options, std::vector<std::string> to = {"ops@example.com"}) {
    notifier.add_channel("oncall", std::make_unique<EmailChannel>("mail", config(server, std::move(to)),
                                                                  std::make_unique<SmtpTransport>(std::move(options))));
  }
  void run_until(SystemTime until) {
    for (int guard = 0; guard < 50; ++guard) {
      auto t = notifier.next_wakeup();
      if (!t || *t > until) return;
      notifier.pump(*t);
    }
  }
};

Notification group() {
  Notification n = fake::notification("VenueDown", T0);
  n.alerts[0].ends_at = SystemTime{};
  n.alerts[0].annotations.set("summary", "XNAS down");
  return n;
}
}  // namespace

TEST_CASE("smtp: plain session, exact command sequence, two recipients, message intact [threads]") {
  smtp_test::Server server({});
  Pipeline p;
  p.add(server, plain(), {"ops@example.com", "oncall@example.org"});
  REQUIRE(p.notifier.submit(group()));
  p.run_until(T0 + 1min);
  CHECK(p.notifier.stats("mail").delivered == 1);
  CHECK(p.outbox.size() == 0);
  const auto sessions = server.sessions();
  REQUIRE(sessions.size() == 1);
  CHECK(sessions[0].commands == std::vector<std::string>{"EHLO localhost", "MAIL FROM:<alerts@example.com>",
                                                          "RCPT TO:<ops@example.com>", "RCPT TO:<oncall@example.org>",
                                                          "DATA", "QUIT"});
  const std::string expected = email::render_message(group(), NotifyReason::first_notification,
                                                     config(server, {"ops@example.com", "oncall@example.org"}));
  CHECK(sessions[0].message == expected);
  CHECK(p.log.query(nflog_key(group().group_key, "oncall", "mail")) != nullptr);
}

TEST_CASE("smtp: DATA is dot-stuffed on the wire and the reply is the answer [threads]") {
  smtp_test::Server server({});
  SmtpTransport t(plain());
  auto r = t.send(server.origin(), envelope("Subject: dots\r\n\r\n.\r\n..two\r\n.three\r\nend"), 10s);
  REQUIRE(r);
  CHECK(r->status == 250);
  CHECK(r->body == "250 2.0.0 queued as 42 (end of data)");
  const auto s = server.sessions();
  REQUIRE(s.size() == 1);
  CHECK(s[0].raw_data == "Subject: dots\r\n\r\n..\r\n...two\r\n..three\r\nend\r\n.\r\n");
  CHECK(s[0].message == "Subject: dots\r\n\r\n.\r\n..two\r\n.three\r\nend\r\n");
}

TEST_CASE("smtp: STARTTLS then AUTH PLAIN; everything after STARTTLS is encrypted [threads]") {
  const auto cert = net::make_test_certificate();
  smtp_test::Script script;
  script.offer_starttls = true;
  script.offer_auth = true;
  smtp_test::Server server(script, &cert);
  SmtpOptions o = tls(cert);
  o.username = "alice";
  o.password = "s3cret-Pa55";
  SmtpTransport t(o);
  auto r = t.send(server.origin(), envelope("Subject: hi\r\n\r\nbody"), 10s);
  REQUIRE(r);
  CHECK(r->status == 250);
  CHECK(r->body.find("s3cret") == std::string::npos);
  const auto s = server.sessions();
  REQUIRE(s.size() == 1);
  CHECK(s[0].commands == std::vector<std::string>{"EHLO localhost", "STARTTLS", "EHLO localhost",
                                                   "AUTH PLAIN AGFsaWNlAHMzY3JldC1QYTU1", "MAIL FROM:<alerts@example.com>",
                                                   "RCPT TO:<ops@example.com>", "DATA", "QUIT"});
  CHECK(s[0].secure == std::vector<bool>{false, false, true, true, true, true, true, true});
  CHECK(s[0].message == "Subject: hi\r\n\r\nbody\r\n");
}

TEST_CASE("smtp: AUTH LOGIN when PLAIN is not offered; wrong password is 535 -> channel disabled [threads]") {
  const auto cert = net::make_test_certificate();
  smtp_test::Script script;
  script.offer_starttls = true;
  script.offer_auth = true;
  script.auth_mechanisms = "LOGIN";
  smtp_test::Server server(script, &cert);
  SmtpOptions good = tls(cert);
  good.username = "alice";
  good.password = "s3cret-Pa55";
  auto r = SmtpTransport(good).send(server.origin(), envelope("x"), 10s);
  REQUIRE(r);
  CHECK(r->status == 250);
  {
    const auto s = server.sessions();
    REQUIRE(s.size() == 1);
    REQUIRE(s[0].commands.size() >= 6);
    CHECK(s[0].commands[3] == "AUTH LOGIN");
    CHECK(s[0].commands[4] == "YWxpY2U=");
    CHECK(s[0].commands[5] == "czNjcmV0LVBhNTU=");
  }
  SmtpOptions wrong = good;
  wrong.password = "not-the-password";
  Pipeline p;
  p.add(server, wrong);
  REQUIRE(p.notifier.submit(group()));
  p.run_until(T0 + 1h);
  CHECK(p.notifier.state("mail") == ChannelState::disabled);
  CHECK(p.notifier.stats("mail").attempts == 1);
  const auto meta = p.notifier.take_meta_alerts();
  REQUIRE(meta.size() == 1);
  CHECK(meta[0].labels.get("alertname") == "AlertChannelDown");
  CHECK(meta[0].labels.get("channel_type") == "email");
  CHECK(meta[0].annotations.get("summary").find("535") != std::string_view::npos);
  CHECK(meta[0].annotations.get("summary").find("not-the-password") == std::string_view::npos);
  CHECK(p.notifier.stats("mail").last_failure.find("not-the-password") == std::string::npos);
}

TEST_CASE("smtp: 421 greeting and 451 after DATA are retried with backoff until 250 [threads]") {
  smtp_test::Server server({});
  server.script("GREETING", {"421 4.3.2 service not available"});
  server.script("DATA-END", {"451 4.3.0 local error, try again"});
  Pipeline p;
  p.add(server, plain());
  REQUIRE(p.notifier.submit(group()));
  p.run_until(T0 + 1h);
  const auto stats = p.notifier.stats("mail");
  CHECK(stats.attempts == 3);
  CHECK(stats.retries == 2);
  CHECK(stats.delivered == 1);
  CHECK(p.notifier.state("mail") == ChannelState::healthy);
  CHECK(server.sessions().size() == 3);
  CHECK(p.notifier.take_meta_alerts().empty());
}

TEST_CASE("smtp: 550 for the only recipient drops the message with a meta-alert [threads]") {
  smtp_test::Server server({});
  server.script("RCPT", {"550 5.1.1 mailbox unavailable"});
  Pipeline p;
  p.add(server, plain());
  REQUIRE(p.notifier.submit(group()));
  p.run_until(T0 + 1h);
  CHECK(p.notifier.stats("mail").attempts == 1);
  CHECK(p.notifier.stats("mail").dropped == 1);
  CHECK(p.notifier.state("mail") == ChannelState::healthy);
  CHECK(p.outbox.size() == 0);
  const auto meta = p.notifier.take_meta_alerts();
  REQUIRE(meta.size() == 1);
  CHECK(meta[0].labels.get("alertname") == "AlertNotificationDropped");
  const auto s = server.sessions();
  REQUIRE(s.size() == 1);
  CHECK(s[0].commands.back() == "QUIT");
  CHECK(std::find(s[0].commands.begin(), s[0].commands.end(), "DATA") == s[0].commands.end());
}

TEST_CASE("smtp: one recipient refused, the other accepted -> delivered, refusal reported [threads]") {
  smtp_test::Server server({});
  server.script("RCPT", {"550 5.1.1 no such user"});
  SmtpTransport t(plain());
  auto r = t.send(server.origin(), envelope("x", {"gone@example.com", "ops@example.com"}), 10s);
  REQUIRE(r);
  CHECK(r->status == 250);
  CHECK(r->body == "250 2.0.0 queued as 42 (end of data); 1 of 2 recipients refused: 550 5.1.1 no such user");
}

TEST_CASE("smtp: server closes mid-DATA -> unknown outcome, retried, then delivered [threads]") {
  smtp_test::Script script;
  script.cut_mid_data = 2;
  smtp_test::Server server(script);
  auto r = SmtpTransport(plain()).send(server.origin(), envelope(std::string(100'000, 'x')), 10s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::unknown_outcome);
  // Through the notifier: the first attempt is cut too, the second one delivers.
  Pipeline p;
  p.add(server, plain());
  REQUIRE(p.notifier.submit(group()));
  p.notifier.pump(T0);
  CHECK(p.notifier.stats("mail").retries == 1);
  CHECK(p.notifier.state("mail") == ChannelState::degraded);
  p.run_until(T0 + 1min);
  CHECK(p.notifier.stats("mail").delivered == 1);
  CHECK(p.notifier.stats("mail").attempts == 2);
  const auto s = server.sessions();
  REQUIRE(s.size() == 3);
  CHECK(s[2].message.find("Subject: [FIRING:1] VenueDown\r\n") != std::string::npos);
}

TEST_CASE("smtp: TLS certificate for another host name -> failure, retried, nothing sent [threads]") {
  cts::net::TestCertificateNames names;
  names.dns = {"mail.example.com"};
  names.ip = {};
  const auto cert = net::make_test_certificate(names);
  smtp_test::Script script;
  script.offer_starttls = true;
  smtp_test::Server server(script, &cert);
  SmtpTransport t(tls(cert));
  auto r = t.send(server.origin(), envelope("x"), 10s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::network);
  CHECK(r.error().message.find("certificate verification failed") != std::string::npos);
  Pipeline p;
  p.add(server, tls(cert));
  REQUIRE(p.notifier.submit(group()));
  p.notifier.pump(T0);
  CHECK(p.notifier.stats("mail").retries == 1);
  CHECK(p.notifier.stats("mail").last_failure.rfind("network: ", 0) == 0);
  for (const auto& s : server.sessions()) {
    CHECK(std::find(s.commands.begin(), s.commands.end(), "MAIL FROM:<alerts@example.com>") == s.commands.end());
  }
}

TEST_CASE("smtp: STARTTLS required but not offered, and AUTH refused without TLS [threads]") {
  smtp_test::Server server({});
  auto r = SmtpTransport(tls(net::make_test_certificate())).send(server.origin(), envelope("x"), 10s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::protocol_error);
  SmtpOptions o = plain();
  o.username = "alice";
  o.password = "s3cret-Pa55";
  r = SmtpTransport(o).send(server.origin(), envelope("x"), 10s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::protocol_error);
  CHECK(r.error().message.find("s3cret") == std::string::npos);
  for (const auto& s : server.sessions()) {
    for (const auto& c : s.commands) CHECK(c.rfind("AUTH", 0) != 0);
  }
}

TEST_CASE("smtp: connection refused is a network error (retried) [threads]") {
  std::string origin;
  {
    smtp_test::Server gone({});
    origin = gone.origin();
  }
  auto r = SmtpTransport(plain()).send(origin, envelope("x"), 5s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::network);
  CHECK_FALSE(SmtpTransport(plain()).send("http://127.0.0.1:25", envelope("x"), 5s));
}
