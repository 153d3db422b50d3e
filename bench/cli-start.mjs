// Scenario: how long a user waits for the quickest commands, against `node -e 0` (Node's own start-up), each run
// as a new process, alternately; the goal is within 0.1 s of node.
import { median, runNode, runOplens, seconds } from './timing.mjs';

export function benchCliStart({ db, runs }) {
  const cases = {
    'node -e 0': () => runNode(['-e', '0']),
    'oplens --version': () => runOplens(['--version']),
    'oplens --help': () => runOplens(['--help']),
    'oplens status': () => runOplens(['--db', db, 'status']),
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [k, run] of Object.entries(cases)) times[k].push(run().ms);
  const node = median(times['node -e 0']);
  return {
    label: 'CLI start', runs,
    nodeSeconds: seconds(node),
    commands: Object.entries(times).slice(1).map(([k, ts]) => ({
      command: k, seconds: seconds(median(ts)), overNodeSeconds: seconds(median(ts) - node), runsSeconds: ts.map(seconds),
    })),
    goal: 'overNodeSeconds <= 0.1',
  };
}
