#pragma once
/// \file
/// cts::net: the only code that touches sockets. HTTP client and server, WebSocket
/// client and server, a line-oriented TCP/TLS client, test TLS certificates. Link cts::net.

#include "cts/net/http_client.hpp"
#include "cts/net/http_server.hpp"
#include "cts/net/line_client.hpp"
#include "cts/net/test_certificate.hpp"
#include "cts/net/ws_client.hpp"
#include "cts/net/ws_connection.hpp"
#include "cts/net/ws_server.hpp"
