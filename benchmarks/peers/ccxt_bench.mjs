// The peer side of the cts peer benchmark (benchmarks/peers/run): times what ccxt does for
// the operations cts-bench times, on the same inputs, and writes the figures as JSON.
//
//   sign/binance_order     binance.sign() of a POST /api/v3/order (the parameters of
//                          cts-bench's Sign/binance_order), signed query and headers built
//   sign/kraken_add_order  kraken.sign() of a POST /0/private/AddOrder (the body of
//                          cts-bench's Sign/kraken_add_order)
//   parse/binance_depth_1000  JSON.parse of the file cts-bench parses in
//                          Parse/binance_depth_1000, then binance.parseOrderBook() and the
//                          lastUpdateId nonce, as ccxt's fetchOrderBook does after the fetch
//   order_roundtrip        binance.createOrder() of an IOC limit buy far below the market
//                          against `ctsctl sim` (markets loaded first): the request ccxt
//                          builds, signs and sends, and the order it parses from the reply;
//                          ccxt's throttle off (it would sleep between orders), and
//                          fetchCurrencies and fetchMargins off (they ask /sapi, which the
//                          simulator of the spot API does not serve)
//   ws_order_roundtrip     the same order through ccxt's binance.createOrderWs() over the
//                          simulator's WebSocket API (order.place), one connection
//
// Each is warmed up (at least a second), then timed in --repetitions runs of at least --min-time seconds of
// wall-clock time each (the iteration count fixed from the warm-up, as Google Benchmark
// does); the report gives every run and their median, wall-clock and CPU time.
//
// usage: node ccxt_bench.mjs --peers-dir DIR --depth FILE --out FILE [--sim-url URL
//                            [--sim-ws-api-url URL]] [--repetitions 5] [--min-time 0.5]
//                            [--only NAME,...]
// The simulator's account is read from CTS_BENCH_SIM_API_KEY and CTS_BENCH_SIM_API_SECRET.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// The inputs of cts-bench's benchmarks (benchmarks/bench_sign.cpp), as parameters.
const BINANCE_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const BINANCE_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const BINANCE_ORDER = {
  symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.00150000', price: '97000.00',
  timeInForce: 'GTC', newClientOrderId: 'x-R4BD3S82AbCdEfGhIjKlMnO',
};
const KRAKEN_KEY = 'kraken-key';
const KRAKEN_SECRET = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';
const KRAKEN_ORDER = {
  pair: 'XXBTZUSD', type: 'buy', ordertype: 'limit', price: '97000.0', volume: '0.0015', oflags: 'post',
};

