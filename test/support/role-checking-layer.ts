// A loopback layer in front of moto for STS: AssumeRole of a role that does not exist is refused, as AWS does.
import { createServer, type Server } from 'node:http';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { actAsAccount } from '../../src/aws/clients.js';
import { forward, identify, listenOnLoopback, readBody, send } from './http-forward.js';
import { MOTO_CREDENTIALS, MOTO_DEFAULT_ACCOUNT } from './moto.js';

/**
 * AWS refuses AssumeRole of a role that does not exist (AccessDenied); moto hands out credentials for any
 * role. This layer asks moto's IAM whether the role exists in its account before letting AssumeRole through,
 * and names the account of the credentials it issued on the requests they sign.
 */
export async function startRoleCheckingLayer(
  target: string,
): Promise<{ endpoint: string; server: Server; assumed: string[] }> {
  const upstream = new URL(target);
  const assumed: string[] = [];
  const accountOfKey = new Map<string, string>();
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const { action, form } = identify(req, body);
      if (action === 'AssumeRole') {
        const arn = form.get('RoleArn') ?? '';
        assumed.push(arn);
        const [, account, name] = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(arn) ?? [];
        const iam = actAsAccount(
          new IAMClient({
            endpoint: target,
            region: 'us-east-1',
            credentials: MOTO_CREDENTIALS,
            maxAttempts: 1,
          }),
          account,
        );
        const exists = await iam.send(new GetRoleCommand({ RoleName: name })).then(
          () => true,
          () => false,
        );
        iam.destroy();
        if (!exists) {
          send(res, {
            status: 403,
            headers: { 'content-type': 'text/xml' },
            body: Buffer.from(
              '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
                `<Message>User: arn:aws:iam::${MOTO_DEFAULT_ACCOUNT}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${arn}</Message>` +
                '</Error><RequestId>role-check</RequestId></ErrorResponse>',
            ),
          });
          return;
        }
      }
      // moto acts as the role's account for its credentials; the layer behind (which hides foreign tags, as
      // AWS does) knows the caller by moto's account header, so requests signed with them carry it.
      const key = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
      const actingAs = key === undefined ? undefined : accountOfKey.get(key);
      if (actingAs !== undefined) req.headers['x-moto-account-id'] = actingAs;
      const answer = await forward(upstream, req, body);
      if (action === 'AssumeRole' && answer.status === 200) {
        const issued = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(answer.body.toString('utf8'))?.[1];
        const account = /^arn:aws:iam::(\d{12}):/.exec(form.get('RoleArn') ?? '')?.[1];
        if (issued !== undefined && account !== undefined) accountOfKey.set(issued, account);
      }
      send(res, answer);
    })().catch((error: unknown) => {
      res.writeHead(502);
      res.end(String(error));
    });
  });
  return { endpoint: await listenOnLoopback(server), server, assumed };
}
