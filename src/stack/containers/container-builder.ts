import type { Readable } from 'node:stream';
import { BoundPorts, GenericContainer, Wait, type WaitStrategy } from 'testcontainers';
import { LOOPBACK } from '../../common/loopback.js';
import type { ContainerPlan, WaitPlan } from './container-plan.js';
import type { NetworkPlacement } from './stack-network.js';

// The one place a ContainerPlan becomes Testcontainers calls. Every field of the plan maps to
// exactly one builder call, so what the plan says is what the runtime is asked to create.

/** Testcontainers' wait strategy for a plan's wait, with the plan's startup timeout. */
export function toWaitStrategy(wait: WaitPlan, startupTimeoutMs: number): WaitStrategy {
  return build(wait).withStartupTimeout(startupTimeoutMs);
}

function build(wait: WaitPlan): WaitStrategy {
  switch (wait.kind) {
    case 'http':
      // abortOnContainerExit: a container that crashes (bad settings, or removed by an abort)
      // fails its start at once instead of after the whole startup timeout.
      return Wait.forHttp(wait.path, wait.port, { abortOnContainerExit: true }).forStatusCode(wait.status);
    case 'log':
      return Wait.forLogMessage(new RegExp(wait.pattern), wait.times);
    case 'command':
      return Wait.forSuccessfulCommand(wait.command);
    case 'ports':
      return Wait.forListeningPorts();
    case 'all':
      return Wait.forAll(wait.of.map(build));
  }
}

/** The published ports as Testcontainers' bound ports (they are fixed, so known before start). */
export function boundPortsOf(plan: ContainerPlan): BoundPorts {
  const ports = new BoundPorts();
  for (const { container, host } of plan.published) ports.setBinding(container, host);
  return ports;
}

/** What the builder holds, read back from Testcontainers' own fields. */
export interface BuilderState {
  image: string;
  name: string | undefined;
  env: Record<string, string>;
  entrypoint: string[] | undefined;
  command: string[] | undefined;
  networkMode: string | undefined;
  networkAliases: string[];
  /** The fixed address on the stack's network, if placed. */
  ipAddress: string | undefined;
  /** /etc/hosts entries (host:address). */
  extraHosts: string[];
  portBindings: Record<string, { HostIp?: string; HostPort?: string }[]>;
  files: { target: string; content: string; mode: number | undefined }[];
  labels: Record<string, string>;
  waitStrategy: WaitStrategy;
  startupTimeoutMs: number | undefined;
  autoCleanup: boolean;
}

/**
 * Where a start is, as far as an abort cares: before its container exists (an abort then stops it
 * from creating one), while the runtime creates it (the one moment a sweep by label may miss it),
 * or once it exists (a sweep by label finds it).
 */
export type StartPhase = 'preparing' | 'creating' | 'created';

interface EndpointSettings {
  Aliases: string[];
  IPAMConfig?: { IPv4Address: string };
}

/**
 * A GenericContainer built from a plan, on the stack's network only (created on it, with its
 * aliases and, when placed, its fixed address and /etc/hosts entries: stack-network.ts says why),
 * its ports published on 127.0.0.1 only. Ryuk (Testcontainers' reaper) is not used: the stack may outlive this process
 * (`mmdrill stack up` leaves it running), so the provider removes containers itself.
 */
export class PlannedContainer extends GenericContainer {
  /** See StartPhase. */
  phase: StartPhase = 'preparing';
  /** When the container was created (with its network and files) — or the attempt failed. */
  createdAt: number | undefined;

  constructor(
    readonly plan: ContainerPlan,
    network: string,
    logConsumer?: (stream: Readable) => unknown,
    /** Once aborted, no container is created, and a created one is not started. */
    private readonly signal?: AbortSignal,
    placement?: NetworkPlacement,
  ) {
    super(plan.image);
    // Created on the network with its endpoint settings, rather than through Testcontainers'
    // withNetworkAliases (which connects the container afterwards, with aliases only).
    const endpoint: EndpointSettings = { Aliases: [...plan.networkAliases] };
    if (placement) endpoint.IPAMConfig = { IPv4Address: placement.address };
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: endpoint } };
    if (placement) this.withExtraHosts([...placement.hosts]);
    this.withName(plan.containerName)
      .withLabels(plan.labels)
      .withNetworkMode(network)
      .withEnvironment(plan.env)
      .withExposedPorts(...plan.published.map(({ container, host }) => ({ container, host })))
      .withWaitStrategy(toWaitStrategy(plan.wait, plan.startupTimeoutMs))
      .withStartupTimeout(plan.startupTimeoutMs)
      .withAutoCleanup(false);
    if (plan.entrypoint) this.withEntrypoint(plan.entrypoint);
    if (plan.command) this.withCommand(plan.command);
    if (plan.files.length > 0) {
      this.withCopyContentToContainer(
        plan.files.map((f) => ({ content: f.content, target: f.target, mode: f.mode })),
      );
    }
    if (logConsumer) this.withLogConsumer(logConsumer);
    // Testcontainers publishes on every interface; the stack must listen on 127.0.0.1 only.
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) {
      for (const binding of bindings as { HostIp?: string }[]) binding.HostIp = LOOPBACK;
    }
  }

  protected override async beforeContainerCreated(): Promise<void> {
    this.signal?.throwIfAborted();
    this.phase = 'creating';
  }

  protected override async containerCreated(): Promise<void> {
    this.phase = 'created';
    this.createdAt = Date.now();
    this.signal?.throwIfAborted();
  }

  private endpoint(): EndpointSettings {
    const endpoints = (this.createOpts.NetworkingConfig?.EndpointsConfig ?? {}) as Record<
      string,
      EndpointSettings
    >;
    return endpoints[this.networkMode ?? ''] ?? { Aliases: [] };
  }

  builderState(): BuilderState {
    return {
      image: this.imageName.string,
      name: this.createOpts.name,
      env: { ...this.environment },
      entrypoint: this.createOpts.Entrypoint as string[] | undefined,
      command: this.createOpts.Cmd as string[] | undefined,
      networkMode: this.networkMode,
      networkAliases: [...this.endpoint().Aliases],
      ipAddress: this.endpoint().IPAMConfig?.IPv4Address,
      extraHosts: [...(this.hostConfig.ExtraHosts ?? [])],
      portBindings: { ...(this.hostConfig.PortBindings ?? {}) } as BuilderState['portBindings'],
      files: this.contentsToCopy.map((c) => ({ target: c.target, content: String(c.content), mode: c.mode })),
      labels: { ...(this.createOpts.Labels ?? {}) },
      waitStrategy: this.waitStrategy,
      startupTimeoutMs: this.startupTimeoutMs,
      autoCleanup: this.autoCleanup,
    };
  }
}
