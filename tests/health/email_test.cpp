// Tests for cts/health/email.hpp (pure rendering, no sockets). Expected values are
// hand-written or computed independently (Python's base64, quopri and hashlib for the
// encoded-word, quoted-printable and Message-ID digests); RFC 5321 §4.5.2 (dot
// stuffing), RFC 5322 §3.3 (date), RFC 2047 §2 (encoded-word length), RFC 2045 §6.7.
#include <cts/health/email.hpp>

#include <doctest/doctest.h>

#include "fake_transport.hpp"

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};  // Mon, 01 Jan 2024 00:00:00 UTC

EmailConfig config() {
  EmailConfig c;
  c.from = "alerts@example.com";
  c.to = {"ops@example.com", "oncall@example.org"};
  c.server = "127.0.0.1:25";
  return c;
}

Notification venue_down() {
  Notification n = fake::notification("VenueDown", T0);
  n.at = T0 + 30s;
  n.alerts[0].ends_at = SystemTime{};
  n.alerts[0].annotations.set("summary", "XNAS down");
  return n;
}

// Splits on CRLF; true when every line ends in CRLF and no bare CR or LF occurs.
std::vector<std::string> crlf_lines(const std::string& s, bool* clean) {
  std::vector<std::string> out;
  *clean = true;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const auto eol = s.find("\r\n", pos);
    if (eol == std::string::npos) {
      *clean = false;
      out.push_back(s.substr(pos));
      break;
    }
    const std::string line = s.substr(pos, eol - pos);
    if (line.find_first_of("\r\n") != std::string::npos) *clean = false;
    out.push_back(line);
    pos = eol + 2;
  }
  return out;
}
}  // namespace

TEST_CASE("email: the whole message for a firing group (known answer)") {
  const std::string expected =
      "Date: Mon, 01 Jan 2024 00:00:30 +0000\r\n"
      "From: alerts@example.com\r\n"
      "To: ops@example.com, oncall@example.org\r\n"
      "Subject: [FIRING:1] VenueDown\r\n"
      "Message-ID: <8a31de458cee034dbcc37c947080233e@example.com>\r\n"
      "In-Reply-To: <group-340eda88d7c8f7eff72c2cc39ecd2fc0@example.com>\r\n"
      "References: <group-340eda88d7c8f7eff72c2cc39ecd2fc0@example.com>\r\n"
      "Auto-Submitted: auto-generated\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n"
      "X-Alert-Status: firing\r\n"
      "\r\n"
      "[FIRING:1] VenueDown\r\n"
      "\r\n"
      "Firing:\r\n"
      "- VenueDown =E2=80=94 XNAS down (venue=3DXNAS) since 2024-01-01T00:00:00Z\r\n"
      "\r\n"
      "Receiver: oncall\r\n"
      "Group: {}:{alertname=3D\"VenueDown\"}\r\n"
      "Reason: first_notification\r\n";
  CHECK(email::render_message(venue_down(), NotifyReason::first_notification, config()) == expected);
  const EmailChannel ch("mail", config());
  const HttpRequest r = ch.render(venue_down(), NotifyReason::first_notification);
  CHECK(r.body == expected);
  CHECK(r.header("Mail-From").value() == "alerts@example.com");
  std::vector<std::string> rcpt;
  for (const auto& h : r.headers) {
    if (h.name == "Rcpt-To") rcpt.emplace_back(h.value);
  }
  CHECK(rcpt == std::vector<std::string>{"ops@example.com", "oncall@example.org"});
  CHECK(ch.origin() == "smtp://127.0.0.1:25");
  CHECK(ch.type() == "email");
  CHECK_FALSE(ch.send_resolved());  // Alertmanager's default for email
}

