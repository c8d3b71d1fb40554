import globalSetup, { tearDownHarness } from '../libs/testing/src/global-setup';
import { ApiTestContext, signPlayerToken } from '../test/support/api-context';
import { connectMany } from './lib/clients';
import { findDispatcher } from './lib/gmdesk-app';
import { sleep } from './lib/timing';
async function main() {
  await globalSetup();
  const ctx = await ApiTestContext.start({}, { gateway: true });
  const realm = await ctx.newRealm();
  const d = findDispatcher(ctx.testApp.app);
  console.log('dispatcher', !!d);
  const { ModulesContainer } = await import('@nestjs/core');
  const mods = ctx.testApp.app.get(ModulesContainer, { strict: false });
  for (const m of mods.values()) for (const w of m.providers.values()) if (String(w.name).includes('Dispatcher') || String(w.name).includes('Gateway')) console.log(m.name, w.name, !!w.instance, w.instance === d);
  const dd = d as unknown as { attach: (...a: unknown[]) => Promise<void> };
  const orig = dd.attach.bind(dd);
  dd.attach = (...a: unknown[]) => { console.log('attach called'); return orig(...a).then(() => console.log('attach done'), (e: unknown) => { console.log('attach failed', e); throw e; }); };
  const tok = await signPlayerToken(realm.secret, realm.id, 'p1');
  const s = await connectMany(ctx.url, '/player', [{ token: tok }]);
  s[0]!.onAny((...a: unknown[]) => console.log('event', a));
  s[0]!.on('disconnect', (r) => console.log('disc', r));
  if (process.env.EMIT) s[0]!.emit('nope', {}, (r: unknown) => console.log('ack', JSON.stringify(r)));
  for (let i = 0; i < 10; i++) { console.log(d?.localSocketCount(), s[0]!.connected); await sleep(200); }
  s[0]!.close();
  await ctx.close();
  await tearDownHarness();
}
void main();
