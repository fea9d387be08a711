// Summarizes a .cpuprofile (node --cpu-prof): the top frames by self time, and by total time
// (a frame's own samples and its callees'), as text for docs/perf/. Node built-ins only.
// Run: node benchmarks/prompts/profile-summary.js <file.cpuprofile> [top] [last seconds only]
const fs = require('node:fs');

const [file, topArg, lastArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const lastUs = lastArg === undefined ? Infinity : Number(lastArg) * 1e6;
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// NOTE: the window is the profile's last seconds, so set-up and start-up do not dilute the measured load.
const times = [];
let t = profile.startTime;
for (const delta of profile.timeDeltas) times.push((t += delta));
const hits = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  if (profile.endTime - times[i] > lastUs) return;
  hits.set(id, (hits.get(id) ?? 0) + 1);
  total += 1;
});
const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(node_modules|src|benchmarks)\//, '$1/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
const self = new Map();
const inclusive = new Map();
for (const [id, count] of hits) {
  const node = byId.get(id);
  self.set(label(node), (self.get(label(node)) ?? 0) + count);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const name = label(byId.get(at));
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + count);
  }
}
const print = (title, map) => {
  console.log(`${title} (${total} samples)`);
  for (const [name, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((count / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
};
print('self time', self);
console.log('');
print('total time', inclusive);
