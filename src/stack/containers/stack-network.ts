import type { ContainerRuntimeClient } from 'testcontainers';
import type { ContainerPlan } from './container-plan.js';

// Why fixed addresses and /etc/hosts rather than the runtime's DNS: containers of a stack reach
// each other by name (app → toxiproxy, toxiproxy → postgres-replica, nginx → toxiproxy, …), and
// during drills those names must keep resolving. Podman's DNS server (aardvark-dns) was seen to
// lose a live network's names about 45 s after another network was removed, so a db-failover
// that repoints a proxy at `postgres-replica` failed on a name lookup. And Podman gives a
// container a new address on every start (kill + start, restart), so an address learnt once goes
// stale after a fault. So every container gets a fixed address on the stack's network (kept
// across restarts: it is part of the container's settings) and every container's /etc/hosts
// names every member of the stack: no lookup reaches the runtime's DNS, on Podman or Docker.
// Docker accepts fixed addresses only on networks created with an explicit subnet: the network
// is created once to let the runtime choose a free subnet, then created again naming it.

/** The first member's host number in the subnet (below it: the gateway and room for the runtime). */
const FIRST_HOST = 10;

export interface ExtraHost {
  host: string;
  ipAddress: string;
}

/** Where one container sits on the stack's network. */
export interface NetworkPlacement {
  address: string;
  /** Every member's names (its network aliases) with its address, for /etc/hosts. */
  hosts: readonly ExtraHost[];
}

export interface StackNetwork {
  name: string;
  subnet: string;
  placements: ReadonlyMap<string, NetworkPlacement>;
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`not an IPv4 address: ${ip}`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * Fixed addresses for the plans, in plan order from host FIRST_HOST of `subnet` (CIDR), and the
 * /etc/hosts entries every container gets. Pure.
 */
export function placeOnSubnet(
  subnet: string,
  plans: readonly ContainerPlan[],
): ReadonlyMap<string, NetworkPlacement> {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(subnet);
  if (!match) throw new Error(`not an IPv4 subnet: ${subnet}`);
  const prefix = Number(match[2]);
  const size = 2 ** (32 - prefix);
  const base = ipToInt(match[1]!) - (ipToInt(match[1]!) % size);
  if (FIRST_HOST + plans.length >= size - 1)
    throw new Error(`subnet ${subnet} is too small for ${plans.length} containers`);
  const addresses = plans.map((_, i) => intToIp(base + FIRST_HOST + i));
  const hosts = plans.flatMap((plan, i) =>
    plan.networkAliases.map((host) => ({ host, ipAddress: addresses[i]! })),
  );
  return new Map(plans.map((plan, i) => [plan.name, { address: addresses[i]!, hosts }]));
}

interface NetworkInspect {
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
}

/**
 * Creates the stack's bridge network on a subnet the runtime chose (see the head of this file)
 * and places the plans on it. A failure leaves at most the labelled network, which the caller's
 * sweep by label removes.
 */
export async function createStackNetwork(
  client: ContainerRuntimeClient,
  name: string,
  labels: Record<string, string>,
  plans: readonly ContainerPlan[],
): Promise<StackNetwork> {
  const docker = client.container.dockerode;
  const chosen = await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels });
  const inspect = (await chosen.inspect()) as NetworkInspect;
  const config = inspect.IPAM?.Config?.find((c) => c.Subnet && /^\d+\.\d+\.\d+\.\d+\//.test(c.Subnet));
  if (!config?.Subnet) throw new Error(`the runtime gave network ${name} no IPv4 subnet`);
  await chosen.remove();
  const ipam = { Subnet: config.Subnet, ...(config.Gateway ? { Gateway: config.Gateway } : {}) };
  await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels, IPAM: { Config: [ipam] } });
  return { name, subnet: config.Subnet, placements: placeOnSubnet(config.Subnet, plans) };
}
