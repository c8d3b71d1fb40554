'use strict';
/**
 * Preloaded into the gmdesk process by `npm run bench:intake` (`node --require`), never by gmdesk
 * itself. It wraps `pg`'s Client#query to count the statements the process sends (every round
 * trip: BEGIN and COMMIT included) and, only between `capture-start` and `capture-stop`, to keep
 * their text and parameters, so the bench can run the very SQL of an endpoint in its bare
 * baseline. It answers the bench over the IPC channel the bench opened; outside a capture the
 * cost is one counter increment per statement.
 */
const { Client } = require('pg');

const MAX_CAPTURED = 500;
let count = 0;
/** @type {{ text: string, values: unknown[] }[] | null} */
let captured = null;

const originalQuery = Client.prototype.query;
Client.prototype.query = function tracedQuery(config, values, callback) {
  count += 1;
  if (captured && captured.length < MAX_CAPTURED) {
    const text = typeof config === 'string' ? config : config && config.text;
    const params = Array.isArray(values) ? values : config && config.values;
    if (typeof text === 'string') {
      captured.push({ text, values: Array.isArray(params) ? params : [] });
    }
  }
  return originalQuery.call(this, config, values, callback);
};

// The bench holds the other end of the IPC channel until this process has exited; losing it means
// the bench died (SIGKILL, a crash): shut down as on SIGTERM instead of running on as an orphan.
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));

process.on('message', (message) => {
  if (!message || typeof message.benchSqlTrace !== 'number' || !process.send) {
    return;
  }
  const reply = { benchSqlTrace: message.benchSqlTrace, count };
  if (message.cmd === 'capture-start') {
    captured = [];
  } else if (message.cmd === 'capture-stop') {
    reply.statements = captured || [];
    captured = null;
  }
  process.send(reply);
});
