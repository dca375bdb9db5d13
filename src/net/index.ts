/**
 * Host, port and address maths as Go's net and net/url packages do them, so that trustext splits, compares and
 * matches hosts exactly where docker, its daemon and Go's proxy selection do: host:port text, IP addresses and
 * CIDR networks. Pure: no DNS, no sockets.
 */
export {
  type AddrErrorReason,
  joinHostPort,
  type SplitHostPort,
  splitHostPort,
  splitRegistryHost,
  unbracket,
  urlHostPort,
  validOptionalPort,
} from './host-port.ts';
export { type Ip, ipEqual, isLoopbackIp, parseIp } from './ip.ts';
export { type IpNet, ipNetContains, parseCidr } from './cidr.ts';