function parseArgs(argv) {
  const args = { repetitions: 5, minTime: 0.5, only: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag}: missing value`);
    if (flag === '--peers-dir') args.peersDir = value;
    else if (flag === '--depth') args.depth = value;
    else if (flag === '--out') args.out = value;
    else if (flag === '--sim-url') args.simUrl = value;
    else if (flag === '--sim-ws-api-url') args.simWsApiUrl = value;
    else if (flag === '--repetitions') args.repetitions = Number.parseInt(value, 10);
    else if (flag === '--min-time') args.minTime = Number.parseFloat(value);
    else if (flag === '--only') args.only = new Set(value.split(','));
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!args.peersDir || !args.depth || !args.out) throw new Error('--peers-dir, --depth and --out are required');
  if (!(args.repetitions >= 1) || !(args.minTime > 0)) throw new Error('--repetitions >= 1 and --min-time > 0');
  return args;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Runs `op` `iterations` times; the wall-clock and the process's CPU nanoseconds taken
// (CPU time counts every thread of the process: the garbage collector's and the JIT's
// too). `op` is awaited only when `isAsync`, so synchronous operations carry no promise
// overhead.
async function timeRun(op, iterations, isAsync) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  if (isAsync) {
    for (let i = 0; i < iterations; i++) await op();
  } else {
    let sink;
    for (let i = 0; i < iterations; i++) sink = op();
    if (sink === undefined) throw new Error('the operation returned nothing');
  }
  const ns = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuStart);
  return { ns, cpuNs: (cpu.user + cpu.system) * 1000 };
}

// Warm-up for at least a second and `minTime` (the JIT's tiers settle), then
// `repetitions` timed runs of a fixed iteration count sized from the warm-up to last
// `minTime` each.
async function measure(name, op, { repetitions, minTime, isAsync }) {
  let warmupIterations = 0;
  let warmupNs = 0;
  for (let batch = 1; warmupNs < Math.max(1, minTime) * 1e9; batch *= 2) {
    warmupNs += (await timeRun(op, batch, isAsync)).ns;
    warmupIterations += batch;
  }
  const iterations = Math.max(1, Math.ceil((minTime * 1e9) / (warmupNs / warmupIterations)));
  const runs = [];
  for (let r = 0; r < repetitions; r++) {
    const { ns, cpuNs } = await timeRun(op, iterations, isAsync);
    runs.push({ iterations, ns_per_op: ns / iterations, cpu_ns_per_op: cpuNs / iterations });
  }
  const result = {
    name,
    warmup_iterations: warmupIterations,
    runs,
    median_ns_per_op: median(runs.map((run) => run.ns_per_op)),
    median_cpu_ns_per_op: median(runs.map((run) => run.cpu_ns_per_op)),
  };
  process.stderr.write(`ccxt ${name}: ${result.median_ns_per_op.toFixed(0)} ns/op (median of ${repetitions} x ${iterations})\n`);
  return result;
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

// What binance.sign() returns must be the signed order a server accepts: the query
// signed with HMAC-SHA256 (checked with node:crypto), the key in X-MBX-APIKEY.
function checkBinanceSigned(request) {
  const body = request.body;
  const at = body.lastIndexOf('&signature=');
  check(at > 0, 'binance: a signature parameter');
  const expected = createHmac('sha256', BINANCE_SECRET).update(body.slice(0, at)).digest('hex');
  check(body.slice(at + '&signature='.length) === expected, 'binance: the HMAC-SHA256 of the query');
  check(body.includes('newClientOrderId=x-R4BD3S82AbCdEfGhIjKlMnO') && body.includes('timestamp='), 'binance: the parameters');
  check(request.headers['X-MBX-APIKEY'] === BINANCE_KEY, 'binance: the key header');
}

// Kraken's API-Sign: HMAC-SHA512 (base64 secret) of the path and SHA-256(nonce + body).
function checkKrakenSigned(request) {
  const nonce = new URLSearchParams(request.body).get('nonce');
  check(nonce !== null, 'kraken: a nonce');
  const inner = createHash('sha256').update(nonce + request.body).digest();
  const expected = createHmac('sha512', Buffer.from(KRAKEN_SECRET, 'base64'))
    .update(Buffer.concat([Buffer.from('/0/private/AddOrder'), inner]))
    .digest('base64');
  check(request.headers['API-Sign'] === expected, 'kraken: API-Sign');
}

// Replaces the scheme and host of every Binance API URL with the simulator's.
function pointAtSimulator(exchange, simUrl) {
  const api = exchange.urls.api;
  for (const key of Object.keys(api)) {
    if (typeof api[key] === 'string') api[key] = api[key].replace(/^https:\/\/[^/]+/, simUrl);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const peersRequire = createRequire(join(resolve(args.peersDir), 'package.json'));
  const ccxtModule = await import(pathToFileURL(peersRequire.resolve('ccxt')).href);
  const ccxt = ccxtModule.default ?? ccxtModule;
  const ccxtPackage = JSON.parse(readFileSync(join(resolve(args.peersDir), 'node_modules', 'ccxt', 'package.json'), 'utf8'));
  const wanted = (name) => args.only === null || args.only.has(name);
  const options = { repetitions: args.repetitions, minTime: args.minTime, isAsync: false };
  const results = [];

  if (wanted('sign/binance_order')) {
    const binance = new ccxt.binance({ apiKey: BINANCE_KEY, secret: BINANCE_SECRET });
    checkBinanceSigned(binance.sign('order', 'private', 'POST', { ...BINANCE_ORDER }));
    results.push(await measure('sign/binance_order', () => binance.sign('order', 'private', 'POST', { ...BINANCE_ORDER }), options));
  }
  if (wanted('sign/kraken_add_order')) {
    const kraken = new ccxt.kraken({ apiKey: KRAKEN_KEY, secret: KRAKEN_SECRET });
    checkKrakenSigned(kraken.sign('AddOrder', 'private', 'POST', { ...KRAKEN_ORDER }));
    results.push(await measure('sign/kraken_add_order', () => kraken.sign('AddOrder', 'private', 'POST', { ...KRAKEN_ORDER }), options));
  }
  if (wanted('parse/binance_depth_1000')) {
    const binance = new ccxt.binance({});
    const body = readFileSync(args.depth, 'utf8');
    const parse = () => {
      const response = JSON.parse(body);
      const book = binance.parseOrderBook(response, 'BTC/USDT', undefined);
      book.nonce = binance.safeInteger(response, 'lastUpdateId');
      return book;
    };
    const book = parse();
    check(book.bids.length === 1000 && book.asks.length === 1000, 'depth: 1000 levels a side');
    check(book.bids[0][0] === 64231.57 && book.asks[0][0] === 64231.58 && book.nonce === 1027024, 'depth: best levels and nonce');
    results.push(await measure('parse/binance_depth_1000', parse, options));
  }
  let simOrders = 0;
  if (wanted('order_roundtrip') && args.simUrl) {
    const binance = new ccxt.binance({
      apiKey: process.env.CTS_BENCH_SIM_API_KEY,
      secret: process.env.CTS_BENCH_SIM_API_SECRET,
      enableRateLimit: false,
      options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
    });
    pointAtSimulator(binance, args.simUrl);
    await binance.loadMarkets();
    const place = async () => {
      simOrders++;
      return binance.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 9000, { timeInForce: 'IOC' });
    };
    // One order before timing, its HTTP requests counted through ccxt's fetch(): one POST.
    const requests = [];
    const fetchOnPrototype = binance.fetch;
    binance.fetch = function countedFetch(url, method, ...rest) {
      requests.push(`${method} ${url}`);
      return fetchOnPrototype.call(this, url, method, ...rest);
    };
    const order = await place();
    delete binance.fetch;
    check(requests.length === 1 && requests[0] === `POST ${args.simUrl}/api/v3/order`, `order: one POST /api/v3/order (${requests})`);
    check(order.status === 'expired' && order.clientOrderId && order.id, `order: an expired IOC order with ids (${JSON.stringify(order.info)})`);
    results.push(await measure('order_roundtrip', place, { ...options, isAsync: true }));
  }
  if (wanted('ws_order_roundtrip') && args.simWsApiUrl) {
    const binance = new ccxt.pro.binance({
      apiKey: process.env.CTS_BENCH_SIM_API_KEY,
      secret: process.env.CTS_BENCH_SIM_API_SECRET,
      enableRateLimit: false,
      options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
    });
    pointAtSimulator(binance, args.simUrl);
    binance.urls.api.ws['ws-api'].spot = args.simWsApiUrl;
    await binance.loadHttpProxyAgent();  // ccxt wants it loaded before it opens a ws:// (not wss://) URL
    await binance.loadMarkets();
    const place = async () => {
      simOrders++;
      return binance.createOrderWs('BTC/USDT', 'limit', 'buy', 0.001, 9000, { timeInForce: 'IOC' });
    };
    const order = await place();
    check(order.status === 'expired' && order.clientOrderId && order.id, `ws order: an expired IOC order with ids (${JSON.stringify(order.info)})`);
    results.push(await measure('ws_order_roundtrip', place, { ...options, isAsync: true }));
    await binance.close();
  }

  const report = {
    peer: 'ccxt',
    ccxt_version: ccxtPackage.version,
    ccxt_reported_version: ccxt.version,
    node_version: process.version,
    repetitions: args.repetitions,
    min_time_s: args.minTime,
    time: 'wall clock (process.hrtime.bigint); CPU time of the process (process.cpuUsage)',
    sim_orders_sent: simOrders,
    benchmarks: results,
  };
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`ccxt_bench: ${error.stack ?? error}\n`);
  process.exit(1);
});