TEST_CASE("email: RFC 2047 encoded-word Subject when not ASCII") {
  CHECK(email::encode_subject("[FIRING:1] B\xC3\xB6rse down") == "=?UTF-8?B?W0ZJUklORzoxXSBCw7Zyc2UgZG93bg==?=");
  CHECK(email::encode_subject("plain ascii") == "plain ascii");
  // A long ASCII subject is folded before a space; unfolding restores it.
  const std::string words =
      "[FIRING:12] VenueDown venue=XNAS region=eu-west-1 cluster=primary shard=0007 owner=market-data";
  const std::string folded = email::encode_subject(words);
  CHECK(folded == "[FIRING:12] VenueDown venue=XNAS region=eu-west-1 cluster=primary\r\n"
                  " shard=0007 owner=market-data");
  CHECK(folded.substr(0, folded.find("\r\n")).size() + 9 <= 78);
  CHECK(email::encode_subject("looks =?like?= a word") != "looks =?like?= a word");  // never mistaken for one
  // A long subject of 2-octet characters: whole characters per word, words ≤ 75
  // characters, folded with CRLF SP so no line passes 76 with "Subject: ".
  std::string text;
  for (int i = 0; i < 60; ++i) text += "\xC3\xA9";  // é × 60 = 120 octets
  const std::string encoded = email::encode_subject(text);
  bool clean = false;
  const auto lines = crlf_lines(encoded + "\r\n", &clean);
  CHECK(clean);
  REQUIRE(lines.size() == 4);  // 19 characters (38 octets) per word: 19+19+19+3
  std::string decoded;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view w = lines[i];
    if (i != 0) {
      CHECK(w.front() == ' ');
      w.remove_prefix(1);
    }
    CHECK(w.size() <= 75);
    CHECK(w.substr(0, 10) == "=?UTF-8?B?");
    CHECK(w.substr(w.size() - 2) == "?=");
    CHECK(9 + lines[0].size() <= 76);
  }
  CHECK(lines[0] == "=?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?=");  // é × 19
  CHECK(lines[3] == " =?UTF-8?B?w6nDqcOp?=");                                                 // é × 3
}

TEST_CASE("email: header injection through label values is impossible") {
  Notification n = venue_down();
  n.group_labels = LabelSet{{"alertname", "X\r\nBcc: victim@example.net"}};
  const std::string msg = email::render_message(n, NotifyReason::first_notification, config());
  const std::string headers = msg.substr(0, msg.find("\r\n\r\n") + 2);
  CHECK(headers.find("\r\nBcc:") == std::string::npos);
  CHECK(msg.find("Subject: [FIRING:1] X  Bcc: victim@example.net\r\n") != std::string::npos);
  CHECK_FALSE(email::is_valid_address("a@b.c>\r\nRCPT TO:<x@y"));
  CHECK_FALSE(email::is_valid_address("Name <a@b.c>"));
  CHECK_FALSE(email::is_valid_address("@b.c"));
  CHECK_FALSE(email::is_valid_address("a@"));
  CHECK_FALSE(email::is_valid_address("a@b@c"));
  CHECK(email::is_valid_address("ops+alerts@example.co.uk"));
  CHECK_FALSE(email::is_valid_address("b\xC3\xB6rse@example.com"));  // no SMTPUTF8
  EmailConfig bad = config();
  bad.to.push_back("not an address");
  CHECK_THROWS_AS(EmailChannel("mail", bad), cts::Exception);
  bad = config();
  bad.server = "mail.example.com";
  CHECK_FALSE(bad.validate());
}

TEST_CASE("email: quoted-printable body, soft breaks, trailing whitespace, CRLF") {
  CHECK(email::quoted_printable("Price \xE2\x89\xA5 100 = alert \nline2\t\n") ==
        "Price =E2=89=A5 100 =3D alert=20\r\nline2=09\r\n");
  const std::string a75(75, 'a');
  CHECK(email::quoted_printable(std::string(200, 'a')) == a75 + "=\r\n" + a75 + "=\r\n" + std::string(50, 'a'));
  CHECK(email::quoted_printable("x\r\ny\rz") == "x\r\ny\r\nz");
  // A triplet is never split by a soft break: 74 'a' then é (=C3=A9).
  CHECK(email::quoted_printable(std::string(74, 'a') + "\xC3\xA9") == std::string(74, 'a') + "=\r\n=C3=A9");
}

