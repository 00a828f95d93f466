#pragma once
/// \file
/// The sign component: pre-keyed HMAC, digests, encodings, secrets, Ed25519/ES256 keys
/// and one request signer per venue (make_signer() picks it by VenueId).

#include "cts/sign/binance.hpp"
#include "cts/sign/bingx.hpp"
#include "cts/sign/bybit.hpp"
#include "cts/sign/coinbase.hpp"
#include "cts/sign/ed25519.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/sign/es256.hpp"
#include "cts/sign/gate.hpp"
#include "cts/sign/hmac.hpp"
#include "cts/sign/htx.hpp"
#include "cts/sign/kraken.hpp"
#include "cts/sign/okx.hpp"
#include "cts/sign/orangex.hpp"
#include "cts/sign/params.hpp"
#include "cts/sign/pionex.hpp"
#include "cts/sign/secret.hpp"
#include "cts/sign/sha.hpp"
#include "cts/sign/signer.hpp"
