#!/usr/bin/python3
"""The usual SSH reachability script, as the ssh-probe issue describes it: asyncssh connections
to every host at once with asyncio.gather, any exception = unreachable. No concurrency bound;
the only addition is asyncssh's connect_timeout, so black-holed hosts end inside the benchmark
(without it each waits for the kernel's SYN retries, about two minutes).

usage: ssh-probe-asyncssh.py INVENTORY KEY TIMEOUT_SECONDS [CONCURRENCY [COMMAND]]
INVENTORY: one user@host[:port] per line. CONCURRENCY (not in the usual script) bounds the
connections in flight with an asyncio.Semaphore, to measure CPU per completed probe; COMMAND
(not in the usual script either) is run on each host and must exit 0, like ssh-probe --check exec.
Prints one JSON object: counts and per-target status."""
import asyncio
import json
import sys
import warnings

warnings.filterwarnings('ignore')
import asyncssh  # noqa: E402


def parse(line):
    user, _, rest = line.rpartition('@')
    host, _, port = rest.partition(':')
    return user or None, host, int(port or 22)


async def probe(target, key, timeout, bound, command=None):
    if bound is not None:
        async with bound:
            return await probe(target, key, timeout, None, command)
    user, host, port = target
    try:
        async with asyncssh.connect(host, port, username=user, client_keys=[key], known_hosts=None,
                                    agent_path=None, connect_timeout=timeout) as conn:
            if command:
                await conn.run(command, check=True)
            return 'reachable', None
    except Exception as error:  # any exception = unreachable
        return 'unreachable', type(error).__name__


async def main():
    inventory, key_path, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
    targets = [parse(l.strip()) for l in open(inventory) if l.strip() and not l.startswith('#')]
    bound = asyncio.Semaphore(int(sys.argv[4])) if len(sys.argv) > 4 else None
    key = asyncssh.read_private_key(key_path)
    command = sys.argv[5] if len(sys.argv) > 5 else None
    results = await asyncio.gather(*(probe(t, key, timeout, bound, command) for t in targets))
    errors = {}
    for status, error in results:
        if error:
            errors[error] = errors.get(error, 0) + 1
    print(json.dumps({
        'reachable': sum(1 for s, _ in results if s == 'reachable'),
        'unreachable': sum(1 for s, _ in results if s == 'unreachable'),
        'errors': errors,
        'status': [s for s, _ in results],
    }))


asyncio.run(main())
