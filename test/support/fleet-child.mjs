// A `chorus run` stand-in for crash tests: the real fleet from dist/, with a generator that takes
// CHORUS_TEST_DELAY_MS per reply so the test can kill it between receiving and sending.
// Usage: node fleet-child.mjs CONFIG DATA_DIR
import { startFleet } from '../../dist/scripts/fleet.js';

const [configFile, dataDir] = process.argv.slice(2);
const delay = Number(process.env.CHORUS_TEST_DELAY_MS ?? 0);
const slow = {
  name: 'slow-echo',
  generate: async (req) => {
    await new Promise((r) => setTimeout(r, delay));
    return {
      text: `${req.entity.username} answers #${req.message.id}`,
      source: 'llm',
      generator: 'slow-echo',
    };
  },
};
const fleet = await startFleet({ configFile, dataDir, port: 0, generators: [slow] });
process.stdout.write(`${JSON.stringify({ url: fleet.url })}\n`);
process.on('SIGTERM', () => void fleet.stop().then(() => process.exit(0)));
