// The demo's counting proxy: it names each call by service and operation and passes it through unchanged.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallCounter, operationOf, startCallCounter } from '../../src/demo/call-counter.js';

const AUTH = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`;

describe('operationOf', () => {
  it('reads the query protocol action from the form body (RDS, STS)', () => {
    // Act
    const kind = operationOf(
      { authorization: AUTH('rds') },
      'Action=DescribeDBClusterSnapshots&Version=2014-10-31',
      '/',
    );
    // Assess
    expect(kind).toBe('rds:DescribeDBClusterSnapshots');
  });

  it('reads the JSON protocol target (KMS)', () => {
    // Act
    const kind = operationOf(
      { authorization: AUTH('kms'), 'x-amz-target': 'TrentService.DescribeKey' },
      '{}',
      '/',
    );
    // Assess
    expect(kind).toBe('kms:DescribeKey');
  });

  it('names what it cannot read as unknown rather than guessing', () => {
    // Act
    const kind = operationOf({}, '', '/');
    // Assess
    expect(kind).toBe('unknown:unknown');
  });
});

describe('startCallCounter', () => {
  let upstream: Server;
  let counter: CallCounter;
  const seen: { body: string; account: string | undefined }[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          body: Buffer.concat(chunks).toString(),
          account: req.headers['x-moto-account-id'] as string,
        });
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<ok/>');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const address = upstream.address();
    counter = await startCallCounter(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
  });

  afterAll(async () => {
    await counter.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('forwards requests unchanged and counts them by kind and account', async () => {
    // Prepare
    counter.reset();
    const send = (action: string, account?: string) =>
      fetch(counter.endpoint, {
        method: 'POST',
        headers: { authorization: AUTH('rds'), ...(account ? { 'x-moto-account-id': account } : {}) },
        body: `Action=${action}`,
      });
    // Act
    const first = await send('CreateDBClusterSnapshot');
    await send('CreateDBClusterSnapshot');
    await send('DescribeDBClusterSnapshots', '222222222222');
    // Assess
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('<ok/>');
    expect(Object.fromEntries(counter.counts())).toEqual({
      'rds:CreateDBClusterSnapshot': 2,
      'rds:DescribeDBClusterSnapshots': 1,
    });
    expect(Object.fromEntries(counter.countsByAccount())).toEqual({ default: 2, '222222222222': 1 });
    expect(seen.at(-1)).toEqual({ body: 'Action=DescribeDBClusterSnapshots', account: '222222222222' });
  });
});
