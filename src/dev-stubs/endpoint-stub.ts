import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a stubbed endpoint behaves: answers at once, answers late, fails (503), or never answers. */
export type StubBehaviour = 'up' | 'slow' | 'down' | 'hang';

/**
 * A local stand-in for API Entreprise's endpoints, probed outside production (the embedded default) and in tests:
 * `behaviour(path)` says how each address behaves, and may change between two probes. A slow answer takes
 * `slowMs`; a hanging one never comes (until the server closes).
 */
export async function startEndpointStub(
  behaviour: (path: string) => StubBehaviour,
  slowMs = 2_000,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const answer = (status: number) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { data: { stub: true } } : { errors: [{ title: 'Indisponible' }] }));
    };
    const how = behaviour(path);
    if (how === 'hang') return;
    if (how === 'slow') setTimeout(() => answer(200), slowMs).unref();
    else answer(how === 'down' ? 503 : 200);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The embedded default's behaviours: everything answers, except the Banque de France (slow) and the MSA (down). */
export function demoBehaviour(path: string): StubBehaviour {
  if (path.includes('/banque_de_france/')) return 'slow';
  if (path.includes('/msa/')) return 'down';
  return 'up';
}
