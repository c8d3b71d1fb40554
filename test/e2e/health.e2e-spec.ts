import { ApiTestContext } from '../support/api-context';

describe('health and docs', () => {
  let sut: ApiTestContext;

  beforeAll(async () => {
    sut = await ApiTestContext.start();
  });

  afterAll(() => sut.close());

  it('reports live and ready with the database up', async () => {
    await sut.http().get('/health/live').expect(200);
    const ready = await sut.http().get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves the OpenAPI document with every route', async () => {
    const response = await sut.http().get('/docs/openapi.json').expect(200);
    const paths = Object.keys(response.body.paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining(['/reports', '/tickets', '/tickets/{id}/messages', '/auth/login']),
    );
  });
});
