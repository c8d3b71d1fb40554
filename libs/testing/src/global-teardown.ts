import { tearDownHarness } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await tearDownHarness();
}
