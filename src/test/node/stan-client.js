// A small driver of the official Node STAN client for the cross-client tests (CrossClientIT).
//   node stan-client.js pub <natsUrl> <clusterId> <clientId> <channel> <count> <prefix>
//   node stan-client.js sub <natsUrl> <clusterId> <clientId> <channel> <count|0> <seconds> [all] [durable=<name>] [queue=<group>]
// sub prints one JSON line per message and exits after <count> messages (0: after <seconds>), closing the
// connection, so a durable subscription goes offline and can be resumed by the next run.
'use strict';
const stan = require('node-nats-streaming');

const [mode, url, clusterId, clientId, channel, countArg, extra, ...options] = process.argv.slice(2);
const count = parseInt(countArg, 10);
const sc = stan.connect(clusterId, clientId, { url, connectTimeout: 10000 });

function fail(message) {
  console.error(message);
  process.exit(1);
}

sc.on('error', (err) => fail('error: ' + err));

sc.on('connect', () => {
  if (mode === 'pub') {
    let acked = 0;
    for (let i = 1; i <= count; i++) {
      sc.publish(channel, `${extra}-${i}`, (err) => {
        if (err) {
          fail('publish failed: ' + err);
        }
        if (++acked === count) {
          sc.close();
        }
      });
    }
    return;
  }
  const seconds = parseInt(extra, 10);
  const opts = sc.subscriptionOptions();
  let queue = null;
  for (const option of options) {
    if (option === 'all') {
      opts.setDeliverAllAvailable();
    } else if (option.startsWith('durable=')) {
      opts.setDurableName(option.substring('durable='.length));
    } else if (option.startsWith('queue=')) {
      queue = option.substring('queue='.length);
    }
  }
  const sub = queue ? sc.subscribe(channel, queue, opts) : sc.subscribe(channel, opts);
  let received = 0;
  sub.on('message', (msg) => {
    console.log(JSON.stringify({ seq: msg.getSequence(), data: msg.getData(), redelivered: msg.isRedelivered() }));
    if (count > 0 && ++received === count) {
      setTimeout(() => sc.close(), 200); // let the auto ack reach the server first
    }
  });
  setTimeout(() => (count > 0 ? fail(`timed out after ${received} of ${count}`) : sc.close()), seconds * 1000);
});

sc.on('close', () => process.exit(0));
