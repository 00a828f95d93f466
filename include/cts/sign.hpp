#pragma once
/// \file
/// The sign component: pre-keyed HMAC, digests, encodings, secrets and one request
/// signer per venue.

#include "cts/sign/binance.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/sign/hmac.hpp"
#include "cts/sign/params.hpp"
#include "cts/sign/secret.hpp"
#include "cts/sign/sha.hpp"
#include "cts/sign/signer.hpp"
