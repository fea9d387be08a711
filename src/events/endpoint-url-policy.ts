import dns from 'node:dns/promises';
import net from 'node:net';

/**
 * Where an event endpoint may point (SSRF). In production: https only, and never an address of this
 * machine or its private networks (loopback, RFC 1918, CGNAT, link-local, unique-local, unspecified),
 * whether written literally or reached through a hostname; the delivery agent checks again at
 * connect time (DNS may change between the check and the request).
 */
const BLOCKED = new net.BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(net4, prefix, 'ipv4');
for (const [net6, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(net6, prefix, 'ipv6');

/** True for an address no production endpoint may reach. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const family = net.isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolve = (hostname: string) => Promise<string[]>;

export const resolveAll: Resolve = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** Why `url` is refused, or null when it is acceptable; `production` applies the SSRF rules. */
export async function endpointUrlProblem(
  raw: string,
  options: { production: boolean; resolve?: Resolve },
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'The url is not an absolute URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The url must be http(s).';
  if (url.username || url.password) return 'The url must not carry credentials.';
  if (!options.production) return null;
  if (url.protocol !== 'https:') return 'Endpoints must use https in production.';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host))
    return isPrivateAddress(host) ? `The url points at a private or loopback address (${host}).` : null;
  if (host === 'localhost' || host.endsWith('.localhost')) return 'The url points at this machine (localhost).';
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? resolveAll)(host);
  } catch {
    return `The url's host ${host} does not resolve.`;
  }
  const blocked = addresses.find(isPrivateAddress);
  if (blocked) return `The url's host ${host} resolves to a private or loopback address (${blocked}).`;
  if (addresses.length === 0) return `The url's host ${host} does not resolve.`;
  return null;
}