TEST_CASE("email: a 5000-character summary keeps every line within limits") {
  Notification n = venue_down();
  std::string summary;
  for (int i = 0; i < 1000; ++i) summary += "d\xC3\xA9j\xC3\xA0 ";
  n.alerts[0].annotations.set("summary", summary);
  const std::string msg = email::render_message(n, NotifyReason::first_notification, config());
  bool clean = false;
  const auto lines = crlf_lines(msg, &clean);
  CHECK(clean);
  const auto blank = std::find(lines.begin(), lines.end(), std::string());
  REQUIRE(blank != lines.end());
  for (auto it = blank; it != lines.end(); ++it) CHECK(it->size() <= 76);  // body
  for (const auto& l : lines) CHECK(l.size() <= 998);
}

TEST_CASE("email: dot-stuffing and the DATA terminator") {
  CHECK(email::dot_stuffed("a\r\n.b\r\n..c\n.\r\nend") == "a\r\n..b\r\n...c\r\n..\r\nend\r\n.\r\n");
  CHECK(email::dot_stuffed("ends with newline\r\n") == "ends with newline\r\n.\r\n");
  CHECK(email::dot_stuffed("") == ".\r\n");
}

TEST_CASE("email: Date, To folding, fired-and-resolved announcement") {
  CHECK(email::rfc5322_date(T0) == "Mon, 01 Jan 2024 00:00:00 +0000");
  CHECK(email::rfc5322_date(SystemTime{std::chrono::seconds{951'782'400}} + 23h + 59min + 59s) ==
        "Tue, 29 Feb 2000 23:59:59 +0000");
  const std::vector<std::string> many{"first.person@example.com", "second.person@example.com",
                                      "third.person@example.com"};
  CHECK(email::address_list(many, 4) ==
        "first.person@example.com, second.person@example.com,\r\n third.person@example.com");
  Notification n = venue_down();
  n.alerts[0].ends_at = T0 + 25s;
  const std::string msg = email::render_message(n, NotifyReason::resolved_before_delivery, config());
  CHECK(msg.find("Subject: [FIRED+RESOLVED] VenueDown\r\n") != std::string::npos);
  CHECK(msg.find("X-Alert-Status: fired_and_resolved\r\n") != std::string::npos);
  CHECK(msg.find("Fired and resolved before this notification could be delivered:\r\n") != std::string::npos);
  // The body before quoted-printable (its long line is soft-broken in the message).
  CHECK(email::body_text(n, NotifyReason::resolved_before_delivery, false)
            .find("- VenueDown \xE2\x80\x94 XNAS down (venue=XNAS) fired 2024-01-01T00:00:00Z, resolved 2024-01-01T00:00:25Z\n") !=
        std::string::npos);
  // Without send_resolved, an ordinary resolution lists no alert lines.
  const std::string plain = email::render_message(n, NotifyReason::all_alerts_resolved, config());
  CHECK(plain.find("Subject: [RESOLVED] VenueDown\r\n") != std::string::npos);
  CHECK(plain.find("\r\n- VenueDown") == std::string::npos);
}

TEST_CASE("email: SMTP reply codes map to delivery verdicts (RFC 5321 4.2.1)") {
  CHECK(email::classify_reply(250, "2.0.0 queued").action == Delivery::delivered);
  for (const int code : {421, 450, 451, 452}) {
    const auto v = email::classify_reply(code, "try later");
    CHECK(v.action == Delivery::retry);
    CHECK(v.reason == FailureReason::server_error);
  }
  for (const int code : {550, 551, 552, 553, 554}) CHECK(email::classify_reply(code, "no").action == Delivery::drop);
  for (const int code : {530, 534, 535, 538}) {
    const auto v = email::classify_reply(code, "auth");
    CHECK(v.action == Delivery::disable);
    CHECK(v.reason == FailureReason::auth);
  }
  CHECK(email::classify_reply(550, "5.1.1 unknown").detail == "SMTP 550: 5.1.1 unknown");
}
