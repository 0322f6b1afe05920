import net from 'node:net';

/**
 * The network a request came from, as sign-in limits count it. An IPv4 address is itself (many
 * families on one mobile network may share it: the limits allow for that). An IPv6 address counts
 * as its /64, the block one home or phone is given, so a guesser cannot step through the 2^64
 * addresses of their own block to escape the limit.
 */
export function networkOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!net.isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
