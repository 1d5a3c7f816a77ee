import pLimit, { type LimitFunction } from 'p-limit';

/**
 * Bounds the handshakes in flight to one endpoint (address:port), so that probing many names of
 * one server (or one bastion) never trips its sshd MaxStartups by itself. Idle gates are dropped,
 * so memory stays bounded by the endpoints in flight.
 */
export interface EndpointGate {
  run<T>(endpoint: string, fn: () => Promise<T>): Promise<T>;
}

export function createEndpointGate(perEndpoint: number): EndpointGate {
  const gates = new Map<string, LimitFunction>();
  return {
    async run(endpoint, fn) {
      if (!Number.isFinite(perEndpoint)) return fn();
      let gate = gates.get(endpoint);
      if (!gate) {
        gate = pLimit(perEndpoint);
        gates.set(endpoint, gate);
      }
      try {
        return await gate(fn);
      } finally {
        if (gate.activeCount === 0 && gate.pendingCount === 0) gates.delete(endpoint);
      }
    },
  };
}
